// Role trust policies decide who may assume a role. Trusting "*", or a whole other account, without
// a condition that names the organization, the calling principal or an external id lets anyone in
// that scope become the role. The blueprint's deploy roles trust the tools account root narrowed by
// aws:PrincipalArn and aws:PrincipalOrgID (the pattern ADF uses): that passes.
import { configSchema, reasonedList, type BaseConfig } from "../lib/config";
import {
  conditionState,
  hasRestrictingCondition,
  isAllow,
  parsePolicyDocument,
  type PolicyDocument,
} from "../lib/iam";
import { resourcePolicy } from "../lib/policy";
import { T } from "../lib/resources";
import { isUnknown, read } from "../lib/unknowns";

/** Condition keys that narrow a trust to named principals. */
export const TRUST_CONDITION_KEYS: readonly string[] = [
  "aws:PrincipalOrgID",
  "aws:PrincipalOrgPaths",
  "aws:PrincipalArn",
  "sts:ExternalId",
];

export interface OpenTrustConfig extends BaseConfig {
  readonly trustedAccounts: readonly { readonly accountId: string; readonly reason: string }[];
}

/** The account id a principal trusts as a whole (`123456789012` or `arn:aws:iam::123456789012:root`). */
export function wholeAccountPrincipal(principal: string): string | undefined {
  if (/^\d{12}$/.test(principal)) return principal;
  return /^arn:aws[a-z-]*:iam::(\d{12}):root$/.exec(principal)?.[1];
}

const CONDITIONS = "an aws:PrincipalOrgID, aws:PrincipalArn or sts:ExternalId condition";

/** One message per principal of an Allow statement that opens the role too widely. */
export function findOpenTrust(
  doc: PolicyDocument,
  trustedAccounts: readonly string[] = [],
): string[] {
  const findings: string[] = [];
  for (const s of doc.statements) {
    if (!isAllow(s) || s.principal === undefined || isUnknown(s.principal)) continue;
    const restricted = hasRestrictingCondition(s, TRUST_CONDITION_KEYS);
    const p = s.principal;
    if (!restricted && (p.everyone || p.aws.known.includes("*"))) {
      findings.push(
        `${s.label} lets any AWS principal ("*") assume the role without ${CONDITIONS}.`,
      );
    }
    for (const principal of p.aws.known) {
      const account = wholeAccountPrincipal(principal);
      if (account === undefined || restricted || trustedAccounts.includes(account)) continue;
      findings.push(
        `${s.label} trusts every principal of account ${account} ("${principal}") without ${CONDITIONS}.`,
      );
    }
    if (conditionState(s) === "absent") {
      for (const provider of p.federated.known) {
        findings.push(
          `${s.label} trusts the identity provider "${provider}" with no Condition on the token, so any identity it issues can assume the role.`,
        );
      }
    }
  }
  return findings;
}

export const iamNoOpenTrustPolicies = resourcePolicy<OpenTrustConfig>({
  name: "iam-no-open-trust-policies",
  family: "iam",
  description:
    'Flags role trust policies (assumeRolePolicy) that allow "*" or a whole AWS account without an aws:PrincipalOrgID, aws:PrincipalArn or sts:ExternalId condition (positive operators only, not ...IfExists), and federated principals with no Condition at all.',
  severity: "critical",
  enforcementLevel: "mandatory",
  remediationSteps:
    'Trust the account root only together with a condition: ArnLike aws:PrincipalArn on the roles that may assume it, StringEquals aws:PrincipalOrgID on your organization, or sts:ExternalId for third parties; for OIDC providers, add StringEquals on the token\'s "aud" and StringLike on its "sub".',
  configSchema: configSchema({
    trustedAccounts: reasonedList(
      "accountId",
      "Account ids that may be trusted as a whole without conditions (for example the role's own account), each with the reason.",
    ),
  }),
  resourceTypes: [T.role],
  check: (r, config) =>
    findOpenTrust(
      parsePolicyDocument(read(r.props, "assumeRolePolicy"), "assumeRolePolicy"),
      (config.trustedAccounts ?? []).map((a) => a.accountId),
    ),
});
