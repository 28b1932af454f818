// A small Pulumi engine for the conformance test: the ResourceMonitor and Engine gRPC services,
// served with the SDK's own generated stubs, doing what the real engine does with what a program
// sends (URNs, provider inputs, default providers, asset hashes). Engine source cited at
// pulumi/pulumi 1b5949891b3c. What a resource answers (its id and outputs) comes from the caller,
// so the test can isolate what the SDK sends and the engine adds from how outputs are computed.
import * as path from "node:path";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as resgrpc from "@pulumi/pulumi/proto/resource_grpc_pb";
import * as respb from "@pulumi/pulumi/proto/resource_pb";
import * as enggrpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as engpb from "@pulumi/pulumi/proto/engine_pb";
import * as provpb from "@pulumi/pulumi/proto/provider_pb";
import * as emptypb from "google-protobuf/google/protobuf/empty_pb";
import * as structpb from "google-protobuf/google/protobuf/struct_pb";
import { archiveHash } from "../../plan/engine/assets";

// The grpc-js the SDK's stubs are generated against (a dependency of @pulumi/pulumi, not ours).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const grpc = require(
  require.resolve("@grpc/grpc-js", { paths: [path.dirname(require.resolve("@pulumi/pulumi"))] }),
) as {
  Server: new (opts: object) => GrpcServer;
  ServerCredentials: { createInsecure(): unknown };
  status: { INVALID_ARGUMENT: number; UNKNOWN: number };
};
interface GrpcServer {
  addService(def: unknown, impl: object): void;
  bindAsync(addr: string, creds: unknown, cb: (err: Error | null, port: number) => void): void;
  tryShutdown(cb: () => void): void;
}

/** Property signatures (sdk/go/common/resource/sig/sig.go) and the unknown sentinel (rpc.go l.73). */
export const SIG = {
  key: "4dabf18193072939515e22adb298388d",
  secret: "1b47061264138c4ac30d75fd1eb44270",
  resourceRef: "5cf8f73096256a8f31e491e813e4eb8e",
  outputValue: "d0e6a833031e9bbcd3f4e8bde6ca49a4",
  asset: "c44067f5952c0a294b673a41bacd8c17",
  archive: "0def7320c3a5731c473e5ecbe6d01bc7",
};
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

type Json = Record<string, unknown>;
const isMap = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** The engine's URN (deployment.go l.796-805 generateURN, urn.go l.80-93 urn.New). */
export function newUrn(stack: string, project: string, parent: string, type: string, name: string) {
  const parentType = parent ? parent.slice("urn:pulumi:".length).split("::")[2] : "";
  const qualified =
    parentType && parentType !== "pulumi:pulumi:Stack" ? `${parentType}$${type}` : type;
  return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

/**
 * An asset or archive as the engine records it: Deserialize keeps only the signature, hash and
 * content fields, so the SDK's `__pulumiAsset` / `__pulumiArchive` markers go (asset.go l.184-225,
 * archive.go l.234-300), and EnsureHash adds the sha256 (asset.go l.336-355). The archive hash of an
 * asset map or directory is a Go tar stream (archive.go l.806-835); it comes from the plan's tar
 * writer, which is UNVERIFIED against Go's archive/tar, so the test checks asset hashes itself.
 */
function engineAsset(v: Json, wd: string): Json {
  const isAsset = v[SIG.key] === SIG.asset;
  const out: Json = { [SIG.key]: v[SIG.key] };
  for (const k of isAsset ? ["hash", "text", "path", "uri"] : ["hash", "path", "uri"])
    if (v[k] !== undefined && v[k] !== "") out[k] = v[k];
  if (!isAsset && isMap(v["assets"]))
    out["assets"] = Object.fromEntries(
      Object.entries(v["assets"]).map(([k, a]) => [k, engineAsset(a as Json, wd)]),
    );
  if (out["hash"] === undefined) {
    let hash: string | undefined;
    if (isAsset && typeof v["text"] === "string")
      hash = createHash("sha256").update(v["text"]).digest("hex");
    else if (isAsset && typeof v["path"] === "string")
      hash = createHash("sha256")
        .update(fs.readFileSync(path.resolve(wd, v["path"])))
        .digest("hex");
    else if (!isAsset) hash = archiveHash(v, wd);
    if (hash !== undefined) out["hash"] = hash;
  }
  return out;
}

function withHashes(v: unknown, wd: string): unknown {
  if (Array.isArray(v)) return v.map((e) => withHashes(e, wd));
  if (!isMap(v)) return v;
  if (v[SIG.key] === SIG.asset || v[SIG.key] === SIG.archive) return engineAsset(v, wd);
  return Object.fromEntries(Object.entries(v).map(([k, e]) => [k, withHashes(e, wd)]));
}

/**
 * What the engine adds to a provider's inputs (source_eval.go l.2669-2720): `version` at the top
 * and `__internal` (registry.go l.44-60, SetProviderVersion l.166-173, SetProviderURL l.142-146).
 */
function setProviderInternals(inputs: Json, version: string, url: string): void {
  if (version) {
    if (!/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/.test(version))
      throw new Error(`passed invalid version: ${version}`);
    inputs["__internal"] = isMap(inputs["__internal"]) ? inputs["__internal"] : {};
    inputs["version"] = version;
  }
  if (url) {
    const internal = isMap(inputs["__internal"]) ? inputs["__internal"] : {};
    inputs["__internal"] = { ...internal, pluginDownloadURL: url };
  }
}

/** A default provider's name (pkg/resource/deploy/providers/provider.go l.107-140, no URL). */
function defaultProviderName(version: string): string {
  const m = /^(\d+)\.(\d+)\.(\d+)(?:-([^+]+))?(?:\+(.+))?$/.exec(version);
  if (!m) return "default";
  const extra = [m[4], m[5]].filter(Boolean).flatMap((s) => s!.split("."));
  return ["default", m[1], m[2], m[3], ...extra].join("_");
}

/** One registration as the engine received it. */
export interface Registration {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly parent: string;
  readonly custom: boolean;
  /** "<urn>::<id>"; a default provider's when the program named none. */
  readonly provider: string;
  readonly defaultProvider: boolean;
  /** Synthesised by the engine (a default provider), not sent by the program. */
  readonly synthetic: boolean;
  /** The engine's view: assets hashed and stripped of SDK markers, provider version/__internal. */
  readonly inputs: Json;
  readonly dependencies: string[];
  readonly propertyDependencies: Record<string, string[]>;
  readonly protect: boolean;
  readonly retainOnDelete: boolean;
}

export interface EngineOptions {
  readonly project: string;
  readonly stack: string;
  /** Flat `<ns>:<key>` config and its secret keys (default providers read them). */
  readonly config: Readonly<Record<string, string>>;
  readonly secretKeys: readonly string[];
  /** The program's working directory: FileAsset paths are read from it. */
  readonly workingDirectory: string;
  /** The id and outputs a registration gets back. */
  readonly answer: (urn: string, wire: Json) => { id: string; outputs: Json };
  readonly invoke: (token: string, args: Json) => Json;
}

export interface Engine {
  readonly monitorAddr: string;
  readonly engineAddr: string;
  readonly registrations: Registration[];
  readonly errors: string[];
  stop(): Promise<void>;
}

type Call<T> = { request: T };
type Done<T> = (err: unknown, res?: T) => void;

/** Starts the engine on two local ports. */
export async function startEngine(o: EngineOptions): Promise<Engine> {
  const registrations: Registration[] = [];
  const byUrn = new Set<string>();
  const errors: string[] = [];
  const defaults = new Map<string, Registration>();
  let root = "";
  // Features the real engine supports (source_eval.go l.945-985), less those needing a callback
  // server the SDK would call back into (transforms and hooks), which this engine has not.
  const features = new Set(["secrets", "resourceReferences", "outputValues", "aliasSpecs"]);
  for (const f of ["deletedWith", "replaceWith", "parameterization", "replacementTrigger"])
    features.add(f);

  const defaultProvider = (pkg: string, version: string): Registration => {
    let p = defaults.get(`${pkg}@${version}`);
    if (p) return p;
    // default_providers.go l.139-190: the package's config (target.go l.46-72), parent "".
    const inputs: Json = {};
    for (const [k, v] of Object.entries(o.config))
      if (k.startsWith(`${pkg}:`))
        inputs[k.slice(pkg.length + 1)] = o.secretKeys.includes(k)
          ? { [SIG.key]: SIG.secret, value: v }
          : v;
    setProviderInternals(inputs, version, "");
    const type = `pulumi:providers:${pkg}`;
    const urn = newUrn(o.stack, o.project, "", type, defaultProviderName(version));
    p = {
      ...{ urn, type, name: urn.split("::").pop()!, parent: "", custom: true, provider: "" },
      ...{ defaultProvider: false, synthetic: true, inputs, dependencies: [] },
      ...{ propertyDependencies: {}, protect: false, retainOnDelete: false },
    };
    defaults.set(`${pkg}@${version}`, p);
    registrations.push(p);
    return p;
  };

  const monitor = {
    supportsFeature(call: Call<respb.SupportsFeatureRequest>, done: Done<object>) {
      const res = new respb.SupportsFeatureResponse();
      res.setHassupport(features.has(call.request.getId()));
      done(null, res);
    },
    registerResource(call: Call<respb.RegisterResourceRequest>, done: Done<object>) {
      try {
        const r = call.request;
        const type = r.getType();
        const wire = (r.getObject()?.toJavaScript() ?? {}) as Json;
        const inputs = withHashes(wire, o.workingDirectory) as Json;
        if (type.startsWith("pulumi:providers:"))
          setProviderInternals(inputs, r.getVersion(), r.getPlugindownloadurl());
        const urn = newUrn(o.stack, o.project, r.getParent(), type, r.getName());
        // step_generator.go l.277-290: a duplicate URN fails the deployment.
        if (byUrn.has(urn))
          throw Object.assign(new Error(`Duplicate resource URN '${urn}'`), {
            code: grpc.status.INVALID_ARGUMENT,
          });
        byUrn.add(urn);
        let provider = r.getProvider();
        const onDefault = r.getCustom() && !type.startsWith("pulumi:providers:") && !provider;
        if (onDefault)
          provider = `${defaultProvider(type.split(":")[0]!, r.getVersion()).urn}::default-id`;
        const propertyDependencies: Record<string, string[]> = {};
        r.getPropertydependenciesMap().forEach(
          (v, k) => (propertyDependencies[k] = v.getUrnsList()),
        );
        registrations.push({
          ...{ urn, type, name: r.getName(), parent: r.getParent(), custom: r.getCustom() },
          ...{ provider, defaultProvider: onDefault, synthetic: false, inputs },
          ...{ dependencies: r.getDependenciesList(), propertyDependencies },
          ...{ protect: r.getProtect() === true, retainOnDelete: r.getRetainondelete() === true },
        });
        const { id, outputs } = o.answer(urn, wire);
        const res = new respb.RegisterResourceResponse();
        res.setUrn(urn);
        if (r.getCustom()) res.setId(id);
        res.setObject(structpb.Struct.fromJavaScript(outputs as never));
        done(null, res);
      } catch (e) {
        errors.push((e as Error).message);
        done({
          code: (e as { code?: number }).code ?? grpc.status.UNKNOWN,
          details: (e as Error).message,
        });
      }
    },
    registerResourceOutputs(_call: unknown, done: Done<object>) {
      done(null, new emptypb.Empty());
    },
    invoke(call: Call<respb.ResourceInvokeRequest>, done: Done<object>) {
      const res = new provpb.InvokeResponse();
      const args = (call.request.getArgs()?.toJavaScript() ?? {}) as Json;
      res.setReturn(structpb.Struct.fromJavaScript(o.invoke(call.request.getTok(), args) as never));
      done(null, res);
    },
    registerPackage(call: Call<respb.RegisterPackageRequest>, done: Done<object>) {
      const res = new respb.RegisterPackageResponse();
      res.setRef(`${call.request.getName()}@${call.request.getVersion()}`);
      done(null, res);
    },
    signalAndWaitForShutdown(_call: unknown, done: Done<object>) {
      done(null, new emptypb.Empty());
    },
  };
  const engine = {
    log(call: Call<engpb.LogRequest>, done: Done<object>) {
      if (call.request.getSeverity() === engpb.LogSeverity.ERROR)
        errors.push(call.request.getMessage());
      done(null, new emptypb.Empty());
    },
    getRootResource(_call: unknown, done: Done<object>) {
      const res = new engpb.GetRootResourceResponse();
      res.setUrn(root);
      done(null, res);
    },
    setRootResource(call: Call<engpb.SetRootResourceRequest>, done: Done<object>) {
      root = call.request.getUrn();
      done(null, new engpb.SetRootResourceResponse());
    },
  };

  const serve = (def: unknown, impl: object) =>
    new Promise<{ server: GrpcServer; port: number }>((resolve, reject) => {
      const server = new grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024 });
      server.addService(def, impl);
      server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, port) =>
        err ? reject(err) : resolve({ server, port }),
      );
    });
  const m = await serve(resgrpc.ResourceMonitorService, monitor);
  const e = await serve(enggrpc.EngineService, engine);
  return {
    monitorAddr: `127.0.0.1:${m.port}`,
    engineAddr: `127.0.0.1:${e.port}`,
    registrations,
    errors,
    stop: () =>
      Promise.all([m.server, e.server].map((s) => new Promise<void>((r) => s.tryShutdown(r)))).then(
        () => undefined,
      ),
  };
}
