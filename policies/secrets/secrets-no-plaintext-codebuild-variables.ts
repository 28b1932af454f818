// CodeBuild PLAINTEXT environment variables are shown in the console, in build logs' environment
// dumps and in the project definition. Secrets belong in SECRETS_MANAGER or PARAMETER_STORE
// variables, which CodeBuild resolves at build time.
import { configSchema } from "../lib/config";
import { resourcePolicy } from "../lib/policy";
import { T } from "../lib/resources";
import {
  allowedNamesOf,
  allowedNamesProperty,
  judgeTokens,
  scanNamedValues,
  scanScript,
  type NamedValue,
  type NamesConfig,
} from "../lib/secret-scan";
import { elementsOf, knownString, read } from "../lib/unknowns";

/**
 * Messages for a CodeBuild project's environment variables: PLAINTEXT (or untyped) variables are
 * judged by name and value; variables of other or unknown types only by known token formats
 * (a token in a reference field is still a leaked token). Also scans an inline buildspec.
 */
export function findCodeBuildSecrets(
  props: unknown,
  allowedNames: readonly string[] = [],
): string[] {
  const plaintext: NamedValue[] = [];
  const references: NamedValue[] = [];
  elementsOf(read(props, "environment", "environmentVariables")).forEach((v, i) => {
    const value = knownString(v, "value");
    if (value === undefined) return;
    const name = knownString(v, "name");
    const type = read(v, "type");
    const where = `environment.environmentVariables[${i}]${name ? ` (${name})` : ""}`;
    if (type === undefined || type === "PLAINTEXT") {
      plaintext.push({ where: `${where}, a PLAINTEXT variable,`, name, value });
    } else {
      references.push({ where, name, value });
    }
  });
  const findings = [
    ...scanNamedValues(plaintext, allowedNames),
    ...scanNamedValues(references, allowedNames, judgeTokens),
  ];
  const buildspec = knownString(props, "source", "buildspec");
  if (buildspec !== undefined && /\n/.test(buildspec)) {
    for (const finding of scanScript(buildspec)) {
      findings.push(`source.buildspec (inline) holds ${finding.description}.`);
    }
  }
  return findings;
}

export const secretsNoPlaintextCodeBuildVariables = resourcePolicy<NamesConfig>({
  name: "secrets-no-plaintext-codebuild-variables",
  family: "secrets",
  description:
    "Flags CodeBuild projects whose PLAINTEXT (or untyped) environment variables have a secret-like name with a high-entropy value, a known token format or a high-entropy string, and inline buildspecs that assign such values.",
  severity: "critical",
  enforcementLevel: "mandatory",
  remediationSteps:
    'Store the value in Secrets Manager or SSM Parameter Store and declare the variable with type "SECRETS_MANAGER" or "PARAMETER_STORE" and the secret\'s name or ARN as its value; grant the build role read access to exactly that secret.',
  configSchema: configSchema({ allowedNames: allowedNamesProperty }),
  resourceTypes: [T.codebuildProject],
  check: (r, config) => findCodeBuildSecrets(r.props, allowedNamesOf(config)),
});
