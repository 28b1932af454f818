// When a resource policy is public, judged the way IAM Access Analyzer and S3 Block Public Access
// judge it. A statement is public when it allows everyone ("*", {"AWS": "*"}, an AWS principal with
// a wildcard account such as "arn:aws:iam::*:root", or NotPrincipal with Allow) and no condition
// narrows the caller to something an owner controls: an account, an organization, a source ARN, a
// VPC or VPC endpoint, an IP range. Sources:
// - S3, "The meaning of public": a policy is non-public only when it grants access to fixed values
//   (no wildcard, no policy variable) of aws:SourceArn, aws:SourceVpc, aws:SourceVpce,
//   aws:SourceOwner, aws:SourceAccount, aws:userid (outside "AROLEID:*"), s3:x-amz-server-side-
//   encryption-aws-kms-key-id, or a set of CIDRs with aws:SourceIp
//   (https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status).
// - IAM Access Analyzer, "How IAM Access Analyzer findings work": principals of the account or
//   organization are the zone of trust, so aws:PrincipalAccount, aws:PrincipalOrgID and
//   aws:PrincipalOrgPaths narrow a "*" principal to it
//   (https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-findings.html).
// - The global condition keys page for the source organization keys (aws:SourceOrgID,
//   aws:SourceOrgPaths) and the VPC endpoint owner keys (aws:VpceAccount, aws:VpceOrgID,
//   aws:VpceOrgPaths), the KMS key kms:CallerAccount, and S3's access-point delegation keys
//   s3:DataAccessPointAccount and s3:DataAccessPointArn
//   (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html,
//   https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-caller-account,
//   https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-points-policies.html).
// How an operator and its values decide (the condition operators reference,
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html):
// a negated operator matches every other value; ...IfExists and ForAllValues: match when the key is
// absent; Null only tests presence; a wildcard or a policy variable is not a fixed value. Keys that
// say nothing about who calls (aws:SecureTransport, aws:CurrentTime, aws:UserAgent, aws:Referer,
// aws:username: any account may have a user of that name) do not narrow.
// Unconfirmed: whether Access Analyzer itself reports an aws:SourceIp-only policy as public (S3
// does not); the pack follows S3 and accepts a CIDR set narrower than the whole address space.
import { isUnknown } from "./unknowns";
import { parseOperator } from "./iam-conditions";
import type { ConditionEntry, Statement } from "./iam-document";

/** What a narrowing key's values must be to count as fixed. */
type ValueKind = "account" | "org" | "orgPath" | "arn" | "id" | "ip" | "userid";

/** The condition keys that narrow a public principal, and the kind of value each takes. */
export const NARROWING_KEYS: ReadonlyMap<string, ValueKind> = new Map<string, ValueKind>([
  ["aws:principalaccount", "account"],
  ["aws:principalorgid", "org"],
  ["aws:principalorgpaths", "orgPath"],
  ["aws:principalarn", "arn"],
  ["aws:sourceaccount", "account"],
  ["aws:sourceowner", "account"],
  ["aws:sourcearn", "arn"],
  ["aws:sourceorgid", "org"],
  ["aws:sourceorgpaths", "orgPath"],
  ["aws:sourcevpc", "id"],
  ["aws:sourcevpce", "id"],
  ["aws:sourcevpcarn", "arn"],
  ["aws:vpceaccount", "account"],
  ["aws:vpceorgid", "org"],
  ["aws:vpceorgpaths", "orgPath"],
  ["aws:sourceip", "ip"],
  ["aws:userid", "userid"],
  ["kms:calleraccount", "account"],
  ["s3:dataaccesspointaccount", "account"],
  ["s3:dataaccesspointarn", "arn"],
  ["s3:x-amz-server-side-encryption-aws-kms-key-id", "id"],
]);

/** The narrowing keys as written in messages. */
export const NARROWING_KEY_NAMES: readonly string[] = [
  "aws:PrincipalAccount",
  "aws:PrincipalOrgID",
  "aws:PrincipalOrgPaths",
  "aws:PrincipalArn",
  "aws:SourceAccount",
  "aws:SourceOwner",
  "aws:SourceArn",
  "aws:SourceOrgID",
  "aws:SourceOrgPaths",
  "aws:SourceVpc",
  "aws:SourceVpce",
  "aws:SourceVpcArn",
  "aws:VpceAccount",
  "aws:VpceOrgID",
  "aws:VpceOrgPaths",
  "aws:SourceIp",
  "aws:userid",
  "kms:CallerAccount",
  "s3:DataAccessPointAccount",
  "s3:DataAccessPointArn",
  "s3:x-amz-server-side-encryption-aws-kms-key-id",
];

const hasWildcard = (v: string): boolean => /[*?]/.test(v);
const hasVariable = (v: string): boolean => v.includes("${");

/** Why a value of a narrowing key is not fixed, or undefined when it is. */
export function notFixedBecause(kind: ValueKind, value: string): string | undefined {
  if (hasVariable(value)) return "is a policy variable, not a fixed value";
  switch (kind) {
    case "orgPath": {
      const org = value.split("/")[0];
      return hasWildcard(org) ? "is a wildcard organization" : undefined;
    }
    case "arn": {
      const parts = value.split(":");
      if (parts[0] !== "arn" || parts.length < 6) {
        return hasWildcard(value) ? "is a wildcard" : undefined;
      }
      const account = parts[4];
      if (hasWildcard(account)) return "allows any account";
      if (account === "" && hasWildcard(value)) return "is a wildcard";
      return undefined;
    }
    case "ip": {
      if (hasWildcard(value)) return "is a wildcard";
      const prefix = /\/(\d+)$/.exec(value.trim());
      return prefix && Number(prefix[1]) === 0 ? "covers every address" : undefined;
    }
    case "userid":
      // S3 treats "AROLEID:*" (every session of one role) as fixed.
      return /^[A-Za-z0-9]+:\*$/.test(value) || !hasWildcard(value) ? undefined : "is a wildcard";
    default:
      return hasWildcard(value) ? "is a wildcard" : undefined;
  }
}

/** "narrows", "unknown" (cannot tell during preview) or the reason the entry does not narrow. */
export function judgeEntry(e: ConditionEntry): "narrows" | "unknown" | string {
  const kind = NARROWING_KEYS.get(e.key.toLowerCase());
  const op = parseOperator(e.operator);
  const on = `${e.operator} on ${e.key}`;
  if (kind === undefined) return `${e.key} does not identify the caller`;
  if (op === undefined) return `${e.operator} is not a condition operator`;
  if (op.family === "Null") return `${on} only tests whether the key is present`;
  if (op.negated) return `${on} is negated, so it matches every other value`;
  if (op.ifExists) return `${on} also matches when the key is absent`;
  if (op.setQualifier === "ForAllValues") return `${on} also matches when the key is absent`;
  const families = kind === "ip" ? ["Ip"] : kind === "arn" ? ["Arn", "String"] : ["String"];
  if (!families.includes(op.family)) return `${on} does not compare the key's values`;
  for (const v of e.values.known) {
    const why = notFixedBecause(kind, v);
    if (why) return `${on} "${v}" ${why}`;
  }
  if (e.values.hasUnknown) return "unknown";
  return e.values.known.length > 0 ? "narrows" : `${on} has no values`;
}

/** Whether a statement's Condition narrows the caller, and if not, why each entry does not. */
export interface Narrowing {
  readonly narrowed: boolean;
  /** Empty when there is no Condition at all. */
  readonly reasons: readonly string[];
}

/** Judges the Condition of a statement; an unknown Condition counts as narrowing (cannot tell). */
export function narrowing(s: Statement): Narrowing {
  const c = s.condition;
  if (c === undefined) return { narrowed: false, reasons: [] };
  if (isUnknown(c)) return { narrowed: true, reasons: [] };
  const reasons: string[] = [];
  for (const e of c.entries) {
    const verdict = judgeEntry(e);
    if (verdict === "narrows" || verdict === "unknown") return { narrowed: true, reasons: [] };
    reasons.push(verdict);
  }
  // An unknown operator block might narrow; unknown values were judged with their entry above.
  const unknownBlock = c.hasUnknown && !c.entries.some((e) => e.values.hasUnknown);
  return { narrowed: unknownBlock, reasons };
}

/** The AWS principal values that stand for every account: "*" or an ARN with a wildcard account. */
export function isEveryAccountPrincipal(value: string): boolean {
  if (value === "*") return true;
  const parts = value.split(":");
  return parts[0] === "arn" && parts.length >= 6 && hasWildcard(parts[4]);
}

/** How a public principal of an Allow statement reads in a message, or undefined when none. */
export function publicPrincipal(s: Statement): string | undefined {
  const p = s.principal;
  if (p !== undefined && !isUnknown(p)) {
    if (p.everyone) return 'any principal ("*")';
    const every = p.aws.known.filter(isEveryAccountPrincipal);
    if (every.length > 0) {
      return every[0] === "*"
        ? 'any principal ({"AWS": "*"})'
        : `any principal of any account ("${every[0]}")`;
    }
  }
  if (s.notPrincipal !== undefined && s.principal === undefined) {
    return "everyone except the NotPrincipal list";
  }
  return undefined;
}
