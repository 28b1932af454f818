// The properties a policy receives, from what the engine records: the analyzer plugin marshals
// them without top-level internal keys, and @pulumi/policy turns assets and archives back into
// the SDK's asset objects.
/* eslint-disable @typescript-eslint/no-require-imports */

const SIG_KEY = "4dabf18193072939515e22adb298388d";
const ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17";
const ARCHIVE_SIG = "0def7320c3a5731c473e5ecbe6d01bc7";

type Json = Record<string, unknown>;
const isMap = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** The SDK's asset classes, from their own module (3 ms; the SDK's index takes about a second). */
let assets: typeof import("@pulumi/pulumi/asset") | undefined;

/**
 * An asset or archive as @pulumi/policy's deserializeProperties makes it (@pulumi/policy 1.21.0,
 * deserialize.js, the specialAssetSig / specialArchiveSig branches): `path`, then `text`, then
 * `uri` for an asset; `assets`, then `path`, then `uri` for an archive; the same errors otherwise.
 * Calling that function would load the whole Pulumi SDK (and with it npm's arborist and
 * TypeScript) into `check`; a test holds this copy equal to it.
 */
export function deserializeAsset(v: Json): unknown {
  assets ??= require("@pulumi/pulumi/asset") as typeof import("@pulumi/pulumi/asset");
  const a = assets;
  if (v[SIG_KEY] === ASSET_SIG) {
    if (v["path"]) return new a.FileAsset(v["path"] as string);
    if (v["text"]) return new a.StringAsset(v["text"] as string);
    if (v["uri"]) return new a.RemoteAsset(v["uri"] as string);
    throw new Error("Invalid asset encountered when unmarshaling resource property");
  }
  if (v["assets"]) {
    const members: Record<string, unknown> = {};
    for (const [name, m] of Object.entries(v["assets"] as Json)) {
      const d =
        isMap(m) && (m[SIG_KEY] === ASSET_SIG || m[SIG_KEY] === ARCHIVE_SIG)
          ? deserializeAsset(m)
          : m;
      if (!a.Asset.isInstance(d) && !a.Archive.isInstance(d)) {
        throw new Error(
          "Expected an AssetArchive's assets to be unmarshaled Asset or Archive objects",
        );
      }
      members[name] = d;
    }
    return new a.AssetArchive(members as Record<string, never>);
  }
  if (v["path"]) return new a.FileArchive(v["path"] as string);
  if (v["uri"]) return new a.RemoteArchive(v["uri"] as string);
  throw new Error("Invalid archive encountered when unmarshaling resource property");
}

function convert(v: unknown): unknown {
  if (Array.isArray(v)) {
    let copy: unknown[] | undefined;
    v.forEach((e, i) => {
      const c = convert(e);
      if (c !== e) (copy ??= [...v])[i] = c;
    });
    return copy ?? v;
  }
  if (!isMap(v)) return v;
  if (v[SIG_KEY] === ASSET_SIG || v[SIG_KEY] === ARCHIVE_SIG) return deserializeAsset(v);
  let copy: Json | undefined;
  for (const [k, e] of Object.entries(v)) {
    const c = convert(e);
    if (c !== e) (copy ??= { ...v })[k] = c;
  }
  return copy ?? v;
}

/**
 * What a policy's `props` hold for recorded inputs or outputs: top-level keys starting with "__"
 * (a provider's `__internal`) are dropped, as the analyzer plugin marshals with SkipInternalKeys
 * (pulumi/pulumi at 1b5949891b3c: pkg/resource/plugin/analyzer_plugin.go l.301-307, l.766-772;
 * sdk/go/common/resource/plugin/rpc.go l.104-111, top level only); assets and archives (recorded
 * with signature and hash) become FileAsset, StringAsset, AssetArchive… objects, as
 * @pulumi/policy's deserializeProperties makes them. Nothing is copied when nothing changes.
 */
export function analyzerProps(values: Json): Json {
  let out: Json | undefined;
  for (const [k, v] of Object.entries(values)) {
    if (k.startsWith("__")) {
      out ??= { ...values };
      delete out[k];
      continue;
    }
    const c = convert(v);
    if (c !== v) (out ??= { ...values })[k] = c;
  }
  return out ?? values;
}
