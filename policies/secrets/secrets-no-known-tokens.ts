// Known token formats (AWS access keys, GitHub, GitLab, Slack, npm tokens, JWTs) and private keys
// anywhere in any resource input. Inputs land in the state file and the provider's API calls in
// plain text unless they are Pulumi secrets, and even then the policy cannot tell: a literal token
// in a program is a leaked token.
import { configSchema, reasonedList, type BaseConfig } from "../lib/config";
import { resourcePolicy } from "../lib/policy";
import { reportSuppressions } from "../lib/secret-report";
import { scanTokens } from "../lib/secrets";
import { walkStrings } from "../lib/unknowns";

export interface PathsConfig extends BaseConfig {
  readonly ignoredPaths: readonly { readonly path: string; readonly reason: string }[];
}

/** The `ignoredPaths` config property shared by the walk-everything secrets policies. */
export const ignoredPathsProperty = reasonedList(
  "path",
  "Property paths (wildcards allowed, for example tags.*) not scanned, each with the reason.",
);

/** True when `path` is ignored by one of the patterns. */
export function isIgnoredPath(path: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => p === path || path.startsWith(`${p}.`) || path.startsWith(`${p}[`));
}

/** Credentials in URLs are secrets-no-credentials-in-urls' to report. */
const NOT_HERE: ReadonlySet<string> = new Set(["url-credentials"]);

/**
 * One message per input property that holds a known token format or a private key; keyword-
 * anchored formats count when the property's key (or the text before the value) names them.
 */
export function findKnownTokens(props: unknown, ignoredPaths: readonly string[] = []): string[] {
  const findings: string[] = [];
  walkStrings(props, (text, pathOf, key) => {
    if (text.length < 8) return;
    const scan = scanTokens(text, {
      ...(key === undefined ? {} : { key }),
      firstOnly: true,
      skip: NOT_HERE,
    });
    if (scan.findings.length === 0 && scan.suppressions.length === 0) return;
    const path = pathOf();
    if (isIgnoredPath(path, ignoredPaths)) return;
    reportSuppressions(path, scan.suppressions);
    const token = scan.findings[0];
    if (token) findings.push(`${path || "(value)"} contains ${token.description}.`);
  });
  return findings;
}

export const secretsNoKnownTokens = resourcePolicy<PathsConfig>({
  name: "secrets-no-known-tokens",
  family: "secrets",
  description:
    "Flags any resource input, at any depth, that contains a known token format or a private key: the rule table in policies/SECRET-RULES.md (AWS, GitHub, GitLab, Slack, Stripe, npm, PyPI, OpenAI, Vault, Datadog, ...; keyword-anchored formats only under a key or after text that names them). Placeholders, references and documented examples are suppressed by the named rules listed there.",
  severity: "critical",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Revoke the token, store the new one in Secrets Manager or SSM SecureString and pass a reference (a CodeBuild SECRETS_MANAGER variable, a {{resolve:...}} reference, the secret's ARN) instead of the value.",
  configSchema: configSchema({ ignoredPaths: ignoredPathsProperty }),
  resourceTypes: "any",
  check: (r, config) =>
    findKnownTokens(
      r.props,
      (config.ignoredPaths ?? []).map((p) => p.path),
    ),
});
