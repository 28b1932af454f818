// The monitor the offline engine evaluates a program against: a MockMonitor that records what the
// real engine would receive (inputs with secrets unwrapped, parents, providers with their account
// and region, dependencies) and answers with the outputs AWS would compute.
import * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import * as resproto from "@pulumi/pulumi/proto/resource_pb";
import { computeResource } from "./aws-outputs";
import { answerInvoke } from "./invokes";
import { propertyPath } from "../../policies/lib/unknowns";
import { parseMaybeJson, providerTarget, type Target } from "./provider-target";
import { RecordedInvoke, RecordedResource, UNKNOWN } from "./records";
import * as structproto from "google-protobuf/google/protobuf/struct_pb";
import { mapChildren } from "./values";
import { engineAsset } from "./assets";
import { engineUrn } from "./urn";

const isMap = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Unwraps the wire format: secrets and resource references; records where secrets were; assets
 * and archives become what the engine records (see ./assets: signature and hash kept, the SDK's
 * markers dropped; file paths are read from the working directory, as the engine reads them). A
 * value with none of those inside is returned as it is, not copied (a large stack's pipelines
 * and projects are most of its memory), and a path is spelled out only for a secret.
 */
export function normalize(value: unknown, path: string, secrets: string[]): unknown {
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
    if (sig === pulumi.runtime.specialAssetSig || sig === pulumi.runtime.specialArchiveSig)
      return engineAsset(v, process.cwd());
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

/** The URN the engine gives a resource (not the mock runtime's, pulumi/pulumi#8637). */
function resourceUrn(parent: string, type: string, name: string): string {
  return engineUrn(pulumi.getStack(), pulumi.getProject(), parent, type, name);
}

/**
 * What the engine adds to an explicit provider's inputs before anything else sees them: the plugin
 * `version` the SDK sent (the provider package's version) and `__internal` (with the plugin
 * download URL, when one was sent). Engine source, pulumi/pulumi at 1b5949891b3c:
 * pkg/resource/deploy/source_eval.go l.2669-2720 (RegisterResource), and
 * pkg/resource/deploy/providers/registry.go l.142-146 (SetProviderURL), l.166-173
 * (SetProviderVersion). Policies see `version` but not `__internal` (see plan/pack).
 */
function withProviderInternals(
  inputs: Record<string, unknown>,
  version: string,
  downloadUrl: string,
): Record<string, unknown> {
  if (!version && !downloadUrl) return inputs;
  const internal: Record<string, unknown> = isMap(inputs["__internal"])
    ? { ...inputs["__internal"] }
    : {};
  if (downloadUrl) internal["pluginDownloadURL"] = downloadUrl;
  return { ...inputs, ...(version ? { version } : {}), __internal: internal };
}

type Callback<T> = (err: Error | null, resp?: T) => void;

/** The SDK shows an RPC error's `details` (the engine's message), so carry the message there. */
function rpcError(err: unknown): Error {
  const e = err instanceof Error ? err : new Error(String(err));
  return Object.assign(e, { details: e.message });
}

/** A MockMonitor that records what the real engine would receive and answers like AWS. */
export class RecordingMonitor extends MockMonitor {
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
    // The base class builds URNs (its readResource) the mock runtime's way: use the engine's.
    Object.assign(this, { newUrn: resourceUrn });
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
      let inputs = normalize(raw, "", secretPaths) as Record<string, unknown>;
      if (type.startsWith("pulumi:providers:"))
        inputs = withProviderInternals(
          inputs,
          req.getVersion?.() ?? "",
          req.getPlugindownloadurl?.() ?? "",
        );
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
