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

/**
 * A list whose entries name one value (`key`) and must give a reason. With `scoped`, an entry may
 * also name the `resources` it applies to (same matching as exemptions); without them it applies
 * to every resource.
 */
export function reasonedList(
  key: string,
  description: string,
  scoped = false,
): PolicyConfigJSONSchema {
  return {
    type: "array",
    description,
    default: [],
    items: {
      type: "object",
      properties: {
        // A bare "*" would name every resource.
        [key]: { type: "string", minLength: 1, ...(key === "resource" ? { pattern: "[^*]" } : {}) },
        reason: { type: "string", minLength: 1 },
        ...(scoped
          ? {
              resources: {
                type: "array",
                description:
                  "Only these resources (logical name, physical name or URN; `*` matches any run of characters).",
                minItems: 1,
                items: { type: "string", pattern: "[^*]" },
              },
            }
          : {}),
      },
      required: [key, "reason"],
      additionalProperties: false,
    },
  };
}

/** An allow-list entry that may be limited to some resources. */
export interface ScopedEntry {
  readonly reason: string;
  readonly resources?: readonly string[];
}

/**
 * The values of the allow-list entries that apply to a resource known by `ids` (logical name,
 * URN, physical names): entries without `resources`, and those naming one of the ids.
 */
export function allowedFor<E extends ScopedEntry, K extends keyof E>(
  entries: readonly E[] | undefined,
  key: K,
  ids: readonly (string | undefined)[],
): E[K][] {
  if (!Array.isArray(entries)) return [];
  return entries
    .filter(
      (e) =>
        e &&
        (!Array.isArray(e.resources) ||
          e.resources.some(
            (pattern: unknown) =>
              typeof pattern === "string" &&
              ids.some((id) => id !== undefined && exemptionMatches(pattern, id)),
          )),
    )
    .map((e) => e[key]);
}

/** The `exemptions` property shared by every policy. */
export const exemptionsProperty: PolicyConfigJSONSchema = reasonedList(
  "resource",
  "Resources this policy skips (logical name, physical name or URN; `*` matches any run of characters), each with the reason.",
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

/**
 * True when `pattern` names `id`: equal strings, or `*` in the pattern standing for any run of
 * characters (`urn:pulumi:*::cicd-platform::...::*`). Nothing else is special.
 */
export function exemptionMatches(pattern: string, id: string): boolean {
  if (!pattern.includes("*")) return pattern === id;
  const parts = pattern.split("*");
  const first = parts[0] ?? "";
  const last = parts[parts.length - 1] ?? "";
  if (id.length < first.length + last.length || !id.startsWith(first) || !id.endsWith(last))
    return false;
  let at = first.length;
  const end = id.length - last.length;
  for (const middle of parts.slice(1, -1)) {
    const found = id.indexOf(middle, at);
    if (found < 0 || found + middle.length > end) return false;
    at = found + middle.length;
  }
  return true;
}

/**
 * True when an exemption names the resource by logical name, physical name or URN (`*` matches
 * any run of characters, so one entry can cover a component's resource in every stack).
 */
export function isExempt(
  exemptions: readonly Exemption[] | undefined,
  ids: readonly (string | undefined)[],
): boolean {
  if (!Array.isArray(exemptions)) return false;
  return exemptions.some(
    (e) =>
      e &&
      typeof e.resource === "string" &&
      ids.some((id) => id !== undefined && exemptionMatches(e.resource, id)),
  );
}
