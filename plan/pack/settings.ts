// The pack's settings from a `--policy-pack-config` file: the effective enforcement level and the
// config of every policy, validated against each policy's schema and completed with its defaults,
// every problem reported at once.
import type { EnforcementLevel } from "@pulumi/policy";
import Ajv, { type ValidateFunction } from "ajv";
import { readFileSync } from "node:fs";
import { allPolicies, packDefaults } from "../../policies/all";
import { resolvePolicyConfig } from "../../policies/lib/config";
import type { PackPolicy } from "../../policies/lib/policy";

/** The pack's settings after reading a policy config file. */
export interface PackSettings {
  /** Effective enforcement level per policy name. */
  readonly levels: ReadonlyMap<string, EnforcementLevel>;
  /** Per policy, the config it sees: the user's values with schema defaults filled in. */
  readonly configs: ReadonlyMap<string, Record<string, unknown>>;
  readonly policies: readonly PackPolicy[];
}

/** A policy config file that cannot be used; every problem is listed with its path. */
export class PolicyConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(
      `${source}: ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join("\n")}`,
    );
    this.name = "PolicyConfigError";
  }
}

const LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Reads a policy config file (JSON), or throws PolicyConfigError naming the file. */
export function readPolicyConfigFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new PolicyConfigError(file, [`cannot read the file: ${(e as Error).message}`]);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new PolicyConfigError(file, [
      `not valid JSON (${(e as Error).message}); a policy config is a JSON object keyed by policy name`,
    ]);
  }
}

const ajv = new Ajv({ allErrors: true, strict: false });
const validators = new WeakMap<PackPolicy, ValidateFunction>();

/** The compiled JSON-schema check of a policy's settings (compiled once per policy). */
function validatorFor(policy: PackPolicy): ValidateFunction {
  let validate = validators.get(policy);
  if (!validate) {
    validate = ajv.compile({
      type: "object",
      properties: policy.configSchema?.properties ?? {},
      required: policy.configSchema?.required ?? [],
      additionalProperties: false,
    });
    validators.set(policy, validate);
  }
  return validate;
}

/**
 * Resolves a policy config (the `--policy-pack-config` JSON: `{ "all": level, "<policy>": level |
 * { enforcementLevel?, ...config } }`) into levels and configs. A level set for a policy wins over
 * `all`, which wins over the policy's own level, which wins over the pack's. Unknown policy names,
 * unknown levels and values that break a policy's schema are errors, all reported at once.
 */
export function resolvePackSettings(
  raw: unknown = {},
  source = "policy config",
  policies: readonly PackPolicy[] = allPolicies,
): PackSettings {
  const problems: string[] = [];
  const names = new Set(policies.map((p) => p.name));
  const user = new Map<string, Record<string, unknown>>();
  const userLevels = new Map<string, EnforcementLevel>();
  let all: EnforcementLevel | undefined;
  const readLevel = (value: unknown, path: string): EnforcementLevel | undefined => {
    if (typeof value === "string" && (LEVELS as readonly string[]).includes(value))
      return value as EnforcementLevel;
    problems.push(
      `${path}: "${String(value)}" is not an enforcement level; use one of ${LEVELS.join(", ")}`,
    );
    return undefined;
  };
  if (!isRecord(raw)) {
    problems.push(
      `the config must be a JSON object keyed by policy name, not ${JSON.stringify(raw)}`,
    );
  } else {
    for (const [key, value] of Object.entries(raw)) {
      if (key === "all") {
        all = readLevel(isRecord(value) ? value["enforcementLevel"] : value, "all");
        continue;
      }
      if (!names.has(key)) {
        problems.push(
          `${key}: no policy of this name in the pack; the names are listed in policies/README.md`,
        );
        continue;
      }
      if (typeof value === "string") {
        const level = readLevel(value, key);
        if (level) userLevels.set(key, level);
        continue;
      }
      if (!isRecord(value)) {
        problems.push(`${key}: must be an enforcement level or an object of settings`);
        continue;
      }
      const { enforcementLevel, ...settings } = value;
      if (enforcementLevel !== undefined) {
        const level = readLevel(enforcementLevel, `${key}.enforcementLevel`);
        if (level) userLevels.set(key, level);
      }
      user.set(key, settings);
    }
  }
  const levels = new Map<string, EnforcementLevel>();
  const configs = new Map<string, Record<string, unknown>>();
  for (const policy of policies) {
    levels.set(
      policy.name,
      userLevels.get(policy.name) ??
        all ??
        policy.enforcementLevel ??
        packDefaults.enforcementLevel,
    );
    const settings = user.get(policy.name) ?? {};
    // Only what the user wrote needs checking: the defaults satisfy the schema by construction.
    const validate = user.has(policy.name) ? validatorFor(policy) : undefined;
    const schema = validate?.schema as { properties: Record<string, unknown> } | undefined;
    if (validate && schema && !validate(settings)) {
      for (const err of validate.errors ?? []) {
        const at = `${policy.name}${err.instancePath.replace(/\//g, ".")}`;
        const extra =
          err.keyword === "additionalProperties"
            ? ` "${String((err.params as { additionalProperty?: string }).additionalProperty)}"; the policy accepts ${Object.keys(schema.properties).join(", ")}`
            : "";
        problems.push(`${at}: ${err.message ?? "is invalid"}${extra}`);
      }
    }
    configs.set(policy.name, resolvePolicyConfig(policy, settings));
  }
  if (problems.length > 0) throw new PolicyConfigError(source, problems);
  return { levels, configs, policies };
}
