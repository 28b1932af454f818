// Known token formats (AWS access keys, GitHub, GitLab, Slack, npm tokens, JWTs) and private keys
// anywhere in any resource input. Inputs land in the state file and the provider's API calls in
// plain text unless they are Pulumi secrets, and even then the policy cannot tell: a literal token
// in a program is a leaked token.
import { configSchema, reasonedList, type BaseConfig } from "../lib/config";
import { resourcePolicy } from "../lib/policy";
import { reportSuppressions } from "../lib/secret-report";
import { scanProseAssignments, scanUnderSecretLikeName } from "../lib/secret-scan";
import { isSecretLikeKey, scanTokens, type SecretScan } from "../lib/secrets";
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
    let scan = scanTokens(text, {
      ...(key === undefined ? {} : { key }),
      firstOnly: true,
      skip: NOT_HERE,
    });
    // Tags and descriptions are read by anyone who can list the resource: a secret-like tag key
    // with a high-entropy value, or `NAME=value` in a description, is a secret there too. Other
    // inputs under secret-like names (an RDS password, a secret's secretString) are where a
    // secret belongs, so the generic rule is not applied to them.
    if (scan.findings.length === 0 && key !== undefined) {
      const extra = metadataScan(text, key, pathOf);
      if (extra)
        scan = {
          findings: extra.findings,
          suppressions: [...scan.suppressions, ...extra.suppressions],
        };
    }
    if (scan.findings.length === 0 && scan.suppressions.length === 0) return;
    const path = pathOf();
    if (isIgnoredPath(path, ignoredPaths)) return;
    reportSuppressions(path, scan.suppressions);
    const token = scan.findings[0];
    if (token) findings.push(`${path || "(value)"} contains ${token.description}.`);
  });
  return findings;
}

/** Input keys that hold a resource's tags. */
const TAG_MAPS = /^(tags|tagsAll|defaultTags)$/;

function metadataScan(text: string, key: string, pathOf: () => string): SecretScan | undefined {
  if (/^description$/i.test(key)) {
    const prose = scanProseAssignments(text);
    return prose.findings.length > 0 || prose.suppressions.length > 0 ? prose : undefined;
  }
  if (!isSecretLikeKey(key)) return undefined;
  const segments = pathOf().split(".");
  if (segments.length < 2 || !TAG_MAPS.test(segments[segments.length - 2] ?? "")) return undefined;
  return scanUnderSecretLikeName(text, key);
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
