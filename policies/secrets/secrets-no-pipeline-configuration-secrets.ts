// CodePipeline action configuration is returned by GetPipeline to anyone with read access and is
// shown in the console. Secrets there (an OAuthToken, a PLAINTEXT variable in a CodeBuild action's
// EnvironmentVariables) are readable by every pipeline viewer.
import { configSchema } from "../lib/config";
import { resourcePolicy } from "../lib/policy";
import { T } from "../lib/resources";
import {
  allowedNamesOf,
  allowedNamesProperty,
  judgeTokens,
  scanNamedValues,
  type NamedValue,
  type NamesConfig,
} from "../lib/secret-scan";
import { elementsOf, keysOf, knownString, read } from "../lib/unknowns";

/** Messages for secrets in pipeline action configuration, including CodeBuild EnvironmentVariables. */
export function findPipelineConfigurationSecrets(
  props: unknown,
  allowedNames: readonly string[] = [],
): string[] {
  const findings: string[] = [];
  const plain: NamedValue[] = [];
  const references: NamedValue[] = [];
  elementsOf(read(props, "stages")).forEach((stage, i) => {
    elementsOf(read(stage, "actions")).forEach((action, j) => {
      const actionName = knownString(action, "name");
      const at = `stages[${i}].actions[${j}]${actionName ? ` (${actionName})` : ""}`;
      const pathOf = (rest: string) => `stages[${i}].actions[${j}].configuration.${rest}`;
      const configuration = read(action, "configuration");
      for (const key of keysOf(configuration)) {
        const value = knownString(configuration, key);
        if (value === undefined) continue;
        if (key !== "EnvironmentVariables") {
          plain.push({ where: `${at} configuration.${key}`, path: pathOf(key), name: key, value });
          continue;
        }
        let variables: unknown;
        try {
          variables = JSON.parse(value);
        } catch (e) {
          const reason = e instanceof Error ? e.message : String(e);
          findings.push(`${at} configuration.EnvironmentVariables is not valid JSON (${reason}).`);
          continue;
        }
        if (!Array.isArray(variables)) {
          findings.push(
            `${at} configuration.EnvironmentVariables must be a JSON array of {name, value, type}.`,
          );
          continue;
        }
        elementsOf(variables).forEach((v, k) => {
          const name = knownString(v, "name");
          const varValue = knownString(v, "value");
          const type = read(v, "type");
          if (varValue === undefined) return;
          const where = `${at} configuration.EnvironmentVariables[${k}]${name ? ` (${name})` : ""}`;
          const path = pathOf(`EnvironmentVariables[${k}]`);
          if (type === undefined || type === "PLAINTEXT") {
            plain.push({ where: `${where}, a PLAINTEXT variable,`, path, name, value: varValue });
          } else {
            references.push({ where, path, name, value: varValue });
          }
        });
      }
    });
  });
  return [
    ...findings,
    ...scanNamedValues(plain, allowedNames),
    ...scanNamedValues(references, allowedNames, judgeTokens),
  ];
}

export const secretsNoPipelineConfigurationSecrets = resourcePolicy<NamesConfig>({
  name: "secrets-no-pipeline-configuration-secrets",
  family: "secrets",
  description:
    "Flags CodePipeline action configuration values (stages[].actions[].configuration) that carry secrets, including PLAINTEXT entries of a CodeBuild action's EnvironmentVariables JSON; malformed EnvironmentVariables JSON is flagged too.",
  severity: "critical",
  enforcementLevel: "mandatory",
  remediationSteps:
    'Use a CodeConnections connection instead of OAuth tokens; pass secrets to CodeBuild actions as EnvironmentVariables entries of type "SECRETS_MANAGER" or "PARAMETER_STORE" whose value is the secret\'s name or ARN.',
  configSchema: configSchema({ allowedNames: allowedNamesProperty }),
  resourceTypes: [T.pipeline],
  check: (r, config) => findPipelineConfigurationSecrets(r.props, allowedNamesOf(config)),
});
