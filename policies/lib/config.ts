// Policy configuration: the schema pieces every policy shares (exemptions that must give a reason)
// and `resolvePolicyConfig`, which fills JSON-schema defaults the way the Pulumi engine does before
// it calls a policy. Tests and the offline plan run policies without the engine, so they call it.
import type { PolicyConfigSchema } from "@pulumi/policy";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";

/** One exemption: a resource the policy skips, and why. */
export interface Exemption {
  /** Logical name, physical name or URN of the resource. */
  readonly resource: string;
  /** Why the exemption is acceptable; required so a reviewer can judge it. */
  readonly reason: string;
}

/** Configuration every policy of the pack accepts. */
export interface BaseConfig {
  readonly exemptions: readonly Exemption[];
}

/** A list whose entries name one value (`key`) and must give a reason. */
export function reasonedList(key: string, description: string): PolicyConfigJSONSchema {
  return {
    type: "array",
    description,
    default: [],
    items: {
      type: "object",
      properties: {
        [key]: { type: "string", minLength: 1 },
        reason: { type: "string", minLength: 1 },
      },
      required: [key, "reason"],
      additionalProperties: false,
    },
  };
}

/** The `exemptions` property shared by every policy. */
export const exemptionsProperty: PolicyConfigJSONSchema = reasonedList(
  "resource",
  "Resources this policy skips (logical name, physical name or URN), each with the reason.",
);

/** Builds a config schema with `exemptions` plus the policy's own properties. */
export function configSchema(
  properties: Record<string, PolicyConfigJSONSchema> = {},
): PolicyConfigSchema {
  return { properties: { exemptions: exemptionsProperty, ...properties } };
}

function clone<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function fillDefaults(schema: PolicyConfigJSONSchema, value: unknown): unknown {
  let result = value === undefined ? clone(schema.default) : value;
  if (schema.properties && (result === undefined ? false : isPlainObject(result))) {
    const obj: Record<string, unknown> = { ...(result as Record<string, unknown>) };
    for (const [key, sub] of Object.entries(schema.properties)) {
      if (typeof sub === "boolean") continue;
      const filled = fillDefaults(sub, obj[key]);
      if (filled !== undefined) obj[key] = filled;
    }
    result = obj;
  }
  return result;
}

/**
 * The configuration a policy sees at run time: the user's values with every JSON-schema `default`
 * of the policy's `configSchema` filled in (nested object properties too), as the engine does.
 * Pure: neither argument is modified.
 */
export function resolvePolicyConfig<T extends object = Record<string, unknown>>(
  policy: { readonly configSchema?: PolicyConfigSchema },
  userConfig: Record<string, unknown> = {},
): T {
  const root: PolicyConfigJSONSchema = {
    type: "object",
    properties: policy.configSchema?.properties ?? {},
  };
  return fillDefaults(root, { ...userConfig }) as T;
}

/** True when an exemption names the resource by logical name, physical name or URN. */
export function isExempt(
  exemptions: readonly Exemption[] | undefined,
  ids: readonly (string | undefined)[],
): boolean {
  if (!Array.isArray(exemptions)) return false;
  return exemptions.some(
    (e) =>
      e &&
      typeof e.resource === "string" &&
      ids.some((id) => id !== undefined && id === e.resource),
  );
}
