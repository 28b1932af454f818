// ECS container definitions' `environment` values are visible to anyone who can describe the task
// definition, in every revision, forever. Secrets belong in the container's `secrets` list.
import { configSchema } from "../lib/config";
import { resourcePolicy } from "../lib/policy";
import { T } from "../lib/resources";
import {
  allowedNamesOf,
  allowedNamesProperty,
  scanNamedValues,
  scanScriptDetailed,
  type NamedValue,
  type NamesConfig,
} from "../lib/secret-scan";
import { reportSuppressions } from "../lib/secret-report";
import { elementsOf, isUnknown, knownString, read } from "../lib/unknowns";

/** Messages for container environment values that carry secrets; a malformed definition is one too. */
export function findEcsEnvironmentSecrets(
  props: unknown,
  allowedNames: readonly string[] = [],
): string[] {
  const raw = read(props, "containerDefinitions");
  if (raw === undefined || isUnknown(raw)) return [];
  let containers: unknown = raw;
  if (typeof raw === "string") {
    try {
      containers = JSON.parse(raw);
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      return [`containerDefinitions is not valid JSON (${reason}).`];
    }
  }
  if (!Array.isArray(containers)) {
    return ["containerDefinitions must be a JSON array of container definitions."];
  }
  const values: NamedValue[] = [];
  const commandFindings: string[] = [];
  elementsOf(containers).forEach((container, i) => {
    const containerName = knownString(container, "name") ?? String(i);
    // A command line is a script too: `sh -c "export TOKEN=..."`, `--password ...`.
    for (const property of ["command", "entryPoint"]) {
      elementsOf(read(container, property)).forEach((part, j) => {
        if (typeof part !== "string") return;
        const scan = scanScriptDetailed(part);
        reportSuppressions(`containerDefinitions[${i}].${property}[${j}]`, scan.suppressions);
        for (const d of new Set(scan.findings.map((f) => f.description)))
          commandFindings.push(
            `containerDefinitions[${i}] (${containerName}) ${property}[${j}] holds ${d}.`,
          );
      });
    }
    elementsOf(read(container, "environment")).forEach((variable, j) => {
      const value = knownString(variable, "value");
      const name = knownString(variable, "name");
      if (value === undefined) return;
      values.push({
        where: `containerDefinitions[${i}] (${containerName}) environment[${j}]${name ? ` (${name})` : ""}`,
        path: `containerDefinitions[${i}].environment[${j}]`,
        name,
        value,
      });
    });
  });
  return [...scanNamedValues(values, allowedNames), ...commandFindings];
}

export const secretsNoPlaintextEcsEnvironment = resourcePolicy<NamesConfig>({
  name: "secrets-no-plaintext-ecs-environment",
  family: "secrets",
  description:
    "Flags ECS task definitions whose containerDefinitions (a JSON string) put a secret-like name with a high-entropy value, a known token format or a high-entropy string in a container's environment, or a token format or secret assignment in its command or entryPoint; malformed JSON is flagged too.",
  severity: "high",
  enforcementLevel: "mandatory",
  remediationSteps:
    'Move the value to Secrets Manager or SSM SecureString and list it under the container\'s "secrets" with "valueFrom" set to the ARN; give the task execution role read access to it.',
  configSchema: configSchema({ allowedNames: allowedNamesProperty }),
  resourceTypes: [T.ecsTaskDefinition],
  check: (r, config) => findEcsEnvironmentSecrets(r.props, allowedNamesOf(config)),
});
