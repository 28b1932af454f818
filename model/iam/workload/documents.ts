// What every workload document is made of: the statement and document types, the inputs they are
// built from, the ARNs and trust conditions several roles share, and IAM's size limits.
import { environmentNames, policyArn } from "../../naming";

/** One IAM policy statement, as AWS reads it. */
export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  readonly Principal?: "*" | Readonly<Record<string, string | readonly string[]>>;
  readonly Action: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly Condition?: Readonly<
    Record<string, Readonly<Record<string, string | readonly string[]>>>
  >;
}

/** An IAM policy document. */
export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: readonly PolicyStatement[];
}

export const doc = (...statements: PolicyStatement[]): PolicyDocument => ({
  Version: "2012-10-17",
  Statement: statements,
});

/** What every workload document is built from. */
export interface WorkloadPolicyInputs {
  /** AWS partition: aws, aws-cn, aws-us-gov ... */
  readonly partition: string;
  /** Naming prefix of the organization. */
  readonly prefix: string;
  /** Environment name. */
  readonly environment: string;
  /** The workload account these documents live in. */
  readonly account: string;
  /** The tools account that deploys. */
  readonly toolsAccount: string;
  /** AWS Organizations id; narrows every cross-account trust when set. */
  readonly orgId?: string;
}

/** The permissions boundary's ARN (deterministic: the tools stack and tests compute it too). */
export function boundaryArn(i: WorkloadPolicyInputs): string {
  const n = environmentNames(i.prefix, i.environment);
  return policyArn(i.partition, i.account, "/", n.permissionsBoundary);
}

/** An IAM ARN of this account: `kind` is role, user, policy or instance-profile. */
export function iamArn(i: WorkloadPolicyInputs, kind: string, pattern: string): string {
  return `arn:${i.partition}:iam::${i.account}:${kind}${pattern}`;
}

/**
 * A trust statement for an AWS service acting for this account only: `aws:SourceAccount`, the
 * cross-service confused-deputy guard.
 */
export function serviceInThisAccount(
  i: WorkloadPolicyInputs,
  sid: string,
  service: string,
): PolicyStatement {
  return {
    Sid: sid,
    Effect: "Allow",
    Principal: { Service: service },
    Action: "sts:AssumeRole",
    Condition: { StringEquals: { "aws:SourceAccount": i.account } },
  };
}

/** Condition narrowing a trust to principals of the organization, when one is configured. */
export function orgCondition(orgId?: string): Record<string, Record<string, string>> {
  return orgId ? { StringEquals: { "aws:PrincipalOrgID": orgId } } : {};
}

/** The tools pipeline roles (`<prefix>-<app>-pipeline`), as an ARN pattern. */
export function pipelineRolesPattern(i: WorkloadPolicyInputs): string {
  return `arn:${i.partition}:iam::${i.toolsAccount}:role/${i.prefix}-*-pipeline`;
}

/** Size of a policy as IAM counts it against its limits (JSON without whitespace). */
export function policySize(document: PolicyDocument): number {
  return JSON.stringify(document).length;
}

/** IAM's limits, in characters (whitespace not counted). */
export const IAM_MANAGED_POLICY_LIMIT = 6144;
export const IAM_INLINE_POLICIES_LIMIT = 10240;
export const IAM_TRUST_POLICY_LIMIT = 2048;
