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
import * as path from "node:path";
import { packDefaults } from "../../policies/all";
import { resolvePolicyConfig } from "../../policies/lib/config";
import type { PackPolicy } from "../../policies/lib/policy";
import { collectSuppressions } from "../../policies/lib/secret-report";
import { REPO_ROOT } from "../../model/paths";
import { resolvePackSettings, type PackSettings } from "./settings";
import { analyzerProps } from "./analyzer-props";

export {
  PolicyConfigError,
  readPolicyConfigFile,
  resolvePackSettings,
  type PackSettings,
} from "./settings";

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

/**
 * A match a secrets rule made and a named suppression explained away (a placeholder, a reference,
 * a documented example): where and why, never the value.
 */
export interface SuppressionApplied {
  readonly policy: string;
  readonly urn: string;
  /** The secrets rule that matched (policies/SECRET-RULES.md), for example `url-credentials`. */
  readonly rule: string;
  /** The suppression that explained it, for example `runtime-reference`. */
  readonly suppression: string;
  /** The property path, for example `environment.variables.DB_PASSWORD`. */
  readonly path: string;
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
  /** The secrets suppressions that fired, one per policy, resource, rule and path. */
  readonly suppressions?: SuppressionApplied[];
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
      props: unknownCheckingProxy(analyzerProps(provider.inputs)),
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
  const props = unknownCheckingProxy(analyzerProps(values));
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
  const suppressions = new Map<string, SuppressionApplied>();
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
      const suppressed = (s: Omit<SuppressionApplied, "policy" | "urn">): void => {
        const applied = { policy: policy.name, urn: r.urn, ...s };
        suppressions.set(JSON.stringify(applied), applied);
      };
      for (const v of validations) {
        try {
          // The check runs synchronously inside the call, so the sink sees only its suppressions.
          await collectSuppressions(suppressed, () => v(args, report(r.urn)));
        } catch (e) {
          handle(e, r.urn);
        }
      }
    }
  }
  return { findings, exemptions, errors, suppressions: [...suppressions.values()] };
}

/** The pack's name and version, as `pulumi preview` prints them (`name@vX.Y.Z`). */
export function packName(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { version } = require(path.join(REPO_ROOT, "policies", "package.json")) as {
    version: string;
  };
  return `${packDefaults.name}@v${version}`;
}
