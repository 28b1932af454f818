// The organization-wide rules: accounts, environment names, the promotion order, approvals of
// production, one partition, derived name lengths and the Pulumi Cloud token; organizationProblems
// runs them and the rules of applications, subscribers and workload environments in one order.
import { describeValue, isShowable } from "../../policies/lib/display";
import { complianceProblems } from "../compliance";
import { derivedEnvironmentNames, partitionOf } from "../naming";
import { applicationPipelineProblems, applicationProblems } from "./applications";
import { checkNameLengths } from "./name-lengths";
import { ConfigError, ConfigProblem, dedupe, zodProblems } from "./problems";
import { duplicates, field, isRecord, list, str } from "./raw-readers";
import { Environment, Organization, organizationSchema } from "./schema";
import { scanSecrets } from "./secrets";
import { subscriberEndpointProblems } from "./subscribers";
import { workloadEnvironmentProblems } from "./workload-environments";

/** A raw value as a message shows it (quoted only when short and plainly not a secret). */
const q = (value: unknown): string => describeValue(value, "'");
const word = (value: unknown): string => describeValue(value, "");

/** An environment is production when it says so, or when its name is prod / production. */
export function isProduction(env: Pick<Environment, "name" | "production">): boolean {
  return env.production ?? /^prod(uction)?$/.test(env.name);
}

/** Semantic checks over the raw organization config. */
export function organizationProblems(raw: unknown): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const add = (path: string, message: string) => problems.push({ path, message });
  const root = "organization";
  const envs = list(field(raw, "environments"));
  const prefix = str(field(raw, "prefix"));
  const toolsAccount = str(field(field(raw, "tools"), "account"));

  accountProblems(root, envs, toolsAccount, add);
  const seenEnv = environmentNameProblems(root, envs, add);
  const order = promotionOrderProblems(root, raw, envs, seenEnv, add);
  approvalProblems(root, envs, add);
  partitionProblems(root, raw, envs, add);
  environmentNameLengthProblems(root, envs, prefix, add);
  const apps = list(field(raw, "applications"));
  applicationProblems(root, apps, { order, seenEnv, prefix, toolsAccount }, add);
  pulumiTokenProblems(root, raw, toolsAccount, add);
  subscriberEndpointProblems(root, raw, envs, apps, add);

  // ---- Workload environments: deploy-role services and alarm subscribers (workload accounts) ----
  workloadEnvironmentProblems(raw, envs, prefix, add);
  // ---- end of workload environment rules ----

  // ---- Application rules of the tools pipelines (components/tools) -------------------------
  for (const p of applicationPipelineProblems(root, apps)) problems.push(p);
  // ---- end of the application rules of the tools pipelines -------------------------------

  // AWS Config settings of every level (model/compliance.ts).
  complianceProblems(raw, add);

  // Secret-looking literals anywhere in plain config.
  scanSecrets(root, raw, add);
  reservedKeyProblems(root, raw, add);
  return problems;
}

/** Keys no map of the config may hold: JavaScript would read them as an object's prototype. */
const RESERVED_KEYS = ["__proto__", "constructor", "prototype"];

/**
 * A reserved key anywhere, in a record too (build.environment), where zod would drop `__proto__`
 * silently: reported as unknown, in the words of the strict objects' own message.
 */
function reservedKeyProblems(
  path: string,
  value: unknown,
  add: (path: string, message: string) => void,
) {
  if (Array.isArray(value)) value.forEach((v, i) => reservedKeyProblems(`${path}[${i}]`, v, add));
  else if (isRecord(value))
    for (const k of Object.keys(value)) {
      if (RESERVED_KEYS.includes(k))
        add(path, `unknown key "${k}"; remove it or check the spelling`);
      else reservedKeyProblems(`${path}.${k}`, value[k], add);
    }
}

/** Accounts: each belongs to exactly one environment, and never doubles as the tools account. */
function accountProblems(
  root: string,
  envs: unknown[],
  toolsAccount: string | undefined,
  add: (path: string, message: string) => void,
) {
  const owners = new Map<string, string>();
  if (toolsAccount) owners.set(toolsAccount, "the tools account (organization.tools.account)");
  envs.forEach((env, i) => {
    const envName = str(field(env, "name")) ?? `#${i}`;
    list(field(env, "accounts")).forEach((acct, j) => {
      const id = str(field(acct, "id"));
      if (!id) return;
      const here = `${root}.environments[${i}].accounts[${j}].id`;
      const owner = owners.get(id);
      if (owner) {
        add(
          here,
          `account ${word(id)} is already used by ${owner}; each account belongs to one environment: give environment ${q(envName)} its own account`,
        );
      } else owners.set(id, `environment ${q(envName)} (${here})`);
      const regions = list(field(acct, "regions")).filter(
        (r): r is string => typeof r === "string",
      );
      duplicates(regions).forEach((r) =>
        add(
          `${root}.environments[${i}].accounts[${j}].regions`,
          `region ${word(r)} is listed twice; list it once`,
        ),
      );
    });
    const regions = list(field(env, "regions")).filter((r): r is string => typeof r === "string");
    duplicates(regions).forEach((r) =>
      add(`${root}.environments[${i}].regions`, `region ${word(r)} is listed twice; list it once`),
    );
  });
}

/** Environment names are unique. Returns the defined names, in the order they are defined. */
function environmentNameProblems(
  root: string,
  envs: unknown[],
  add: (path: string, message: string) => void,
): Set<string> {
  const envNames = envs.map((e) => str(field(e, "name")));
  const seenEnv = new Set<string>();
  envNames.forEach((name, i) => {
    if (!name) return;
    if (seenEnv.has(name))
      add(
        `${root}.environments[${i}].name`,
        `environment ${q(name)} is defined twice; rename or merge them`,
      );
    seenEnv.add(name);
  });
  return seenEnv;
}

/**
 * Promotion order names defined environments, each once, and every environment is promoted to.
 * Returns the raw order.
 */
function promotionOrderProblems(
  root: string,
  raw: unknown,
  envs: unknown[],
  seenEnv: ReadonlySet<string>,
  add: (path: string, message: string) => void,
): unknown[] {
  const envNames = envs.map((e) => str(field(e, "name")));
  // Only names that may be shown: a secret-shaped environment name is never listed.
  const known = [...seenEnv].filter((n) => isShowable(n));
  const order = list(field(raw, "promotionOrder"));
  const inOrder = new Set<string>();
  order.forEach((name, k) => {
    if (typeof name !== "string") return;
    if (!seenEnv.has(name))
      add(
        `${root}.promotionOrder[${k}]`,
        `${q(name)} is not a defined environment; use one of ${known.join(", ") || "(none defined)"}`,
      );
    else if (inOrder.has(name))
      add(
        `${root}.promotionOrder[${k}]`,
        `${q(name)} appears twice in the promotion order; list each environment once`,
      );
    inOrder.add(name);
  });
  if (Array.isArray(field(raw, "promotionOrder"))) {
    envNames.forEach((name, i) => {
      if (name && !inOrder.has(name))
        add(
          `${root}.environments[${i}].name`,
          `environment ${q(name)} is not in promotionOrder, so nothing deploys to it; add it to promotionOrder or remove it`,
        );
    });
  }
  return order;
}

/** Production needs a manual approval unless a reason to waive it is given. */
function approvalProblems(
  root: string,
  envs: unknown[],
  add: (path: string, message: string) => void,
) {
  envs.forEach((env, i) => {
    const name = str(field(env, "name"));
    if (!name) return;
    const production = field(env, "production");
    const prod = isProduction({
      name,
      production: typeof production === "boolean" ? production : undefined,
    });
    if (prod && field(env, "requiresApproval") !== true && !isRecord(field(env, "approvalWaiver")))
      add(
        `${root}.environments[${i}].requiresApproval`,
        `production environment ${q(name)} would deploy without a manual approval; set requiresApproval: true, or waive it with approvalWaiver.reason`,
      );
  });
}

/** Every region in one partition: cross-partition roles cannot be assumed. */
function partitionProblems(
  root: string,
  raw: unknown,
  envs: unknown[],
  add: (path: string, message: string) => void,
) {
  const toolsRegion = str(field(field(raw, "tools"), "region"));
  if (toolsRegion) {
    const part = partitionOf(toolsRegion);
    envs.forEach((env, i) => {
      const regionLists: [string, unknown][] = [
        [`${root}.environments[${i}].regions`, field(env, "regions")],
      ];
      list(field(env, "accounts")).forEach((a, j) =>
        regionLists.push([
          `${root}.environments[${i}].accounts[${j}].regions`,
          field(a, "regions"),
        ]),
      );
      for (const [path, regions] of regionLists) {
        list(regions).forEach((r, k) => {
          if (typeof r === "string" && partitionOf(r) !== part)
            add(
              `${path}[${k}]`,
              `region ${word(r)} is in partition ${partitionOf(r)} but the tools account is in ${part} (${toolsRegion}); roles cannot be assumed across partitions: use a region of ${part}`,
            );
        });
      }
    });
  }
}

/** Names derived from prefix + environment + duty fit AWS limits. */
function environmentNameLengthProblems(
  root: string,
  envs: unknown[],
  prefix: string | undefined,
  add: (path: string, message: string) => void,
) {
  if (prefix && /^[a-z][a-z0-9]{1,11}$/.test(prefix)) {
    envs.forEach((env, i) => {
      const name = str(field(env, "name"));
      if (name)
        checkNameLengths(
          `${root}.environments[${i}].name`,
          derivedEnvironmentNames(prefix, name),
          add,
        );
    });
  }
}

/** The Pulumi Cloud token is read by deploy builds, which run in the tools account. */
function pulumiTokenProblems(
  root: string,
  raw: unknown,
  toolsAccount: string | undefined,
  add: (path: string, message: string) => void,
) {
  const tokenArn = str(field(field(raw, "pulumiState"), "accessTokenSecretArn"));
  const tokenAccount = tokenArn?.split(":")[4];
  if (
    tokenAccount &&
    toolsAccount &&
    /^\d{12}$/.test(tokenAccount) &&
    tokenAccount !== toolsAccount
  )
    add(
      `${root}.pulumiState.accessTokenSecretArn`,
      `the secret is in account ${tokenAccount}, not in the tools account ${toolsAccount}; store the Pulumi Cloud token in the tools account`,
    );
}

/** Parses and validates the organization config. Throws ConfigError with every problem. */
export function validateOrganization(raw: unknown): Organization {
  const parsed = organizationSchema.safeParse(raw, { reportInput: true });
  const problems = [
    ...(parsed.success ? [] : zodProblems("organization", parsed.error)),
    ...organizationProblems(raw),
  ];
  // The platform deploys itself across an AWS organization: the StackSet targets its OUs, and
  // the bootstrap and deployer roles are narrowed by its id (a list of accounts instead would
  // outgrow the deployer's 10,240 characters at a few hundred accounts).
  if (parsed.success && parsed.data.platform && parsed.data.id === undefined)
    problems.push({
      path: "organization.id",
      message:
        "is not set but organization.platform is: the platform deploys itself across an AWS organization (StackSets, aws:PrincipalOrgID); set the organization id (o-...), or remove organization.platform and deploy each stack by hand (README)",
    });
  if (problems.length > 0 || !parsed.success) throw new ConfigError(dedupe(problems));
  return parsed.data;
}
