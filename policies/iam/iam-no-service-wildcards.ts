// Service-wide wildcards (`s3:*`, `iam:*`) grant every present and future action of a service,
// including the destructive and permission-changing ones. The pack flags them on "*" (and on an ARN
// pattern that matches every resource of one of the service's types, such as `arn:aws:s3:::*`)
// even though IAM Access Analyzer's policy checks and parliament do not: this is deliberately
// stricter than both.
import {
  allowedFor,
  configSchema,
  reasonedList,
  type BaseConfig,
  type ScopedEntry,
} from "../lib/config";
import {
  isAllow,
  isServiceWidePattern,
  parseSources,
  provablyUnconstrained,
  quoteList,
  type PolicyDocument,
} from "../lib/iam";
import { coversEveryResourceOf, loadResourceTypes, typeWidePatterns } from "../lib/all-resources";
import type { ResourceTypeCatalogue } from "../lib/all-resources";
import { resourcePolicy } from "../lib/policy";
import { IDENTITY_DOCUMENT_TYPES, identityDocumentSources, physicalNames } from "../lib/resources";
import { wildcardMatches } from "../lib/wildcards";

export interface ServiceWildcardsConfig extends BaseConfig {
  readonly allowedServices: readonly (ScopedEntry & { readonly service: string })[];
}

/**
 * One message per statement that grants `svc:*` for a service that is not allow-listed, unless it
 * is constrained (specific ARNs and a Condition). With `resourceTypes`, an ARN pattern that matches
 * every resource of one of the service's types counts as every resource, Condition or not.
 */
export function findServiceWildcards(
  docs: readonly PolicyDocument[],
  allowedServices: readonly string[] = [],
  resourceTypes?: ResourceTypeCatalogue,
): string[] {
  const findings: string[] = [];
  for (const s of docs.flatMap((d) => d.statements)) {
    if (!isAllow(s)) continue;
    const unconstrained = provablyUnconstrained(s);
    const typeWide = unconstrained || !resourceTypes ? [] : typeWidePatterns(s);
    if (!unconstrained && typeWide.length === 0) continue;
    const wildcards = (s.action?.known ?? []).filter((p) => {
      const service = p.slice(0, p.indexOf(":"));
      if (!isServiceWidePattern(p) || allowedServices.some((svc) => wildcardMatches(svc, service)))
        return false;
      if (unconstrained) return true;
      const formats = resourceTypes?.serviceArns(service) ?? [];
      return typeWide.some((r) => coversEveryResourceOf(r, formats));
    });
    if (wildcards.length > 0) {
      findings.push(`${s.label} grants every action of a service: ${quoteList(wildcards)}.`);
    }
  }
  return findings;
}

export const iamNoServiceWildcards = resourcePolicy<ServiceWildcardsConfig>({
  name: "iam-no-service-wildcards",
  family: "iam",
  description:
    'Flags Allow statements in identity policies whose Action is a service-wide wildcard such as "s3:*". A statement constrained by specific resource ARNs and a Condition is accepted; an ARN pattern that matches every resource of one of the service\'s types ("arn:aws:s3:::*") is not specific. This is deliberately stricter than IAM Access Analyzer\'s policy checks and parliament, which accept "s3:*" on "*". The full "*" is left to iam-no-admin-statements.',
  severity: "high",
  enforcementLevel: "mandatory",
  remediationSteps:
    'Replace "service:*" with the actions the principal calls (for example "s3:GetObject", "s3:PutObject"), or allow-list the service in this policy\'s config with a reason.',
  configSchema: configSchema({
    allowedServices: reasonedList(
      "service",
      "Service prefixes (wildcards allowed) whose service-wide wildcard is accepted, each with the reason.",
      true,
    ),
  }),
  resourceTypes: IDENTITY_DOCUMENT_TYPES,
  check: async (r, config) =>
    findServiceWildcards(
      parseSources(identityDocumentSources(r.type, r.props)),
      allowedFor(config.allowedServices, "service", [r.name, r.urn, ...physicalNames(r.props)]),
      await loadResourceTypes(),
    ),
});
