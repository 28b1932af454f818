// Lambda environment variables are readable by anyone with lambda:GetFunctionConfiguration and are
// stored in the function's configuration: secrets there leak through read-only roles.
import { configSchema } from "../lib/config";
import { resourcePolicy } from "../lib/policy";
import { T } from "../lib/resources";
import {
  allowedNamesOf,
  allowedNamesProperty,
  scanNamedValues,
  type NamedValue,
  type NamesConfig,
} from "../lib/secret-scan";
import { keysOf, knownString, read } from "../lib/unknowns";

/** Messages for a function's environment variables that carry secrets. */
export function findLambdaEnvironmentSecrets(
  props: unknown,
  allowedNames: readonly string[] = [],
): string[] {
  const variables = read(props, "environment", "variables");
  const values: NamedValue[] = [];
  for (const name of keysOf(variables)) {
    const value = knownString(variables, name);
    if (value !== undefined) values.push({ where: `environment.variables.${name}`, name, value });
  }
  return scanNamedValues(values, allowedNames);
}

export const secretsNoPlaintextLambdaEnvironment = resourcePolicy<NamesConfig>({
  name: "secrets-no-plaintext-lambda-environment",
  family: "secrets",
  description:
    "Flags Lambda functions whose environment variables have a secret-like name with a high-entropy value, a known token format or a high-entropy string.",
  severity: "high",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Keep the secret in Secrets Manager or SSM SecureString, pass its name or ARN in the variable, and read it at start-up (the AWS Parameters and Secrets Lambda extension caches it).",
  configSchema: configSchema({ allowedNames: allowedNamesProperty }),
  resourceTypes: [T.lambdaFunction],
  check: (r, config) => findLambdaEnvironmentSecrets(r.props, allowedNamesOf(config)),
});
