// The plan's JSON document (`plan --json FILE`, `check --json FILE`): one versioned, documented
// shape for every stack's resources and every finding. The schema is docs/plan-report.schema.json
// and a test validates real output against it; bump REPORT_VERSION on any incompatible change.
import type { CriticalPath } from "./views/critical-path";
import type { RecordedResource } from "../engine";
import type {
  ExemptionApplied,
  Finding,
  PackResult,
  PolicyError,
  SuppressionApplied,
} from "../pack";
import { mapChildren, SECRET_MASK, UNKNOWN_MARK, UNKNOWN_WIRE } from "../engine/values";

export { SECRET_MASK, UNKNOWN_MARK, UNKNOWN_WIRE };

/** Version of the report format (docs/plan-report.md). */
export const REPORT_VERSION = 1;

/** One resource in the report. */
export interface ReportResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  /** False for component resources and the root stack. */
  readonly custom: boolean;
  readonly parent?: string;
  /** Inputs; secret values are SECRET_MASK, values unknown during preview are UNKNOWN_MARK. */
  readonly inputs: Record<string, unknown>;
  /** Inputs plus computed outputs, masked the same way. */
  readonly outputs: Record<string, unknown>;
  /** Physical id; absent in preview. */
  readonly id?: string;
  /** The explicit provider resource, if any. */
  readonly provider?: string;
  /** AWS account and region the resource is created in. */
  readonly account: string;
  readonly region: string;
  readonly dependencies: readonly string[];
  readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
  /** Input paths (dot and [index] notation) that held secrets. */
  readonly secretPaths: readonly string[];
  readonly protect: boolean;
  readonly retainOnDelete: boolean;
  /**
   * The secrets suppressions that fired on the resource (a placeholder or reference a secrets
   * rule matched and a named suppression let through); absent when none did. Never the value.
   */
  readonly suppressions?: readonly ReportSuppression[];
}

/** One suppression on a resource. */
export type ReportSuppression = Omit<SuppressionApplied, "urn">;

/** One stack in the report. */
export interface ReportStack {
  readonly project: string;
  readonly stack: string;
  /** "plan" for an evaluated program, "check" for a stack export. */
  readonly source: "plan" | "check";
  /** True when evaluated as `pulumi preview` (ids and ARNs of new resources unknown). */
  readonly preview: boolean;
  /** Set when the stack could not be evaluated (bad config, program error). */
  readonly error?: string;
  readonly resources: readonly ReportResource[];
  readonly findings: readonly Finding[];
  readonly exemptions: readonly ExemptionApplied[];
  readonly policyErrors: readonly PolicyError[];
  /** The critical path of each pipeline the stack holds (plan only; absent when it holds none). */
  readonly pipelines?: readonly CriticalPath[];
}

/** The whole report. */
export interface Report {
  readonly reportVersion: typeof REPORT_VERSION;
  readonly tool: { readonly name: string; readonly version: string };
  /** The engine whose URN scheme every URN of the report follows (plan/engine/urn.ts). */
  readonly urnScheme: { readonly engine: string; readonly rule: string };
  /** The policy config file used, if any. */
  readonly policyConfig?: string;
  readonly stacks: readonly ReportStack[];
  /**
   * The order to apply the evaluated stacks in (plan only): each stack after the stacks that
   * create a role it names where AWS checks the role exists. `cycle` lists stacks no order fits.
   */
  readonly applyOrder?: {
    readonly steps: readonly {
      readonly stack: string;
      readonly after: readonly string[];
      readonly needs: readonly string[];
    }[];
    readonly cycle?: readonly string[];
  };
  readonly summary: {
    readonly stacks: number;
    readonly resources: number;
    readonly mandatory: number;
    readonly advisory: number;
    readonly policyErrors: number;
    readonly stackErrors: number;
  };
}

/** The keys of a property path (`a.b[0]` → a, b, 0), as secret paths are written. */
export function pathTokens(path: string): string[] {
  return path
    .replace(/\[(\d+)\]/g, ".$1")
    .split(".")
    .filter((t) => t !== "");
}

/**
 * `value` with unknowns marked and the values at `secretPaths` masked (the whole value for the
 * path ""). Parts with nothing to
 * mark or mask are shared with `value`, not copied; `value` itself is never changed.
 */
export function maskValue(value: unknown, secretPaths: readonly string[]): unknown {
  let result = markUnknowns(value);
  for (const path of secretPaths) {
    const tokens = pathTokens(path);
    result = tokens.length > 0 ? masked(result, tokens, 0) : maskedWhole(result);
  }
  return result;
}

/**
 * A value that is one secret as a whole (secret path ""): a map keeps its keys, each value masked,
 * so the report keeps its shape; anything else is SECRET_MASK.
 */
function maskedWhole(value: unknown): unknown {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return SECRET_MASK;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value))
    Object.defineProperty(copy, key, {
      value: SECRET_MASK,
      writable: true,
      enumerable: true,
      configurable: true,
    });
  return copy;
}

/** `node` with the value at `tokens` replaced by SECRET_MASK, copying only the containers on the way. */
function masked(node: unknown, tokens: readonly string[], i: number): unknown {
  if (node === null || typeof node !== "object") return node;
  const key = tokens[i]!;
  if (!(key in node)) return node;
  const copy = (Array.isArray(node) ? [...node] : { ...node }) as Record<string, unknown>;
  const value =
    i === tokens.length - 1
      ? SECRET_MASK
      : masked((node as Record<string, unknown>)[key], tokens, i + 1);
  // defineProperty, so that a "__proto__" key stays a key.
  Object.defineProperty(copy, key, { value, writable: true, enumerable: true, configurable: true });
  return copy;
}

/** `value` with unknowns marked; unchanged parts are shared, not copied. */
function markUnknowns(value: unknown): unknown {
  if (value === UNKNOWN_WIRE) return UNKNOWN_MARK;
  return value !== null && typeof value === "object"
    ? mapChildren(value as unknown[] | Record<string, unknown>, markUnknowns)
    : value;
}

/** What the report needs of a resource: a recorded one, or one read from a stack export. */
export type ReportableResource = Omit<RecordedResource, "protect"> & { readonly protect?: boolean };

/** The report form of a recorded (or exported) resource: unknowns marked, secrets masked. */
export function reportResource(r: ReportableResource): ReportResource {
  return {
    urn: r.urn,
    type: r.type,
    name: r.name,
    custom: r.custom,
    ...(r.parent ? { parent: r.parent } : {}),
    inputs: maskValue(r.inputs, r.secretPaths) as Record<string, unknown>,
    outputs: maskValue(r.outputs, r.secretPaths) as Record<string, unknown>,
    ...(r.id !== undefined ? { id: r.id } : {}),
    ...(r.providerUrn ? { provider: r.providerUrn } : {}),
    account: r.account,
    region: r.region,
    dependencies: [...r.dependencies],
    propertyDependencies: { ...r.propertyDependencies },
    secretPaths: [...r.secretPaths],
    protect: r.protect ?? false,
    retainOnDelete: r.retainOnDelete,
  };
}

/** The report form of a stack (an evaluated program or a stack export) and its pack result. */
export function reportStack(
  run: {
    readonly project: string;
    readonly stack: string;
    readonly preview: boolean;
    readonly resources: readonly ReportableResource[];
  },
  result: PackResult,
  options: { readonly source?: ReportStack["source"]; readonly error?: string } = {},
): ReportStack {
  const suppressed = new Map<string, ReportSuppression[]>();
  for (const { urn, ...s } of result.suppressions ?? []) {
    const list = suppressed.get(urn) ?? [];
    list.push(s);
    suppressed.set(urn, list);
  }
  return {
    project: run.project,
    stack: run.stack,
    source: options.source ?? "plan",
    preview: run.preview,
    ...(options.error !== undefined ? { error: options.error } : {}),
    resources: run.resources.map((r) => {
      const resource = reportResource(r);
      const list = suppressed.get(r.urn);
      return list ? { ...resource, suppressions: list } : resource;
    }),
    findings: result.findings,
    exemptions: result.exemptions,
    policyErrors: result.errors,
  };
}
