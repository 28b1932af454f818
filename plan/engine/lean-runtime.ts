// The offline engine's lean runtime: two costs of the Node.js SDK that an evaluation without a
// real engine does not need, turned off while a stack evaluates.
import * as structproto from "google-protobuf/google/protobuf/struct_pb";

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
export async function withLeanRuntime<T>(work: () => Promise<T>): Promise<T> {
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
