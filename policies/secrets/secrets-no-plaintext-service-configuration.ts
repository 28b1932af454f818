// Configuration that AWS services hand to the processes they run: Batch job environments, Step
// Functions definitions, App Runner and Elastic Beanstalk environment properties, API Gateway
// stage variables, Glue job arguments, Amplify, SageMaker, Lightsail and EMR settings. Each is
// returned in plain text by the service's Describe/Get API and shown in its console: a secret
// there is readable by every read-only role. The list of properties is CARRIERS in
// lib/secret-carriers.ts (and policies/SECRET-RULES.md).
import { configSchema } from "../lib/config";
import { resourcePolicy } from "../lib/policy";
import { carriersOf, scanCarrier, SERVICE_CONFIGURATION_POLICY } from "../lib/secret-carriers";
import { allowedNamesOf, allowedNamesProperty, type NamesConfig } from "../lib/secret-scan";

const CARRIERS = carriersOf(SERVICE_CONFIGURATION_POLICY);

/** Messages for the secrets in a service's plaintext configuration properties. */
export function findServiceConfigurationSecrets(
  type: string,
  props: unknown,
  allowedNames: readonly string[] = [],
): string[] {
  return scanCarrier(type, props, allowedNames, SERVICE_CONFIGURATION_POLICY);
}

export const secretsNoPlaintextServiceConfiguration = resourcePolicy<NamesConfig>({
  name: SERVICE_CONFIGURATION_POLICY,
  family: "secrets",
  description:
    "Flags plaintext secrets (a known token format, a secret-like name with a high-entropy value, a high-entropy environment value) in service configuration: Batch job definitions (containerProperties, ecsProperties, eksProperties environment and commands), Step Functions definitions, App Runner runtime environment variables, Elastic Beanstalk environment and template settings, API Gateway stage variables, Glue job arguments, Amplify app and branch environment variables, SageMaker model and Lightsail container environments, EMR configurations; malformed JSON is flagged too.",
  severity: "high",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Keep the secret in Secrets Manager or SSM SecureString and pass a reference the service resolves (Batch and ECS secrets[].valueFrom, App Runner runtimeEnvironmentSecrets, a {{resolve:secretsmanager:...}} reference, the secret's ARN read at start-up), never the value.",
  configSchema: configSchema({ allowedNames: allowedNamesProperty }),
  resourceTypes: [...new Set(CARRIERS.map((c) => c.type))],
  check: (r, config) => findServiceConfigurationSecrets(r.type, r.props, allowedNamesOf(config)),
});
