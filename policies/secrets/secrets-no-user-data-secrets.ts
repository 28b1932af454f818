// EC2 user data is readable by anyone with ec2:DescribeInstanceAttribute and by every process on
// the instance through the metadata service. Secrets in it leak to both.
import { configSchema, type BaseConfig } from "../lib/config";
import { resourcePolicy } from "../lib/policy";
import { T } from "../lib/resources";
import { decodeBase64Text, scanScript } from "../lib/secret-scan";
import { knownString } from "../lib/unknowns";

/** Messages for secrets in an instance's or launch template's user data (plain or base64). */
export function findUserDataSecrets(type: string, props: unknown): string[] {
  const candidates: { property: string; text: string | undefined }[] =
    type === T.ec2Instance
      ? [
          { property: "userData", text: knownString(props, "userData") },
          { property: "userDataBase64", text: decodeText(knownString(props, "userDataBase64")) },
        ]
      : [{ property: "userData", text: decodeText(knownString(props, "userData")) }];
  const findings: string[] = [];
  for (const { property, text } of candidates) {
    if (text === undefined) continue;
    for (const finding of scanScript(text))
      findings.push(`${property} holds ${finding.description}.`);
  }
  return [...new Set(findings)];
}

/** Base64 user data decoded, or the text itself when it is not base64. */
function decodeText(value: string | undefined): string | undefined {
  return value === undefined ? undefined : (decodeBase64Text(value) ?? value);
}

export const secretsNoUserDataSecrets = resourcePolicy<BaseConfig>({
  name: "secrets-no-user-data-secrets",
  family: "secrets",
  description:
    "Flags EC2 instances (userData, userDataBase64) and launch templates (userData, base64) whose user data contains a known token format or private key, or assigns a high-entropy value to a secret-like name (export DB_PASSWORD=...).",
  severity: "high",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Give the instance profile read access to the secret and fetch it at boot (aws secretsmanager get-secret-value or aws ssm get-parameter --with-decryption) instead of writing it into user data.",
  configSchema: configSchema(),
  resourceTypes: [T.ec2Instance, T.ec2LaunchTemplate],
  check: (r) => findUserDataSecrets(r.type, r.props),
});
