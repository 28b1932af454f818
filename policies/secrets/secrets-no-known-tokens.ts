// Known token formats (AWS access keys, GitHub, GitLab, Slack, npm tokens, JWTs) and private keys
// anywhere in any resource input. Inputs land in the state file and the provider's API calls in
// plain text unless they are Pulumi secrets, and even then the policy cannot tell: a literal token
// in a program is a leaked token.
import { configSchema, reasonedList, type BaseConfig } from "../lib/config";
import { resourcePolicy } from "../lib/policy";
import { findTokenFormat } from "../lib/secrets";
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

/** One message per input property that holds a known token format or a private key. */
export function findKnownTokens(props: unknown, ignoredPaths: readonly string[] = []): string[] {
  const findings: string[] = [];
  walkStrings(props, (text, pathOf) => {
    const token = findTokenFormat(text);
    if (!token || token.kind === "url-credentials") return;
    const path = pathOf();
    if (!isIgnoredPath(path, ignoredPaths))
      findings.push(`${path || "(value)"} contains ${token.description}.`);
  });
  return findings;
}

export const secretsNoKnownTokens = resourcePolicy<PathsConfig>({
  name: "secrets-no-known-tokens",
  family: "secrets",
  description:
    "Flags any resource input, at any depth, that contains a known token format (AWS access key id, GitHub, GitLab, Slack, npm tokens, JWTs) or a private key. Documentation examples ending in EXAMPLE are ignored.",
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
