// The offline engine: runs a Pulumi program in-process against Pulumi's mock runtime and records
// what the real engine would receive for every resource (type, name, inputs, parent, provider
// with its account and region, dependencies and property dependencies, protect and
// retainOnDelete), answering with outputs computed as AWS computes them. The offline plan, the
// tests and the benchmarks all use this one engine. It deploys nothing.
import * as pulumi from "@pulumi/pulumi";
import * as log from "@pulumi/pulumi/log";
import { withLeanRuntime } from "./lean-runtime";
import { parseMaybeJson } from "./provider-target";
import { normalize, RecordingMonitor } from "./recording-monitor";
import type { RunOptions, StackRun } from "./records";

export { UNKNOWN } from "./records";
export type { RecordedInvoke, RecordedResource, RunOptions, StackRun } from "./records";
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
