// Credentials embedded in URLs (https://user:password@host/...): source repository URLs, webhook
// and database endpoints. The URL is logged and stored in plain text wherever it goes.
import { configSchema } from "../lib/config";
import { resourcePolicy } from "../lib/policy";
import { findTokenFormat, TOKEN_FORMATS } from "../lib/secrets";
import { walkStrings } from "../lib/unknowns";
import { ignoredPathsProperty, isIgnoredPath, type PathsConfig } from "./secrets-no-known-tokens";

const URL_FORMAT = TOKEN_FORMATS.filter((f) => f.kind === "url-credentials");

/** One message per input property holding a URL with a user name and a real-looking password. */
export function findUrlCredentials(props: unknown, ignoredPaths: readonly string[] = []): string[] {
  const findings: string[] = [];
  walkStrings(props, (text, pathOf) => {
    if (!text.includes("://") || !text.includes("@")) return; // what every such URL holds
    const path = pathOf();
    if (isIgnoredPath(path, ignoredPaths) || !URL_FORMAT.some((f) => f.pattern.test(text))) return;
    // findTokenFormat applies the placeholder rules (${PASSWORD}, <password>, ...).
    const found = [text, ...text.split(/\s+/)].some(
      (part) => findTokenFormat(part)?.kind === "url-credentials",
    );
    if (found) findings.push(`${path || "(value)"} embeds a user name and password in a URL.`);
  });
  return findings;
}

export const secretsNoCredentialsInUrls = resourcePolicy<PathsConfig>({
  name: "secrets-no-credentials-in-urls",
  family: "secrets",
  description:
    "Flags any resource input that contains a URL with an embedded user name and password (scheme://user:password@host). Placeholders such as ${PASSWORD} are ignored.",
  severity: "high",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Remove the credentials from the URL; use a CodeConnections connection for source repositories, or read the password from Secrets Manager at run time.",
  configSchema: configSchema({ ignoredPaths: ignoredPathsProperty }),
  resourceTypes: "any",
  check: (r, config) =>
    findUrlCredentials(
      r.props,
      (config.ignoredPaths ?? []).map((p) => p.path),
    ),
});
