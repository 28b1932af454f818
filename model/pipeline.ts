// The engine-neutral model of one application's pipeline: which stages run in which order, which
// actions each stage holds and with which runOrder, where manual approvals sit and which alarms
// gate an environment. Pure data computed from the organization config, with no AWS resource in
// sight, so the shape of every pipeline can be tested (and printed by the offline plan) on its own.
// components/tools/application-pipeline.ts turns it into an aws.codepipeline.Pipeline.
import { isProduction } from "./config";
import {
  Application,
  BuildCheck,
  DeployMechanism,
  Environment,
  isCodeDeployMechanism,
  Organization,
} from "./config/schema";
import { stageName } from "./naming";

/** CodePipeline's limit on actions in one stage (all actions, whatever their runOrder). */
export const MAX_ACTIONS_PER_STAGE = 50;
/**
 * The longest one bake action watches, in minutes. A longer bake is several actions in a row.
 * CodeBuild allows builds of up to 36 hours, but no AWS page we found says how long CodePipeline
 * lets a CodeBuild action run (its quotas page gives "all other actions" one hour), so no gate
 * action is planned to run longer than this.
 */
export const MAX_BAKE_MINUTES_PER_ACTION = 50;
/** CodePipeline's limit on stages in one pipeline. */
export const MAX_STAGES_PER_PIPELINE = 50;

/** One account and region an environment deploys to. */
export interface DeployTarget {
  /** The 12-digit account id. */
  readonly account: string;
  /** The account's label (the account id when none is configured). */
  readonly label: string;
  /** The region the deployment runs against. */
  readonly region: string;
}

/** What an action does. */
export type ActionKind =
  | "source"
  | "build"
  | "check"
  | "approval"
  | "deploy"
  | "change-set"
  | "execute-change-set"
  | "codedeploy"
  | "test"
  | "alarm-gate"
  | "preview";

/**
 * What an alarm gate action watches. It runs in the tools account, assumes each target's
 * alarm-reader role and reads the target's deployment-health alarm; it fails when one is in ALARM.
 * A CodePipeline `CloudWatchAlarm` stage rule reads one alarm by name, and no AWS page says its
 * `roleArn` may read an alarm in another account, so cross-account alarms are read by this action.
 */
export interface AlarmGateModel {
  /** `entry`: check once before deploying; `bake`: keep watching for `minutes` after deploying. */
  readonly phase: "entry" | "bake";
  /** The environment whose targets are watched. */
  readonly environment: string;
  /** The targets watched: every target of the environment for `entry`, the waves deployed so far for `bake`. */
  readonly targets: readonly DeployTarget[];
  /** Minutes a bake watches (at most MAX_BAKE_MINUTES_PER_ACTION); 0 for `entry`. */
  readonly minutes: number;
  /** Deploy stages of the environment whose targets are watched (the pipeline names them). */
  readonly stages: readonly string[];
}

/** One action of a stage. */
export interface ActionModel {
  /** Action name, unique in its stage ([A-Za-z0-9.@_-], at most 100 characters). */
  readonly name: string;
  readonly kind: ActionKind;
  /** Actions with the same runOrder run in parallel; lower runOrders run first. */
  readonly runOrder: number;
  /** The check this action runs (check and test actions). */
  readonly check?: BuildCheck;
  /** The target of a deploy action. */
  readonly target?: DeployTarget;
  /** What an alarm gate action watches. */
  readonly gate?: AlarmGateModel;
  /** The environment a preview action previews (pull-request pipelines). */
  readonly environment?: string;
}

export type StageKind = "source" | "build" | "approval" | "deploy" | "test" | "preview";

/** One stage of the pipeline. */
export interface StageModel {
  /** Stage name, unique in the pipeline. */
  readonly name: string;
  readonly kind: StageKind;
  /** The environment a deploy, test or approval stage belongs to. */
  readonly environment?: string;
  /** 1-based wave number of a deploy stage (the environment's `waves`, or 1). */
  readonly wave?: number;
  /** 1-based part of a wave too large for one stage's 50 actions (set only when it is split). */
  readonly part?: number;
  readonly actions: readonly ActionModel[];
  /**
   * What a failed stage does: ROLLBACK to the last successful revision (a deploy, or an alarm
   * gate that saw an alarm). CodePipeline can roll back only to an execution started in the
   * current pipeline structure version: the first run, and the first run after any change to the
   * pipeline's shape, have nothing to roll back to
   * (https://docs.aws.amazon.com/codepipeline/latest/userguide/stage-rollback.html).
   */
  readonly onFailure?: "ROLLBACK";
}

/** The whole pipeline of one application. */
export interface PipelineModel {
  readonly application: string;
  readonly mechanism: DeployMechanism;
  /** Environments in promotion order. */
  readonly environments: readonly string[];
  readonly stages: readonly StageModel[];
}

/** Options of the model; the defaults are CodePipeline's limits. */
export interface PipelineModelOptions {
  /** Actions per stage. Default: MAX_ACTIONS_PER_STAGE (50). */
  readonly maxActionsPerStage?: number;
  /** Minutes one bake action watches. Default: MAX_BAKE_MINUTES_PER_ACTION (50). */
  readonly maxBakeMinutesPerAction?: number;
  /** Stages per pipeline. Default: MAX_STAGES_PER_PIPELINE (50). */
  readonly maxStagesPerPipeline?: number;
}

/** Every account and region an environment deploys to, in config order. */
export function environmentTargets(env: Environment): DeployTarget[] {
  return env.accounts.flatMap((a) =>
    (a.regions ?? env.regions).map((region) => ({
      account: a.id,
      label: a.name ?? a.id,
      region,
    })),
  );
}

/** The environments an application promotes through, in promotion order. */
export function applicationEnvironments(org: Organization, app: Application): Environment[] {
  const wanted = app.environments ?? org.promotionOrder;
  return org.promotionOrder
    .filter((name) => wanted.includes(name))
    .map((name) => org.environments.find((e) => e.name === name))
    .filter((e): e is Environment => e !== undefined);
}

/** An environment gets alarm gates and rollback when it is production. */
export function isGated(env: Environment): boolean {
  return isProduction(env);
}

/** Minutes an environment's alarms are watched after it deploys. */
export function bakeMinutes(env: Environment): number {
  return env.bakeMinutes ?? (isProduction(env) ? 30 : 0);
}

/** Checks that run in the Build stage (every kind except integration tests). */
export function buildChecks(app: Application): BuildCheck[] {
  return app.build.checks.filter((c) => c.kind !== "integration-tests");
}

/** Checks that run in each environment's test stage. */
export function integrationChecks(app: Application): BuildCheck[] {
  return app.build.checks.filter((c) => c.kind === "integration-tests");
}

/**
 * Does each deploy action run the application's smoke test itself, right after its target
 * deploys? The pulumi deploy build does (buildspecs/deploy-pulumi.yml): it alone holds the
 * target's stack outputs (`pulumi stack output --json`, secrets masked), which a smoke test needs
 * to find what it tests, and it runs once per target, so every account of a 1,000-account
 * environment is verified without handing outputs between actions (a CodeBuild action takes at
 * most 5 input artifacts and an action's configuration 1,000 characters:
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/limits.html).
 */
export function smokeTestsInDeploy(app: Application): boolean {
  return app.deploy.mechanism === "pulumi";
}

/**
 * Does each environment get a test stage after its deployments? When the application has
 * integration-tests checks, or when its deploy actions do not run its smoke test themselves.
 */
export function hasTestStage(app: Application): boolean {
  return integrationChecks(app).length > 0 || !smokeTestsInDeploy(app);
}

/** Actions one target needs: one build for pulumi, create + execute change set for cloudformation. */
export function actionsPerTarget(mechanism: DeployMechanism): number {
  return mechanism === "cloudformation" ? 2 : 1;
}

/**
 * Does the mechanism deploy with native CodePipeline actions that run in the target's region with
 * a role there (CloudFormation, CodeDeployToECS, CodeDeploy)? Such an action needs an artifact
 * store in its region; a CodeBuild deploy action (pulumi, codedeploy-lambda) runs in the tools
 * region and reaches the target itself.
 */
export function deploysNatively(mechanism: DeployMechanism): boolean {
  return (
    mechanism === "cloudformation" ||
    mechanism === "codedeploy-ecs" ||
    mechanism === "codedeploy-server"
  );
}

/**
 * Does the mechanism deploy from a CodeBuild deploy project of its own, one per environment
 * (pulumi, codedeploy-lambda)? Exactly the mechanisms that do not deploy natively.
 */
export function deploysFromProject(mechanism: DeployMechanism): boolean {
  return !deploysNatively(mechanism);
}

/** Splits items into consecutive chunks of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  if (size < 1) throw new Error(`chunk size must be at least 1, got ${size}`);
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Splits items into the fewest chunks of at most `size`, as even as they can be. */
export function evenChunks<T>(items: readonly T[], size: number): T[][] {
  if (size < 1) throw new Error(`chunk size must be at least 1, got ${size}`);
  const parts = Math.ceil(items.length / size);
  const out: T[][] = [];
  for (let p = 0, start = 0; p < parts; p++) {
    const end = start + Math.ceil((items.length - start) / (parts - p));
    out.push(items.slice(start, end));
    start = end;
  }
  return out;
}

/** One entry of an environment's `waves`: a count of targets, a percentage, or "rest". */
export type WaveSpec = number | string;

/**
 * The waves a production environment deploys in when its config names none: one target, then
 * 10 % of them, then the rest (the progressive waves of the AWS Deployment Pipeline Reference
 * Architecture: one box, a small share, the rest).
 */
export const DEFAULT_PRODUCTION_WAVES: readonly WaveSpec[] = [1, "10%", "rest"];

/** The waves an environment deploys in: its own, the production default, or none (all at once). */
export function environmentWaves(env: Environment): readonly WaveSpec[] | undefined {
  return env.waves ?? (isProduction(env) ? DEFAULT_PRODUCTION_WAVES : undefined);
}

/**
 * The waves of an environment, each as the deploy stages ("parts") it needs. Without `waves`,
 * every target is one wave, split evenly over parts of at most `capacity`. With `waves`, each wave in turn (a
 * count, a percentage of all targets rounded up, or the rest), at least one target each, a wave
 * larger than `capacity` split evenly over consecutive parts; targets the list leaves over form
 * a last wave. Waves that would be empty (the targets ran out) are left out.
 */
export function progressiveWaves<T>(
  targets: readonly T[],
  waves: readonly WaveSpec[] | undefined,
  capacity: number,
): T[][][] {
  if (waves === undefined) return targets.length > 0 ? [evenChunks(targets, capacity)] : [];
  const out: T[][][] = [];
  let next = 0;
  const take = (count: number) => {
    const wave = targets.slice(next, next + Math.max(1, count));
    next += wave.length;
    if (wave.length > 0) out.push(evenChunks(wave, capacity));
  };
  for (const w of waves) {
    if (next >= targets.length) break;
    if (w === "rest") take(targets.length - next);
    else if (typeof w === "number") take(w);
    else take(Math.ceil((targets.length * Number(w.slice(0, -1))) / 100));
  }
  if (next < targets.length) take(targets.length - next);
  return out;
}

/** Does an environment's deploy stage carry alarm gates (gated, or watched while it bakes)? */
export function isWatched(env: Environment): boolean {
  return isGated(env) || bakeMinutes(env) > 0;
}

/** The bake of one wave as consecutive actions, each at most `perAction` minutes. */
export function bakeSlices(minutes: number, perAction: number): number[] {
  if (perAction < 1)
    throw new Error(`minutes per bake action must be at least 1, got ${perAction}`);
  const slices: number[] = [];
  for (let left = minutes; left > 0; left -= perAction) slices.push(Math.min(left, perAction));
  return slices;
}

/** Alarm gate actions in one deploy stage of an environment: an entry check and the bake. */
export function gateActionsPerStage(env: Environment, options: PipelineModelOptions = {}): number {
  const perAction = options.maxBakeMinutesPerAction ?? MAX_BAKE_MINUTES_PER_ACTION;
  return (isGated(env) ? 1 : 0) + bakeSlices(bakeMinutes(env), perAction).length;
}

/**
 * Targets per deploy wave: as many as fit the stage's action limit once the stage's alarm gate
 * actions are counted. One gate action reads every watched target's alarm, so the number of
 * targets does not depend on how many alarms are watched.
 */
export function waveSize(
  mechanism: DeployMechanism,
  gateActions: number,
  options: PipelineModelOptions = {},
): number {
  const maxActions = options.maxActionsPerStage ?? MAX_ACTIONS_PER_STAGE;
  return Math.floor((maxActions - gateActions) / actionsPerTarget(mechanism));
}

/** A stable action name for a target: `<label>-<region>` (label defaults to the account id). */
export function targetActionName(target: DeployTarget): string {
  return `${target.label}-${target.region}`;
}

/** Builds the pipeline model of one application. */
export function pipelineModel(
  org: Organization,
  app: Application,
  options: PipelineModelOptions = {},
): PipelineModel {
  const mechanism = app.deploy.mechanism;
  const envs = applicationEnvironments(org, app);
  const stages: StageModel[] = [
    { name: "Source", kind: "source", actions: [{ name: "Source", kind: "source", runOrder: 1 }] },
    {
      name: "Build",
      kind: "build",
      // The build and every check start together on the source revision.
      actions: [
        { name: "Build", kind: "build", runOrder: 1 },
        ...buildChecks(app).map((check): ActionModel => ({
          name: check.name,
          kind: "check",
          runOrder: 1,
          check,
        })),
      ],
    },
  ];
  for (const env of envs) {
    const gated = isGated(env);
    const waves = progressiveWaves(
      environmentTargets(env),
      environmentWaves(env),
      Math.max(1, waveSize(mechanism, gateActionsPerStage(env, options), options)),
    );
    const deployStage = (w: number, p: number) =>
      stageName({
        kind: "deploy",
        environment: env.name,
        ...(waves.length > 1 ? { wave: w + 1 } : {}),
        ...(waves[w]!.length > 1 ? { part: p + 1 } : {}),
      });
    const allStages = waves.flatMap((parts, w) => parts.map((_, p) => deployStage(w, p)));
    const entryGate = (runOrder: number): ActionModel => ({
      name: "AlarmCheck",
      kind: "alarm-gate",
      runOrder,
      gate: {
        phase: "entry",
        environment: env.name,
        targets: environmentTargets(env),
        minutes: 0,
        stages: allStages,
      },
    });
    if (env.requiresApproval)
      stages.push({
        name: stageName({ kind: "approval", environment: env.name }),
        kind: "approval",
        environment: env.name,
        // A firing alarm stops the pipeline before anyone is asked to approve.
        actions: gated
          ? [entryGate(1), { name: `Approve-${env.name}`, kind: "approval", runOrder: 2 }]
          : [{ name: `Approve-${env.name}`, kind: "approval", runOrder: 1 }],
      });
    const perBake = options.maxBakeMinutesPerAction ?? MAX_BAKE_MINUTES_PER_ACTION;
    const slices = bakeSlices(bakeMinutes(env), perBake);
    let deployedStages = 0;
    const deployed: DeployTarget[] = [];
    waves.forEach((parts, w) => {
      parts.forEach((targets, p) => {
        // An approval can wait for hours, and an earlier part may have set off an alarm: a gated
        // part checks the alarms again before it deploys.
        const first = gated ? 2 : 1;
        const deploys: ActionModel[] = targets.flatMap((target): ActionModel[] =>
          mechanism === "cloudformation"
            ? [
                {
                  name: `${targetActionName(target)}.plan`,
                  kind: "change-set",
                  runOrder: first,
                  target,
                },
                {
                  name: `${targetActionName(target)}.apply`,
                  kind: "execute-change-set",
                  runOrder: first + 1,
                  target,
                },
              ]
            : [
                {
                  name: targetActionName(target),
                  kind: isCodeDeployMechanism(mechanism) ? "codedeploy" : "deploy",
                  runOrder: first,
                  target,
                },
              ],
        );
        const afterDeploy = first + actionsPerTarget(mechanism);
        deployed.push(...targets);
        deployedStages += 1;
        // Every target deployed so far is watched after a part deploys, earlier waves included.
        // The last part of a wave bakes for the environment's bake time; an earlier part of a
        // wave checks once (a bake per part would multiply the wave's bake by its parts).
        const lastPart = p === parts.length - 1;
        const watch = lastPart ? slices : slices.length > 0 ? [0] : [];
        const after = watch.map((minutes, k, all): ActionModel => ({
          name: !lastPart ? "Verify" : all.length > 1 ? `Bake-${k + 1}` : "Bake",
          kind: "alarm-gate",
          runOrder: afterDeploy + k,
          gate: {
            phase: "bake",
            environment: env.name,
            targets: [...deployed],
            minutes,
            stages: allStages.slice(0, deployedStages),
          },
        }));
        stages.push({
          name: deployStage(w, p),
          kind: "deploy",
          environment: env.name,
          wave: w + 1,
          ...(parts.length > 1 ? { part: p + 1 } : {}),
          actions: [...(gated ? [entryGate(1)] : []), ...deploys, ...after],
          ...(isWatched(env) ? { onFailure: "ROLLBACK" as const } : {}),
        });
      });
    });
    const tests = integrationChecks(app);
    if (!hasTestStage(app)) continue;
    stages.push({
      name: stageName({ kind: "test", environment: env.name }),
      kind: "test",
      environment: env.name,
      actions:
        tests.length > 0
          ? tests.map((check): ActionModel => ({
              name: check.name,
              kind: "test",
              runOrder: 1,
              check,
            }))
          : [{ name: "smoke-tests", kind: "test", runOrder: 1 }],
    });
  }
  return { application: app.name, mechanism, environments: envs.map((e) => e.name), stages };
}

/** Problems of a model against CodePipeline's limits; empty when CodePipeline would accept it. */
export function modelProblems(model: PipelineModel, options: PipelineModelOptions = {}): string[] {
  const maxActions = options.maxActionsPerStage ?? MAX_ACTIONS_PER_STAGE;
  const maxStages = options.maxStagesPerPipeline ?? MAX_STAGES_PER_PIPELINE;
  const problems: string[] = [];
  if (model.stages.length > maxStages) {
    const waves = model.stages.filter((s) => s.kind === "deploy");
    const byEnv = model.environments
      .map((e) => [e, waves.filter((w) => w.environment === e)] as const)
      .filter(([, w]) => w.length > 1)
      .map(
        ([e, w]) =>
          `${e}: ${w.length} deploy stages of up to ${Math.max(...w.map((x) => x.actions.length))} actions`,
      );
    problems.push(
      `the pipeline has ${model.stages.length} stages; CodePipeline allows ${maxStages}` +
        (byEnv.length > 0 ? ` (${byEnv.join("; ")})` : "") +
        `: deploy the largest environment in fewer waves (its waves setting), split it into several environments, or move accounts to another application's pipeline`,
    );
  }
  const stageNames = new Set<string>();
  for (const stage of model.stages) {
    if (stageNames.has(stage.name)) problems.push(`stage ${stage.name} appears twice`);
    stageNames.add(stage.name);
    if (stage.actions.length === 0) problems.push(`stage ${stage.name} has no action`);
    if (stage.actions.length > maxActions)
      problems.push(
        `stage ${stage.name} has ${stage.actions.length} actions; the limit is ${maxActions}`,
      );
    const names = new Set(stage.actions.map((a) => a.name));
    if (names.size !== stage.actions.length)
      problems.push(`stage ${stage.name} has two actions with one name`);
  }
  return problems;
}

// ---- Pull-request pipelines ------------------------------------------------------------------
//
// A pull request is validated by a pipeline of its own, `<prefix>-<app>-pr`: a pipeline whose
// trigger is a pull request runs its whole definition on the pull request's source revision
// (https://docs.aws.amazon.com/codepipeline/latest/userguide/pipelines-filter.html), so one
// pipeline cannot both deploy on a push and only check on a pull request, and a source action
// takes a single trigger. The pull-request pipeline has no deploy stage at all: its stages are
// Source, Checks (the build and the chosen checks, in parallel) and, where the mechanism has
// one, Preview (a `pulumi preview` with the policy pack, or a CloudFormation change set that is
// created, shown and deleted, never executed) in the application's first environment.

/** The check kinds a pull request runs when its config names none. */
export const DEFAULT_PULL_REQUEST_CHECK_KINDS: readonly string[] = [
  "unit-tests",
  "lint",
  "sast",
  "secrets-scan",
  "dependency-audit",
];

/** The pull-request events that start the pipeline: opened and updated; a closed one starts nothing. */
export const PULL_REQUEST_EVENTS = ["OPEN", "UPDATED"] as const;

/** The pull-request pipeline of one application, resolved from its config. */
export interface PullRequestPlan {
  /** Target branch patterns whose pull requests start the pipeline. */
  readonly branches: readonly string[];
  /** File-path filters of the trigger. */
  readonly filePaths?: {
    readonly includes?: readonly string[];
    readonly excludes?: readonly string[];
  };
  /** The checks the pull request runs, in config order. */
  readonly checks: readonly BuildCheck[];
  /** The environment the preview runs against; undefined when the mechanism has no preview. */
  readonly previewEnvironment?: string;
}

/** Does the application get a pull-request pipeline? Connection sources by default; never CodeCommit. */
export function hasPullRequestPipeline(app: Application): boolean {
  if (app.source.provider === "codecommit") return false;
  return app.pullRequests?.enabled ?? true;
}

/** Does the mechanism have a preview a pull request can run (pulumi preview, a change set)? */
export function previewsPullRequests(mechanism: DeployMechanism): boolean {
  return mechanism === "pulumi" || mechanism === "cloudformation";
}

/** The pull-request pipeline of an application, or undefined when it has none. */
export function pullRequestPlan(org: Organization, app: Application): PullRequestPlan | undefined {
  if (!hasPullRequestPipeline(app)) return undefined;
  const pr = app.pullRequests;
  const checks = pr?.checks
    ? app.build.checks.filter((c) => pr.checks!.includes(c.name))
    : app.build.checks.filter((c) => DEFAULT_PULL_REQUEST_CHECK_KINDS.includes(c.kind));
  const first = applicationEnvironments(org, app)[0];
  return {
    branches: pr?.branches ?? [app.source.branch],
    ...(pr?.filePaths ? { filePaths: pr.filePaths } : {}),
    checks,
    ...(first && previewsPullRequests(app.deploy.mechanism)
      ? { previewEnvironment: first.name }
      : {}),
  };
}

/**
 * The stages of an application's pull-request pipeline: Source, Checks (the build and every
 * chosen check at once) and Preview (one action per target of the first environment). No stage
 * deploys, approves or tests a deployment.
 */
export function pullRequestModel(org: Organization, app: Application): PipelineModel | undefined {
  const plan = pullRequestPlan(org, app);
  if (!plan) return undefined;
  const stages: StageModel[] = [
    { name: "Source", kind: "source", actions: [{ name: "Source", kind: "source", runOrder: 1 }] },
    {
      name: "Checks",
      kind: "build",
      actions: [
        { name: "Build", kind: "build", runOrder: 1 },
        ...plan.checks.map((check): ActionModel => ({
          name: check.name,
          kind: "check",
          runOrder: 1,
          check,
        })),
      ],
    },
  ];
  const env = org.environments.find((e) => e.name === plan.previewEnvironment);
  if (env) {
    // At most 50 actions a stage: a larger environment previews in consecutive parts.
    const parts = evenChunks(environmentTargets(env), MAX_ACTIONS_PER_STAGE);
    parts.forEach((targets, p) =>
      stages.push({
        name: `Preview-${env.name}` + (parts.length > 1 ? `-part${p + 1}` : ""),
        kind: "preview",
        environment: env.name,
        ...(parts.length > 1 ? { part: p + 1 } : {}),
        actions: targets.map((target) => ({
          name: targetActionName(target),
          kind: "preview" as const,
          runOrder: 1,
          target,
          environment: env.name,
        })),
      }),
    );
  }
  return {
    application: app.name,
    mechanism: app.deploy.mechanism,
    environments: env ? [env.name] : [],
    stages,
  };
}
