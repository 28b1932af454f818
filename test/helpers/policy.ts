// Fakes for running the pack's policies without the Pulumi engine: resource and stack validation
// args shaped like the ones @pulumi/policy's analyzer builds (props behind the preview proxy, config
// with schema defaults applied, `notApplicable` that throws, dependencies resolved from URNs).
import type {
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import * as proxyModule from "@pulumi/policy/proxy";
import { resolvePolicyConfig } from "../../policies/lib/config";
import { violationMessage, type PackPolicy } from "../../policies/lib/policy";
import { resourceValidationArgs, stackPolicyResources, type PackResource } from "../../plan/pack";

// The engine's unknown-value sentinels are exported by the proxy module at run time but left out of
// its type declarations.
const proxy = proxyModule as unknown as Record<
  "unknownStringValue" | "unknownArrayValue" | "unknownObjectValue" | "unknownBooleanValue",
  string
>;

/** The sentinel the engine puts where a string is unknown during preview. */
export const UNKNOWN_STRING: string = proxy.unknownStringValue;
/** The sentinel for an unknown array. */
export const UNKNOWN_ARRAY: string = proxy.unknownArrayValue;
/** The sentinel for an unknown object. */
export const UNKNOWN_OBJECT: string = proxy.unknownObjectValue;
/** The sentinel for an unknown boolean. */
export const UNKNOWN_BOOLEAN: string = proxy.unknownBooleanValue;

/** Thrown by the fakes' `notApplicable`, as the engine's is. */
export class NotApplicable extends Error {
  constructor(readonly reason: string | undefined) {
    super(`not applicable: ${reason ?? ""}`);
  }
}

/** A resource as a plain record: dependencies are URNs, as a runner records them. */
export interface FakeResource {
  readonly type: string;
  readonly name: string;
  readonly props: Record<string, unknown>;
  readonly urn?: string;
  readonly dependencies?: readonly string[];
  readonly propertyDependencies?: Readonly<Record<string, readonly string[]>>;
  readonly providerProps?: Record<string, unknown>;
}

/** The URN the fakes give a resource. */
export function urnOf(type: string, name: string): string {
  return `urn:pulumi:test::platform::${type}::${name}`;
}

/** What one policy run produced. */
export interface PolicyRun {
  readonly violations: readonly { readonly message: string; readonly urn?: string }[];
  /** Set when the policy declared itself not applicable (other type, exemption). */
  readonly notApplicable?: string;
}

/** The messages of a run. */
export function messages(run: PolicyRun): string[] {
  return run.violations.map((v) => v.message);
}

/** The full violation message a policy reports for a finding (finding + remediation steps). */
export function expected(policy: PackPolicy, finding: string): string {
  return violationMessage(finding, policy.remediationSteps);
}

function throwNotApplicable(reason?: string): never {
  throw new NotApplicable(reason);
}

const PROVIDER_URN = urnOf("pulumi:providers:aws", "provider");

/** A fake as the pack runner's resource: its props serve as inputs and outputs alike. */
function packResource(r: FakeResource): PackResource {
  return {
    urn: r.urn ?? urnOf(r.type, r.name),
    type: r.type,
    name: r.name,
    inputs: r.props,
    outputs: r.props,
    ...(r.providerProps ? { providerUrn: PROVIDER_URN } : {}),
    dependencies: r.dependencies ?? [],
    propertyDependencies: r.propertyDependencies ?? {},
  };
}

/** The explicit provider a fake names through `providerProps`. */
function providers(resources: readonly FakeResource[]): PackResource[] {
  const withProvider = resources.find((r) => r.providerProps);
  if (!withProvider?.providerProps) return [];
  return [
    packResource({
      type: "pulumi:providers:aws",
      name: "provider",
      urn: PROVIDER_URN,
      props: withProvider.providerProps,
    }),
  ];
}

/**
 * ResourceValidationArgs for a fake resource, built as the pack runner builds them (props behind
 * the preview proxy), with the fakes' `notApplicable`.
 */
export function resourceArgs(
  resource: FakeResource,
  config: Record<string, unknown> = {},
): ResourceValidationArgs {
  const byUrn = new Map(providers([resource]).map((p) => [p.urn, p]));
  return {
    ...resourceValidationArgs(packResource(resource), config, byUrn),
    notApplicable: throwNotApplicable,
  };
}

/** StackValidationArgs for fake resources; dependencies are resolved from URNs like the engine does. */
export function stackArgs(
  resources: readonly FakeResource[],
  config: Record<string, unknown> = {},
): StackValidationArgs {
  const all = [...providers(resources), ...resources.map(packResource)];
  return {
    resources: stackPolicyResources(all).filter((r) => r.urn !== PROVIDER_URN),
    stackTags: new Map(),
    getConfig: <T extends object>() => config as T,
    notApplicable: throwNotApplicable,
  };
}

function isStackPolicy(policy: PackPolicy): policy is PackPolicy & StackValidationPolicy {
  return typeof (policy as StackValidationPolicy).validateStack === "function";
}

async function capture(
  run: (report: (message: string, urn?: string) => void) => Promise<void> | void,
): Promise<PolicyRun> {
  const violations: { message: string; urn?: string }[] = [];
  try {
    await run((message, urn) =>
      violations.push(urn === undefined ? { message } : { message, urn }),
    );
  } catch (e) {
    if (e instanceof NotApplicable) return { violations, notApplicable: e.reason ?? "" };
    throw e;
  }
  return { violations };
}

/**
 * Runs a resource policy on one fake resource, with `userConfig` completed by the policy's schema
 * defaults (as the engine would).
 */
export async function runResourcePolicy(
  policy: PackPolicy,
  resource: FakeResource,
  userConfig: Record<string, unknown> = {},
): Promise<PolicyRun> {
  const config = resolvePolicyConfig(policy, userConfig);
  const validate = (policy as ResourceValidationPolicy).validateResource;
  if (!validate) throw new Error(`${policy.name} is not a resource policy`);
  const validations = Array.isArray(validate) ? validate : [validate];
  return capture(async (report) => {
    for (const v of validations) await v(resourceArgs(resource, config), report);
  });
}

/** Runs a stack policy on fake resources, with config defaults applied. */
export async function runStackPolicy(
  policy: PackPolicy,
  resources: readonly FakeResource[],
  userConfig: Record<string, unknown> = {},
): Promise<PolicyRun> {
  if (!isStackPolicy(policy)) throw new Error(`${policy.name} is not a stack policy`);
  const config = resolvePolicyConfig(policy, userConfig);
  return capture((report) => policy.validateStack(stackArgs(resources, config), report));
}

/**
 * Runs any policy of the pack over a set of resources: a resource policy on each resource, a stack
 * policy once. Violations carry the URN of the resource they are about.
 */
export async function runPolicyOnResources(
  policy: PackPolicy,
  resources: readonly FakeResource[],
  userConfig: Record<string, unknown> = {},
): Promise<PolicyRun> {
  if (isStackPolicy(policy)) return runStackPolicy(policy, resources, userConfig);
  const violations: { message: string; urn?: string }[] = [];
  for (const r of resources) {
    const run = await runResourcePolicy(policy, r, userConfig);
    for (const v of run.violations)
      violations.push({ message: v.message, urn: r.urn ?? urnOf(r.type, r.name) });
  }
  return { violations };
}

/** Shorthand for a resource with a type, a name and props. */
export function resource(
  type: string,
  name: string,
  props: Record<string, unknown>,
  links: Pick<FakeResource, "dependencies" | "propertyDependencies" | "providerProps"> = {},
): FakeResource {
  return { type, name, props, urn: urnOf(type, name), ...links };
}
