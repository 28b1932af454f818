// Allow with NotAction or NotResource grants everything except a list: every action or resource
// AWS adds later is granted too, which no reviewer can see in the document.
import { configSchema, type BaseConfig } from "../lib/config";
import { isAllow, parseSources, type PolicyDocument } from "../lib/iam";
import { resourcePolicy } from "../lib/policy";
import {
  allDocumentSources,
  IDENTITY_DOCUMENT_TYPES,
  RESOURCE_POLICY_TYPES,
} from "../lib/resources";

/** One message per Allow statement that uses NotAction or NotResource. */
export function findAllowWithNotElements(docs: readonly PolicyDocument[]): string[] {
  const findings: string[] = [];
  for (const s of docs.flatMap((d) => d.statements)) {
    if (!isAllow(s)) continue;
    if (s.notAction) {
      findings.push(
        `${s.label} uses Allow with NotAction: it grants every action except those listed.`,
      );
    }
    if (s.notResource) {
      findings.push(
        `${s.label} uses Allow with NotResource: it applies to every resource except those listed.`,
      );
    }
  }
  return findings;
}

export const iamNoAllowNotAction = resourcePolicy<BaseConfig>({
  name: "iam-no-allow-not-action",
  family: "iam",
  description:
    "Flags Allow statements with NotAction or NotResource in identity, trust and resource policies, whatever their conditions (Deny with NotAction is fine).",
  severity: "high",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Rewrite the statement as an Allow that lists its actions and resources; to carve out exceptions, add a Deny statement.",
  configSchema: configSchema(),
  resourceTypes: [...IDENTITY_DOCUMENT_TYPES, ...RESOURCE_POLICY_TYPES],
  check: (r) => findAllowWithNotElements(parseSources(allDocumentSources(r.type, r.props))),
});
