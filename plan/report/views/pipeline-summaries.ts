// View 2: every CodePipeline of a stack read from its recorded inputs into a PipelineSummary, with
// each action's target account and each stage's gates (derived from names in a preview).
import type { RecordedResource } from "../../engine";
import { ROLE_TYPE, arnAccount, roleArnOf } from "./arns";
import {
  KNOWN_AFTER_DEPLOY,
  Dict,
  dicts,
  isDict,
  isUnknown,
  str,
  strings,
  text,
} from "./known-values";
import type {
  ActionSummary,
  ConditionSummary,
  FailureSummary,
  GateSummary,
  PipelineSummary,
  RuleSummary,
  SourceSummary,
  StageSummary,
  TargetSource,
  TriggerSummary,
} from "./pipeline-summary";
import { byText, uniqueSorted } from "./wording";

const PIPELINE_TYPE = "aws:codepipeline/pipeline:Pipeline";

const CONNECTION_TYPES = [
  "aws:codeconnections/connection:Connection",
  "aws:codestarconnections/connection:Connection",
];

/** The plaintext environment variables of a CodeBuild action (`EnvironmentVariables` JSON). */
function actionEnvironment(config: Dict): Record<string, string> {
  const raw = config["EnvironmentVariables"];
  let list: unknown = raw;
  if (typeof raw === "string") {
    try {
      list = JSON.parse(raw);
    } catch {
      return {};
    }
  }
  const env: Record<string, string> = {};
  for (const v of dicts(list)) {
    const name = str(v["name"]);
    const value = str(v["value"]);
    const type = str(v["type"]) ?? "PLAINTEXT";
    if (name && value !== undefined && type === "PLAINTEXT") env[name] = value;
  }
  return env;
}

function summarizeAction(action: Dict, pipeline: RecordedResource): ActionSummary {
  const config = isDict(action["configuration"]) ? action["configuration"] : {};
  const env = actionEnvironment(config);
  const category = str(action["category"]) ?? "?";
  const provider = str(action["provider"]) ?? "?";
  const actionRole = action["roleArn"];
  let account = pipeline.account;
  let targetSource: TargetSource = "pipeline";
  let roleArn: string | undefined;
  if (actionRole !== undefined) {
    roleArn = str(actionRole) ?? KNOWN_AFTER_DEPLOY;
    account = arnAccount(str(actionRole)) ?? KNOWN_AFTER_DEPLOY;
    targetSource = "action-role";
  } else if (arnAccount(env["DEPLOY_ROLE_ARN"])) {
    roleArn = env["DEPLOY_ROLE_ARN"];
    account = arnAccount(roleArn)!;
    targetSource = "deploy-role";
  } else if (/^\d{12}$/.test(env["TARGET_ACCOUNT"] ?? "")) {
    account = env["TARGET_ACCOUNT"];
    targetSource = "target-account";
  } else if (isUnknown(config["EnvironmentVariables"])) {
    account = KNOWN_AFTER_DEPLOY;
    targetSource = "unknown";
  }
  const region = str(action["region"]) ?? env["TARGET_REGION"] ?? pipeline.region;
  const runOrder = Number(action["runOrder"] ?? 1);
  const project = str(config["ProjectName"]);
  const stackName = str(config["StackName"]) ?? env["STACK_NAME"];
  const actionMode = str(config["ActionMode"]);
  const gate = env["GATE_PHASE"]
    ? {
        phase: env["GATE_PHASE"],
        minutes: Number(env["GATE_MINUTES"] ?? 0) || 0,
        stages: (env["GATE_STAGES"] ?? "").split(",").filter(Boolean),
      }
    : undefined;
  return {
    name: str(action["name"]) ?? "?",
    category,
    owner: str(action["owner"]) ?? "AWS",
    provider,
    runOrder: Number.isFinite(runOrder) ? runOrder : 1,
    account,
    region,
    targetSource,
    ...(roleArn ? { roleArn } : {}),
    ...(project ? { project } : {}),
    ...(stackName ? { stackName } : {}),
    ...(actionMode ? { actionMode } : {}),
    deploys:
      category === "Deploy" ||
      (category !== "Source" &&
        category !== "Approval" &&
        targetSource !== "pipeline" &&
        targetSource !== "unknown"),
    ...(gate ? { gate } : {}),
  };
}

function summarizeRule(rule: Dict, pipeline: RecordedResource): RuleSummary {
  const config = isDict(rule["configuration"]) ? rule["configuration"] : {};
  const typeId = isDict(rule["ruleTypeId"]) ? rule["ruleTypeId"] : {};
  const provider = str(typeId["provider"]) ?? "?";
  const configuration: Record<string, string> = {};
  for (const [k, v] of Object.entries(config)) {
    const t = text(v);
    configuration[k] = t ?? KNOWN_AFTER_DEPLOY;
  }
  const rawRole = rule["roleArn"];
  const roleArn = rawRole === undefined ? undefined : (str(rawRole) ?? KNOWN_AFTER_DEPLOY);
  const alarmNames = str(config["AlarmName"]);
  const alarms =
    provider !== "CloudWatchAlarm"
      ? []
      : alarmNames
        ? alarmNames
            .split(",")
            .map((s) => s.trim())
            .filter(Boolean)
        : [KNOWN_AFTER_DEPLOY];
  const wait = Number(text(config["WaitTime"]));
  const alarmStates = str(config["AlarmStates"]);
  return {
    name: str(rule["name"]) ?? "?",
    provider,
    alarms,
    ...(alarmStates ? { alarmStates } : {}),
    ...(Number.isFinite(wait) && wait > 0 ? { waitMinutes: wait } : {}),
    // The rule reads the alarms of the account its role lives in; without a role, its own.
    account: roleArn === undefined ? pipeline.account : (arnAccount(roleArn) ?? KNOWN_AFTER_DEPLOY),
    region: str(rule["region"]) ?? pipeline.region,
    ...(roleArn ? { roleArn } : {}),
    configuration,
  };
}

/** `beforeEntry` / `onSuccess` hold `condition` (one object, or a list in some schemas). */
function summarizeCondition(
  holder: unknown,
  pipeline: RecordedResource,
): ConditionSummary | undefined {
  if (!isDict(holder)) return undefined;
  const conditions = [...dicts(holder["condition"] ?? []), ...dicts(holder["conditions"] ?? [])];
  if (conditions.length === 0) return undefined;
  const rules = conditions.flatMap((c) =>
    dicts(c["rules"] ?? []).map((r) => summarizeRule(r, pipeline)),
  );
  const result = conditions.map((c) => str(c["result"])).find((r) => r !== undefined);
  const alarmRules = rules.filter((r) => r.provider === "CloudWatchAlarm");
  return {
    ...(result ? { result } : {}),
    rules,
    alarmAccounts: uniqueSorted(alarmRules.map((r) => r.account)),
    alarmCount: alarmRules.reduce((n, r) => n + r.alarms.length, 0),
    waitMinutes: rules.reduce((m, r) => Math.max(m, r.waitMinutes ?? 0), 0),
  };
}

function summarizeFailure(holder: unknown, pipeline: RecordedResource): FailureSummary | undefined {
  if (!isDict(holder)) return undefined;
  const result = str(holder["result"]);
  const retry = isDict(holder["retryConfiguration"]) ? holder["retryConfiguration"] : {};
  const retryMode = str(retry["retryMode"]);
  const condition = summarizeCondition(holder, pipeline);
  if (!result && !condition) return undefined;
  return {
    ...(result ? { result } : {}),
    ...(retryMode ? { retryMode } : {}),
    ...(condition ? { condition } : {}),
  };
}

function summarizeTriggers(pipeline: RecordedResource, sourceAction: string): TriggerSummary[] {
  const out: TriggerSummary[] = [];
  const filter = (v: unknown) => {
    const d = isDict(v) ? v : {};
    return { includes: strings(d["includes"]), excludes: strings(d["excludes"]) };
  };
  for (const trigger of dicts(pipeline.inputs["triggers"] ?? [])) {
    const git = isDict(trigger["gitConfiguration"]) ? trigger["gitConfiguration"] : {};
    if ((str(git["sourceActionName"]) ?? sourceAction) !== sourceAction) continue;
    for (const [key, event] of [
      ["pushes", "push"],
      ["pullRequests", "pull request"],
    ] as const) {
      for (const f of dicts(git[key] ?? [])) {
        out.push({
          event,
          branches: filter(f["branches"]),
          filePaths: filter(f["filePaths"]),
          tags: filter(f["tags"]),
          events: strings(f["events"]),
        });
      }
    }
  }
  return out;
}

/** The Git host of a source action's connection: by ARN, else by the pipeline's dependencies. */
function connectionHost(
  connectionArn: unknown,
  pipeline: RecordedResource,
  byUrn: ReadonlyMap<string, RecordedResource>,
  connections: readonly RecordedResource[],
): string | undefined {
  const arn = str(connectionArn);
  const hostOf = (c: RecordedResource) =>
    str(c.inputs["providerType"]) ?? str(c.outputs["providerType"]);
  if (arn) {
    const found = connections.find((c) => str(c.outputs["arn"]) === arn || c.id === arn);
    if (found) return hostOf(found);
  }
  const deps = (pipeline.propertyDependencies?.["stages"] ?? [])
    .map((u) => byUrn.get(u))
    .filter((r): r is RecordedResource => r !== undefined && CONNECTION_TYPES.includes(r.type));
  const hosts = uniqueSorted(deps.map(hostOf).filter((h): h is string => h !== undefined));
  return hosts.length === 1 ? hosts[0] : undefined;
}

function summarizeSource(
  action: Dict,
  pipeline: RecordedResource,
  byUrn: ReadonlyMap<string, RecordedResource>,
  connections: readonly RecordedResource[],
): SourceSummary {
  const config = isDict(action["configuration"]) ? action["configuration"] : {};
  const name = str(action["name"]) ?? "?";
  const provider = str(action["provider"]) ?? "?";
  const connection = config["ConnectionArn"];
  const host =
    connection !== undefined
      ? connectionHost(connection, pipeline, byUrn, connections)
      : provider === "CodeCommit"
        ? "CodeCommit"
        : undefined;
  const repository =
    str(config["FullRepositoryId"]) ??
    str(config["RepositoryName"]) ??
    (str(config["S3Bucket"])
      ? `s3://${str(config["S3Bucket"])}/${str(config["S3ObjectKey"]) ?? ""}`
      : undefined);
  const branch = str(config["BranchName"]) ?? str(config["ImageTag"]);
  const triggers = summarizeTriggers(pipeline, name);
  const detect = text(config["DetectChanges"]) ?? text(config["PollForSourceChanges"]);
  return {
    action: name,
    provider,
    ...(host ? { host } : {}),
    ...(repository ? { repository } : {}),
    ...(branch ? { branch } : {}),
    ...(connection !== undefined ? { connection: str(connection) ?? KNOWN_AFTER_DEPLOY } : {}),
    detectChanges: triggers.length > 0 || detect === undefined || detect === "true",
    triggers,
  };
}

/**
 * A deploy stage of an environment that deploys in waves (`Deploy-prod-wave2`), or one part of a
 * wave too large for one stage (`Deploy-prod-wave3-part2`, `Deploy-dev-part1` for an environment
 * deployed at once in parts).
 */
const WAVE = /^(.*?)(?:-wave(\d+))?(?:-part(\d+))?$/;

/** Where a stage sits among its environment's waves; undefined for a stage that is not split. */
function waveOf(name: string, names: readonly string[]): StageSummary["wave"] {
  const m = WAVE.exec(name);
  if (!m || (m[2] === undefined && m[3] === undefined)) return undefined;
  const siblings = names.map((n) => WAVE.exec(n)).filter((x) => x !== null && x[1] === m[1]);
  const index = Number(m[2] ?? 1);
  const waves = new Set(siblings.map((x) => x![2] ?? "1")).size;
  const parts = siblings.filter((x) => (x![2] ?? "1") === (m[2] ?? "1")).length;
  return {
    index,
    of: waves,
    ...(m[3] !== undefined ? { part: Number(m[3]), parts } : {}),
  };
}

/** The pipeline's service role: the known input, else derived from the role it depends on. */
function pipelineRole(
  pipeline: RecordedResource,
  byUrn: ReadonlyMap<string, RecordedResource>,
): string {
  const known = str(pipeline.inputs["roleArn"]);
  if (known) return known;
  const role = (pipeline.propertyDependencies?.["roleArn"] ?? [])
    .map((u) => byUrn.get(u))
    .find((r) => r?.type === ROLE_TYPE);
  return (role && roleArnOf(role)) ?? KNOWN_AFTER_DEPLOY;
}

/** Every CodePipeline of the stack with its source, stages, parallel actions and gates. */
export function pipelineSummaries(resources: readonly RecordedResource[]): PipelineSummary[] {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const connections = resources.filter((r) => CONNECTION_TYPES.includes(r.type));
  return resources
    .filter((r) => r.type === PIPELINE_TYPE)
    .map((pipeline): PipelineSummary => {
      const inputs = pipeline.inputs ?? {};
      const stageInputs = dicts(inputs["stages"] ?? []);
      const names = stageInputs.map((s) => str(s["name"]) ?? "?");
      const stages = stageInputs.map((stage, i): StageSummary => {
        const name = names[i];
        const actions = dicts(stage["actions"] ?? []).map((a) => summarizeAction(a, pipeline));
        const orders = [...new Set(actions.map((a) => a.runOrder))].sort((a, b) => a - b);
        const steps = orders.map((runOrder) => ({
          runOrder,
          actions: actions.filter((a) => a.runOrder === runOrder),
        }));
        const wave = waveOf(name, names);
        const beforeEntry = summarizeCondition(stage["beforeEntry"], pipeline);
        const onSuccess = summarizeCondition(stage["onSuccess"], pipeline);
        const onFailure = summarizeFailure(stage["onFailure"], pipeline);
        return {
          name,
          position: i + 1,
          ...(wave ? { wave } : {}),
          steps,
          ...(beforeEntry ? { beforeEntry } : {}),
          ...(onSuccess ? { onSuccess } : {}),
          ...(onFailure ? { onFailure } : {}),
          gates: [],
          approvals: actions
            .filter((a) => a.category === "Approval" && a.provider === "Manual")
            .map((a) => a.name),
          deploysTo: uniqueSorted(actions.filter((a) => a.deploys).map((a) => a.account)),
        };
      });
      // What each gate watches, found as the gate itself finds it: the deploy targets of the
      // stages it names, in this pipeline's definition.
      const targetsOf = (stageName: string) =>
        stages
          .find((st) => st.name === stageName)
          ?.steps.flatMap((step) => step.actions)
          .filter((a) => a.deploys)
          .map((a) => `${a.account} ${a.region}`) ?? [];
      const gated = stages.map((stage): StageSummary => ({
        ...stage,
        gates: stage.steps
          .flatMap((step) => step.actions)
          .filter((a) => a.gate !== undefined)
          .map((a): GateSummary => {
            const targets = uniqueSorted(a.gate!.stages.flatMap(targetsOf));
            return {
              action: a.name,
              phase: a.gate!.phase,
              minutes: a.gate!.minutes,
              targets,
              accounts: uniqueSorted(targets.map((t) => t.split(" ")[0]!)),
            };
          }),
      }));
      const sources = stageInputs
        .flatMap((s) => dicts(s["actions"] ?? []))
        .filter((a) => a["category"] === "Source")
        .map((a) => summarizeSource(a, pipeline, byUrn, connections));
      return {
        name: str(inputs["name"]) ?? str(pipeline.outputs?.["name"]) ?? pipeline.name,
        urn: pipeline.urn,
        account: pipeline.account,
        region: pipeline.region,
        pipelineType: str(inputs["pipelineType"]) ?? "V1",
        executionMode: str(inputs["executionMode"]) ?? "SUPERSEDED",
        roleArn: pipelineRole(pipeline, byUrn),
        sources,
        stages: gated,
      };
    })
    .sort(byText((p) => `${p.name}\u0000${p.urn}`));
}
