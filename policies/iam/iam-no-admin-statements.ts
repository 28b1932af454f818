// Admin statements: Allow every action on every resource. Nothing in a CI/CD platform needs it, and
// a deploy role that has it turns any compromised build into an account takeover.
import { configSchema, type BaseConfig } from "../lib/config";
import {
  isAllActionsPattern,
  isAllow,
  parseSources,
  provablyCoversAllResources,
  quoteList,
  type PolicyDocument,
} from "../lib/iam";
import { resourcePolicy } from "../lib/policy";
import { IDENTITY_DOCUMENT_TYPES, identityDocumentSources } from "../lib/resources";

/** One message per Allow statement that grants every action on every resource. */
export function findAdminStatements(docs: readonly PolicyDocument[]): string[] {
  const findings: string[] = [];
  for (const s of docs.flatMap((d) => d.statements)) {
    if (!isAllow(s) || !provablyCoversAllResources(s)) continue;
    const admin = (s.action?.known ?? []).filter(isAllActionsPattern);
    if (admin.length > 0) {
      findings.push(`${s.label} allows every action (${quoteList(admin)}) on every resource.`);
    }
  }
  return findings;
}

export const iamNoAdminStatements = resourcePolicy<BaseConfig>({
  name: "iam-no-admin-statements",
  family: "iam",
  description:
    'Flags identity policies (role inline policies, role/user/group policies, managed policies) with an Allow statement on Action "*" and every resource. Conditions do not make such a statement acceptable.',
  severity: "critical",
  enforcementLevel: "mandatory",
  remediationSteps:
    "List the actions the principal needs, scoped to the ARNs it works on; for deploy roles, grant the services the environment allows and require the platform permissions boundary on the roles it creates.",
  configSchema: configSchema(),
  resourceTypes: IDENTITY_DOCUMENT_TYPES,
  check: (r) => findAdminStatements(parseSources(identityDocumentSources(r.type, r.props))),
});
