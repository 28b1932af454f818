// The AWS quotas the tools account's resources count against, and the tools stack's footprint on
// each: every application adds a pipeline, its CodeBuild projects, two or three IAM roles, one or
// two EventBridge rules and a CodeStar notification rule. A config that needs more than its
// account's quota is refused before the first resource is created: AWS would otherwise fail the
// deployment half-way, with the first few hundred pipelines created and the rest not.
//
// Values are the AWS defaults, from the page each quota names (read 2026-12). An account whose
// quota was raised says so in `organization.tools.quotas`, with the value its Service Quotas
// console shows. Resources the account holds beside this platform (a Control Tower rule, another
// team's roles) count too, and are not known here: `tools.quotas` may declare the share the
// platform may use.
import { aggregationOf, aggregatorSources, toolsConfigSettings } from "./compliance";
import type { ConfigProblem } from "./config/problems";
import type { Organization } from "./config/schema";
import {
  buildChecks,
  hasTestStage,
  deploysFromProject,
  isWatched,
  PipelineModel,
  pullRequestPlan,
} from "./pipeline";

/** The quotas a tools stack can outgrow, by their key under `organization.tools.quotas`. */
export const QUOTA_KEYS = [
  "pipelines",
  "buildProjects",
  "iamRoles",
  "eventRules",
  "notificationRules",
] as const;
export type QuotaKey = (typeof QUOTA_KEYS)[number];

export interface Quota {
  /** What AWS calls it, with its scope. */
  readonly name: string;
  /** The default in most Regions. */
  readonly default: number;
  /** Defaults that differ by Region. */
  readonly regionalDefaults?: Readonly<Record<string, number>>;
  /** Whether the page says it can be raised. */
  readonly adjustable: boolean;
  /** The page that documents it. */
  readonly page: string;
}

/** The quotas, as their documentation pages give them. */
export const QUOTAS: Readonly<Record<QuotaKey, Quota>> = {
  pipelines: {
    name: "CodePipeline pipelines per Region per account",
    default: 1_000,
    adjustable: true,
    page: "https://docs.aws.amazon.com/codepipeline/latest/userguide/limits.html",
  },
  buildProjects: {
    name: "CodeBuild build projects per Region per account",
    default: 5_000,
    adjustable: true,
    page: "https://docs.aws.amazon.com/codebuild/latest/userguide/limits.html",
  },
  iamRoles: {
    name: "IAM roles per account",
    default: 1_000,
    adjustable: true,
    page: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html",
  },
  eventRules: {
    name: "EventBridge rules per event bus (the default bus) per Region per account",
    default: 300,
    regionalDefaults: { "af-south-1": 100, "eu-south-1": 100 },
    adjustable: true,
    page: "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-quota.html",
  },
  notificationRules: {
    name: "CodeStar Notifications notification rules per account",
    default: 1_000,
    // The page lists the limit without saying it can be raised (unconfirmed either way).
    adjustable: false,
    page: "https://docs.aws.amazon.com/dtconsole/latest/userguide/limits.html",
  },
};

/**
 * The most applications one tools stack takes, whatever quotas it declares: CodePipeline's default
 * pipelines per Region and the notification rules per account, and the size at which the offline
 * planner is benchmarked (bench/size-results.md). A larger organization splits its applications
 * over several platform projects, each with its own prefix and tools account.
 */
export const MAX_APPLICATIONS = 1_000;

/** The quota values a tools account declares it has (from its Service Quotas console). */
export type DeclaredQuotas = Partial<Record<QuotaKey, number>>;

/** The quota that applies in `region`, declared or default. */
export function quotaValue(key: QuotaKey, region: string, declared?: DeclaredQuotas): number {
  const q = QUOTAS[key];
  return declared?.[key] ?? q.regionalDefaults?.[region] ?? q.default;
}

/** How many of each quota's resources the tools stack creates. */
export type Footprint = Record<QuotaKey, number>;

/**
 * The tools stack's count against each quota, from the same facts the stacks build from (the
 * pipeline models give the deploy projects; a CodeCommit source adds an EventBridge rule and its
 * role). test/tools/quotas.spec.ts compares it with a run of the tools program.
 */
export function toolsFootprint(org: Organization, models: readonly PipelineModel[]): Footprint {
  const gates = org.environments.filter(isWatched).length;
  const f: Footprint = {
    pipelines: 0,
    // One alarm-gate project per watched environment.
    buildProjects: gates,
    // One deploy role per environment of the promotion order, one alarm-gate role per gate, and
    // the delivery metrics function's role.
    iamRoles: org.promotionOrder.length + gates + 1,
    // The delivery metrics rule.
    eventRules: 1,
    notificationRules: 0,
  };
  // AWS Config of the tools account: its non-compliance rule and, when the platform records, the
  // service-linked role (it counts against the roles quota); an organization aggregator's role.
  const config = toolsConfigSettings(org);
  if (config.enabled) f.eventRules += 1;
  if (config.enabled && !config.existingRecorder && !config.serviceLinkedRoleExists)
    f.iamRoles += 1;
  if (aggregationOf(org) === "organization" && aggregatorSources(org).length > 0) f.iamRoles += 1;
  // The platform deploying itself: its pipeline (Validate, Tools, one update project per
  // environment; pipeline, validate and deployer roles; failed-executions and notification rules)
  // and drift detection (its project, its role and the schedule's role; Scheduler is no rule).
  if (org.platform) {
    f.pipelines += 1;
    f.buildProjects += 2 + org.promotionOrder.length;
    f.iamRoles += 3;
    f.eventRules += 1;
    f.notificationRules += 1;
    // Read as written too (drift is on unless `enabled: false`), not only as validated.
    if ((org.platform.drift as { enabled?: boolean } | undefined)?.enabled !== false) {
      f.buildProjects += 1;
      f.iamRoles += 2;
    }
  }
  org.applications.forEach((app, i) => {
    const codecommit = app.source.provider === "codecommit";
    f.pipelines += 1;
    const checks = buildChecks(app).length;
    // A deploy project per environment for Pulumi and for codedeploy-lambda, which also has its
    // CodeDeploy runner role.
    const deploys = deploysFromProject(app.deploy.mechanism)
      ? (models[i]?.environments.length ?? 0)
      : 0;
    const runner = app.deploy.mechanism === "codedeploy-lambda" ? 1 : 0;
    // build, test (none when the deploy builds run the smoke test), checks, deploys
    f.buildProjects += 1 + (hasTestStage(app) ? 1 : 0) + checks + deploys;
    f.iamRoles += 2 + (codecommit ? 1 : 0) + runner; // build, pipeline, CodeCommit trigger, runner
    f.eventRules += 1 + (codecommit ? 1 : 0); // failed executions, CodeCommit trigger
    f.notificationRules += 1;
    // The pull-request pipeline: its build, checks and preview projects, two roles, its own
    // failed-executions rule and notification rule.
    const pr = pullRequestPlan(org, app);
    if (pr) {
      f.pipelines += 1;
      f.buildProjects += 1 + pr.checks.length + (pr.previewEnvironment ? 1 : 0);
      f.iamRoles += 2;
      f.eventRules += 1;
      f.notificationRules += 1;
    }
  });
  return f;
}

/**
 * Every quota the tools stack would exceed, and an organization beyond MAX_APPLICATIONS, as
 * problems naming the quota, the count, the page and the fix.
 */
export function quotaProblems(
  org: Organization,
  models: readonly PipelineModel[],
  declared?: DeclaredQuotas,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const apps = org.applications.length;
  if (apps > MAX_APPLICATIONS)
    problems.push({
      path: "organization.applications",
      message: `${apps.toLocaleString("en-US")} applications are more than one tools stack takes (${MAX_APPLICATIONS.toLocaleString("en-US")}: ${QUOTAS.pipelines.name} by default, ${QUOTAS.notificationRules.name}, see ${QUOTAS.pipelines.page} and ${QUOTAS.notificationRules.page}); split the applications over several platform projects, each with its own prefix and tools account`,
    });
  const footprint = toolsFootprint(org, models);
  for (const key of QUOTA_KEYS) {
    const limit = quotaValue(key, org.tools.region, declared);
    const need = footprint[key];
    if (need <= limit) continue;
    const q = QUOTAS[key];
    const declaredHere = declared?.[key] !== undefined;
    const fix = declaredHere
      ? `raise the quota further, or move applications to another platform project`
      : q.adjustable
        ? `request an increase in the Service Quotas console, then declare the new value as organization.tools.quotas.${key}, or move applications to another platform project`
        : `the page gives no increase; if AWS Support raised it for this account, declare the value as organization.tools.quotas.${key}; otherwise move applications to another platform project`;
    problems.push({
      path: declaredHere ? `organization.tools.quotas.${key}` : "organization.applications",
      message: `the tools stack needs ${need.toLocaleString("en-US")} against the quota "${q.name}", which is ${limit.toLocaleString("en-US")}${declaredHere ? " as declared" : " by default"} in ${org.tools.region} (${q.page}); ${fix}`,
    });
  }
  return problems;
}
