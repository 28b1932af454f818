// Service-wide wildcards (`s3:*`, `iam:*`) grant every present and future action of a service,
// including the destructive and permission-changing ones.
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
import { resourcePolicy } from "../lib/policy";
import { IDENTITY_DOCUMENT_TYPES, identityDocumentSources, physicalNames } from "../lib/resources";
import { wildcardMatches } from "../lib/wildcards";

export interface ServiceWildcardsConfig extends BaseConfig {
  readonly allowedServices: readonly (ScopedEntry & { readonly service: string })[];
}

/** One message per statement that grants `svc:*` for a service that is not allow-listed. */
export function findServiceWildcards(
  docs: readonly PolicyDocument[],
  allowedServices: readonly string[] = [],
): string[] {
  const findings: string[] = [];
  for (const s of docs.flatMap((d) => d.statements)) {
    if (!isAllow(s) || !provablyUnconstrained(s)) continue;
    const wildcards = (s.action?.known ?? []).filter(
      (p) =>
        isServiceWidePattern(p) &&
        !allowedServices.some((svc) => wildcardMatches(svc, p.slice(0, p.indexOf(":")))),
    );
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
    'Flags Allow statements in identity policies whose Action is a service-wide wildcard such as "s3:*". A statement constrained by specific resource ARNs and a Condition is accepted; the full "*" is left to iam-no-admin-statements.',
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
  check: (r, config) =>
    findServiceWildcards(
      parseSources(identityDocumentSources(r.type, r.props)),
      allowedFor(config.allowedServices, "service", [r.name, r.urn, ...physicalNames(r.props)]),
    ),
});
