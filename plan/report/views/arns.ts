// ARNs as the views derive them: the partition of a region, the account of an ARN, an IAM role's
// ARN (known, or built from its name, path and account) and the resource part of an ARN.
import type { RecordedResource } from "../../engine";
import { str } from "./known-values";

export const ROLE_TYPE = "aws:iam/role:Role";

/** The AWS partition of a region. */
export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

/** The account field of an ARN (12 digits), if it has one. */
export function arnAccount(arn: string | undefined): string | undefined {
  const m = arn ? /^arn:[^:]+:[^:]*:[^:]*:(\d{12}):/.exec(arn) : null;
  return m ? m[1] : undefined;
}

/**
 * The ARN of an IAM role: the computed output when the engine knows it, else built from the
 * role's name, path and account as AWS builds it. Undefined when the name itself is unknown.
 */
export function roleArnOf(role: RecordedResource): string | undefined {
  const known = str(role.outputs?.["arn"]);
  if (known && known.startsWith("arn:")) return known;
  const name = str(role.inputs?.["name"]) ?? str(role.outputs?.["name"]);
  if (!name) return undefined;
  const path = str(role.inputs?.["path"]) ?? "/";
  return `arn:${partitionOf(role.region)}:iam::${role.account}:role${path}${name}`;
}

/** `role/acme-dev-deploy` from a role ARN (the part after the account). */
export function arnResource(arn: string): string {
  const parts = arn.split(":");
  return parts.length >= 6 ? parts.slice(5).join(":") : arn;
}
