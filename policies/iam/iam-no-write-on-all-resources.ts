// Write and permissions-management actions on Resource "*": the principal may change or delete
// every resource of that kind in the account, not only the ones it owns. An ARN pattern that
// matches every resource of the action's type (`arn:aws:s3:::*`, `arn:aws:iam::*:*`,
// `arn:*:dynamodb:*:*:table/*`) is as broad as "*" for that action (see lib/all-resources.ts).
import {
  allowedFor,
  configSchema,
  reasonedList,
  type BaseConfig,
  type ScopedEntry,
} from "../lib/config";
import {
  isAllActionsPattern,
  isAllow,
  parseSources,
  provablyCoversAllResources,
  quoteList,
  type PolicyDocument,
} from "../lib/iam";
import {
  actionName,
  isWriteOrPermissionsManagement,
  loadIamCatalogue,
  type IamCatalogue,
} from "../lib/iam-catalogue";
import { coversEveryResourceOf, loadResourceTypes, typeWidePatterns } from "../lib/all-resources";
import type { ResourceTypeCatalogue } from "../lib/all-resources";
import { resourcePolicy } from "../lib/policy";
import { IDENTITY_DOCUMENT_TYPES, identityDocumentSources, physicalNames } from "../lib/resources";
import { wildcardMatches } from "../lib/wildcards";

export interface WriteOnAllResourcesConfig extends BaseConfig {
  readonly allowedActions: readonly (ScopedEntry & { readonly action: string })[];
}

/**
 * One message per Allow statement on every resource whose actions (wildcards expanded against the
 * IAM catalogue) include Write or Permissions-management actions that support resource-level
 * permissions. Actions that AWS only grants on "*" are not counted: they cannot be scoped. With
 * `resourceTypes`, a Resource that matches every resource of an action's type counts as well.
 */
export function findWriteOnAllResources(
  docs: readonly PolicyDocument[],
  catalogue: IamCatalogue,
  allowedActions: readonly string[] = [],
  resourceTypes?: ResourceTypeCatalogue,
): string[] {
  const findings: string[] = [];
  for (const s of docs.flatMap((d) => d.statements)) {
    if (!isAllow(s)) continue;
    const everywhere = provablyCoversAllResources(s);
    const typeWide = everywhere || !resourceTypes ? [] : typeWidePatterns(s);
    if (!everywhere && typeWide.length === 0) continue;
    const names = new Set<string>();
    const covering = new Set<string>();
    for (const pattern of s.action?.known ?? []) {
      if (isAllActionsPattern(pattern)) continue;
      for (const action of catalogue.expand(pattern)) {
        if (action.wildcardOnly || !isWriteOrPermissionsManagement(action)) continue;
        const name = actionName(action);
        if (allowedActions.some((a) => wildcardMatches(a, name))) continue;
        if (everywhere) {
          names.add(name);
          continue;
        }
        const formats = resourceTypes?.actionArns(action.service, action.name) ?? [];
        const wide = typeWide.filter((r) => coversEveryResourceOf(r, formats));
        if (wide.length === 0) continue;
        names.add(name);
        for (const r of wide) covering.add(r);
      }
    }
    if (names.size > 0) {
      const sorted = [...names].sort();
      const count = sorted.length === 1 ? "1 write action" : `${sorted.length} write actions`;
      const scope = everywhere
        ? "every resource"
        : `every resource of its type (${quoteList([...covering])})`;
      findings.push(`${s.label} allows ${count} on ${scope}: ${quoteList(sorted)}.`);
    }
  }
  return findings;
}

export const iamNoWriteOnAllResources = resourcePolicy<WriteOnAllResourcesConfig>({
  name: "iam-no-write-on-all-resources",
  family: "iam",
  description:
    'Flags Allow statements in identity policies that grant Write or Permissions-management actions (access levels from the IAM catalogue, wildcards such as "s3:Put*" expanded) on Resource "*" or on an ARN pattern that matches every resource of the action\'s type in every account ("arn:aws:s3:::*", "arn:aws:iam::*:*", "arn:*:dynamodb:*:*:table/*"); an ARN with a concrete account, a named bucket or a name prefix is scoped. Actions AWS grants only on "*" are exempt.',
  severity: "high",
  enforcementLevel: "mandatory",
  remediationSteps:
    'Scope the Resource to the ARNs the principal manages (for example "arn:aws:s3:::my-artifacts/*"), or allow-list the action in this policy\'s config with a reason.',
  configSchema: configSchema({
    allowedActions: reasonedList(
      "action",
      'Actions (wildcards allowed) accepted on Resource "*", each with the reason.',
      true,
    ),
  }),
  resourceTypes: IDENTITY_DOCUMENT_TYPES,
  check: async (r, config) =>
    findWriteOnAllResources(
      parseSources(identityDocumentSources(r.type, r.props)),
      await loadIamCatalogue(),
      allowedFor(config.allowedActions, "action", [r.name, r.urn, ...physicalNames(r.props)]),
      await loadResourceTypes(),
    ),
});
