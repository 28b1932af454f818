// The engine-neutral model of the platform pipeline (`<prefix>-platform`): the pipeline in the
// tools account that deploys the blueprint itself. Source (the blueprint's own repository) ->
// Validate (npm ci, npm test, the offline plan) -> Tools (preview and update of the tools stack)
// -> one stage per environment in promotion order, each action updating one workload stack under
// that account's bootstrap role. Approvals and waves follow the application pipelines' rules
// (model/pipeline.ts): an approval stage where the environment requires one, production in its
// progressive waves, every stage at most 50 actions, the pipeline at most 50 stages.
// components/tools/platform-pipeline.ts turns it into an aws.codepipeline.Pipeline.
import { Organization } from "./config/schema";
import { platformNames, roleArn, stageName } from "./naming";
import {
  environmentWaves,
  MAX_ACTIONS_PER_STAGE,
  MAX_STAGES_PER_PIPELINE,
  PipelineModelOptions,
  progressiveWaves,
} from "./pipeline";
import { DerivedStack } from "./stacks";

/**
 * CodePipeline's limit on one action configuration value, in characters: the EnvironmentVariables
 * JSON of a CodeBuild action must fit
 * (https://docs.aws.amazon.com/codepipeline/latest/userguide/limits.html).
 */
export const MAX_ACTION_CONFIGURATION_VALUE = 1000;

/** One workload stack the platform pipeline updates. */
export interface PlatformTarget {
  /** The stack's effective name (platformStacks). */
  readonly stack: string;
  readonly account: string;
  readonly region: string;
  readonly environment: string;
}

export type PlatformActionKind = "source" | "validate" | "tools" | "approval" | "deploy";

/** One action of the platform pipeline. */
export interface PlatformAction {
  /** Unique in its stage ([A-Za-z0-9.@_-], at most 100 characters). */
  readonly name: string;
  readonly kind: PlatformActionKind;
  readonly runOrder: number;
  /** The workload stack a deploy action updates. */
  readonly target?: PlatformTarget;
  /** The CodeBuild variables of a deploy action (STACK_NAME, TARGET_ACCOUNT, TARGET_REGION, ROLE). */
  readonly variables?: Readonly<Record<string, string>>;
}

/** One stage of the platform pipeline. */
export interface PlatformStage {
  readonly name: string;
  readonly kind: PlatformActionKind;
  readonly environment?: string;
  /** 1-based wave of a deploy stage. */
  readonly wave?: number;
  /** 1-based part of a wave split over several stages. */
  readonly part?: number;
  readonly actions: readonly PlatformAction[];
}

/** The whole platform pipeline. */
export interface PlatformPipelineModel {
  /** The pipeline's name (`<prefix>-platform`). */
  readonly pipeline: string;
  /** Environments in promotion order. */
  readonly environments: readonly string[];
  readonly stages: readonly PlatformStage[];
}

/** The variables of the action that updates one workload stack. */
export function platformActionVariables(
  prefix: string,
  partition: string,
  t: PlatformTarget,
): Record<string, string> {
  return {
    STACK_NAME: t.stack,
    TARGET_ACCOUNT: t.account,
    TARGET_REGION: t.region,
    TARGET_ENV: t.environment,
    ROLE: roleArn(partition, t.account, platformNames(prefix).bootstrapRole),
  };
}

/** The EnvironmentVariables value of a CodeBuild action, exactly as the component writes it. */
export function environmentVariablesValue(vars: Readonly<Record<string, string>>): string {
  return JSON.stringify(
    Object.entries(vars).map(([name, value]) => ({ name, value, type: "PLAINTEXT" })),
  );
}

/** A valid CodePipeline action name for a stack name. */
export function platformActionName(stack: string): string {
  return stack.replace(/[^A-Za-z0-9.@_-]/g, "-").slice(0, 100);
}

/**
 * The platform pipeline of an organization. `stacks` is the organization's stack list
 * (stacks/platform-stacks.ts `platformStacks(org)`); its workload stacks are deployed, one action
 * each, in promotion order.
 */
export function platformPipelineModel(
  org: Organization,
  stacks: readonly DerivedStack[],
  partition: string,
  options: PipelineModelOptions = {},
): PlatformPipelineModel {
  const capacity = options.maxActionsPerStage ?? MAX_ACTIONS_PER_STAGE;
  const stages: PlatformStage[] = [
    { name: "Source", kind: "source", actions: [{ name: "Source", kind: "source", runOrder: 1 }] },
    {
      name: "Validate",
      kind: "validate",
      actions: [{ name: "Validate", kind: "validate", runOrder: 1 }],
    },
    { name: "Tools", kind: "tools", actions: [{ name: "Tools", kind: "tools", runOrder: 1 }] },
  ];
  const environments: string[] = [];
  for (const envName of org.promotionOrder) {
    const env = org.environments.find((e) => e.name === envName);
    if (!env) continue;
    const targets: PlatformTarget[] = stacks
      .filter((s) => s.role === "workload" && s.environment === env.name)
      .map((s) => ({
        stack: s.name,
        account: s.account,
        region: s.region,
        environment: env.name,
      }));
    if (targets.length === 0) continue;
    environments.push(env.name);
    if (env.requiresApproval)
      stages.push({
        name: stageName({ kind: "approval", environment: env.name }),
        kind: "approval",
        environment: env.name,
        actions: [{ name: `Approve-${env.name}`, kind: "approval", runOrder: 1 }],
      });
    // The application pipelines' wave rule: the environment's waves (production: one account,
    // 10 %, the rest), each wave split evenly over stages of at most 50 actions.
    const waves = progressiveWaves(targets, environmentWaves(env), Math.max(1, capacity));
    waves.forEach((parts, w) =>
      parts.forEach((part, p) =>
        stages.push({
          name: stageName({
            kind: "deploy",
            environment: env.name,
            ...(waves.length > 1 ? { wave: w + 1 } : {}),
            ...(parts.length > 1 ? { part: p + 1 } : {}),
          }),
          kind: "deploy",
          environment: env.name,
          wave: w + 1,
          ...(parts.length > 1 ? { part: p + 1 } : {}),
          actions: part.map((target) => ({
            name: platformActionName(target.stack),
            kind: "deploy" as const,
            runOrder: 1,
            target,
            variables: platformActionVariables(org.prefix, partition, target),
          })),
        }),
      ),
    );
  }
  return { pipeline: platformNames(org.prefix).pipeline, environments, stages };
}

/** Problems of the platform pipeline against CodePipeline's limits; empty when it would accept it. */
export function platformModelProblems(
  model: PlatformPipelineModel,
  options: PipelineModelOptions = {},
): string[] {
  const maxActions = options.maxActionsPerStage ?? MAX_ACTIONS_PER_STAGE;
  const maxStages = options.maxStagesPerPipeline ?? MAX_STAGES_PER_PIPELINE;
  const problems: string[] = [];
  if (model.stages.length > maxStages)
    problems.push(
      `the platform pipeline has ${model.stages.length} stages; CodePipeline allows ${maxStages}: deploy the largest environment in fewer waves (its waves setting) or split it into several environments`,
    );
  const stageNames = new Set<string>();
  for (const stage of model.stages) {
    if (stageNames.has(stage.name)) problems.push(`stage ${stage.name} appears twice`);
    stageNames.add(stage.name);
    if (stage.actions.length > maxActions)
      problems.push(
        `stage ${stage.name} has ${stage.actions.length} actions; the limit is ${maxActions}`,
      );
    const names = new Set(stage.actions.map((a) => a.name));
    if (names.size !== stage.actions.length)
      problems.push(
        `stage ${stage.name} has two actions with one name: give the accounts distinct labels (organization.environments[].accounts[].name)`,
      );
    for (const a of stage.actions) {
      const value = a.variables ? environmentVariablesValue(a.variables) : "";
      if (value.length > MAX_ACTION_CONFIGURATION_VALUE)
        problems.push(
          `action ${stage.name}/${a.name}: its EnvironmentVariables value is ${value.length} characters; CodePipeline allows ${MAX_ACTION_CONFIGURATION_VALUE}: shorten the stack's name (the account's label)`,
        );
    }
  }
  return problems;
}
