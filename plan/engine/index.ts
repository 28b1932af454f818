// The offline engine: runs a Pulumi program in-process against Pulumi's mock runtime and records
// what the real engine would receive for every resource (type, name, inputs, parent, provider
// with its account and region, dependencies and property dependencies, protect and
// retainOnDelete), answering with outputs computed as AWS computes them. The offline plan, the
// tests and the benchmarks all use this one engine. It deploys nothing.
import * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import * as resproto from "@pulumi/pulumi/proto/resource_pb";
import * as log from "@pulumi/pulumi/log";
import * as structproto from "google-protobuf/google/protobuf/struct_pb";
import { computeResource } from "./aws-outputs";
import { answerInvoke } from "./invokes";
import { propertyPath } from "../../policies/lib/unknowns";
import { parseMaybeJson, providerTarget, type Target } from "./provider-target";
import { mapChildren } from "./values";

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

const isMap = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Unwraps the wire format: secrets, resource references, assets; records where secrets were. A
 * value with none of those inside is returned as it is, not copied (a large stack's pipelines
 * and projects are most of its memory), and a path is spelled out only for a secret.
 */
function normalize(value: unknown, path: string, secrets: string[]): unknown {
  const segments: (string | number)[] = [];
  const walk = (v: unknown): unknown => {
    const children = (): unknown =>
      mapChildren(v as unknown[] | Record<string, unknown>, (child, key) => {
        segments.push(key);
        const mapped = walk(child);
        segments.pop();
        return mapped;
      });
    if (Array.isArray(v)) return children();
    if (!isMap(v)) return v;
    const sig = v[pulumi.runtime.specialSigKey];
    if (sig === pulumi.runtime.specialSecretSig) {
      secrets.push(propertyPath(segments, path));
      return walk(v["value"]);
    }
    if (sig === pulumi.runtime.specialResourceSig) return v["urn"];
    if (sig === pulumi.runtime.specialOutputValueSig)
      return "value" in v ? walk(v["value"]) : UNKNOWN;
    if (sig === pulumi.runtime.specialAssetSig || sig === pulumi.runtime.specialArchiveSig) {
      const rest = { ...v };
      delete rest[pulumi.runtime.specialSigKey];
      return rest;
    }
    return children();
  };
  return walk(value);
}

/** Account and region an AWS provider resource pins its resources to, and its default tags. */
function providerSettings(
  inputs: Record<string, unknown>,
  fallback: Target,
): Target & { defaultTags?: Record<string, string> } {
  const tags = parseMaybeJson(inputs["defaultTags"]);
  const defaultTags =
    isMap(tags) && isMap(tags["tags"]) ? (tags["tags"] as Record<string, string>) : undefined;
  return { ...providerTarget(inputs, fallback), defaultTags };
}

/** The URN the engine gives a resource: the parent's type is qualified into the child's. */
function resourceUrn(parent: string, type: string, name: string): string {
  let qualified = type;
  if (parent) qualified = `${parent.split("::")[2].split("$").pop()}$${type}`;
  return `urn:pulumi:${pulumi.getStack()}::${pulumi.getProject()}::${qualified}::${name}`;
}

type Callback<T> = (err: Error | null, resp?: T) => void;

/** The SDK shows an RPC error's `details` (the engine's message), so carry the message there. */
function rpcError(err: unknown): Error {
  const e = err instanceof Error ? err : new Error(String(err));
  return Object.assign(e, { details: e.message });
}

/** A MockMonitor that records what the real engine would receive and answers like AWS. */
class RecordingMonitor extends MockMonitor {
  readonly recorded: RecordedResource[] = [];
  readonly invokes: RecordedInvoke[] = [];
  private readonly byUrn = new Map<string, RecordedResource>();
  private readonly providers = new Map<
    string,
    { account: string; region: string; defaultTags?: Record<string, string> }
  >();

  constructor(
    private readonly defaults: { account: string; region: string },
    private readonly preview: boolean,
  ) {
    super({
      newResource: () => {
        throw new Error("unused: the recording monitor registers resources itself");
      },
      call: () => {
        throw new Error("unused: the recording monitor answers invokes itself");
      },
    });
  }

  private targetOf(providerRef: string) {
    if (!providerRef) return { ...this.defaults };
    const urn = providerRef.split("::").slice(0, -1).join("::");
    return this.providers.get(urn) ?? { ...this.defaults };
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async registerResource(req: any, callback: Callback<resproto.RegisterResourceResponse>) {
    try {
      const type: string = req.getType();
      const name: string = req.getName();
      const parent: string = req.getParent();
      const custom: boolean = req.getCustom();
      const raw = (req.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>;
      const secretPaths: string[] = [];
      const inputs = normalize(raw, "", secretPaths) as Record<string, unknown>;
      const urn = resourceUrn(parent, type, name);

      let target: { account: string; region: string; defaultTags?: Record<string, string> };
      const providerRef: string = req.getProvider() ?? "";
      if (type.startsWith("pulumi:providers:")) {
        target = providerSettings(inputs, this.defaults);
        this.providers.set(urn, target);
      } else if (!custom) {
        const awsProvider = req.getProvidersMap?.()?.get("aws");
        target = awsProvider
          ? this.targetOf(awsProvider)
          : (this.byUrn.get(parent) ?? { ...this.defaults });
      } else {
        target = this.targetOf(providerRef);
      }
      const region = typeof inputs["region"] === "string" ? inputs["region"] : target.region;

      let id: string | undefined;
      let state: Record<string, unknown>;
      if (custom && !type.startsWith("pulumi:providers:")) {
        const computed = computeResource(
          {
            type,
            name,
            urn,
            inputs,
            account: target.account,
            region,
            defaultTags: target.defaultTags,
          },
          this.preview,
        );
        id = computed.id;
        state = computed.state;
      } else {
        id = custom ? (this.preview ? undefined : `${name}-provider-id`) : undefined;
        state = { ...inputs };
      }

      const propertyDependencies: Record<string, string[]> = {};
      req.getPropertydependenciesMap().forEach((deps: { getUrnsList(): string[] }, key: string) => {
        propertyDependencies[key] = deps.getUrnsList();
      });
      const record: RecordedResource = {
        urn,
        type,
        name,
        custom,
        parent: parent || undefined,
        inputs,
        outputs: state,
        id,
        providerUrn: providerRef ? providerRef.split("::").slice(0, -1).join("::") : undefined,
        account: target.account,
        region,
        dependencies: req.getDependenciesList(),
        propertyDependencies,
        secretPaths,
        protect: req.getProtect() === true,
        retainOnDelete: req.getRetainondelete() === true,
      };
      this.recorded.push(record);
      this.byUrn.set(urn, record);

      // Answer: the raw inputs (keeping secret and unknown markers) overlaid with computed outputs.
      const answer: Record<string, unknown> = { ...raw };
      for (const [k, v] of Object.entries(state)) if (raw[k] === undefined) answer[k] = v;
      // Kept where the base class looks resources up (getResource invokes).
      (this as unknown as { resources: Map<string, unknown> }).resources.set(urn, {
        urn,
        id: id ?? null,
        state: answer,
      });
      // The SDK reads the answer through these getters only. A protobuf Struct would be built
      // here and turned straight back into JavaScript there; for a large stack (pipelines of a
      // hundred deploy actions) that round trip was a good part of evaluation time. The SDK's
      // deserializer builds its own objects from the plain answer and never changes it.
      const response = {
        getUrn: () => urn,
        getId: () => id ?? "",
        getObject: () => ({ toJavaScript: () => answer }),
        getPropertydependenciesMap: () => undefined,
        getResult: () => resproto.Result.SUCCESS,
      };
      callback(null, response as unknown as resproto.RegisterResourceResponse);
    } catch (err) {
      callback(rpcError(err), undefined);
    }
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  registerResourceOutputs(req: any, callback: Callback<object>) {
    const record = this.byUrn.get(req.getUrn());
    if (!record) {
      callback(new Error(`unknown resource ${req.getUrn()}`));
      return;
    }
    const outputs = normalize(req.getOutputs()?.toJavaScript() ?? {}, "", []) as Record<
      string,
      unknown
    >;
    Object.assign(record.outputs, outputs);
    callback(null, {});
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async invoke(req: any, callback: Callback<provproto.InvokeResponse>) {
    try {
      const token: string = req.getTok();
      const inputs = normalize(req.getArgs()?.toJavaScript() ?? {}, "", []) as Record<
        string,
        unknown
      >;
      const target = this.targetOf(req.getProvider() ?? "");
      this.invokes.push({ token, inputs, ...target });
      const result = answerInvoke(token, inputs, target);
      const response = new provproto.InvokeResponse();
      response.setReturn(structproto.Struct.fromJavaScript(result as never));
      callback(null, response);
    } catch (err) {
      callback(rpcError(err), undefined);
    }
  }
}

let queue: Promise<unknown> = Promise.resolve();

/** Default account and region of a stack: `aws:allowedAccountIds[0]` and `aws:region`. */
export function stackTarget(config: Readonly<Record<string, string>>): {
  account: string;
  region: string;
} {
  const allowed = parseMaybeJson(config["aws:allowedAccountIds"]);
  const account =
    Array.isArray(allowed) && typeof allowed[0] === "string" ? allowed[0] : "000000000000";
  return { account, region: config["aws:region"] ?? "us-east-1" };
}

/**
 * Evaluates a program as one stack. Runs are serialized (the Pulumi runtime is process-global).
 * Never throws for program errors: they are returned in `error`, with what was registered before.
 */
export function evaluate(options: RunOptions): Promise<StackRun> {
  const run = queue.then(() => evaluateNow(options));
  queue = run.catch(() => undefined);
  return run;
}

/**
 * Two costs of the Node.js SDK that an offline evaluation does not need, turned off while a stack
 * evaluates (and put back after):
 * - Every RPC promise is wrapped by the leak detector, which captures a stack trace and defines
 *   three properties per promise; here the wrapper only tracks the promise, so leaks are still
 *   detected (and reported at exit, as the SDK does), without the trace.
 * - Every resource's inputs are converted into a protobuf Struct for the engine, which this
 *   in-process monitor turns straight back into JavaScript. Here `Struct.fromJavaScript` returns
 *   an empty Struct that hands back the value it was given; anything that reads its fields
 *   (rather than `toJavaScript`) gets the real conversion.
 * On a 6,000-resource tools stack these were a third of the evaluation time and much of its
 * garbage.
 */
async function withLeanRuntime<T>(work: () => Promise<T>): Promise<T> {
  // Internal SDK modules (their typings are not published); the SDK calls both through these
  // module objects, so replacing the export replaces what it calls.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const debuggable = require("@pulumi/pulumi/runtime/debuggable") as {
    debuggablePromise: <P>(p: Promise<P>, ctx: unknown) => Promise<P>;
  };
  const state = require("@pulumi/pulumi/runtime/state") as {
    getStore(): { leakCandidates: Set<Promise<unknown>> };
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
  const fromJavaScript = structproto.Struct.fromJavaScript;
  const wrap = debuggable.debuggablePromise;
  structproto.Struct.fromJavaScript = (value) => {
    const struct = new structproto.Struct();
    Object.assign(struct, {
      toJavaScript: () => value,
      getFieldsMap: () => fromJavaScript(value).getFieldsMap(),
    });
    return struct;
  };
  debuggable.debuggablePromise = <P>(p: Promise<P>, ctx: unknown): Promise<P> => {
    const candidates = state.getStore().leakCandidates;
    Object.assign(p, { _debugCtx: ctx });
    candidates.add(p);
    return p.then(
      (value) => {
        candidates.delete(p);
        return value;
      },
      (err: unknown) => {
        candidates.delete(p);
        if (err !== null && typeof err === "object") Object.assign(err, { promise: p });
        throw err;
      },
    );
  };
  try {
    return await work();
  } finally {
    structproto.Struct.fromJavaScript = fromJavaScript;
    debuggable.debuggablePromise = wrap;
  }
}

function evaluateNow(options: RunOptions): Promise<StackRun> {
  return withLeanRuntime(() => evaluateLean(options));
}

async function evaluateLean(options: RunOptions): Promise<StackRun> {
  const preview = options.preview ?? false;
  const monitor = new RecordingMonitor(stackTarget(options.config), preview);
  pulumi.runtime.setMockOptions(monitor, options.project, options.stack, preview);
  // The same feature flags `pulumi.runtime.setMocks` turns on.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const store = require("@pulumi/pulumi/runtime/state").getStore();
  Object.assign(store, {
    supportsSecrets: true,
    supportsResourceReferences: true,
    supportsOutputValues: false,
    supportsDeletedWith: true,
    supportsReplaceWith: true,
    supportsAliasSpecs: true,
    supportsTransforms: true,
    supportsInvokeTransforms: true,
    supportsParameterization: true,
    supportsResourceHooks: true,
    supportsErrorHooks: true,
    supportsInvokeDependsOn: false,
  });
  pulumi.runtime.setAllConfig({ ...options.config }, [...(options.secretKeys ?? [])]);

  const asyncErrors: unknown[] = [];
  const onAsyncError = (err: unknown) => asyncErrors.push(err);
  process.on("unhandledRejection", onAsyncError);
  let error: unknown;
  let outputs: Record<string, unknown> = {};
  try {
    const result = await pulumi.runtime.runInPulumiStack(async () => options.program());
    outputs = (normalize(JSON.parse(JSON.stringify(result ?? {})), "", []) ?? {}) as Record<
      string,
      unknown
    >;
  } catch (e) {
    error = e;
  }
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    await require("@pulumi/pulumi/runtime/settings").waitForRPCs();
  } catch (e) {
    error ??= e;
  }
  // Let pending rejections surface before the handler goes.
  await new Promise((resolve) => setImmediate(resolve));
  process.off("unhandledRejection", onAsyncError);
  if (error === undefined && asyncErrors.length > 0) error = asyncErrors[0];
  if (error === undefined && log.hasErrors())
    error = new Error("the program logged errors; see the messages above");
  return {
    project: options.project,
    stack: options.stack,
    preview,
    resources: monitor.recorded,
    invokes: monitor.invokes,
    outputs,
    error,
  };
}
