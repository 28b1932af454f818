// Validation of the organization config and of one stack's settings. Every problem is collected
// with its config path and the fix, and thrown once as a ConfigError before any resource exists.
import { z } from "zod";
import { detectSecret } from "../../policies/lib/secrets";
import {
  DEFAULT_ALLOWED_SERVICES,
  forbiddenServiceReason,
  IAM_MANAGED_POLICY_LIMIT,
  permissionsBoundaryPolicy,
  policySize,
} from "../iam/workload";
import {
  derivedApplicationNames,
  derivedEnvironmentNames,
  NAME_LIMITS,
  partitionOf,
} from "../naming";
import {
  Account,
  Environment,
  Organization,
  organizationSchema,
  StackRole,
  stackSettingsSchema,
} from "./schema";

/** One problem in the config: where it is and what to do about it. */
export interface ConfigProblem {
  /** Config path, for example `organization.environments[2].accounts[1].id`. */
  readonly path: string;
  /** What is wrong and how to fix it. */
  readonly message: string;
}

/** Thrown when the config has problems; lists all of them. Nothing is created after it. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(formatProblems(problems));
    this.name = "ConfigError";
  }
}

export function formatProblems(problems: readonly ConfigProblem[]): string {
  const head =
    problems.length === 1 ? "1 problem in config:" : `${problems.length} problems in config:`;
  return [head, ...problems.map((p) => `  - ${p.path}: ${p.message}`)].join("\n");
}

/** Renders a zod path the way `pulumi config set --path` writes it: a.b[0].c */
export function renderPath(root: string, path: readonly PropertyKey[]): string {
  let out = root;
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? String(part) : `.${String(part)}`;
  }
  return out;
}

function zodProblems(root: string, error: z.ZodError): ConfigProblem[] {
  return error.issues.map((issue) => {
    const path = renderPath(root, issue.path);
    switch (issue.code) {
      case "unrecognized_keys":
        return {
          path,
          message: `unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys
            .map((k) => `"${k}"`)
            .join(", ")}; remove ${issue.keys.length > 1 ? "them" : "it"} or check the spelling`,
        };
      case "invalid_type":
        if (issue.input === undefined) return { path, message: `is required; add it` };
        if (!issue.message.startsWith("Invalid input")) return { path, message: issue.message };
        return {
          path,
          message: `expected ${issue.expected}, got ${describe(issue.input)}; write a ${issue.expected}`,
        };
      default:
        return { path, message: issue.message };
    }
  });
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "a map" : `${typeof value} ${JSON.stringify(value)}`;
}

// ---------------------------------------------------------------------------------------------
// Defensive readers: semantic checks also run when the shape is wrong, so every problem is
// reported at once. They see the raw input and must never throw on it.

type Raw = Record<string, unknown>;
const isRecord = (v: unknown): v is Raw => typeof v === "object" && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const field = (v: unknown, key: string): unknown => (isRecord(v) ? v[key] : undefined);

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

  // Accounts: each belongs to exactly one environment, and never doubles as the tools account.
  const owners = new Map<string, string>();
  const toolsAccount = str(field(field(raw, "tools"), "account"));
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
          `account ${id} is already used by ${owner}; each account belongs to one environment: give environment '${envName}' its own account`,
        );
      } else owners.set(id, `environment '${envName}' (${here})`);
      const regions = list(field(acct, "regions")).filter(
        (r): r is string => typeof r === "string",
      );
      duplicates(regions).forEach((r) =>
        add(
          `${root}.environments[${i}].accounts[${j}].regions`,
          `region ${r} is listed twice; list it once`,
        ),
      );
    });
    const regions = list(field(env, "regions")).filter((r): r is string => typeof r === "string");
    duplicates(regions).forEach((r) =>
      add(`${root}.environments[${i}].regions`, `region ${r} is listed twice; list it once`),
    );
  });

  // Environment names are unique.
  const envNames = envs.map((e) => str(field(e, "name")));
  const seenEnv = new Set<string>();
  envNames.forEach((name, i) => {
    if (!name) return;
    if (seenEnv.has(name))
      add(
        `${root}.environments[${i}].name`,
        `environment '${name}' is defined twice; rename or merge them`,
      );
    seenEnv.add(name);
  });
  const known = [...seenEnv];

  // Promotion order names defined environments, each once, and every environment is promoted to.
  const order = list(field(raw, "promotionOrder"));
  const inOrder = new Set<string>();
  order.forEach((name, k) => {
    if (typeof name !== "string") return;
    if (!seenEnv.has(name))
      add(
        `${root}.promotionOrder[${k}]`,
        `'${name}' is not a defined environment; use one of ${known.join(", ") || "(none defined)"}`,
      );
    else if (inOrder.has(name))
      add(
        `${root}.promotionOrder[${k}]`,
        `'${name}' appears twice in the promotion order; list each environment once`,
      );
    inOrder.add(name);
  });
  if (Array.isArray(field(raw, "promotionOrder"))) {
    envNames.forEach((name, i) => {
      if (name && !inOrder.has(name))
        add(
          `${root}.environments[${i}].name`,
          `environment '${name}' is not in promotionOrder, so nothing deploys to it; add it to promotionOrder or remove it`,
        );
    });
  }

  // Production needs a manual approval unless a reason to waive it is given.
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
        `production environment '${name}' would deploy without a manual approval; set requiresApproval: true, or waive it with approvalWaiver.reason`,
      );
  });

  // Every region in one partition: cross-partition roles cannot be assumed.
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
              `region ${r} is in partition ${partitionOf(r)} but the tools account is in ${part} (${toolsRegion}); roles cannot be assumed across partitions: use a region of ${part}`,
            );
        });
      }
    });
  }

  // Names derived from prefix + environment + duty fit AWS limits.
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

  // Applications.
  const apps = list(field(raw, "applications"));
  const appNames = new Set<string>();
  apps.forEach((app, a) => {
    const at = `${root}.applications[${a}]`;
    const name = str(field(app, "name"));
    if (name) {
      if (appNames.has(name))
        add(
          `${at}.name`,
          `application '${name}' is defined twice; application names must be unique`,
        );
      appNames.add(name);
    }
    // Promotion of this application: a subsequence of the organization's order.
    const appEnvs = field(app, "environments");
    let targets: string[] = order.filter(
      (o): o is string => typeof o === "string" && seenEnv.has(o),
    );
    if (Array.isArray(appEnvs)) {
      const picked: string[] = [];
      let last = -1;
      appEnvs.forEach((e, k) => {
        if (typeof e !== "string") return;
        const pos = targets.indexOf(e);
        if (!seenEnv.has(e))
          add(
            `${at}.environments[${k}]`,
            `'${e}' is not a defined environment; use one of ${known.join(", ") || "(none defined)"}`,
          );
        else if (pos < 0) return;
        else if (pos <= last)
          add(
            `${at}.environments[${k}]`,
            `'${e}' is out of promotion order; list environments in the order of promotionOrder (${targets.join(" -> ")})`,
          );
        else {
          last = pos;
          picked.push(e);
        }
      });
      targets = picked;
    }
    // Unique check names and secret variables.
    const checks = list(field(field(app, "build"), "checks"));
    const checkIds: string[] = [];
    checks.forEach((c, k) => {
      const cn = str(field(c, "name"));
      if (!cn) return;
      if (checkIds.includes(cn))
        add(
          `${at}.build.checks[${k}].name`,
          `check '${cn}' is defined twice; check names must be unique within an application`,
        );
      checkIds.push(cn);
    });
    const plainEnv = field(field(app, "build"), "environment");
    const secretEnv = new Set<string>();
    list(field(app, "secrets")).forEach((s, k) => {
      const env = str(field(s, "env"));
      const source = str(field(s, "source"));
      const ref = str(field(s, "ref"));
      if (env) {
        if (secretEnv.has(env))
          add(
            `${at}.secrets[${k}].env`,
            `variable ${env} is given twice; each secret needs its own variable`,
          );
        if (isRecord(plainEnv) && env in plainEnv)
          add(
            `${at}.secrets[${k}].env`,
            `variable ${env} is also a plain variable in build.environment; remove it there`,
          );
        secretEnv.add(env);
      }
      if (ref && source) {
        const problem = secretReferenceProblem(source, ref, toolsAccount);
        if (problem) add(`${at}.secrets[${k}].ref`, problem);
      }
    });
    if (prefix && name && /^[a-z][a-z0-9]{1,11}$/.test(prefix)) {
      // Names derived from every check and every environment this application reaches.
      checkNameLengths(`${at}.name`, derivedApplicationNames(prefix, name, targets, checkIds), add);
    }
  });

  // The Pulumi Cloud token is read by deploy builds, which run in the tools account.
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

  // Subscribers: endpoints that match their protocol.
  const subscriberLists: [string, unknown][] = [
    [`${root}.notifications.subscribers`, field(field(raw, "notifications"), "subscribers")],
  ];
  envs.forEach((e, i) =>
    subscriberLists.push([
      `${root}.environments[${i}].notifications.subscribers`,
      field(field(e, "notifications"), "subscribers"),
    ]),
  );
  apps.forEach((p, i) =>
    subscriberLists.push([
      `${root}.applications[${i}].notifications.subscribers`,
      field(field(p, "notifications"), "subscribers"),
    ]),
  );
  for (const [path, subs] of subscriberLists) {
    list(subs).forEach((s, k) => {
      const problem = subscriberProblem(str(field(s, "protocol")), str(field(s, "endpoint")));
      if (problem) add(`${path}[${k}].endpoint`, problem);
    });
  }

  // ---- Workload environments: deploy-role services and alarm subscribers (workload accounts) ----
  workloadEnvironmentProblems(raw, envs, prefix, add);
  // ---- end of workload environment rules ----

  // ---- Application rules of the tools pipelines (components/tools) -------------------------
  problems.push(...applicationPipelineProblems(root, apps));
  // ---- end of the application rules of the tools pipelines -------------------------------

  // Secret-looking literals anywhere in plain config.
  scanSecrets(root, raw, add);
  return problems;
}

/**
 * Environment rules of the workload accounts: the services a deploy role may use (never iam,
 * organizations, sts or "*", each once, and a permissions boundary that fits IAM's 6,144-character
 * managed-policy limit), and alarms that notify somebody.
 */
function workloadEnvironmentProblems(
  raw: unknown,
  envs: unknown[],
  prefix: string | undefined,
  add: (path: string, message: string) => void,
) {
  const orgSubscribers = list(field(field(raw, "notifications"), "subscribers"));
  envs.forEach((env, i) => {
    const at = `organization.environments[${i}]`;
    const name = str(field(env, "name"));
    const services = field(env, "allowedServices");
    if (Array.isArray(services)) {
      if (services.length === 0)
        add(
          `${at}.allowedServices`,
          `is empty, so deployments could create nothing; list the service prefixes the applications use (for example "lambda") or remove the key for the default set (${DEFAULT_ALLOWED_SERVICES.join(", ")})`,
        );
      const seen = new Set<string>();
      services.forEach((svc, k) => {
        if (typeof svc !== "string") return;
        const reason = forbiddenServiceReason(svc);
        if (reason)
          add(
            `${at}.allowedServices[${k}]`,
            `'${svc}' is never allowed: ${reason}; remove it and list the service prefixes the applications use (for example "lambda", "dynamodb")`,
          );
        else if (seen.has(svc))
          add(`${at}.allowedServices[${k}]`, `'${svc}' is listed twice; list it once`);
        seen.add(svc);
      });
      const usable = [...seen].filter((s) => /^[a-z0-9-]+$/.test(s) && !forbiddenServiceReason(s));
      if (prefix && name) {
        const size = policySize(
          permissionsBoundaryPolicy(
            {
              partition: "aws-us-gov",
              prefix,
              environment: name,
              account: "000000000000",
              toolsAccount: "000000000000",
            },
            usable,
          ),
        );
        if (size > IAM_MANAGED_POLICY_LIMIT)
          add(
            `${at}.allowedServices`,
            `the permissions boundary for these ${usable.length} services would be ${size} characters; IAM allows ${IAM_MANAGED_POLICY_LIMIT} in a managed policy: list fewer services (about ${Math.ceil((size - IAM_MANAGED_POLICY_LIMIT) / 20)} fewer)`,
          );
      }
    }
    const envSubscribers = list(field(field(env, "notifications"), "subscribers"));
    if (name && orgSubscribers.length === 0 && envSubscribers.length === 0)
      add(
        `${at}.notifications.subscribers`,
        `environment '${name}' has no alarm subscribers, so its deployment-health alarms would notify nobody; add one here or in organization.notifications.subscribers`,
      );
  });
}

function checkNameLengths(
  path: string,
  names: readonly { kind: keyof typeof NAME_LIMITS; value: string }[],
  add: (path: string, message: string) => void,
) {
  // Report the longest name of each kind that is too long, once.
  const worst = new Map<string, string>();
  for (const n of names) {
    const limit = NAME_LIMITS[n.kind];
    if (n.value.length > limit && (worst.get(n.kind)?.length ?? 0) < n.value.length)
      worst.set(n.kind, n.value);
  }
  for (const [kind, value] of worst) {
    const limit = NAME_LIMITS[kind as keyof typeof NAME_LIMITS];
    add(
      path,
      `the derived ${KIND_LABEL[kind as keyof typeof NAME_LIMITS]} name '${value}' is ${value.length} characters; AWS allows ${limit}: shorten the name or the prefix by ${value.length - limit}`,
    );
  }
}

const KIND_LABEL: Record<keyof typeof NAME_LIMITS, string> = {
  iamRole: "IAM role",
  iamPolicy: "IAM policy",
  codePipeline: "CodePipeline",
  codeBuildProject: "CodeBuild project",
  eventRule: "EventBridge rule",
  alarm: "CloudWatch alarm",
  snsTopic: "SNS topic",
  s3Bucket: "S3 bucket",
  kmsAlias: "KMS alias",
  cloudTrail: "CloudTrail trail",
};

/** Checks a secret reference's format; undefined when it is usable. */
export function secretReferenceProblem(
  source: string,
  ref: string,
  toolsAccount?: string,
): string | undefined {
  if (source === "secrets-manager") {
    const arn =
      /^arn:(aws[a-z-]*):secretsmanager:([a-z0-9-]+):(\d{12}):secret:([A-Za-z0-9/_+=.@-]+)(:[^:]*){0,3}$/.exec(
        ref,
      );
    if (!arn)
      return `'${ref}' is not a Secrets Manager secret ARN; give the full ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>), optionally with :<json-key>`;
    if (toolsAccount && arn[3] !== toolsAccount)
      return `the secret is in account ${arn[3]}; builds run in the tools account ${toolsAccount}: keep build secrets there`;
    return undefined;
  }
  if (source === "ssm") {
    if (/^\/[A-Za-z0-9_.\-/]+$/.test(ref) || /^[A-Za-z0-9_.-]+$/.test(ref)) return undefined;
    return `'${ref}' is not an SSM parameter name; write it as "/path/name"`;
  }
  return undefined;
}

/** Checks a subscriber endpoint against its protocol; undefined when it is usable. */
export function subscriberProblem(
  protocol: string | undefined,
  endpoint: string | undefined,
): string | undefined {
  if (!protocol || !endpoint) return undefined;
  switch (protocol) {
    case "email":
      return /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(endpoint)
        ? undefined
        : `'${endpoint}' is not an email address`;
    case "https":
      return /^https:\/\/[^\s]+$/.test(endpoint)
        ? undefined
        : `'${endpoint}' is not an https:// URL`;
    case "sqs":
      return /^arn:aws[a-z-]*:sqs:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]+(\.fifo)?$/.test(endpoint)
        ? undefined
        : `'${endpoint}' is not an SQS queue ARN`;
    case "lambda":
      return /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9_$-]+)?$/.test(
        endpoint,
      )
        ? undefined
        : `'${endpoint}' is not a Lambda function ARN`;
    default:
      return undefined;
  }
}

/** Walks every string in plain config and reports the ones that look like secrets. */
export function scanSecrets(
  path: string,
  value: unknown,
  add: (path: string, message: string) => void,
  key?: string,
) {
  if (typeof value === "string") {
    const finding = detectSecret(value, key);
    if (finding)
      add(
        path,
        `looks like ${finding.description}; never put secrets in plain config: store it with \`pulumi config set --secret\` or in Secrets Manager / SSM and reference it (applications[].secrets[].ref)`,
      );
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => scanSecrets(`${path}[${i}]`, v, add, key));
  } else if (isRecord(value)) {
    for (const [k, v] of Object.entries(value)) scanSecrets(`${path}.${k}`, v, add, k);
  }
}

function duplicates(values: readonly string[]): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const v of values) (seen.has(v) ? dup : seen).add(v);
  return [...dup];
}

/** Parses and validates the organization config. Throws ConfigError with every problem. */
export function validateOrganization(raw: unknown): Organization {
  const parsed = organizationSchema.safeParse(raw, { reportInput: true });
  const problems = [
    ...(parsed.success ? [] : zodProblems("organization", parsed.error)),
    ...organizationProblems(raw),
  ];
  if (problems.length > 0 || !parsed.success) throw new ConfigError(dedupe(problems));
  return parsed.data;
}

function dedupe(problems: ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const k = `${p.path}\u0000${p.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** What one stack deploys, after validation. */
export type StackContext = ToolsContext | WorkloadContext;

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
      problems.push(...e.problems);
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
    if (!secretKeys.includes(k) && k !== key("organization") && !k.startsWith("aws:"))
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
        `is ${JSON.stringify(allowed)} but this stack deploys account ${account}; set it to ["${account}"]`,
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
        `is ${region} but organization.tools.region is ${org.tools.region}; set aws:region to ${org.tools.region} in ${stackFile}`,
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
      `is ${region} but account ${account.id} of '${envName}' deploys to ${regions.join(", ")}; set aws:region to one of them`,
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

// ---- Application rules of the tools pipelines (components/tools) ---------------------------

/** What the tools pipelines need from each application beyond its shape. */
export function applicationPipelineProblems(
  root: string,
  apps: readonly unknown[],
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  apps.forEach((app, a) => {
    const at = `${root}.applications[${a}]`;
    list(field(field(app, "build"), "checks")).forEach((c, k) => {
      if (str(field(c, "kind")) === "custom" && list(field(c, "commands")).length === 0)
        problems.push({
          path: `${at}.build.checks[${k}].commands`,
          message:
            "a custom check runs only the commands you give; add commands or pick another kind",
        });
    });
    const source = field(app, "source");
    if (str(field(source, "provider")) === "codecommit" && field(source, "filePaths") !== undefined)
      problems.push({
        path: `${at}.source.filePaths`,
        message:
          "file-path triggers need a CodeConnections source (GitHub, GitLab, Bitbucket); remove filePaths or change the provider",
      });
  });
  return problems;
}
// ---- end of the application rules of the tools pipelines -----------------------------------
