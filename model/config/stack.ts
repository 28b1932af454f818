// Validation of one stack's settings: the flat config map the Pulumi CLI hands the program, with
// the organization, the stack's role, environment and account, and the AWS provider's settings.
import { describeValue } from "../../policies/lib/display";
import { partitionOf } from "../naming";
import { validateOrganization } from "./organization";
import { ConfigError, ConfigProblem, dedupe } from "./problems";
import { Raw } from "./raw-readers";
import {
  Account,
  BootstrapSettings,
  Environment,
  Organization,
  StackRole,
  stackSettingsSchema,
} from "./schema";
import { scanSecrets } from "./secrets";

/** A raw value as a message shows it (quoted only when short and plainly not a secret). */
const q = (value: unknown): string => describeValue(value, "'");
const word = (value: unknown): string => describeValue(value, "");

/** What one stack deploys, after validation. */
export type StackContext = ToolsContext | WorkloadContext | BootstrapContext;

interface BaseContext {
  readonly project: string;
  readonly stack: string;
  readonly org: Organization;
  readonly partition: string;
}
export interface ToolsContext extends BaseContext {
  readonly role: "tools";
  readonly account: string;
  readonly region: string;
}
/** The organization-wide bootstrap: the StackSet, in the management or delegated admin account. */
export interface BootstrapContext extends BaseContext {
  readonly role: "bootstrap";
  readonly account: string;
  readonly region: string;
  readonly bootstrap: BootstrapSettings;
}
export interface WorkloadContext extends BaseContext {
  readonly role: "workload";
  readonly environment: Environment;
  readonly account: Account;
  /** Regions this stack deploys to: the account's, else the environment's. */
  readonly regions: readonly string[];
  /** The stack's home region (aws:region), one of `regions`. */
  readonly region: string;
}

/** Keys this blueprint reads from its own namespace. */
export const PLATFORM_KEYS = ["organization", "role", "environment", "account"] as const;

/**
 * Validates a whole stack config: the flat map the Pulumi CLI hands a program (namespaced keys,
 * string values, objects as JSON). Returns what the stack deploys or throws ConfigError.
 */
export function validateStackConfig(
  project: string,
  stack: string,
  config: Readonly<Record<string, string>>,
  secretKeys: readonly string[] = [],
): StackContext {
  const problems: ConfigProblem[] = [];
  const add = (path: string, message: string) => problems.push({ path, message });
  const stackFile = `Pulumi.${stack}.yaml`;
  const key = (k: string) => `${project}:${k}`;

  for (const k of Object.keys(config)) {
    if (
      k.startsWith(`${project}:`) &&
      !(PLATFORM_KEYS as readonly string[]).includes(k.slice(project.length + 1))
    )
      add(
        k,
        `unknown config key; the blueprint reads ${PLATFORM_KEYS.map(key).join(", ")}: check the spelling`,
      );
  }

  let rawOrg: unknown;
  const orgText = config[key("organization")];
  if (orgText === undefined) {
    add(key("organization"), `is not set; define the organization under config in Pulumi.yaml`);
  } else {
    try {
      rawOrg = JSON.parse(orgText);
    } catch {
      add(
        key("organization"),
        `is not a structured value; write it as a YAML map under config in Pulumi.yaml`,
      );
    }
  }

  let org: Organization | undefined;
  if (rawOrg !== undefined) {
    try {
      org = validateOrganization(rawOrg);
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      for (const p of e.problems) problems.push(p);
    }
  }

  // The stack's own settings.
  const settingsRaw: Raw = {};
  for (const k of ["role", "environment", "account"] as const) {
    const v = config[key(k)];
    if (v !== undefined) settingsRaw[k] = v;
  }
  const settings = stackSettingsSchema.safeParse(settingsRaw);
  if (!settings.success) {
    for (const issue of settings.error.issues) {
      const path = issue.path.length > 0 ? key(String(issue.path[0])) : stackFile;
      add(path, `${issue.message} (${stackFile})`);
    }
  }
  for (const k of Object.keys(config)) {
    // Every namespace, the providers' too (aws:profile, aws:accessKey ...): only secret keys are skipped.
    if (!secretKeys.includes(k) && k !== key("organization"))
      scanSecrets(k, config[k], add, k.split(":")[1]);
  }

  const region = config["aws:region"];
  let allowed: unknown;
  if (config["aws:allowedAccountIds"] !== undefined) {
    try {
      allowed = JSON.parse(config["aws:allowedAccountIds"]);
    } catch {
      allowed = config["aws:allowedAccountIds"];
    }
  }
  if (region === undefined)
    add("aws:region", `is not set; set the stack's home region in ${stackFile}`);

  if (!org || !settings.success) {
    throw new ConfigError(dedupe(problems));
  }
  const partition = partitionOf(org.tools.region);
  const role: StackRole = settings.data.role;
  const checkAllowed = (account: string) => {
    if (allowed === undefined) {
      add(
        "aws:allowedAccountIds",
        `is not set; set it to ["${account}"] in ${stackFile} so this stack can never run with another account's credentials`,
      );
    } else if (!Array.isArray(allowed) || allowed.length !== 1 || allowed[0] !== account) {
      add(
        "aws:allowedAccountIds",
        `is ${q(allowed)} but this stack deploys account ${account}; set it to ["${account}"]`,
      );
    }
  };

  if (role === "tools") {
    if (settings.data.environment !== undefined)
      add(
        key("environment"),
        `is set but a tools stack serves every environment; remove it from ${stackFile}`,
      );
    if (settings.data.account !== undefined && settings.data.account !== org.tools.account)
      add(
        key("account"),
        `is ${settings.data.account} but the tools account is ${org.tools.account}; remove it or fix organization.tools.account`,
      );
    if (region !== undefined && region !== org.tools.region)
      add(
        "aws:region",
        `is ${word(region)} but organization.tools.region is ${org.tools.region}; set aws:region to ${org.tools.region} in ${stackFile}`,
      );
    checkAllowed(org.tools.account);
    if (problems.length > 0) throw new ConfigError(dedupe(problems));
    return {
      role,
      project,
      stack,
      org,
      partition,
      account: org.tools.account,
      region: org.tools.region,
    };
  }

  if (role === "bootstrap") {
    const bootstrap = org.platform?.bootstrap;
    if (!bootstrap) {
      add(
        key("role"),
        `is "bootstrap" but organization.platform.bootstrap is not set; add it to Pulumi.yaml (the management or StackSets delegated administrator account and the organizational units) or remove ${stackFile}`,
      );
      throw new ConfigError(dedupe(problems));
    }
    if (org.id === undefined)
      add(
        "organization.id",
        `is not set but organization.platform.bootstrap is: the bootstrap role's trust is narrowed with aws:PrincipalOrgID; set organization.id to the AWS Organizations id (o-...) in Pulumi.yaml`,
      );
    if (settings.data.environment !== undefined)
      add(
        key("environment"),
        `is set but the bootstrap stack serves every environment; remove it from ${stackFile}`,
      );
    if (settings.data.account !== undefined && settings.data.account !== bootstrap.account)
      add(
        key("account"),
        `is ${settings.data.account} but organization.platform.bootstrap.account is ${bootstrap.account}; remove it or fix the organization`,
      );
    const home = bootstrap.region ?? org.tools.region;
    if (region !== undefined && region !== home)
      add(
        "aws:region",
        `is ${word(region)} but the StackSet lives in ${home} (organization.platform.bootstrap.region, default the tools region); set aws:region to ${home} in ${stackFile}`,
      );
    checkAllowed(bootstrap.account);
    if (problems.length > 0) throw new ConfigError(dedupe(problems));
    return {
      role,
      project,
      stack,
      org,
      partition,
      account: bootstrap.account,
      region: home,
      bootstrap,
    };
  }

  const envName = settings.data.environment;
  const envNames = org.environments.map((e) => e.name);
  if (envName === undefined) {
    add(
      key("environment"),
      `is not set; a workload stack deploys one environment: set it to one of ${envNames.join(", ")} in ${stackFile}`,
    );
    throw new ConfigError(dedupe(problems));
  }
  const environment = org.environments.find((e) => e.name === envName);
  if (!environment) {
    add(
      key("environment"),
      `'${envName}' is not an environment of the organization; use one of ${envNames.join(", ")}`,
    );
    throw new ConfigError(dedupe(problems));
  }
  const accountIds = environment.accounts.map((a) => a.id);
  let account: Account | undefined;
  if (settings.data.account === undefined) {
    if (environment.accounts.length === 1) account = environment.accounts[0];
    else
      add(
        key("account"),
        `is not set; environment '${envName}' has ${accountIds.length} accounts (${accountIds.join(", ")}): set the one this stack deploys in ${stackFile}`,
      );
  } else {
    account = environment.accounts.find((a) => a.id === settings.data.account);
    if (!account)
      add(
        key("account"),
        `${settings.data.account} is not an account of environment '${envName}' (${accountIds.join(", ")}); the blueprint refuses to deploy an account the organization config does not list`,
      );
  }
  if (!account) throw new ConfigError(dedupe(problems));
  const regions = account.regions ?? environment.regions;
  if (region !== undefined && !regions.includes(region))
    add(
      "aws:region",
      `is ${word(region)} but account ${account.id} of '${envName}' deploys to ${regions.join(", ")}; set aws:region to one of them`,
    );
  checkAllowed(account.id);
  if (problems.length > 0) throw new ConfigError(dedupe(problems));
  return {
    role,
    project,
    stack,
    org,
    partition,
    environment,
    account,
    regions,
    region: region ?? regions[0],
  };
}
