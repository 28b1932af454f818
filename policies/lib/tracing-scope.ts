// Where the tracing policies report: tracing is a production requirement, so by default they
// judge only stacks whose names say production (the stack name is the URN's first part,
// `urn:pulumi:<stack>::<project>::...`); development stacks and ad-hoc stacks are not nagged.
// Production deploys of the platform run the pack with policies/production.policy-config.json,
// which sets `stacks: ["*"]` and the level mandatory, whatever the stack is called.
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { exemptionMatches } from "./config";

/** Stack names that read as production: the platform's default stack names for prod start so. */
export const PRODUCTION_STACKS: readonly string[] = [
  "prod",
  "prod-*",
  "production",
  "production-*",
  "*-prod",
  "*-production",
];

/** The `stacks` property of a tracing policy's config. */
export const stacksProperty: PolicyConfigJSONSchema = {
  type: "array",
  description:
    'Stacks the policy reports in, by name (`*` matches any run of characters; ["*"]: every stack). Default: production stacks by name.',
  default: [...PRODUCTION_STACKS],
  items: { type: "string", minLength: 1 },
};

/** The stack name of a URN, or undefined for anything that is not one. */
export function stackOfUrn(urn: string): string | undefined {
  const m = /^urn:pulumi:([^:]+)::/.exec(urn);
  return m ? m[1] : undefined;
}

/** True when the policy reports in the stack of this URN. */
export function inTracingScope(urn: string, stacks: unknown): boolean {
  const patterns = Array.isArray(stacks)
    ? stacks.filter((s): s is string => typeof s === "string")
    : PRODUCTION_STACKS;
  const stack = stackOfUrn(urn);
  return stack !== undefined && patterns.some((p) => exemptionMatches(p, stack));
}
