// Credentials embedded in URLs (https://user:password@host/...): source repository URLs, webhook
// and database endpoints. The URL is logged and stored in plain text wherever it goes.
import { configSchema } from "../lib/config";
import { resourcePolicy } from "../lib/policy";
import { reportSuppressions } from "../lib/secret-report";
import { scanTokens } from "../lib/secrets";
import { walkStrings } from "../lib/unknowns";
import { ignoredPathsProperty, isIgnoredPath, type PathsConfig } from "./secrets-no-known-tokens";

const URL_RULE: ReadonlySet<string> = new Set(["url-credentials"]);

/** One message per input property holding a URL with a user name and a real-looking password. */
export function findUrlCredentials(props: unknown, ignoredPaths: readonly string[] = []): string[] {
  const findings: string[] = [];
  walkStrings(props, (text, pathOf) => {
    if (!text.includes("://") || !text.includes("@")) return; // what every such URL holds
    // The suppression rules drop placeholders (${PASSWORD}, <password>, ...).
    const scan = scanTokens(text, { only: URL_RULE, firstOnly: true });
    if (scan.findings.length === 0 && scan.suppressions.length === 0) return;
    const path = pathOf();
    if (isIgnoredPath(path, ignoredPaths)) return;
    reportSuppressions(path, scan.suppressions);
    if (scan.findings.length > 0)
      findings.push(`${path || "(value)"} embeds a user name and password in a URL.`);
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
