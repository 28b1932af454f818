// iam:PassRole on every role lets the holder hand any role, an admin role included, to a service
// it controls (a Lambda function, a build, an instance) and act with that role's permissions.
import { configSchema, type BaseConfig } from "../lib/config";
import {
  actionMatches,
  isAllActionsPattern,
  isAllow,
  parseSources,
  provablyCoversAllResources,
  provablyMatchesAction,
  quoteList,
  type PolicyDocument,
} from "../lib/iam";
import { coversEveryResourceOf, loadResourceTypes, typeWidePatterns } from "../lib/all-resources";
import type { ResourceTypeCatalogue } from "../lib/all-resources";
import { resourcePolicy } from "../lib/policy";
import { IDENTITY_DOCUMENT_TYPES, identityDocumentSources } from "../lib/resources";

/**
 * One message per Allow statement that grants iam:PassRole on every resource, or (with
 * `resourceTypes`) on an ARN pattern that matches every role of every account (`arn:aws:iam::*:*`).
 */
export function findPassRoleWildcards(
  docs: readonly PolicyDocument[],
  resourceTypes?: ResourceTypeCatalogue,
): string[] {
  const findings: string[] = [];
  const roles = resourceTypes?.actionArns("iam", "PassRole") ?? [];
  for (const s of docs.flatMap((d) => d.statements)) {
    if (!isAllow(s)) continue;
    let scope = "every resource";
    if (!provablyCoversAllResources(s)) {
      const wide = typeWidePatterns(s).filter((r) => coversEveryResourceOf(r, roles));
      if (wide.length === 0) continue;
      scope = `every role of every account (${quoteList(wide)})`;
    }
    if (s.notAction) {
      if (provablyMatchesAction(s, "iam:PassRole")) {
        findings.push(`${s.label} allows iam:PassRole on ${scope} (through NotAction).`);
      }
      continue;
    }
    const granting = (s.action?.known ?? []).filter(
      (p) => !isAllActionsPattern(p) && actionMatches(p, "iam:PassRole"),
    );
    if (granting.length > 0) {
      findings.push(`${s.label} allows iam:PassRole on ${scope} (${quoteList(granting)}).`);
    }
  }
  return findings;
}

export const iamNoPassRoleWildcard = resourcePolicy<BaseConfig>({
  name: "iam-no-passrole-wildcard",
  family: "iam",
  description:
    'Flags identity policies that allow iam:PassRole (directly or through a wildcard such as "iam:Pass*") on Resource "*" or on an ARN pattern that matches every role of every account ("arn:aws:iam::*:role/*", "arn:aws:iam::*:*"). A condition such as iam:PassedToService does not replace naming the roles.',
  severity: "critical",
  enforcementLevel: "mandatory",
  remediationSteps:
    'Name the roles that may be passed (for example "arn:aws:iam::123456789012:role/app-*") and add an iam:PassedToService condition for the service that receives them.',
  configSchema: configSchema(),
  resourceTypes: IDENTITY_DOCUMENT_TYPES,
  check: async (r) =>
    findPassRoleWildcards(
      parseSources(identityDocumentSources(r.type, r.props)),
      await loadResourceTypes(),
    ),
});
