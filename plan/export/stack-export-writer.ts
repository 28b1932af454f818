// The stack-export writer: the plan's resources of one stack written as the deployment v3 export
// Pulumi would hold after `pulumi up` (toStackExport).
import { createHash } from "node:crypto";
import awsPackage from "@pulumi/aws/package.json";
import { version as pulumiVersion } from "@pulumi/pulumi/version";
import { UNKNOWN_MARK, UNKNOWN_WIRE } from "../engine/values";
import { pathTokens, type ReportResource } from "../report";
import { StackExportError, UNKNOWN_TARGET } from "./parsed-export";
import { parseStackExport } from "./stack-export-reader";
import {
  ARCHIVE_SIG,
  ASSET_SIG,
  isDefaultProviderUrn,
  isMap,
  type Json,
  PROVIDER_PREFIX,
  SECRET_SIG,
  SIG_KEY,
  STACK_TYPE,
} from "./wire-format";

/** One resource of a written export (`apitype.ResourceV3`, the fields this writer fills). */
export interface ExportResourceV3 {
  readonly urn: string;
  readonly custom: boolean;
  readonly id?: string;
  readonly type: string;
  readonly inputs?: Json;
  readonly outputs?: Json;
  readonly parent?: string;
  readonly protect?: boolean;
  readonly dependencies?: string[];
  readonly provider?: string;
  readonly propertyDependencies?: Record<string, string[]>;
  readonly retainOnDelete?: boolean;
  readonly created: string;
  readonly modified: string;
}

/** A written export (`apitype.UntypedDeployment` holding a `DeploymentV3`). */
export interface StackExport {
  readonly version: 3;
  readonly deployment: {
    readonly manifest: { readonly time: string; readonly magic: string; readonly version: string };
    readonly resources: ExportResourceV3[];
  };
}

/** A provider id for a provider the plan has none for (preview): a UUID derived from its URN. */
export function placeholderProviderId(urn: string): string {
  const h = createHash("sha256").update(urn).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** The wire form of a report value: unknowns as Pulumi's placeholder, assets and archives signed. */
function toWire(value: unknown): unknown {
  if (value === UNKNOWN_MARK) return UNKNOWN_WIRE;
  if (Array.isArray(value)) return value.map(toWire);
  if (!isMap(value)) return value;
  // Assets and archives are recorded as the engine holds them (signature, hash, content fields).
  if (value[SIG_KEY] === ASSET_SIG || value[SIG_KEY] === ARCHIVE_SIG) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toWire(v)]));
}

/** A wire copy of `props` with the values at `secretPaths` wrapped as `--show-secrets` secrets. */
function wrapSecrets(props: Json, secretPaths: readonly string[]): Json {
  const copy = toWire(props) as Json;
  const done: string[][] = [];
  const ordered = secretPaths.map(pathTokens).sort((a, b) => a.length - b.length);
  for (const tokens of ordered) {
    if (tokens.length === 0) continue;
    if (done.some((d) => d.every((t, i) => tokens[i] === t))) continue;
    let at: unknown = copy;
    for (const t of tokens.slice(0, -1))
      at = isMap(at) || Array.isArray(at) ? (at as Json)[t] : undefined;
    const last = tokens[tokens.length - 1]!;
    if ((isMap(at) || Array.isArray(at)) && Object.prototype.hasOwnProperty.call(at, last)) {
      const holder = at as Json;
      Object.defineProperty(holder, last, {
        value: { [SIG_KEY]: SECRET_SIG, plaintext: JSON.stringify(holder[last]) },
        enumerable: true,
        writable: true,
        configurable: true,
      });
      done.push(tokens);
    }
  }
  return copy;
}

/**
 * Writes the plan's resources of one stack as the deployment v3 export Pulumi would hold after
 * `pulumi up` (the inverse of parseStackExport): manifest, then each resource with its custom flag,
 * type, urn, id, inputs, outputs, parent, provider reference ("<urn>::<id>", a placeholder id when
 * the plan has none), dependencies, property dependencies, protect and retainOnDelete; values at
 * `secretPaths` become `plaintext` secrets, unknowns Pulumi's computed placeholder. Custom
 * resources without an explicit provider reference a default provider
 * (`pulumi:providers:<package>::default_<version>`), written after the root stack with the stack's
 * account and region, as Pulumi writes one once a resource uses it. The only other resource added
 * is that default AWS provider when the stack's account and region could not be read back
 * otherwise (see parseStackExport).
 */
export function toStackExport(
  stack: { project: string; stack: string; resources: readonly ReportResource[] },
  options: { readonly time?: Date } = {},
): StackExport {
  const time = (options.time ?? new Date()).toISOString();
  const engineVersion = `v${pulumiVersion}`;
  const manifest = {
    time,
    magic: createHash("sha256").update(engineVersion).digest("hex"),
    version: engineVersion,
  };
  const byUrn = new Map(stack.resources.map((r) => [r.urn, r]));
  const root = stack.resources.find((r) => r.type === STACK_TYPE);
  const prefix = `urn:pulumi:${stack.stack}::${stack.project}::`;

  // Default providers: reuse one the resources hold, else write one per package that needs it.
  const defaults = new Map<string, { urn: string; id: string }>();
  const synthesized: ExportResourceV3[] = [];
  for (const r of stack.resources)
    if (r.type.startsWith(PROVIDER_PREFIX) && isDefaultProviderUrn(r.urn)) {
      const pkg = r.type.slice(PROVIDER_PREFIX.length);
      if (!defaults.has(pkg))
        defaults.set(pkg, { urn: r.urn, id: r.id ?? placeholderProviderId(r.urn) });
    }
  const onDefault = (r: ReportResource) =>
    r.custom && !r.type.startsWith(PROVIDER_PREFIX) && !r.provider;
  // The stack's own account and region (its `aws:` config): what a default AWS provider holds.
  const home = root ?? stack.resources.find(onDefault);
  const addDefault = (pkg: string): void => {
    if (defaults.has(pkg)) return;
    const version = pkg === "aws" ? awsPackage.version : undefined;
    const name = version ? `default_${version.replace(/[.-]/g, "_")}` : "default";
    const urn = `${prefix}${PROVIDER_PREFIX}${pkg}::${name}`;
    const id = placeholderProviderId(urn);
    const inputs: Json = {};
    if (pkg === "aws" && home) {
      if (home.account !== UNKNOWN_TARGET)
        inputs["allowedAccountIds"] = JSON.stringify([home.account]);
      if (home.region !== UNKNOWN_TARGET) inputs["region"] = home.region;
    }
    if (version) inputs["version"] = version;
    defaults.set(pkg, { urn, id });
    synthesized.push({
      urn,
      custom: true,
      id,
      type: `${PROVIDER_PREFIX}${pkg}`,
      ...(Object.keys(inputs).length > 0 ? { inputs, outputs: { ...inputs } } : {}),
      created: time,
      modified: time,
    });
  };
  for (const r of stack.resources) if (onDefault(r)) addDefault(r.type.split(":")[0]!);

  const providerRef = (r: ReportResource): string | undefined => {
    if (!r.custom || r.type.startsWith(PROVIDER_PREFIX)) return undefined;
    if (r.provider) {
      const p = byUrn.get(r.provider);
      return `${r.provider}::${p?.id ?? placeholderProviderId(r.provider)}`;
    }
    const d = defaults.get(r.type.split(":")[0]!);
    return d ? `${d.urn}::${d.id}` : undefined;
  };
  const write = (r: ReportResource): ExportResourceV3 => {
    const inputs = wrapSecrets(r.inputs, r.secretPaths);
    const outputs = wrapSecrets(r.outputs, r.secretPaths);
    const id =
      r.id ??
      (r.type.startsWith(PROVIDER_PREFIX) && r.custom ? placeholderProviderId(r.urn) : undefined);
    const provider = providerRef(r);
    const pd = Object.entries(r.propertyDependencies);
    return {
      urn: r.urn,
      custom: r.custom,
      ...(id !== undefined ? { id } : {}),
      type: r.type,
      ...(Object.keys(inputs).length > 0 ? { inputs } : {}),
      ...(Object.keys(outputs).length > 0 ? { outputs } : {}),
      ...(r.parent ? { parent: r.parent } : {}),
      ...(r.protect ? { protect: true } : {}),
      ...(r.dependencies.length > 0 ? { dependencies: [...r.dependencies] } : {}),
      ...(provider ? { provider } : {}),
      ...(pd.length > 0
        ? { propertyDependencies: Object.fromEntries(pd.map(([k, v]) => [k, [...v]])) }
        : {}),
      ...(r.retainOnDelete ? { retainOnDelete: true } : {}),
      created: time,
      modified: time,
    };
  };
  const written = stack.resources.map(write);
  const assemble = (): StackExport => {
    const at = root ? stack.resources.indexOf(root) + 1 : 0;
    const resources = [...written.slice(0, at), ...synthesized, ...written.slice(at)];
    return { version: 3, deployment: { manifest, resources } };
  };
  let doc = assemble();
  // Pulumi writes a default provider only for resources that use it. When there is none and the
  // stack's account and region cannot be read back from where its resources are, write the default
  // AWS provider anyway: it is what carries the stack's `aws:` config.
  if (
    root &&
    !defaults.has("aws") &&
    (root.account !== UNKNOWN_TARGET || root.region !== UNKNOWN_TARGET)
  ) {
    try {
      const back = parseStackExport(JSON.stringify(doc), "export").resources.find(
        (r) => r.urn === root.urn,
      );
      if (back && (back.account !== root.account || back.region !== root.region)) {
        addDefault("aws");
        doc = assemble();
      }
    } catch (e) {
      if (!(e instanceof StackExportError)) throw e;
    }
  }
  return doc;
}
