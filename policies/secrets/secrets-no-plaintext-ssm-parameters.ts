// SSM String and StringList parameters are stored unencrypted and returned to anyone with
// ssm:GetParameter; secrets belong in SecureString parameters.
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
import { knownString } from "../lib/unknowns";

/** Messages for a String / StringList parameter whose value (or an element of it) is a secret. */
export function findSsmParameterSecrets(
  props: unknown,
  resourceName: string,
  allowedNames: readonly string[] = [],
): string[] {
  const type = knownString(props, "type");
  if (type !== "String" && type !== "StringList") return [];
  const name = knownString(props, "name") ?? resourceName;
  const values: NamedValue[] = [];
  for (const property of ["value", "insecureValue"]) {
    const value = knownString(props, property);
    if (value === undefined) continue;
    const parts = type === "StringList" ? value.split(",") : [value];
    for (const part of parts) {
      values.push({ where: `${property} of the ${type} parameter "${name}"`, name, value: part });
    }
  }
  return [...new Set(scanNamedValues(values, allowedNames))];
}

export const secretsNoPlaintextSsmParameters = resourcePolicy<NamesConfig>({
  name: "secrets-no-plaintext-ssm-parameters",
  family: "secrets",
  description:
    "Flags SSM parameters of type String or StringList whose value has a known token format, is a high-entropy string, or is high-entropy under a secret-like parameter name.",
  severity: "high",
  enforcementLevel: "mandatory",
  remediationSteps:
    'Use type "SecureString" with a customer-managed KMS key (keyId), and set the value with a Pulumi secret (pulumi config set --secret).',
  configSchema: configSchema({ allowedNames: allowedNamesProperty }),
  resourceTypes: [T.ssmParameter],
  check: (r, config) => findSsmParameterSecrets(r.props, r.name, allowedNamesOf(config)),
});
