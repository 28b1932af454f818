// Admin statements: Allow every action. Nothing in a CI/CD platform needs it, and a deploy role that
// has it turns any compromised build into an account takeover. `Action: "*"` (or `"*:*"`) is
// administrator access whatever the Resource says: every service's actions on the named ARNs, and
// the account-wide actions that ignore Resource, so a scoped Resource does not make it acceptable.
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

/** One message per Allow statement that grants every action, on every resource or on named ones. */
export function findAdminStatements(docs: readonly PolicyDocument[]): string[] {
  const findings: string[] = [];
  for (const s of docs.flatMap((d) => d.statements)) {
    if (!isAllow(s)) continue;
    const admin = (s.action?.known ?? []).filter(isAllActionsPattern);
    if (admin.length === 0) continue;
    if (provablyCoversAllResources(s)) {
      findings.push(`${s.label} allows every action (${quoteList(admin)}) on every resource.`);
    } else {
      const on = s.resource?.known.length ? ` on ${quoteList(s.resource.known)}` : "";
      findings.push(
        `${s.label} allows every action (${quoteList(admin)})${on}: every action is administrator access whatever the Resource.`,
      );
    }
  }
  return findings;
}

export const iamNoAdminStatements = resourcePolicy<BaseConfig>({
  name: "iam-no-admin-statements",
  family: "iam",
  description:
    'Flags identity policies (role inline policies, role/user/group policies, managed policies) with an Allow statement on Action "*" (or "*:*"), on every resource or on named ARNs alike: every action is administrator access whatever the Resource says. Conditions do not make such a statement acceptable.',
  severity: "critical",
  enforcementLevel: "mandatory",
  remediationSteps:
    "List the actions the principal needs, scoped to the ARNs it works on; for deploy roles, grant the services the environment allows and require the platform permissions boundary on the roles it creates.",
  configSchema: configSchema(),
  resourceTypes: IDENTITY_DOCUMENT_TYPES,
  check: (r) => findAdminStatements(parseSources(identityDocumentSources(r.type, r.props))),
});
