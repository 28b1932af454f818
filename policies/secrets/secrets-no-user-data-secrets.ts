// EC2 user data is readable by anyone with ec2:DescribeInstanceAttribute (or DescribeLaunchTemplate
// Versions, DescribeLaunchConfigurations) and by every process on the instance through the
// metadata service. Secrets in it leak to both.
import { configSchema, type BaseConfig } from "../lib/config";
import { resourcePolicy } from "../lib/policy";
import { carriersOf, scanCarrier, USER_DATA_POLICY } from "../lib/secret-carriers";

const CARRIERS = carriersOf(USER_DATA_POLICY);

/** Messages for secrets in an instance's, launch template's or launch configuration's user data. */
export function findUserDataSecrets(type: string, props: unknown): string[] {
  return scanCarrier(type, props, [], USER_DATA_POLICY);
}

export const secretsNoUserDataSecrets = resourcePolicy<BaseConfig>({
  name: USER_DATA_POLICY,
  family: "secrets",
  description:
    "Flags EC2 instances (userData, userDataBase64), launch templates (userData, base64) and launch configurations (userData, userDataBase64) whose user data contains a known token format or private key, or assigns a high-entropy value to a secret-like name (export DB_PASSWORD=...).",
  severity: "high",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Give the instance profile read access to the secret and fetch it at boot (aws secretsmanager get-secret-value or aws ssm get-parameter --with-decryption) instead of writing it into user data.",
  configSchema: configSchema(),
  resourceTypes: [...new Set(CARRIERS.map((c) => c.type))],
  check: (r) => findUserDataSecrets(r.type, r.props),
});
