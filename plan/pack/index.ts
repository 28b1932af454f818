// Runs the policy pack over recorded resources the way `pulumi preview --policy-pack policies`
// does: resource policies see each resource's inputs (with its provider), stack policies see every
// resource's outputs with parent, dependencies and property dependencies resolved to resources;
// secrets are unwrapped; enforcement levels and config come from a `--policy-pack-config` file,
// validated against each policy's schema and completed with its defaults. A policy that reads a
// value unknown during preview gives an advisory "can't run" diagnostic, as the analyzer does; any
// other exception is a policy error. The plan and `check` both use this module.
import type {
  EnforcementLevel,
  PolicyResource,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  Severity,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import { unknownCheckingProxy, UnknownValueError } from "../../policies/lib/proxy";
import Ajv, { type ValidateFunction } from "ajv";
import { readFileSync } from "node:fs";
import { allPolicies, packDefaults } from "../../policies/all";
import { resolvePolicyConfig } from "../../policies/lib/config";
import type { PackPolicy } from "../../policies/lib/policy";
import * as path from "node:path";
import { REPO_ROOT } from "../../model/paths";

/** A resource as the pack reads it: what the engine records, or what a stack export holds. */
export interface PackResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly parent?: string;
  readonly inputs: Record<string, unknown>;
  readonly outputs: Record<string, unknown>;
  readonly providerUrn?: string;
  readonly dependencies: readonly string[];
  readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
  readonly protect?: boolean;
}

/** The enforcement levels a policy can run at (plus "disabled", which skips it). */
export type Level = Exclude<EnforcementLevel, "remediate"> | "remediate";

/** One violation, as `pulumi preview` reports it. */
export interface Finding {
  readonly policy: string;
  readonly family: string;
  readonly severity: Severity;
  /** advisory or mandatory ("remediate" is reported as mandatory, as the analyzer does). */
  readonly level: "advisory" | "mandatory";
  /** The resource the violation is about; undefined for a stack-wide finding. */
  readonly urn?: string;
  readonly message: string;
}

/** A resource a policy skipped because the policy config exempts it. */
export interface ExemptionApplied {
  readonly policy: string;
  readonly urn: string;
  readonly reason: string;
}

/** A policy that threw: `pulumi preview` fails with this error. */
export interface PolicyError {
  readonly policy: string;
  readonly urn?: string;
  readonly message: string;
}

export interface PackResult {
  readonly findings: Finding[];
  readonly exemptions: ExemptionApplied[];
  readonly errors: PolicyError[];
}

/** The pack's settings after reading a policy config file. */
export interface PackSettings {
  /** Effective enforcement level per policy name. */
  readonly levels: ReadonlyMap<string, EnforcementLevel>;
  /** Per policy, the config it sees: the user's values with schema defaults filled in. */
  readonly configs: ReadonlyMap<string, Record<string, unknown>>;
  readonly policies: readonly PackPolicy[];
}

/** A policy config file that cannot be used; every problem is listed with its path. */
export class PolicyConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(
      `${source}: ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join("\n")}`,
    );
    this.name = "PolicyConfigError";
  }
}

const LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Reads a policy config file (JSON), or throws PolicyConfigError naming the file. */
export function readPolicyConfigFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new PolicyConfigError(file, [`cannot read the file: ${(e as Error).message}`]);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new PolicyConfigError(file, [
      `not valid JSON (${(e as Error).message}); a policy config is a JSON object keyed by policy name`,
    ]);
  }
}

const ajv = new Ajv({ allErrors: true, strict: false });
const validators = new WeakMap<PackPolicy, ValidateFunction>();

/** The compiled JSON-schema check of a policy's settings (compiled once per policy). */
function validatorFor(policy: PackPolicy): ValidateFunction {
  let validate = validators.get(policy);
  if (!validate) {
    validate = ajv.compile({
      type: "object",
      properties: policy.configSchema?.properties ?? {},
      required: policy.configSchema?.required ?? [],
      additionalProperties: false,
    });
    validators.set(policy, validate);
  }
  return validate;
}

/**
 * Resolves a policy config (the `--policy-pack-config` JSON: `{ "all": level, "<policy>": level |
 * { enforcementLevel?, ...config } }`) into levels and configs. A level set for a policy wins over
 * `all`, which wins over the policy's own level, which wins over the pack's. Unknown policy names,
 * unknown levels and values that break a policy's schema are errors, all reported at once.
 */
export function resolvePackSettings(
  raw: unknown = {},
  source = "policy config",
  policies: readonly PackPolicy[] = allPolicies,
): PackSettings {
  const problems: string[] = [];
  const names = new Set(policies.map((p) => p.name));
  const user = new Map<string, Record<string, unknown>>();
  const userLevels = new Map<string, EnforcementLevel>();
  let all: EnforcementLevel | undefined;
  const readLevel = (value: unknown, path: string): EnforcementLevel | undefined => {
    if (typeof value === "string" && (LEVELS as readonly string[]).includes(value))
      return value as EnforcementLevel;
    problems.push(
      `${path}: "${String(value)}" is not an enforcement level; use one of ${LEVELS.join(", ")}`,
    );
    return undefined;
  };
  if (!isRecord(raw)) {
    problems.push(
      `the config must be a JSON object keyed by policy name, not ${JSON.stringify(raw)}`,
    );
  } else {
    for (const [key, value] of Object.entries(raw)) {
      if (key === "all") {
        all = readLevel(isRecord(value) ? value["enforcementLevel"] : value, "all");
        continue;
      }
      if (!names.has(key)) {
        problems.push(
          `${key}: no policy of this name in the pack; the names are listed in policies/README.md`,
        );
        continue;
      }
      if (typeof value === "string") {
        const level = readLevel(value, key);
        if (level) userLevels.set(key, level);
        continue;
      }
      if (!isRecord(value)) {
        problems.push(`${key}: must be an enforcement level or an object of settings`);
        continue;
      }
      const { enforcementLevel, ...settings } = value;
      if (enforcementLevel !== undefined) {
        const level = readLevel(enforcementLevel, `${key}.enforcementLevel`);
        if (level) userLevels.set(key, level);
      }
      user.set(key, settings);
    }
  }
  const levels = new Map<string, EnforcementLevel>();
  const configs = new Map<string, Record<string, unknown>>();
  for (const policy of policies) {
    levels.set(
      policy.name,
      userLevels.get(policy.name) ??
        all ??
        policy.enforcementLevel ??
        packDefaults.enforcementLevel,
    );
    const settings = user.get(policy.name) ?? {};
    // Only what the user wrote needs checking: the defaults satisfy the schema by construction.
    const validate = user.has(policy.name) ? validatorFor(policy) : undefined;
    const schema = validate?.schema as { properties: Record<string, unknown> } | undefined;
    if (validate && schema && !validate(settings)) {
      for (const err of validate.errors ?? []) {
        const at = `${policy.name}${err.instancePath.replace(/\//g, ".")}`;
        const extra =
          err.keyword === "additionalProperties"
            ? ` "${String((err.params as { additionalProperty?: string }).additionalProperty)}"; the policy accepts ${Object.keys(schema.properties).join(", ")}`
            : "";
        problems.push(`${at}: ${err.message ?? "is invalid"}${extra}`);
      }
    }
    configs.set(policy.name, resolvePolicyConfig(policy, settings));
  }
  if (problems.length > 0) throw new PolicyConfigError(source, problems);
  return { levels, configs, policies };
}

class NotApplicableError extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

/**
 * The `notApplicable` a policy calls to skip a resource. It is thrown for most resources of a
 * large stack, so the error is built without a stack trace: nothing ever prints it.
 */
function notApplicable(reason?: string): never {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    throw new NotApplicableError(reason ?? "");
  } finally {
    Error.stackTraceLimit = limit;
  }
}

function isTypeOf(type: string, resourceClass: unknown): boolean {
  const cls = resourceClass as { __pulumiType?: string; isInstance?: (o: unknown) => boolean };
  if (typeof cls?.__pulumiType === "string") return cls.__pulumiType === type;
  return typeof cls?.isInstance === "function" && cls.isInstance({ __pulumiType: type }) === true;
}

const OPTIONS_BASE = {
  ignoreChanges: [] as string[],
  aliases: [] as string[],
  customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
  additionalSecretOutputs: [] as string[],
};

/** The resource options a policy sees. */
function optionsOf(r: PackResource) {
  return {
    ...OPTIONS_BASE,
    protect: r.protect ?? false,
    ...(r.parent ? { parent: r.parent } : {}),
  };
}

/** The provider as policies see it; one view per provider, shared by all its resources. */
const providerViews = new WeakMap<PackResource, PolicyProviderResource>();

type PolicyProviderResource = NonNullable<ResourceValidationArgs["provider"]>;

function providerOf(r: PackResource, byUrn: ReadonlyMap<string, PackResource>) {
  const provider = r.providerUrn ? byUrn.get(r.providerUrn) : undefined;
  if (!provider) return undefined;
  let view = providerViews.get(provider);
  if (view === undefined) {
    view = {
      type: provider.type,
      name: provider.name,
      urn: provider.urn,
      props: unknownCheckingProxy(provider.inputs),
    };
    providerViews.set(provider, view);
  }
  return view;
}

/**
 * What every policy sees of a resource: its identity, `props` (inputs or outputs) behind the
 * preview proxy, options, provider and the type tests.
 */
function viewOf(
  r: PackResource,
  values: Record<string, unknown>,
  byUrn: ReadonlyMap<string, PackResource>,
) {
  const props = unknownCheckingProxy(values);
  const provider = providerOf(r, byUrn);
  return {
    type: r.type,
    name: r.name,
    urn: r.urn,
    props,
    opts: optionsOf(r),
    ...(provider ? { provider } : {}),
    isType: ((cls: unknown) => isTypeOf(r.type, cls)) as PolicyResource["isType"],
    // Typed per use: resource args and stack resources declare asType's result differently.
    asType: (cls: unknown): unknown => (isTypeOf(r.type, cls) ? props : undefined),
  };
}

type ResourceView = ReturnType<typeof viewOf>;

function argsOf(view: ResourceView, getConfig: <T extends object>() => T): ResourceValidationArgs {
  return {
    ...view,
    asType: view.asType as ResourceValidationArgs["asType"],
    stackTags: new Map(),
    getConfig,
    notApplicable,
  };
}

/** The args a resource policy receives for `r` (props are its inputs, behind the preview proxy). */
export function resourceValidationArgs(
  r: PackResource,
  config: Record<string, unknown>,
  byUrn: ReadonlyMap<string, PackResource> = new Map(),
): ResourceValidationArgs {
  return argsOf(viewOf(r, r.inputs, byUrn), <T extends object>() => config as T);
}

/** The resources a stack policy receives: outputs, with links resolved to resource objects. */
export function stackPolicyResources(resources: readonly PackResource[]): PolicyResource[] {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const built = resources.map((r) => {
    const view = viewOf(r, r.outputs, byUrn);
    const resource: PolicyResource = {
      ...view,
      asType: view.asType as PolicyResource["asType"],
      dependencies: [],
      propertyDependencies: {},
    };
    return resource;
  });
  const objects = new Map(built.map((b) => [b.urn, b]));
  const resolve = (urns: readonly string[] | undefined) =>
    (urns ?? []).map((u) => objects.get(u)).filter((x): x is PolicyResource => x !== undefined);
  resources.forEach((r, i) => {
    const target = built[i]!;
    if (r.parent && objects.has(r.parent)) target.parent = objects.get(r.parent);
    target.dependencies = resolve(r.dependencies);
    for (const [key, urns] of Object.entries(r.propertyDependencies ?? {}))
      target.propertyDependencies[key] = resolve(urns);
  });
  return built;
}

function isStackPolicy(p: PackPolicy): p is PackPolicy & StackValidationPolicy {
  return typeof (p as StackValidationPolicy).validateStack === "function";
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Runs every enabled policy of the pack over a stack's resources. Never throws for policy errors. */
export async function runPack(
  resources: readonly PackResource[],
  settings: PackSettings = resolvePackSettings(),
): Promise<PackResult> {
  const findings: Finding[] = [];
  const exemptions: ExemptionApplied[] = [];
  const errors: PolicyError[] = [];
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  let stackResources: PolicyResource[] | undefined;
  // One args object per resource serves every resource policy: policies run one at a time, and
  // getConfig answers with the config of the one running.
  const inputArgs: (ResourceValidationArgs | undefined)[] = new Array(resources.length);
  let currentConfig: Record<string, unknown> = {};
  const configOfPolicyRunning = <T extends object>() => currentConfig as T;
  for (const policy of settings.policies) {
    const configured = settings.levels.get(policy.name) ?? "advisory";
    if (configured === "disabled") continue;
    const level = configured === "advisory" ? "advisory" : "mandatory";
    const config: Record<string, unknown> =
      settings.configs.get(policy.name) ?? resolvePolicyConfig<Record<string, unknown>>(policy);
    const report =
      (urnOf?: string) =>
      (message: string, urn?: string): void => {
        const about = urn ?? urnOf;
        findings.push({
          policy: policy.name,
          family: policy.family,
          severity: policy.severity,
          level,
          ...(about ? { urn: about } : {}),
          message,
        });
      };
    const handle = (e: unknown, urn?: string): void => {
      if (e instanceof NotApplicableError) {
        if (urn && e.reason.startsWith("exempt: "))
          exemptions.push({ policy: policy.name, urn, reason: e.reason.slice("exempt: ".length) });
        return;
      }
      if (e instanceof UnknownValueError) {
        findings.push({
          policy: policy.name,
          family: policy.family,
          severity: policy.severity,
          level: "advisory",
          ...(urn ? { urn } : {}),
          message: `can't run policy '${policy.name}' during preview: ${errorMessage(e)}`,
        });
        return;
      }
      errors.push({ policy: policy.name, ...(urn ? { urn } : {}), message: errorMessage(e) });
    };
    if (isStackPolicy(policy)) {
      stackResources ??= stackPolicyResources(resources);
      const args: StackValidationArgs = {
        resources: stackResources,
        stackTags: new Map(),
        getConfig: <T extends object>() => config as T,
        notApplicable,
      };
      try {
        await policy.validateStack(args, report());
      } catch (e) {
        handle(e);
      }
      continue;
    }
    const validate = (policy as ResourceValidationPolicy).validateResource;
    if (!validate) continue;
    const validations = Array.isArray(validate) ? validate : [validate];
    const types = policy.resourceTypes ? new Set(policy.resourceTypes) : undefined;
    currentConfig = config;
    for (const [i, r] of resources.entries()) {
      // A policy that declares its types would call notApplicable first for any other type.
      if (types && !types.has(r.type)) continue;
      const args = (inputArgs[i] ??= argsOf(viewOf(r, r.inputs, byUrn), configOfPolicyRunning));
      for (const v of validations) {
        try {
          await v(args, report(r.urn));
        } catch (e) {
          handle(e, r.urn);
        }
      }
    }
  }
  return { findings, exemptions, errors };
}

/** The pack's name and version, as `pulumi preview` prints them (`name@vX.Y.Z`). */
export function packName(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { version } = require(path.join(REPO_ROOT, "policies", "package.json")) as {
    version: string;
  };
  return `${packDefaults.name}@v${version}`;
}
