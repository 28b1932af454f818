// What the offline engine records: every resource and provider-function call as the real engine
// would receive it, and the result of evaluating one stack.
import * as pulumi from "@pulumi/pulumi";

/** Pulumi's wire sentinel for a value not known until the resource exists. */
export const UNKNOWN = pulumi.runtime.unknownValue;

/** One resource as the engine received it. */
export interface RecordedResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  /** False for component resources (and the root stack). */
  readonly custom: boolean;
  /** URN of the parent resource, if any. */
  readonly parent?: string;
  /** Inputs with secrets unwrapped and resource references as URNs; unknowns are UNKNOWN. */
  readonly inputs: Record<string, unknown>;
  /** Inputs plus computed outputs (in preview: only what the provider knows before creating). */
  readonly outputs: Record<string, unknown>;
  /** Physical id, undefined in preview. */
  readonly id?: string;
  /** URN of the explicit provider resource; undefined for the default provider. */
  readonly providerUrn?: string;
  /** AWS account and region the resource is created in. */
  readonly account: string;
  readonly region: string;
  /** URNs the resource depends on, as sent to the engine. */
  readonly dependencies: readonly string[];
  /** Per input property, the URNs its value came from. */
  readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
  /** Input paths whose value was a secret (`pulumi.secret`, secret config). */
  readonly secretPaths: readonly string[];
  readonly protect: boolean;
  readonly retainOnDelete: boolean;
}

export interface RecordedInvoke {
  readonly token: string;
  readonly inputs: Record<string, unknown>;
  readonly account: string;
  readonly region: string;
}

/** The result of evaluating one stack. */
export interface StackRun {
  readonly project: string;
  readonly stack: string;
  readonly preview: boolean;
  readonly resources: RecordedResource[];
  readonly invokes: RecordedInvoke[];
  /** Stack outputs (resolved values; unknown ones are UNKNOWN). */
  readonly outputs: Record<string, unknown>;
  /** Why the program failed, when it did. */
  readonly error?: unknown;
}

export interface RunOptions {
  readonly project: string;
  readonly stack: string;
  /** Flat namespaced config, as the CLI passes it (see plan/engine/project.ts). */
  readonly config: Readonly<Record<string, string>>;
  readonly secretKeys?: readonly string[];
  /** Evaluate as `pulumi preview` (ids and ARNs of new resources unknown). Default: false. */
  readonly preview?: boolean;
  /** The Pulumi program; its return value becomes the stack outputs. */
  readonly program: () => unknown;
}
