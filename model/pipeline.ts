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
  Organization,
} from "./config/schema";

/** CodePipeline's limit on actions in one stage (all actions, whatever their runOrder). */
export const MAX_ACTIONS_PER_STAGE = 50;
/**
 * CodePipeline's limit on rules in one stage condition (API `Condition.rules`: 1 to 5 items). A
 * stage has at most one condition per kind (`BeforeEntryConditions.conditions`: exactly 1 item),
 * so one gated stage can watch at most 5 alarms before entry and 5 after success.
 */
export const MAX_RULES_PER_CONDITION = 5;
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
  | "test";

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
}

/** An alarm a stage condition watches: the deployment-health alarm of one target. */
export interface AlarmGate {
  readonly target: DeployTarget;
}

/** A stage condition: CloudWatchAlarm rules and what happens when one fires. */
export interface StageCondition {
  /** One rule per alarm; at most MAX_RULES_PER_CONDITION. */
  readonly alarms: readonly AlarmGate[];
  /** Minutes the rule waits for an alarm state change (bake time); 0 checks once. */
  readonly waitMinutes: number;
  /** FAIL (entry refused) or ROLLBACK (the stage returns to its last successful revision). */
  readonly result: "FAIL" | "ROLLBACK";
}

export type StageKind = "source" | "build" | "approval" | "deploy" | "test";

/** One stage of the pipeline. */
export interface StageModel {
  /** Stage name, unique in the pipeline. */
  readonly name: string;
  readonly kind: StageKind;
  /** The environment a deploy, test or approval stage belongs to. */
  readonly environment?: string;
  /** 1-based wave number of a deploy stage (environments split when they exceed the limits). */
  readonly wave?: number;
  readonly actions: readonly ActionModel[];
  /** Alarms that must be quiet before the stage starts. */
  readonly beforeEntry?: StageCondition;
  /** Alarms watched after the stage's actions succeed (bake); ROLLBACK when one fires. */
  readonly onSuccess?: StageCondition;
  /** What a failed stage does: ROLLBACK to the last successful revision. */
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
  /** Rules per condition. Default: MAX_RULES_PER_CONDITION (5). */
  readonly maxRulesPerCondition?: number;
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

/** Actions one target needs: one build for pulumi, create + execute change set for cloudformation. */
export function actionsPerTarget(mechanism: DeployMechanism): number {
  return mechanism === "cloudformation" ? 2 : 1;
}

/** Splits items into consecutive chunks of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  if (size < 1) throw new Error(`chunk size must be at least 1, got ${size}`);
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Does an environment's deploy stage carry alarm conditions (gated, or watched while it bakes)? */
export function isWatched(env: Environment): boolean {
  return isGated(env) || bakeMinutes(env) > 0;
}

/**
 * Targets per deploy wave: as many as fit the stage's action limit; in a watched environment
 * (gated, or baking) also no more than one condition can watch. A CloudWatchAlarm rule reads one
 * alarm in one account and region, and the deployment-health composite alarm of a target already
 * is the one alarm of that account and region, so every target costs one rule and a watched wave
 * holds at most MAX_RULES_PER_CONDITION targets: every target is watched before and after it
 * deploys.
 */
export function waveSize(
  mechanism: DeployMechanism,
  watched: boolean,
  options: PipelineModelOptions = {},
): number {
  const maxActions = options.maxActionsPerStage ?? MAX_ACTIONS_PER_STAGE;
  const maxRules = options.maxRulesPerCondition ?? MAX_RULES_PER_CONDITION;
  const byActions = Math.floor(maxActions / actionsPerTarget(mechanism));
  return watched ? Math.min(byActions, maxRules) : byActions;
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
    if (env.requiresApproval)
      stages.push({
        name: `Approve-${env.name}`,
        kind: "approval",
        environment: env.name,
        actions: [{ name: `Approve-${env.name}`, kind: "approval", runOrder: 1 }],
      });
    const waves = chunk(environmentTargets(env), waveSize(mechanism, isWatched(env), options));
    waves.forEach((targets, i) => {
      const actions: ActionModel[] = targets.flatMap((target): ActionModel[] =>
        mechanism === "cloudformation"
          ? [
              { name: `${targetActionName(target)}.plan`, kind: "change-set", runOrder: 1, target },
              {
                name: `${targetActionName(target)}.apply`,
                kind: "execute-change-set",
                runOrder: 2,
                target,
              },
            ]
          : [{ name: targetActionName(target), kind: "deploy", runOrder: 1, target }],
      );
      const alarms = targets.map((target) => ({ target }));
      stages.push({
        name: waves.length > 1 ? `Deploy-${env.name}-wave${i + 1}` : `Deploy-${env.name}`,
        kind: "deploy",
        environment: env.name,
        wave: i + 1,
        actions,
        ...(gated
          ? {
              beforeEntry: { alarms, waitMinutes: 0, result: "FAIL" as const },
              onSuccess: { alarms, waitMinutes: bakeMinutes(env), result: "ROLLBACK" as const },
              onFailure: "ROLLBACK" as const,
            }
          : bakeMinutes(env) > 0
            ? {
                onSuccess: { alarms, waitMinutes: bakeMinutes(env), result: "ROLLBACK" as const },
              }
            : {}),
      });
    });
    const tests = integrationChecks(app);
    stages.push({
      name: `Test-${env.name}`,
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
  const maxRules = options.maxRulesPerCondition ?? MAX_RULES_PER_CONDITION;
  const maxStages = options.maxStagesPerPipeline ?? MAX_STAGES_PER_PIPELINE;
  const problems: string[] = [];
  if (model.stages.length > maxStages) {
    const waves = model.stages.filter((s) => s.kind === "deploy");
    const byEnv = model.environments
      .map((e) => [e, waves.filter((w) => w.environment === e)] as const)
      .filter(([, w]) => w.length > 1)
      .map(
        ([e, w]) =>
          `${e}: ${w.length} waves of up to ${Math.max(...w.map((x) => x.actions.length))} actions`,
      );
    problems.push(
      `the pipeline has ${model.stages.length} stages; CodePipeline allows ${maxStages}` +
        (byEnv.length > 0 ? ` (${byEnv.join("; ")})` : "") +
        `: split the largest environment into several environments or move accounts to another application's pipeline`,
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
    for (const c of [stage.beforeEntry, stage.onSuccess])
      if (c && c.alarms.length > maxRules)
        problems.push(
          `stage ${stage.name} has a condition with ${c.alarms.length} rules; the limit is ${maxRules}`,
        );
  }
  return problems;
}
