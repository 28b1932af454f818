// Read-only views of one evaluated stack, for the offline plan: the resources by account, region
// and component; every CodePipeline's stages, parallel actions and gates; and the cross-account
// trust graph (who may assume which role). Pure functions over what the engine recorded, with
// plain-text renderers (two-space indentation, no colour: the CLI adds it). They work on a preview
// too: ARNs the engine does not know yet are derived from names, paths and accounts, and a value
// that stays unknown prints as "(known after deploy)", never as the wire sentinel.
import type { RecordedResource } from "../../engine";
import { UNKNOWN_WIRE as UNKNOWN } from "../../engine/values";
import { actionMatches, parsePolicy, PolicyDocument } from "../iam-eval";

/** How a value unknown until the resource exists is shown. */
export const KNOWN_AFTER_DEPLOY = "(known after deploy)";

/** The JSON report's mark for an unknown value (plan/report); the CLI may hand us report data. */
const REPORT_UNKNOWN = "[unknown]";

const STACK_TYPE = "pulumi:pulumi:Stack";
const PIPELINE_TYPE = "aws:codepipeline/pipeline:Pipeline";
const ROLE_TYPE = "aws:iam/role:Role";
const CONNECTION_TYPES = [
  "aws:codeconnections/connection:Connection",
  "aws:codestarconnections/connection:Connection",
];

// ---------------------------------------------------------------------------------------------
// Small helpers

/** Is this a value the engine does not know yet (preview)? */
export function isUnknown(value: unknown): boolean {
  return value === UNKNOWN || value === REPORT_UNKNOWN;
}

type Dict = Record<string, unknown>;
const isDict = (v: unknown): v is Dict => typeof v === "object" && v !== null && !Array.isArray(v);
/** A known string, else undefined. */
const str = (v: unknown): string | undefined =>
  typeof v === "string" && !isUnknown(v) ? v : undefined;
/** A known string or number as text. */
const text = (v: unknown): string | undefined =>
  typeof v === "number" || typeof v === "boolean" ? String(v) : str(v);
const strings = (v: unknown): string[] =>
  (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter(
    (s): s is string => typeof s === "string",
  );
const dicts = (v: unknown): Dict[] => (Array.isArray(v) ? v : [v]).filter(isDict);
const uniqueSorted = (items: Iterable<string>): string[] =>
  [...new Set(items)].sort((a, b) => a.localeCompare(b));
const byText =
  <T>(key: (t: T) => string) =>
  (a: T, b: T): number =>
    key(a).localeCompare(key(b));
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The AWS partition of a region. */
export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

/** The account field of an ARN (12 digits), if it has one. */
export function arnAccount(arn: string | undefined): string | undefined {
  const m = arn ? /^arn:[^:]+:[^:]*:[^:]*:(\d{12}):/.exec(arn) : null;
  return m ? m[1] : undefined;
}

/**
 * The ARN of an IAM role: the computed output when the engine knows it, else built from the
 * role's name, path and account as AWS builds it. Undefined when the name itself is unknown.
 */
export function roleArnOf(role: RecordedResource): string | undefined {
  const known = str(role.outputs?.["arn"]);
  if (known && known.startsWith("arn:")) return known;
  const name = str(role.inputs?.["name"]) ?? str(role.outputs?.["name"]);
  if (!name) return undefined;
  const path = str(role.inputs?.["path"]) ?? "/";
  return `arn:${partitionOf(role.region)}:iam::${role.account}:role${path}${name}`;
}

/** `role/acme-dev-deploy` from a role ARN (the part after the account). */
function arnResource(arn: string): string {
  const parts = arn.split(":");
  return parts.length >= 6 ? parts.slice(5).join(":") : arn;
}

/** `s3.Bucket` for `aws:s3/bucket:Bucket`; `random.RandomString` for other packages' tokens. */
export function shortType(type: string): string {
  const [pkg, mod, name] = type.split(":");
  if (name === undefined) return type;
  const module = (mod ?? "").split("/")[0];
  const prefix = pkg === "aws" ? [] : [pkg];
  if (module && module !== "index") prefix.push(module);
  return [...prefix, name].join(".");
}

// ---------------------------------------------------------------------------------------------
// 1. Resources by account, region and top-level component

/** How many resources of one type a group holds. */
export interface TypeCount {
  readonly type: string;
  readonly count: number;
}

/** The resources under one top-level component (or directly under the stack). */
export interface ComponentGroup {
  /** The component's name, or the stack's name for resources registered directly under it. */
  readonly name: string;
  /** The component's type token (`platform:tools:ArtifactStore`), or `pulumi:pulumi:Stack`. */
  readonly type: string;
  readonly count: number;
  /** Counts by type token, most frequent first, then by type. */
  readonly types: readonly TypeCount[];
}

export interface RegionGroup {
  readonly region: string;
  readonly count: number;
  readonly components: readonly ComponentGroup[];
}

export interface AccountGroup {
  readonly account: string;
  readonly count: number;
  readonly regions: readonly RegionGroup[];
}

/** A provider resource and the account and region it pins its resources to. */
export interface ProviderTarget {
  readonly name: string;
  /** The provider package (`aws`). */
  readonly package: string;
  readonly account: string;
  readonly region: string;
  /** The top-level component the provider belongs to (or the stack's name). */
  readonly component: string;
}

export interface ResourceGroups {
  /** The root stack resource's name, when it was recorded. */
  readonly stack?: string;
  /** Custom resources counted (root stack, components and providers excluded). */
  readonly total: number;
  readonly accounts: readonly AccountGroup[];
  readonly providers: readonly ProviderTarget[];
}

const isProvider = (r: RecordedResource) => r.type.startsWith("pulumi:providers:");

/** The component just below the root stack that holds `r`, or undefined when `r` sits under the root. */
function topComponent(
  r: RecordedResource,
  byUrn: ReadonlyMap<string, RecordedResource>,
): RecordedResource | undefined {
  let top: RecordedResource | undefined;
  let cur: RecordedResource | undefined = r;
  const seen = new Set<string>();
  while (cur && cur.parent && !seen.has(cur.urn)) {
    seen.add(cur.urn);
    const parent = byUrn.get(cur.parent);
    if (!parent || parent.type === STACK_TYPE) break;
    top = parent;
    cur = parent;
  }
  // A custom resource parented to another custom resource at the top stays with the stack.
  return top && !top.custom ? top : undefined;
}

/** Custom resources grouped by account, region and top-level component, with counts by type. */
export function resourceGroups(resources: readonly RecordedResource[]): ResourceGroups {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const root = resources.find((r) => r.type === STACK_TYPE);
  const stackGroup = { name: root?.name ?? "(stack)", type: STACK_TYPE };
  // account -> region -> component key -> { group, type counts }
  const tree = new Map<
    string,
    Map<string, Map<string, { name: string; type: string; types: Map<string, number> }>>
  >();
  const providers: ProviderTarget[] = [];
  let total = 0;
  for (const r of resources) {
    if (!r.custom || r.type === STACK_TYPE) continue;
    const top = topComponent(r, byUrn);
    const group = top ? { name: top.name, type: top.type } : stackGroup;
    if (isProvider(r)) {
      providers.push({
        name: r.name,
        package: r.type.slice("pulumi:providers:".length),
        account: r.account,
        region: r.region,
        component: group.name,
      });
      continue;
    }
    total++;
    const regions = tree.get(r.account) ?? new Map();
    tree.set(r.account, regions);
    const components = regions.get(r.region) ?? new Map();
    regions.set(r.region, components);
    const key = `${group.type}::${group.name}`;
    const entry = components.get(key) ?? { ...group, types: new Map<string, number>() };
    components.set(key, entry);
    entry.types.set(r.type, (entry.types.get(r.type) ?? 0) + 1);
  }
  const accounts: AccountGroup[] = [...tree.keys()].sort().map((account) => {
    const regionMap = tree.get(account)!;
    const regions: RegionGroup[] = [...regionMap.keys()].sort().map((region) => {
      const components: ComponentGroup[] = [...regionMap.get(region)!.values()]
        .map((c) => {
          const types = [...c.types.entries()]
            .map(([type, count]) => ({ type, count }))
            .sort((a, b) => b.count - a.count || a.type.localeCompare(b.type));
          return {
            name: c.name,
            type: c.type,
            count: types.reduce((n, t) => n + t.count, 0),
            types,
          };
        })
        .sort(
          (a, b) =>
            Number(b.type === STACK_TYPE) - Number(a.type === STACK_TYPE) ||
            a.name.localeCompare(b.name) ||
            a.type.localeCompare(b.type),
        );
      return { region, count: components.reduce((n, c) => n + c.count, 0), components };
    });
    return { account, count: regions.reduce((n, g) => n + g.count, 0), regions };
  });
  providers.sort(
    (a, b) =>
      a.account.localeCompare(b.account) ||
      a.region.localeCompare(b.region) ||
      a.name.localeCompare(b.name),
  );
  return { ...(root ? { stack: root.name } : {}), total, accounts, providers };
}

/** The resource groups as text. */
export function renderGroups(groups: ResourceGroups): string[] {
  const lines: string[] = [];
  for (const account of groups.accounts) {
    lines.push(`Account ${account.account} · ${plural(account.count, "resource")}`);
    for (const region of account.regions) {
      lines.push(`  ${region.region} · ${plural(region.count, "resource")}`);
      for (const c of region.components) {
        const kind = c.type === STACK_TYPE ? "directly under the stack" : c.type;
        const types = c.types.map((t) => `${t.count} ${shortType(t.type)}`).join(", ");
        lines.push(`    ${c.name} (${kind}) · ${c.count}: ${types}`);
      }
    }
  }
  if (groups.providers.length > 0) {
    lines.push(`Providers · ${groups.providers.length}`);
    for (const p of groups.providers)
      lines.push(`  ${p.name} (${p.package}) → ${p.account} ${p.region}`);
  }
  return lines;
}

// ---------------------------------------------------------------------------------------------
// 2. Pipelines

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
  /** Set when an environment is split into waves (`Deploy-prod-wave1` ...). */
  readonly wave?: { readonly index: number; readonly of: number };
  /** Actions grouped by runOrder, in execution order. */
  readonly steps: readonly ActionStep[];
  readonly beforeEntry?: ConditionSummary;
  readonly onSuccess?: ConditionSummary;
  readonly onFailure?: FailureSummary;
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

/** A stage of an environment split into waves: `Deploy-prod-wave2`. */
const WAVE = /^(.*)-wave(\d+)$/;

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
        const waveMatch = WAVE.exec(name);
        const waves = waveMatch
          ? names.filter((n) => WAVE.exec(n)?.[1] === waveMatch[1]).length
          : 0;
        const beforeEntry = summarizeCondition(stage["beforeEntry"], pipeline);
        const onSuccess = summarizeCondition(stage["onSuccess"], pipeline);
        const onFailure = summarizeFailure(stage["onFailure"], pipeline);
        return {
          name,
          position: i + 1,
          ...(waveMatch ? { wave: { index: Number(waveMatch[2]), of: waves } } : {}),
          steps,
          ...(beforeEntry ? { beforeEntry } : {}),
          ...(onSuccess ? { onSuccess } : {}),
          ...(onFailure ? { onFailure } : {}),
          approvals: actions
            .filter((a) => a.category === "Approval" && a.provider === "Manual")
            .map((a) => a.name),
          deploysTo: uniqueSorted(actions.filter((a) => a.deploys).map((a) => a.account)),
        };
      });
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
        stages,
      };
    })
    .sort(byText((p) => `${p.name}\u0000${p.urn}`));
}

const list = (items: readonly string[]) => items.join(", ");

function describeTrigger(t: TriggerSummary): string {
  const parts: string[] = [t.event];
  if (t.branches.includes.length) parts.push(`to ${list(t.branches.includes)}`);
  if (t.branches.excludes.length) parts.push(`not ${list(t.branches.excludes)}`);
  if (t.tags.includes.length) parts.push(`tags ${list(t.tags.includes)}`);
  if (t.tags.excludes.length) parts.push(`not tags ${list(t.tags.excludes)}`);
  if (t.events.length) parts.push(`(${list(t.events)})`);
  if (t.filePaths.includes.length) parts.push(`touching ${list(t.filePaths.includes)}`);
  if (t.filePaths.excludes.length) parts.push(`ignoring ${list(t.filePaths.excludes)}`);
  return parts.join(" ");
}

function describeSource(s: SourceSummary): string {
  const where = [s.host, s.repository].filter(Boolean).join(" ") || s.connection || "?";
  const branch = s.branch ? `, branch ${s.branch}` : "";
  const start =
    s.triggers.length > 0
      ? ` · trigger: ${s.triggers.map(describeTrigger).join("; ")}`
      : s.detectChanges
        ? " · starts on every change"
        : " · starts manually";
  return `Source ${s.action}: ${where}${branch} (${s.provider})${start}`;
}

function describeAction(a: ActionSummary, p: PipelineSummary): string {
  const elsewhere = a.account !== p.account || a.region !== p.region;
  const target = a.deploys || elsewhere ? ` → ${a.account} ${a.region}` : "";
  const extra = [a.project ? `project ${a.project}` : "", a.actionMode ?? ""].filter(Boolean);
  return `${a.name} (${a.category}, ${a.provider}${target})${extra.length ? ` ${list(extra)}` : ""}`;
}

function describeRules(c: ConditionSummary): string {
  const parts: string[] = [];
  if (c.alarmCount > 0) {
    const names = uniqueSorted(
      c.rules.filter((r) => r.provider === "CloudWatchAlarm").flatMap((r) => r.alarms),
    );
    parts.push(`${plural(c.alarmCount, "alarm")} ${list(names)} (${list(c.alarmAccounts)})`);
  }
  for (const r of c.rules.filter((r) => r.provider !== "CloudWatchAlarm")) {
    const config = Object.entries(r.configuration)
      .map(([k, v]) => `${k}=${v}`)
      .join(" ");
    parts.push(config ? `${r.provider} ${config}` : r.provider);
  }
  return parts.join(" + ") || "no rules";
}

/** The header of a stage: name, wave, approvals and gates. */
export function describeStage(s: StageSummary): string {
  const parts = [`Stage ${s.name}${s.wave ? ` (wave ${s.wave.index} of ${s.wave.of})` : ""}`];
  if (s.approvals.length) parts.push(`manual approval: ${list(s.approvals)}`);
  if (s.beforeEntry) {
    const result = s.beforeEntry.result && s.beforeEntry.result !== "FAIL";
    parts.push(
      `gate: before entry ${describeRules(s.beforeEntry)}${result ? `, else ${s.beforeEntry.result}` : ""}`,
    );
  }
  if (s.onSuccess) {
    const wait = s.onSuccess.waitMinutes ? ` for ${s.onSuccess.waitMinutes} min` : "";
    const result = s.onSuccess.result ? `, else ${s.onSuccess.result}` : "";
    const rules = describeRules(s.onSuccess);
    const same = s.beforeEntry && describeRules(s.beforeEntry) === rules;
    parts.push(
      `on success watch ${same ? `the same ${plural(s.onSuccess.alarmCount, "alarm")}` : rules}${wait}${result}`,
    );
  }
  if (s.onFailure) {
    const retry = s.onFailure.retryMode ? ` (${s.onFailure.retryMode})` : "";
    const cond = s.onFailure.condition ? ` if ${describeRules(s.onFailure.condition)}` : "";
    parts.push(`on failure ${s.onFailure.result ?? "FAIL"}${retry}${cond}`);
  }
  return parts.join(" · ");
}

/** The pipelines as text: header, source and trigger, then each stage with its runOrders. */
export function renderPipelines(pipelines: readonly PipelineSummary[]): string[] {
  const lines: string[] = [];
  for (const p of pipelines) {
    lines.push(
      `Pipeline ${p.name} · ${p.pipelineType} · ${p.executionMode} · ${p.account} ${p.region} · ${plural(p.stages.length, "stage")}`,
    );
    lines.push(`  role ${p.roleArn}`);
    for (const s of p.sources) lines.push(`  ${describeSource(s)}`);
    for (const stage of p.stages) {
      lines.push(`  ${describeStage(stage)}`);
      for (const step of stage.steps) {
        if (step.actions.length === 1) {
          lines.push(`    run ${step.runOrder}: ${describeAction(step.actions[0], p)}`);
          continue;
        }
        lines.push(`    run ${step.runOrder}, ${step.actions.length} in parallel:`);
        for (const a of step.actions) lines.push(`      ${describeAction(a, p)}`);
      }
    }
  }
  return lines;
}

// ---------------------------------------------------------------------------------------------
// 3. Cross-account trust

/** The STS actions a trust policy grants that matter for who may act as the role. */
const STS_ACTIONS = [
  "sts:AssumeRole",
  "sts:TagSession",
  "sts:SetSourceIdentity",
  "sts:SetContext",
  "sts:AssumeRoleWithSAML",
  "sts:AssumeRoleWithWebIdentity",
];

/** What narrows a trust statement. */
export interface TrustConditions {
  /** `aws:PrincipalOrgID` values the caller must belong to. */
  readonly principalOrgId?: readonly string[];
  /** Is an `sts:ExternalId` required? (The value is not repeated.) */
  readonly externalId?: boolean;
  /** The `aws:PrincipalArn` condition: its operator and patterns. */
  readonly principalArn?: { readonly operator: string; readonly values: readonly string[] };
  /** Any other condition, as `Operator key`. */
  readonly other: readonly string[];
}

/** A principal in one account that may assume a role in another. */
export interface TrustEdge {
  readonly fromAccount: string;
  /** The caller's ARN or ARN pattern (`...:role/acme-*-pipeline`); `...:root` when not narrowed. */
  readonly fromPrincipal: string;
  readonly toAccount: string;
  /** The trusting role's ARN (KNOWN_AFTER_DEPLOY when its name is unknown). */
  readonly toRole: string;
  /** The logical name of the trusting role resource. */
  readonly resource: string;
  readonly actions: readonly string[];
  readonly conditions: TrustConditions;
  /** False when any principal of the account may assume the role (root trust, no PrincipalArn). */
  readonly narrowed: boolean;
}

/** A role an AWS service (or a federated identity provider) may assume. */
export interface ServiceTrust {
  readonly kind: "service" | "federated";
  readonly principal: string;
  readonly toAccount: string;
  readonly toRole: string;
  readonly resource: string;
  readonly actions: readonly string[];
  readonly conditions: TrustConditions;
}

/** A role whose trust policy could not be read. */
export interface SkippedTrust {
  readonly resource: string;
  readonly reason: string;
}

export interface TrustView {
  readonly edges: readonly TrustEdge[];
  readonly serviceTrust: readonly ServiceTrust[];
  readonly skipped: readonly SkippedTrust[];
}

const POSITIVE_ARN_OPS = ["ArnEquals", "ArnLike", "StringEquals", "StringLike"];

function trustConditions(condition: unknown): TrustConditions {
  let principalOrgId: string[] | undefined;
  let externalId = false;
  let principalArn: { operator: string; values: string[] } | undefined;
  const other: string[] = [];
  if (isDict(condition)) {
    for (const [operator, block] of Object.entries(condition)) {
      if (!isDict(block)) {
        other.push(operator);
        continue;
      }
      for (const [key, value] of Object.entries(block)) {
        const k = key.toLowerCase();
        const values = strings(value);
        if (k === "aws:principalorgid" && POSITIVE_ARN_OPS.includes(operator))
          principalOrgId = [...(principalOrgId ?? []), ...values];
        else if (k === "sts:externalid") externalId = true;
        else if (k === "aws:principalarn" && !principalArn) principalArn = { operator, values };
        else other.push(`${operator} ${key}`);
      }
    }
  }
  return {
    ...(principalOrgId ? { principalOrgId: uniqueSorted(principalOrgId) } : {}),
    ...(externalId ? { externalId } : {}),
    ...(principalArn ? { principalArn } : {}),
    other: uniqueSorted(other),
  };
}

/** An AWS principal value as account + ARN; undefined for what is not a principal. */
function awsPrincipal(
  value: string,
  partition: string,
): { account: string; arn: string; root: boolean } | undefined {
  if (value === "*") return { account: "*", arn: "*", root: true };
  if (/^\d{12}$/.test(value))
    return { account: value, arn: `arn:${partition}:iam::${value}:root`, root: true };
  const account = arnAccount(value);
  if (!account || !/^arn:[^:]+:(iam|sts)::/.test(value)) return undefined;
  return { account, arn: value, root: /:root$/.test(value) };
}

function roleTrust(role: RecordedResource): {
  edges: TrustEdge[];
  services: ServiceTrust[];
  skipped?: SkippedTrust;
} {
  const edges: TrustEdge[] = [];
  const services: ServiceTrust[] = [];
  const raw = role.inputs?.["assumeRolePolicy"];
  if (raw === undefined)
    return { edges, services, skipped: { resource: role.name, reason: "no trust policy" } };
  if (isUnknown(raw))
    return {
      edges,
      services,
      skipped: { resource: role.name, reason: `trust policy ${KNOWN_AFTER_DEPLOY}` },
    };
  let doc: PolicyDocument;
  try {
    doc = parsePolicy(raw);
  } catch (e) {
    return {
      edges,
      services,
      skipped: { resource: role.name, reason: e instanceof Error ? e.message : String(e) },
    };
  }
  const toRole = roleArnOf(role) ?? KNOWN_AFTER_DEPLOY;
  const partition = partitionOf(role.region);
  for (const s of doc.Statement) {
    if (s.Effect !== "Allow" || s.Principal === undefined) continue;
    const allowed = strings(s.Action);
    const notAllowed = strings(s.NotAction);
    const actions = STS_ACTIONS.filter(
      (a) =>
        (s.Action === undefined || allowed.some((p) => actionMatches(p, a))) &&
        (s.NotAction === undefined || !notAllowed.some((p) => actionMatches(p, a))) &&
        (s.Action !== undefined || s.NotAction !== undefined),
    );
    if (actions.length === 0) continue;
    const conditions = trustConditions(s.Condition);
    const principal: Record<string, unknown> =
      s.Principal === "*" ? { AWS: "*" } : isDict(s.Principal) ? s.Principal : {};
    for (const [kind, ids] of Object.entries(principal)) {
      for (const id of strings(ids)) {
        if (kind === "Service" || kind === "Federated") {
          services.push({
            kind: kind === "Service" ? "service" : "federated",
            principal: id,
            toAccount: role.account,
            toRole,
            resource: role.name,
            actions,
            conditions,
          });
          continue;
        }
        if (kind !== "AWS") continue;
        const who = awsPrincipal(id, partition);
        if (!who) continue;
        // A whole account (or everyone) narrowed by aws:PrincipalArn: the patterns are the callers.
        const narrowing =
          who.root &&
          conditions.principalArn &&
          POSITIVE_ARN_OPS.includes(conditions.principalArn.operator)
            ? conditions.principalArn.values
            : undefined;
        const callers = narrowing
          ? narrowing
              .map((pattern) => ({ pattern, account: arnAccount(pattern) ?? who.account }))
              .filter((c) => who.account === "*" || c.account === who.account)
              .map((c) => ({ account: c.account, arn: c.pattern, narrowed: true }))
          : [{ account: who.account, arn: who.arn, narrowed: !who.root }];
        for (const c of callers) {
          if (c.account === role.account) continue;
          edges.push({
            fromAccount: c.account,
            fromPrincipal: c.arn,
            toAccount: role.account,
            toRole,
            resource: role.name,
            actions,
            conditions,
            narrowed: c.narrowed,
          });
        }
      }
    }
  }
  return { edges: mergeEdges(edges), services };
}

/** One edge per (caller, role): statements granting the same caller merge their actions. */
function mergeEdges(edges: readonly TrustEdge[]): TrustEdge[] {
  const merged = new Map<string, TrustEdge>();
  for (const e of edges) {
    const key = `${e.fromPrincipal}\u0000${e.toRole}\u0000${e.resource}`;
    const prev = merged.get(key);
    merged.set(
      key,
      prev
        ? {
            ...prev,
            actions: STS_ACTIONS.filter((a) => prev.actions.includes(a) || e.actions.includes(a)),
            narrowed: prev.narrowed && e.narrowed,
          }
        : e,
    );
  }
  return [...merged.values()];
}

/**
 * Cross-account trust of the stack's IAM roles: every principal of another account a trust policy
 * admits (an account root narrowed by `aws:PrincipalArn` yields the patterns; a role ARN yields
 * itself), the service and federated principals apart, and the roles whose trust policy could not
 * be read (malformed or unknown) as `skipped`. Allow statements are read; Deny statements are not
 * subtracted.
 */
export function trustEdges(resources: readonly RecordedResource[]): TrustView {
  const edges: TrustEdge[] = [];
  const serviceTrust: ServiceTrust[] = [];
  const skipped: SkippedTrust[] = [];
  for (const role of resources.filter((r) => r.type === ROLE_TYPE)) {
    const found = roleTrust(role);
    edges.push(...found.edges);
    serviceTrust.push(...found.services);
    if (found.skipped) skipped.push(found.skipped);
  }
  const edgeKey = (e: TrustEdge) =>
    [e.toAccount, e.toRole, e.resource, e.fromAccount, e.fromPrincipal].join("\u0000");
  const serviceKey = (s: ServiceTrust) =>
    [s.toAccount, s.toRole, s.resource, s.kind, s.principal].join("\u0000");
  return {
    edges: edges.sort(byText(edgeKey)),
    serviceTrust: serviceTrust.sort(byText(serviceKey)),
    skipped: skipped.sort(byText((s) => s.resource)),
  };
}

/** The conditions of a trust statement, for a reader. */
export function describeConditions(c: TrustConditions, narrowed = true): string {
  const parts: string[] = [];
  if (c.principalArn) parts.push(`${c.principalArn.operator} aws:PrincipalArn`);
  if (c.principalOrgId) parts.push(`org ${list(c.principalOrgId)}`);
  if (c.externalId) parts.push("external id required");
  parts.push(...c.other);
  if (!narrowed) parts.push("NOT NARROWED: any principal of the account");
  return parts.length ? parts.join(", ") : "no conditions";
}

/** The trust view as text, grouped by the trusting role. */
export function renderTrust(view: TrustView): string[] {
  const lines: string[] = [];
  const roles = new Map<string, TrustEdge[]>();
  for (const e of view.edges) {
    const key = `${e.toRole}\u0000${e.resource}`;
    roles.set(key, [...(roles.get(key) ?? []), e]);
  }
  for (const edges of roles.values()) {
    const { toRole, toAccount, resource } = edges[0];
    const name = toRole === KNOWN_AFTER_DEPLOY ? `${resource} ${toRole}` : arnResource(toRole);
    lines.push(`${name} in ${toAccount}`);
    for (const e of edges)
      lines.push(
        `  ← ${e.fromPrincipal} (${e.fromAccount}) · ${list(e.actions)} · ${describeConditions(e.conditions, e.narrowed)}`,
      );
  }
  if (view.edges.length === 0) lines.push("No role trusts another account.");
  if (view.serviceTrust.length > 0) {
    lines.push("Service principals");
    for (const s of view.serviceTrust) {
      const name = s.toRole === KNOWN_AFTER_DEPLOY ? s.resource : arnResource(s.toRole);
      lines.push(
        `  ${name} in ${s.toAccount} ← ${s.principal} · ${list(s.actions)} · ${describeConditions(s.conditions)}`,
      );
    }
  }
  if (view.skipped.length > 0) {
    lines.push("Unreadable trust policies");
    for (const s of view.skipped) lines.push(`  ${s.resource}: ${s.reason}`);
  }
  return lines;
}
