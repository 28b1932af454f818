// Where an AWS provider puts its resources, read from the provider's inputs: the engine reads it
// when a program registers a provider, and `check` when it reads a provider from a stack export.
import { SECRET_MASK, UNKNOWN_WIRE } from "./values";

/** An AWS account and region. */
export interface Target {
  readonly account: string;
  readonly region: string;
}

const isMap = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** A value that may arrive JSON-encoded (structured provider inputs and config do). */
export function parseMaybeJson(v: unknown): unknown {
  if (typeof v !== "string") return v;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return v;
  }
}

/** A string that says something: not empty, not a masked secret, not unknown until deploy. */
export function usable(v: unknown): v is string {
  return typeof v === "string" && v !== "" && v !== SECRET_MASK && v !== UNKNOWN_WIRE;
}

/**
 * Account and region an AWS provider pins its resources to: the `region` input, the first of
 * `allowedAccountIds`, and the account of an assumed role (which wins); `fallback` for the rest.
 */
export function providerTarget(inputs: Record<string, unknown>, fallback: Target): Target {
  const region = usable(inputs["region"]) ? inputs["region"] : fallback.region;
  let account = fallback.account;
  const allowed = parseMaybeJson(inputs["allowedAccountIds"]);
  if (Array.isArray(allowed) && usable(allowed[0])) account = allowed[0];
  const assume = parseMaybeJson(inputs["assumeRoles"]) ?? parseMaybeJson(inputs["assumeRole"]);
  const first = Array.isArray(assume) ? assume[0] : assume;
  const roleArn = isMap(first) ? first["roleArn"] : undefined;
  if (typeof roleArn === "string" && /^arn:[^:]+:iam::\d{12}:/.test(roleArn))
    account = roleArn.split(":")[4]!;
  return { account, region };
}
