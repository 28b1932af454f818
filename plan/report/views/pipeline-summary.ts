// The shape of view 2: what a CodePipeline summary holds (source and triggers, stages, actions by
// runOrder with their target accounts, and the gates of each stage).

/** Where an action runs and how that was found out. */
export type TargetSource =
  /** The action's `roleArn` (a role in the target account). */
  | "action-role"
  /** The `DEPLOY_ROLE_ARN` environment variable of a CodeBuild deploy action. */
  | "deploy-role"
  /** The `TARGET_ACCOUNT` environment variable of a CodeBuild deploy action. */
  | "target-account"
  /** The action's environment variables are not known yet (preview): the target is unknown. */
  | "unknown"
  /** None of those: the action runs in the pipeline's account. */
  | "pipeline";

export interface ActionSummary {
  readonly name: string;
  readonly category: string;
  readonly owner: string;
  readonly provider: string;
  readonly runOrder: number;
  /** Target account (KNOWN_AFTER_DEPLOY when its role ARN is not known yet). */
  readonly account: string;
  readonly region: string;
  readonly targetSource: TargetSource;
  /** The role the action assumes (action `roleArn`, or a deploy project's DEPLOY_ROLE_ARN). */
  readonly roleArn?: string;
  /** The CodeBuild project it runs. */
  readonly project?: string;
  /** The CloudFormation or Pulumi stack it deploys. */
  readonly stackName?: string;
  /** The CloudFormation action mode (CHANGE_SET_REPLACE, CHANGE_SET_EXECUTE, ...). */
  readonly actionMode?: string;
  /** Does it deploy into an account (a Deploy action or a CodeBuild project with a target)? */
  readonly deploys: boolean;
  /** An alarm gate action (GATE_PHASE, GATE_MINUTES, GATE_STAGES): what it watches. */
  readonly gate?: ActionGate;
}

/** What an alarm gate action watches. */
export interface ActionGate {
  /** `entry`: checks once; `bake`: keeps watching for `minutes`. */
  readonly phase: string;
  readonly minutes: number;
  /** The deploy stages whose targets it watches. */
  readonly stages: readonly string[];
}

/** An alarm gate of a stage, with the targets it watches resolved from the named stages. */
export interface GateSummary {
  readonly action: string;
  readonly phase: string;
  readonly minutes: number;
  /** `account region` of every target watched, sorted. */
  readonly targets: readonly string[];
  /** Accounts watched, sorted. */
  readonly accounts: readonly string[];
}

/** Actions with one runOrder: they run in parallel. */
export interface ActionStep {
  readonly runOrder: number;
  readonly actions: readonly ActionSummary[];
}

/** One rule of a stage condition. */
export interface RuleSummary {
  readonly name: string;
  /** The rule type (`CloudWatchAlarm`, `DeploymentWindow`, ...). */
  readonly provider: string;
  /** Alarm names a CloudWatchAlarm rule watches. */
  readonly alarms: readonly string[];
  /** Alarm states that make the rule fail. */
  readonly alarmStates?: string;
  /** Minutes the rule keeps watching (bake time). */
  readonly waitMinutes?: number;
  /** The account whose alarms are read (from the rule's roleArn, else the pipeline's). */
  readonly account: string;
  readonly region: string;
  readonly roleArn?: string;
  /** The rule's configuration, as strings (for rule types other than CloudWatchAlarm). */
  readonly configuration: Readonly<Record<string, string>>;
}

/** A stage condition (beforeEntry, onSuccess or the condition of onFailure). */
export interface ConditionSummary {
  /** What happens when a rule fails: FAIL, ROLLBACK, ... */
  readonly result?: string;
  readonly rules: readonly RuleSummary[];
  /** Accounts whose alarms the rules read, sorted. */
  readonly alarmAccounts: readonly string[];
  /** Total alarms watched (over all CloudWatchAlarm rules). */
  readonly alarmCount: number;
  /** The longest wait of any rule, in minutes (0 when the rules check once). */
  readonly waitMinutes: number;
}

export interface FailureSummary {
  /** ROLLBACK, RETRY, FAIL or SKIP. */
  readonly result?: string;
  /** The retry mode of a RETRY result (FAILED_ACTIONS, ALL_ACTIONS). */
  readonly retryMode?: string;
  readonly condition?: ConditionSummary;
}

export interface StageSummary {
  readonly name: string;
  /** 1-based position in the pipeline. */
  readonly position: number;
  /**
   * Set when an environment deploys in waves (`Deploy-prod-wave1` ...) or a wave in parts
   * (`Deploy-prod-wave3-part2`): the wave, how many waves, and the part of the wave.
   */
  readonly wave?: {
    readonly index: number;
    readonly of: number;
    readonly part?: number;
    readonly parts?: number;
  };
  /** Actions grouped by runOrder, in execution order. */
  readonly steps: readonly ActionStep[];
  readonly beforeEntry?: ConditionSummary;
  readonly onSuccess?: ConditionSummary;
  readonly onFailure?: FailureSummary;
  /** Alarm gate actions of the stage (read cross-account alarms through the alarm readers). */
  readonly gates: readonly GateSummary[];
  /** Names of the manual approval actions of the stage. */
  readonly approvals: readonly string[];
  /** Accounts the stage deploys into, sorted. */
  readonly deploysTo: readonly string[];
}

/** One event that starts the pipeline (a V2 trigger filter). */
export interface TriggerSummary {
  readonly event: "push" | "pull request";
  readonly branches: { readonly includes: readonly string[]; readonly excludes: readonly string[] };
  readonly filePaths: {
    readonly includes: readonly string[];
    readonly excludes: readonly string[];
  };
  readonly tags: { readonly includes: readonly string[]; readonly excludes: readonly string[] };
  /** Pull request events (OPEN, UPDATED, CLOSED). */
  readonly events: readonly string[];
}

export interface SourceSummary {
  readonly action: string;
  /** The action provider (CodeStarSourceConnection, CodeCommit, S3, ECR). */
  readonly provider: string;
  /** The Git host behind a connection (GitHub, GitLab, Bitbucket), when it can be told. */
  readonly host?: string;
  readonly repository?: string;
  readonly branch?: string;
  /** The connection ARN (KNOWN_AFTER_DEPLOY in a preview of a new connection). */
  readonly connection?: string;
  /** Does the pipeline start on its own on a change (DetectChanges or a trigger)? */
  readonly detectChanges: boolean;
  readonly triggers: readonly TriggerSummary[];
}

export interface PipelineSummary {
  readonly name: string;
  readonly urn: string;
  readonly account: string;
  readonly region: string;
  /** V1 or V2 (AWS default: V1). */
  readonly pipelineType: string;
  /** QUEUED, SUPERSEDED or PARALLEL (AWS default: SUPERSEDED). */
  readonly executionMode: string;
  /** The service role (KNOWN_AFTER_DEPLOY when it cannot be derived). */
  readonly roleArn: string;
  readonly sources: readonly SourceSummary[];
  readonly stages: readonly StageSummary[];
}
