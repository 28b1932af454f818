// Every place a plaintext value reaches a machine, as one list: the resource type, the property
// path, how the values there are encoded, and the policy that reports a secret in it. Property
// names are those of @pulumi/aws 7 (checked against its type definitions). The walk-everything
// policies (secrets-no-known-tokens, secrets-no-credentials-in-urls) cover every other property
// with the token formats; the carriers are where the generic rules (a secret-like name with a
// high-entropy value, a stand-alone high-entropy string) apply too, because a value there is
// handed to a process as configuration.
import { T } from "./resources";
import { reportSuppressions } from "./secret-report";
import { decodeBase64Text, judgeAll, scanScriptDetailed } from "./secret-scan";
import { isSecretLikeKey, scanTokens, scanValue, type SecretScan } from "./secrets";
import { elementsOf, isRecord, isUnknown, keysOf, knownString, read } from "./unknowns";
import { wildcardMatches } from "./wildcards";

/** How the values at a carrier's property are written. */
export type Encoding =
  /** Text a shell or tool reads: token formats anywhere, `NAME=value` assignments. */
  | "script"
  /** A script, base64-encoded (decoded first; raw text when it is not base64 text). */
  | "base64-script"
  /** A map of names to values (`{ DB_PASSWORD: "..." }`). */
  | "map"
  /** A list of `{ name, value }`. */
  | "name-value-list"
  /** Elastic Beanstalk settings: `{ namespace, name, value }`; every namespace is read. */
  | "settings-list"
  /** A list of strings passed as a command line (each judged as a script). */
  | "command"
  /** A JSON string (or object): container properties with `environment` and `command`. */
  | "json-container"
  /** A JSON string: Batch ecsProperties (`taskProperties[].containers[]`). */
  | "json-ecs-properties"
  /** A JSON document (or object): every string value, with its key. */
  | "json-document";

/** One property of a carrier. `[]` after a segment means every element of that list. */
export interface CarrierPlace {
  readonly path: string;
  readonly encoding: Encoding;
}

/** A resource type that hands plaintext to a machine. */
export interface Carrier {
  readonly type: string;
  /** The policy that reports secrets in it. */
  readonly policy: string;
  readonly places: readonly CarrierPlace[];
}

export const SERVICE_CONFIGURATION_POLICY = "secrets-no-plaintext-service-configuration";
export const USER_DATA_POLICY = "secrets-no-user-data-secrets";

/** The carriers. The first six types have a policy of their own; the rest share one. */
export const CARRIERS: readonly Carrier[] = [
  {
    type: T.ec2Instance,
    policy: USER_DATA_POLICY,
    places: [
      { path: "userData", encoding: "script" },
      { path: "userDataBase64", encoding: "base64-script" },
    ],
  },
  {
    type: T.ec2LaunchTemplate,
    policy: USER_DATA_POLICY,
    places: [{ path: "userData", encoding: "base64-script" }],
  },
  {
    type: T.ec2LaunchConfiguration,
    policy: USER_DATA_POLICY,
    places: [
      { path: "userData", encoding: "script" },
      { path: "userDataBase64", encoding: "base64-script" },
    ],
  },
  {
    type: T.lambdaFunction,
    policy: "secrets-no-plaintext-lambda-environment",
    places: [{ path: "environment.variables", encoding: "map" }],
  },
  {
    type: T.ecsTaskDefinition,
    policy: "secrets-no-plaintext-ecs-environment",
    places: [
      { path: "containerDefinitions[].environment", encoding: "name-value-list" },
      { path: "containerDefinitions[].command", encoding: "command" },
      { path: "containerDefinitions[].entryPoint", encoding: "command" },
    ],
  },
  {
    type: T.codebuildProject,
    policy: "secrets-no-plaintext-codebuild-variables",
    places: [
      { path: "environment.environmentVariables", encoding: "name-value-list" },
      { path: "source.buildspec", encoding: "script" },
    ],
  },
  {
    type: T.ssmParameter,
    policy: "secrets-no-plaintext-ssm-parameters",
    places: [
      { path: "value", encoding: "script" },
      { path: "insecureValue", encoding: "script" },
    ],
  },
  {
    type: T.pipeline,
    policy: "secrets-no-pipeline-configuration-secrets",
    places: [{ path: "stages[].actions[].configuration", encoding: "map" }],
  },
  {
    type: T.batchJobDefinition,
    policy: SERVICE_CONFIGURATION_POLICY,
    places: [
      { path: "containerProperties", encoding: "json-container" },
      { path: "ecsProperties", encoding: "json-ecs-properties" },
      { path: "eksProperties.podProperties.containers[].envs", encoding: "name-value-list" },
      { path: "eksProperties.podProperties.containers[].commands", encoding: "command" },
      { path: "eksProperties.podProperties.containers[].args", encoding: "command" },
      { path: "eksProperties.podProperties.initContainers[].envs", encoding: "name-value-list" },
    ],
  },
  {
    type: T.sfnStateMachine,
    policy: SERVICE_CONFIGURATION_POLICY,
    places: [{ path: "definition", encoding: "json-document" }],
  },
  {
    type: T.apprunnerService,
    policy: SERVICE_CONFIGURATION_POLICY,
    places: [
      {
        path: "sourceConfiguration.imageRepository.imageConfiguration.runtimeEnvironmentVariables",
        encoding: "map",
      },
      {
        path: "sourceConfiguration.codeRepository.codeConfiguration.codeConfigurationValues.runtimeEnvironmentVariables",
        encoding: "map",
      },
      {
        path: "sourceConfiguration.codeRepository.codeConfiguration.codeConfigurationValues.buildCommand",
        encoding: "script",
      },
      {
        path: "sourceConfiguration.codeRepository.codeConfiguration.codeConfigurationValues.startCommand",
        encoding: "script",
      },
    ],
  },
  {
    type: T.beanstalkEnvironment,
    policy: SERVICE_CONFIGURATION_POLICY,
    places: [{ path: "settings", encoding: "settings-list" }],
  },
  {
    type: T.beanstalkConfigurationTemplate,
    policy: SERVICE_CONFIGURATION_POLICY,
    places: [{ path: "settings", encoding: "settings-list" }],
  },
  {
    type: T.apigatewayStage,
    policy: SERVICE_CONFIGURATION_POLICY,
    places: [
      { path: "variables", encoding: "map" },
      { path: "canarySettings.stageVariableOverrides", encoding: "map" },
    ],
  },
  {
    type: T.apigatewayV2Stage,
    policy: SERVICE_CONFIGURATION_POLICY,
    places: [{ path: "stageVariables", encoding: "map" }],
  },
  {
    type: T.glueJob,
    policy: SERVICE_CONFIGURATION_POLICY,
    places: [
      { path: "defaultArguments", encoding: "map" },
      { path: "nonOverridableArguments", encoding: "map" },
    ],
  },
  {
    type: T.amplifyApp,
    policy: SERVICE_CONFIGURATION_POLICY,
    places: [
      { path: "environmentVariables", encoding: "map" },
      { path: "buildSpec", encoding: "script" },
    ],
  },
  {
    type: T.amplifyBranch,
    policy: SERVICE_CONFIGURATION_POLICY,
    places: [{ path: "environmentVariables", encoding: "map" }],
  },
  {
    type: T.sagemakerModel,
    policy: SERVICE_CONFIGURATION_POLICY,
    places: [
      { path: "primaryContainer.environment", encoding: "map" },
      { path: "containers[].environment", encoding: "map" },
    ],
  },
  {
    type: T.lightsailContainerDeployment,
    policy: SERVICE_CONFIGURATION_POLICY,
    places: [
      { path: "containers[].environment", encoding: "map" },
      { path: "containers[].commands", encoding: "command" },
    ],
  },
  {
    type: T.emrCluster,
    policy: SERVICE_CONFIGURATION_POLICY,
    places: [{ path: "configurationsJson", encoding: "json-document" }],
  },
];

/** The carriers a policy reports. */
export function carriersOf(policy: string): Carrier[] {
  return CARRIERS.filter((c) => c.policy === policy);
}

/** A value found at a place, with its concrete path (`containers[0].environment`). */
interface Located {
  readonly value: unknown;
  readonly at: string;
}

/** The values at `path` (a `[]` segment fans out over a list); unknown and missing are skipped. */
export function valuesAt(props: unknown, path: string): Located[] {
  let current: Located[] = [{ value: props, at: "" }];
  for (const segment of path.split(".")) {
    const list = segment.endsWith("[]");
    const key = list ? segment.slice(0, -2) : segment;
    const next: Located[] = [];
    for (const { value, at } of current) {
      const v = read(value, key);
      const here = at === "" ? key : `${at}.${key}`;
      if (v === undefined || v === null || isUnknown(v)) continue;
      if (!list) {
        next.push({ value: v, at: here });
        continue;
      }
      const parsed = typeof v === "string" ? parseJson(v) : v;
      elementsOf(parsed).forEach((e, i) => {
        if (!isUnknown(e)) next.push({ value: e, at: `${here}[${i}]` });
      });
    }
    current = next;
  }
  return current;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** What scanning a carrier needs: names known not to be secrets, and where messages go. */
interface Scan {
  readonly allowedNames: readonly string[];
  readonly findings: string[];
}

function allowed(scan: Scan, name: string | undefined): boolean {
  return name !== undefined && scan.allowedNames.some((n) => wildcardMatches(n, name));
}

function record(scan: Scan, at: string, result: SecretScan): void {
  reportSuppressions(at, result.suppressions);
  const finding = result.findings[0];
  if (finding) scan.findings.push(`${at} holds ${finding.description}.`);
}

/** Token formats anywhere, and generic rules under secret-like keys (no stand-alone entropy). */
function judgeKeyed(value: string, key: string | undefined): SecretScan {
  if (key !== undefined && isSecretLikeKey(key)) return scanValue(value, { key });
  return scanTokens(value, key === undefined ? { firstOnly: true } : { key, firstOnly: true });
}

function scanNamed(scan: Scan, at: string, name: string | undefined, value: unknown): void {
  if (typeof value !== "string" || allowed(scan, name)) return;
  record(scan, at, judgeAll(value, name));
}

function scanText(scan: Scan, at: string, text: string): void {
  const result = scanScriptDetailed(text);
  reportSuppressions(at, result.suppressions);
  for (const d of new Set(result.findings.map((f) => f.description)))
    scan.findings.push(`${at} holds ${d}.`);
}

function scanNameValueList(scan: Scan, at: string, list: unknown): void {
  elementsOf(list).forEach((entry, i) => {
    const name = knownString(entry, "name");
    scanNamed(scan, `${at}[${i}]${name ? ` (${name})` : ""}`, name, read(entry, "value"));
  });
}

function scanMap(scan: Scan, at: string, map: unknown): void {
  for (const key of keysOf(map)) scanNamed(scan, `${at}.${key}`, key, read(map, key));
}

function scanCommand(scan: Scan, at: string, command: unknown): void {
  elementsOf(command).forEach((part, i) => {
    if (typeof part === "string") scanText(scan, `${at}[${i}]`, part);
  });
}

/** Every string of a JSON document, judged with its key; keys ending in `.$` are JSONPath. */
function scanDocument(scan: Scan, at: string, doc: unknown, depth = 0): void {
  if (depth > 32) return;
  if (Array.isArray(doc)) {
    doc.forEach((v, i) => scanDocumentValue(scan, `${at}[${i}]`, undefined, v, depth));
  } else if (isRecord(doc)) {
    for (const key of Object.keys(doc))
      scanDocumentValue(scan, `${at}.${key}`, key, doc[key], depth);
  }
}

function scanDocumentValue(
  scan: Scan,
  at: string,
  key: string | undefined,
  value: unknown,
  depth: number,
): void {
  if (typeof value === "string") {
    if (key !== undefined && (key.endsWith(".$") || allowed(scan, key))) return;
    record(scan, at, judgeKeyed(value, key));
  } else {
    scanDocument(scan, at, value, depth + 1);
  }
}

/** A JSON string (or an object already), or a message when it is not valid JSON. */
function jsonOf(scan: Scan, at: string, value: unknown): unknown {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value) as unknown;
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    scan.findings.push(`${at} is not valid JSON (${reason}).`);
    return undefined;
  }
}

function scanContainer(scan: Scan, at: string, container: unknown): void {
  if (!isRecord(container)) return;
  scanNameValueList(scan, `${at}.environment`, container.environment);
  scanCommand(scan, `${at}.command`, container.command);
}

function scanPlace(scan: Scan, place: CarrierPlace, at: string, value: unknown): void {
  switch (place.encoding) {
    case "script":
      if (typeof value === "string") scanText(scan, at, value);
      return;
    case "base64-script":
      if (typeof value === "string") scanText(scan, at, decodeBase64Text(value) ?? value);
      return;
    case "map":
      scanMap(scan, at, value);
      return;
    case "name-value-list":
      scanNameValueList(scan, at, value);
      return;
    case "settings-list":
      elementsOf(value).forEach((s, i) => {
        const name = knownString(s, "name");
        const namespace = knownString(s, "namespace");
        const where = `${at}[${i}]${name ? ` (${namespace ? `${namespace} ` : ""}${name})` : ""}`;
        const v = read(s, "value");
        if (typeof v !== "string" || allowed(scan, name)) return;
        // Environment properties are handed to the application; other namespaces are options
        // (DBPassword of aws:rds:dbinstance is a secret, an instance type is not).
        record(
          scan,
          where,
          namespace === "aws:elasticbeanstalk:application:environment"
            ? judgeAll(v, name)
            : judgeKeyed(v, name),
        );
      });
      return;
    case "command":
      scanCommand(scan, at, value);
      return;
    case "json-container":
      scanContainer(scan, at, jsonOf(scan, at, value));
      return;
    case "json-ecs-properties": {
      const doc = jsonOf(scan, at, value);
      elementsOf(read(doc, "taskProperties")).forEach((task, i) =>
        elementsOf(read(task, "containers")).forEach((c, j) =>
          scanContainer(scan, `${at}.taskProperties[${i}].containers[${j}]`, c),
        ),
      );
      return;
    }
    case "json-document": {
      const doc = jsonOf(scan, at, value);
      if (doc !== undefined) scanDocument(scan, at, doc);
      return;
    }
  }
}

/** Messages for the secrets in one resource's carrier properties (none for other types). */
export function scanCarrier(
  type: string,
  props: unknown,
  allowedNames: readonly string[] = [],
  policy?: string,
): string[] {
  const scan: Scan = { allowedNames, findings: [] };
  for (const carrier of CARRIERS) {
    if (carrier.type !== type || (policy !== undefined && carrier.policy !== policy)) continue;
    for (const place of carrier.places)
      for (const { value, at } of valuesAt(props, place.path)) scanPlace(scan, place, at, value);
  }
  return [...new Set(scan.findings)];
}
