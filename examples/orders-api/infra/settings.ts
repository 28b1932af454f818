// What one deployment of the service needs to know, read from what the platform's deploy build
// gives it: the stack (STACK_NAME, `pulumi stack select`), the account and region (the build sets
// aws:allowedAccountIds[0] and aws:region; the program reads them back with getCallerIdentity and
// getRegion), the environment (TARGET_ENV) and this project's own config. Pure, tested on its own.
import { parseSecretReference, type SecretReference } from "../src/secrets";

/** Reads one key of the project's config (pulumi.Config#get). */
export type ConfigReader = (key: string) => string | undefined;

export interface DeploymentInputs {
  /** The Pulumi project name (pulumi.getProject()). */
  readonly project: string;
  /** The stack (pulumi.getStack()): the platform names it after the environment and target. */
  readonly stack: string;
  /** The account the AWS provider deploys to (aws.getCallerIdentity). */
  readonly account: string;
  /** The region the AWS provider deploys to (aws.getRegion). */
  readonly region: string;
  /** The partition of the region (aws.getPartition). */
  readonly partition: string;
  /** The environment the deploy build deploys (its TARGET_ENV variable), if set. */
  readonly targetEnv?: string;
  readonly config: ConfigReader;
}

export interface DeploymentSettings {
  readonly project: string;
  readonly stack: string;
  readonly account: string;
  readonly region: string;
  readonly partition: string;
  /** The platform environment (dev, staging, prod, ...). */
  readonly environment: string;
  readonly production: boolean;
  /** Base of every physical name: `<project>-<stack>`. */
  readonly baseName: string;
  /** IAM path the platform's deploy role may create roles under. */
  readonly iamPath: string;
  /** The permissions boundary the platform's deploy role requires on every role it creates. */
  readonly permissionsBoundaryArn: string;
  /** Where the API key is kept (never the key). */
  readonly apiKey: SecretReference;
  /** The reference as written in config, for the function's environment. */
  readonly apiKeyRef: string;
  readonly alarmEmail: string;
  readonly logRetentionDays: number;
}

/** Retention periods CloudWatch Logs accepts (PutRetentionPolicy). */
const RETENTION_DAYS = new Set([
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
  3653,
]);
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const NAME = /^[a-z][a-z0-9-]{0,29}$/;

/** The settings of one deployment; every problem of the config is reported at once. */
export function deploymentSettings(i: DeploymentInputs): DeploymentSettings {
  const problems: string[] = [];
  const key = (k: string) => `${i.project}:${k}`;
  const environment = i.config("environment") ?? i.targetEnv ?? i.stack;
  if (!NAME.test(environment))
    problems.push(
      `${key("environment")}: "${environment}" is not an environment name; the deploy build sets TARGET_ENV, or set ${key("environment")}`,
    );
  const prefix = i.config("platformPrefix") ?? "";
  if (!NAME.test(prefix))
    problems.push(
      `${key("platformPrefix")}: set it to the platform's organization prefix (organization.prefix in the platform's Pulumi.yaml)`,
    );
  else if (i.project.startsWith(`${prefix}-`))
    problems.push(
      `project name ${i.project}: the platform's guardrails deny changes to roles, keys and alarms named ${prefix}-*; rename the project`,
    );
  const apiKeyRef = i.config("apiKeyRef") ?? `/${i.project}/${environment}/api-key`;
  const apiKey = parseSecretReference(apiKeyRef);
  if (typeof apiKey === "string") problems.push(`${key("apiKeyRef")}: ${apiKey}`);
  const alarmEmail = i.config("alarmEmail") ?? "";
  if (!EMAIL.test(alarmEmail))
    problems.push(`${key("alarmEmail")}: set the address that receives the service's alarms`);
  const production = environment === "prod" || i.config("production") === "true";
  const retentionText = i.config("logRetentionDays");
  const logRetentionDays =
    retentionText === undefined ? (production ? 365 : 30) : Number(retentionText);
  if (!RETENTION_DAYS.has(logRetentionDays))
    problems.push(
      `${key("logRetentionDays")}: ${retentionText} is not a CloudWatch Logs retention period (1, 3, 5, 7, 14, 30, 60, 90, ... 3653)`,
    );
  if (problems.length > 0)
    throw new Error(
      `${problems.length} problem${problems.length > 1 ? "s" : ""} in config: ${problems.join("; ")}`,
    );
  return {
    project: i.project,
    stack: i.stack,
    account: i.account,
    region: i.region,
    partition: i.partition,
    environment,
    production,
    baseName: `${i.project}-${i.stack}`,
    iamPath: "/app/",
    permissionsBoundaryArn: `arn:${i.partition}:iam::${i.account}:policy/${prefix}-${environment}-boundary`,
    apiKey: apiKey as SecretReference,
    apiKeyRef,
    alarmEmail,
    logRetentionDays,
  };
}

/** The ARN the function's role may read the API key from. */
export function secretArn(s: DeploymentSettings): string {
  const ref = s.apiKey;
  return ref.kind === "secretsmanager"
    ? ref.arn
    : `arn:${s.partition}:ssm:${s.region}:${s.account}:parameter${ref.name}`;
}

/** The IAM actions that read the API key. */
export function secretActions(s: DeploymentSettings): string[] {
  return s.apiKey.kind === "secretsmanager"
    ? ["secretsmanager:GetSecretValue"]
    : ["ssm:GetParameter"];
}
