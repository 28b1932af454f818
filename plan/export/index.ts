// Reads and writes `pulumi stack export` files (untyped deployment, version 3): `check FILE` turns
// an export into the resources the policy pack reads, and `toStackExport` writes the plan's
// resources as the export Pulumi would hold after `pulumi up`. The format follows Pulumi's
// `apitype.DeploymentV3` / `ResourceV3` (sdk/go/common/apitype/core.go) and the property encoding
// of pkg/resource/stack/deployment.go: secrets are `{<sig>: <secret sig>, ciphertext | plaintext}`
// with the plaintext JSON-encoded, assets and archives carry their own signatures, resource
// references are `{<sig>: <ref sig>, urn, id?, packageVersion}`, unknowns are the computed sentinel.
// A provider reference is "<provider urn>::<provider id>", split at the last "::".
import { createHash } from "node:crypto";
import awsPackage from "@pulumi/aws/package.json";
import { version as pulumiVersion } from "@pulumi/pulumi/version";
import type { PackResource } from "../pack";
import { providerTarget, usable, type Target } from "../engine/provider-target";
import { propertyPath } from "../../policies/lib/unknowns";
import { SECRET_MASK, UNKNOWN_MARK, UNKNOWN_WIRE } from "../engine/values";
import { pathTokens, type ReportResource } from "../report";
import { mapChildren } from "../engine/values";

/** One resource of an export, as the pack reads it, with where it lives. */
export type ExportedResource = PackResource & {
  /** False for component resources and the root stack. */
  readonly custom: boolean;
  /** Physical id (custom resources; absent when the export has none). */
  readonly id?: string;
  /** AWS account and region, from the resource's provider; "unknown" when nothing says. */
  readonly account: string;
  readonly region: string;
  /** Input and output paths (`a.b[0]`) that held secrets. */
  readonly secretPaths: string[];
  readonly protect: boolean;
  readonly retainOnDelete: boolean;
};

/** A parsed export: the stack it came from and its live resources (pending deletes left out). */
export interface ParsedExport {
  readonly project: string;
  readonly stack: string;
  readonly resources: ExportedResource[];
}

/** An export that cannot be read; every problem names its JSON path and the fix. */
export class StackExportError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(`${file}: ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "StackExportError";
  }
}

/** The deployment versions this reader understands. */
export const SUPPORTED_EXPORT_VERSIONS: readonly number[] = [3];

/** The account and region of a resource that nothing in the export places. */
export const UNKNOWN_TARGET = "unknown";

const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17";
const ARCHIVE_SIG = "0def7320c3a5731c473e5ecbe6d01bc7";
const RESOURCE_REF_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
/** Pulumi's computed-value placeholder (the same string as `pulumi.runtime.unknownValue`). */
const STACK_TYPE = "pulumi:pulumi:Stack";
const PROVIDER_PREFIX = "pulumi:providers:";
/** Property values nested deeper than this are refused rather than risk the call stack. */
const MAX_DEPTH = 512;

type Json = Record<string, unknown>;

const isMap = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

function kindOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "object") return "an object";
  if (v === undefined) return "undefined";
  return `a ${typeof v}`;
}

function preview(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v);
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** The parts of a URN as Pulumi's `resource.URN` reads them: the name is all after the third "::". */
export function parseUrn(
  urn: string,
):
  | { stack: string; project: string; qualifiedType: string; type: string; name: string }
  | undefined {
  if (!urn.startsWith("urn:pulumi:")) return undefined;
  const parts = urn.slice("urn:pulumi:".length).split("::");
  if (parts.length < 4) return undefined;
  const [stack, project, qualifiedType] = parts as [string, string, string];
  if (stack === "" || project === "" || qualifiedType === "") return undefined;
  return {
    stack,
    project,
    qualifiedType,
    type: qualifiedType.split("$").pop()!,
    name: parts.slice(3).join("::"),
  };
}

/** Splits a provider reference "<urn>::<id>" at the last "::", as `providers.ParseReference` does. */
export function parseProviderReference(ref: string): { urn: string; id: string } | undefined {
  const at = ref.lastIndexOf("::");
  if (at < 0) return undefined;
  const urn = ref.slice(0, at);
  const parsed = parseUrn(urn);
  if (!parsed || !parsed.type.startsWith(PROVIDER_PREFIX)) return undefined;
  return { urn, id: ref.slice(at + 2) };
}

/** True for the providers the engine creates on its own (`pulumi:providers:aws::default_7_48_0`). */
export function isDefaultProviderUrn(urn: string): boolean {
  const parsed = parseUrn(urn);
  return (
    parsed !== undefined &&
    parsed.type.startsWith(PROVIDER_PREFIX) &&
    parsed.name.startsWith("default")
  );
}

/**
 * Decodes one property value of the export; records secret paths and problems. A value without
 * secrets, resource references, assets or archives inside is returned as it is, not copied, and
 * the path of a value is spelled out only when a secret or a problem needs it.
 */
class ValueReader {
  constructor(
    private readonly problems: string[],
    private readonly where: string,
  ) {}

  readonly secretPaths: string[] = [];
  /** The keys and indexes leading to the value being read. */
  private readonly segments: (string | number)[] = [];

  read(value: unknown, depth: number, inSecret: boolean): unknown {
    if (depth > MAX_DEPTH) {
      this.problems.push(
        `${this.at()}: nested deeper than ${MAX_DEPTH} levels; Pulumi does not write such values, so the file is damaged`,
      );
      return null;
    }
    if (Array.isArray(value)) return this.children(value, depth, inSecret);
    if (!isMap(value)) return value;
    const sig = value[SIG_KEY];
    if (sig === SECRET_SIG) {
      if (!inSecret) this.secretPaths.push(this.path());
      if (!("plaintext" in value)) return SECRET_MASK;
      const plaintext = value["plaintext"];
      let decoded: unknown;
      try {
        if (typeof plaintext !== "string") throw new Error("not a string");
        decoded = JSON.parse(plaintext) as unknown;
      } catch {
        this.problems.push(
          `${this.at()}: a secret's plaintext must be a JSON-encoded string (as \`pulumi stack export --show-secrets\` writes it), not ${preview(plaintext)}; export the stack again`,
        );
        return SECRET_MASK;
      }
      return this.read(decoded, depth + 1, true);
    }
    if (sig === RESOURCE_REF_SIG && typeof value["urn"] === "string") return value["urn"];
    // An asset or archive loses its signature and is kept as it is, as the offline engine (plan/engine) keeps it.
    if (sig === ASSET_SIG || sig === ARCHIVE_SIG)
      return Object.fromEntries(Object.entries(value).filter(([k]) => k !== SIG_KEY));
    return this.children(value, depth, inSecret);
  }

  private children(
    value: unknown[] | Record<string, unknown>,
    depth: number,
    inSecret: boolean,
  ): unknown {
    return mapChildren(value, (child, key) => {
      this.segments.push(key);
      const read = this.read(child, depth + 1, inSecret);
      this.segments.pop();
      return read;
    });
  }

  /** The path of the value being read: `a.b[0].c`. */
  private path(): string {
    return propertyPath(this.segments);
  }

  private at(): string {
    const path = this.path();
    return path ? `${this.where}.${path}` : this.where;
  }
}

interface Draft {
  readonly index: number;
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly custom: boolean;
  readonly id?: string;
  readonly parent?: string;
  readonly inputs: Json;
  readonly outputs: Json;
  readonly providerRef?: { urn: string; id: string };
  readonly dependencies: string[];
  readonly propertyDependencies: Record<string, string[]>;
  readonly secretPaths: string[];
  readonly protect: boolean;
  readonly retainOnDelete: boolean;
}

function readUrnList(value: unknown, path: string, problems: string[]): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    problems.push(`${path}: must be an array of URN strings, not ${kindOf(value)}`);
    return [];
  }
  const urns: string[] = [];
  value.forEach((u, i) => {
    if (typeof u === "string") urns.push(u);
    else problems.push(`${path}[${i}]: must be a URN string, not ${kindOf(u)}`);
  });
  return urns;
}

function readBool(r: Json, key: string, path: string, problems: string[]): boolean {
  const v = r[key];
  if (v === undefined || v === null) return false;
  if (typeof v === "boolean") return v;
  problems.push(`${path}.${key}: must be true or false, not ${kindOf(v)}`);
  return false;
}

function readProps(r: Json, key: string, path: string, problems: string[], reader: ValueReader) {
  const v = r[key];
  if (v === undefined || v === null) return {};
  if (!isMap(v)) {
    problems.push(`${path}.${key}: must be an object of properties, not ${kindOf(v)}`);
    return {};
  }
  return reader.read(v, 0, false) as Json;
}

/** Reads one `ResourceV3`; returns undefined (with problems) when it cannot be used. */
function readResource(
  raw: unknown,
  index: number,
  problems: string[],
): (Draft & { deleted: boolean }) | undefined {
  const path = `deployment.resources[${index}]`;
  if (!isMap(raw)) {
    problems.push(`${path}: must be an object (a resource), not ${kindOf(raw)}`);
    return undefined;
  }
  const before = problems.length;
  const urn = raw["urn"];
  let parsedUrn: ReturnType<typeof parseUrn>;
  if (urn === undefined || urn === null || urn === "")
    problems.push(`${path}.urn: missing; every resource needs a urn`);
  else if (typeof urn !== "string")
    problems.push(
      `${path}.urn: must be a URN string, not ${kindOf(urn)}; every resource needs a urn`,
    );
  else if (!(parsedUrn = parseUrn(urn)))
    problems.push(
      `${path}.urn: ${preview(urn)} is not a Pulumi URN; a urn reads urn:pulumi:<stack>::<project>::<type>::<name>`,
    );
  const type = raw["type"];
  if (type === undefined || type === null || type === "")
    problems.push(
      `${path}.type: missing; every resource needs a type token such as aws:s3/bucket:Bucket`,
    );
  else if (typeof type !== "string")
    problems.push(
      `${path}.type: must be a type token string such as aws:s3/bucket:Bucket, not ${kindOf(type)}`,
    );
  const custom = readBool(raw, "custom", path, problems);
  const deleted = readBool(raw, "delete", path, problems);
  const protect = readBool(raw, "protect", path, problems);
  const retainOnDelete = readBool(raw, "retainOnDelete", path, problems);
  const id = raw["id"];
  if (id !== undefined && id !== null && typeof id !== "string")
    problems.push(`${path}.id: must be a string, not ${kindOf(id)}`);
  const parent = raw["parent"];
  if (parent !== undefined && parent !== null && typeof parent !== "string")
    problems.push(`${path}.parent: must be the parent's URN string, not ${kindOf(parent)}`);
  const provider = raw["provider"];
  let providerRef: { urn: string; id: string } | undefined;
  if (provider !== undefined && provider !== null && provider !== "") {
    if (typeof provider !== "string")
      problems.push(
        `${path}.provider: must be a provider reference string "<provider urn>::<provider id>", not ${kindOf(provider)}`,
      );
    else if (!(providerRef = parseProviderReference(provider)))
      problems.push(
        `${path}.provider: ${preview(provider)} is not a provider reference; it must read "<provider urn>::<provider id>" with a pulumi:providers:<package> urn`,
      );
  }
  const dependencies = readUrnList(raw["dependencies"], `${path}.dependencies`, problems);
  let propertyDependencies: Record<string, string[]> = {};
  const pd = raw["propertyDependencies"];
  if (pd !== undefined && pd !== null) {
    if (!isMap(pd))
      problems.push(
        `${path}.propertyDependencies: must be an object mapping input names to arrays of URNs, not ${kindOf(pd)}`,
      );
    else
      propertyDependencies = Object.fromEntries(
        Object.entries(pd).map(([key, urns]) => [
          key,
          readUrnList(urns, `${path}.propertyDependencies.${key}`, problems),
        ]),
      );
  }
  const inputsReader = new ValueReader(problems, `${path}.inputs`);
  const inputs = readProps(raw, "inputs", path, problems, inputsReader);
  const outputsReader = new ValueReader(problems, `${path}.outputs`);
  const outputs = readProps(raw, "outputs", path, problems, outputsReader);
  if (problems.length > before || typeof urn !== "string" || typeof type !== "string")
    return undefined;
  const secretPaths = [...inputsReader.secretPaths];
  for (const p of outputsReader.secretPaths) if (!secretPaths.includes(p)) secretPaths.push(p);
  return {
    index,
    urn,
    type,
    name: parsedUrn!.name,
    custom,
    ...(typeof id === "string" && id !== "" ? { id } : {}),
    ...(typeof parent === "string" && parent !== "" ? { parent } : {}),
    inputs,
    outputs,
    ...(providerRef ? { providerRef } : {}),
    dependencies,
    propertyDependencies,
    secretPaths,
    protect,
    retainOnDelete,
    deleted,
  };
}

/** Reads the top of the document; returns the resources array (or undefined) with problems. */
function readDocument(doc: unknown, problems: string[]): unknown[] | undefined {
  if (!isMap(doc)) {
    problems.push(
      `(top level): must be a JSON object {"version": 3, "deployment": {...}}, not ${kindOf(doc)}; use the file \`pulumi stack export --file FILE\` writes`,
    );
    return undefined;
  }
  const version = doc["version"];
  if (version === undefined)
    problems.push(
      `version: missing; a stack export reads {"version": 3, "deployment": {...}}: use the file \`pulumi stack export --file FILE\` writes`,
    );
  else if (!SUPPORTED_EXPORT_VERSIONS.includes(version as number))
    problems.push(
      `version: ${preview(version)} is not supported; only deployment version ${SUPPORTED_EXPORT_VERSIONS.join(", ")} is (what current Pulumi CLIs write): export the stack again with \`pulumi stack export --file FILE\``,
    );
  const deployment = doc["deployment"];
  if (deployment === undefined || deployment === null) {
    const hint =
      "checkpoint" in doc
        ? 'this looks like a backend checkpoint file (it has "checkpoint"), not an export: run `pulumi stack export --file FILE`'
        : "resources" in doc || "manifest" in doc
          ? 'this looks like the inner deployment object: wrap it as {"version": 3, "deployment": {...}}'
          : "the resources live under deployment.resources: use the file `pulumi stack export --file FILE` writes";
    problems.push(`deployment: missing; ${hint}`);
    return undefined;
  }
  if (!isMap(deployment)) {
    problems.push(
      `deployment: must be an object with "manifest" and "resources", not ${kindOf(deployment)}`,
    );
    return undefined;
  }
  const ops = deployment["pending_operations"];
  if (ops !== undefined && ops !== null && !Array.isArray(ops))
    problems.push(
      `deployment.pending_operations: must be an array of operations, not ${kindOf(ops)}`,
    );
  const resources = deployment["resources"];
  // Pulumi omits an empty resource list (`omitempty`): a stack with nothing in it.
  if (resources === undefined || resources === null) return [];
  if (!Array.isArray(resources)) {
    problems.push(`deployment.resources: must be an array of resources, not ${kindOf(resources)}`);
    return undefined;
  }
  return resources;
}

/** Account and region of every resource, keyed by URN (see parseStackExport). */
function targets(drafts: readonly Draft[]): Map<string, Target> {
  const unknown: Target = { account: UNKNOWN_TARGET, region: UNKNOWN_TARGET };
  const byUrn = new Map(drafts.map((d) => [d.urn, d]));
  const defaultAws = drafts.find(
    (d) => d.type === `${PROVIDER_PREFIX}aws` && isDefaultProviderUrn(d.urn),
  );
  const stackDefault = defaultAws ? providerTarget(defaultAws.inputs, unknown) : unknown;
  const out = new Map<string, Target>();
  const withRegion = (d: Draft, t: Target): Target =>
    usable(d.inputs["region"]) ? { account: t.account, region: d.inputs["region"] } : t;
  for (const d of drafts) {
    if (!d.custom) continue;
    let t = stackDefault;
    if (d.type.startsWith(PROVIDER_PREFIX)) t = providerTarget(d.inputs, stackDefault);
    else if (d.providerRef) {
      const p = byUrn.get(d.providerRef.urn);
      if (p) t = providerTarget(p.inputs, stackDefault);
    }
    out.set(d.urn, withRegion(d, t));
  }
  // The stack's home: its default provider's target (the stack's `aws:` config), else where most
  // of its resources are.
  let home = defaultAws ? stackDefault : undefined;
  if (!home) {
    const counts = new Map<string, { target: Target; n: number }>();
    for (const d of drafts) {
      const t = out.get(d.urn);
      if (!d.custom || d.type.startsWith(PROVIDER_PREFIX) || !t) continue;
      if (t.account === UNKNOWN_TARGET && t.region === UNKNOWN_TARGET) continue;
      const key = `${t.account}|${t.region}`;
      const entry = counts.get(key) ?? { target: t, n: 0 };
      entry.n += 1;
      counts.set(key, entry);
    }
    for (const { target, n } of counts.values())
      if (!home || n > counts.get(`${home.account}|${home.region}`)!.n) home = target;
  }
  // Components: where all their custom descendants are, when those agree; else their parent's.
  const children = new Map<string, Draft[]>();
  for (const d of drafts)
    if (d.parent && d.parent !== d.urn) {
      const list = children.get(d.parent) ?? [];
      list.push(d);
      children.set(d.parent, list);
    }
  const agreed = new Map<string, Target | undefined>();
  for (const d of drafts) {
    if (d.custom) continue;
    const seen = new Set<string>([d.urn]);
    const stack = [...(children.get(d.urn) ?? [])];
    let found: Target | undefined;
    let conflict = false;
    while (stack.length > 0 && !conflict) {
      const c = stack.pop()!;
      if (seen.has(c.urn)) continue;
      seen.add(c.urn);
      const t = out.get(c.urn);
      if (c.custom && t) {
        if (!found) found = t;
        else if (found.account !== t.account || found.region !== t.region) conflict = true;
      }
      stack.push(...(children.get(c.urn) ?? []));
    }
    agreed.set(d.urn, conflict ? undefined : found);
  }
  for (const d of drafts) {
    if (d.custom) continue;
    // The root stack is the stack's home, whatever its resources say.
    const own = (r: Draft): Target | undefined =>
      r.type === STACK_TYPE ? (home ?? unknown) : r.custom ? out.get(r.urn) : agreed.get(r.urn);
    let t = own(d);
    const seen = new Set<string>([d.urn]);
    let at: Draft | undefined = d;
    while (!t && at?.parent && !seen.has(at.parent)) {
      seen.add(at.parent);
      at = byUrn.get(at.parent);
      if (!at) break;
      t = own(at);
    }
    out.set(d.urn, withRegion(d, t ?? home ?? unknown));
  }
  return out;
}

/**
 * Reads a `pulumi stack export` file (deployment version 3) into the resources the policy pack
 * reads. Project and stack come from the root stack's URN (or any URN). Secrets with `plaintext`
 * (`--show-secrets`) become their decoded value, encrypted ones the string SECRET_MASK; both are
 * listed in `secretPaths`. Resource references become URNs, assets and archives lose their
 * signature (as in plan/engine). Resources pending deletion (`delete: true`) are left out, as
 * the engine leaves them out of the next program run. Account and region come from the resource's
 * provider (region input, `allowedAccountIds[0]`, `assumeRole(s)` role account); a resource
 * with a `region` input of its own is in that region. A component (and the root stack) is where
 * all of its custom descendants are when they agree, else where its parent is; the root stack is
 * where the default `pulumi:providers:aws::default*` provider points (the stack's `aws:` config),
 * else where most resources are, else "unknown". A default provider is not reported as
 * `providerUrn`, as the engine records only explicit providers.
 * Throws StackExportError, listing every problem, for anything that is not a usable export.
 */
export function parseStackExport(text: string, file: string): ParsedExport {
  let doc: unknown;
  try {
    doc = JSON.parse(text) as unknown;
  } catch (e) {
    throw new StackExportError(file, [
      `(top level): not valid JSON (${e instanceof Error ? e.message : String(e)}); use the file \`pulumi stack export --file FILE\` writes`,
    ]);
  }
  const problems: string[] = [];
  const rawResources = readDocument(doc, problems);
  const drafts: Draft[] = [];
  const live = new Map<string, number>();
  (rawResources ?? []).forEach((raw, i) => {
    const r = readResource(raw, i, problems);
    if (!r || r.deleted) return;
    const earlier = live.get(r.urn);
    if (earlier !== undefined) {
      problems.push(
        `deployment.resources[${i}].urn: the same urn as deployment.resources[${earlier}]; a stack holds one live resource per urn (only a copy with "delete": true may share it)`,
      );
      return;
    }
    live.set(r.urn, i);
    drafts.push(r);
  });
  if (problems.length > 0) throw new StackExportError(file, problems);

  const root = drafts.find((d) => d.type === STACK_TYPE) ?? drafts[0];
  const rootUrn = root ? parseUrn(root.urn) : undefined;
  const where = targets(drafts);
  return {
    project: rootUrn?.project ?? UNKNOWN_TARGET,
    stack: rootUrn?.stack ?? UNKNOWN_TARGET,
    resources: drafts.map((d) => {
      const t = where.get(d.urn)!;
      const explicit = d.providerRef && !isDefaultProviderUrn(d.providerRef.urn);
      return {
        urn: d.urn,
        type: d.type,
        name: d.name,
        custom: d.custom,
        ...(d.id !== undefined ? { id: d.id } : {}),
        ...(d.parent !== undefined ? { parent: d.parent } : {}),
        inputs: d.inputs,
        outputs: d.outputs,
        ...(explicit ? { providerUrn: d.providerRef!.urn } : {}),
        account: t.account,
        region: t.region,
        dependencies: d.dependencies,
        propertyDependencies: d.propertyDependencies,
        secretPaths: d.secretPaths,
        protect: d.protect,
        retainOnDelete: d.retainOnDelete,
      };
    }),
  };
}

// ---------------------------------------------------------------------------------------------
// Writing

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
  // The engine keeps an asset's or archive's fields (the SDK's `__pulumiAsset` / `__pulumiArchive`
  // markers among them) and drops the outer signature: put it back.
  if (!(SIG_KEY in value)) {
    if (value["__pulumiArchive"] === true) return { [SIG_KEY]: ARCHIVE_SIG, ...value };
    if (value["__pulumiAsset"] === true) return { [SIG_KEY]: ASSET_SIG, ...value };
  }
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
