// Resource policies (S3 buckets, KMS keys, SNS topics, SQS queues, ECR repositories, Secrets Manager
// secrets, Lambda permissions) decide who outside the account may use a resource. An Allow to "*"
// with no condition that names an account, organization, source or network makes it public.
import { configSchema, type BaseConfig } from "../lib/config";
import {
  hasRestrictingCondition,
  isAllow,
  parseSources,
  quoteList,
  type PolicyDocument,
} from "../lib/iam";
import { resourcePolicy, type ResourceUnderCheck } from "../lib/policy";
import { RESOURCE_POLICY_TYPES, resourcePolicySources, T } from "../lib/resources";
import { knownString, read } from "../lib/unknowns";

/** Condition keys that narrow a public principal to an account, organization, source or network. */
export const PRINCIPAL_CONDITION_KEYS: readonly string[] = [
  "aws:PrincipalOrgID",
  "aws:PrincipalOrgPaths",
  "aws:PrincipalAccount",
  "aws:PrincipalArn",
  "aws:SourceAccount",
  "aws:SourceArn",
  "aws:SourceOwner",
  "aws:SourceOrgID",
  "aws:SourceOrgPaths",
  "aws:SourceVpc",
  "aws:SourceVpce",
  "aws:SourceIp",
  "aws:userid",
  "aws:username",
  "kms:CallerAccount",
];

/** One message per Allow statement whose principal is everyone, without a narrowing condition. */
export function findPublicStatements(docs: readonly PolicyDocument[]): string[] {
  const findings: string[] = [];
  for (const s of docs.flatMap((d) => d.statements)) {
    if (!isAllow(s) || hasRestrictingCondition(s, PRINCIPAL_CONDITION_KEYS)) continue;
    const p = s.principal;
    const everyone =
      p !== undefined && typeof p === "object" && (p.everyone || p.aws.known.includes("*"));
    const actions = s.action?.known.length ? ` (${quoteList(s.action.known)})` : "";
    if (everyone) {
      findings.push(
        `${s.label} allows any principal ("*")${actions} without a condition on the caller's account, organization, source or network.`,
      );
    } else if (s.notPrincipal !== undefined) {
      findings.push(
        `${s.label} allows everyone except the NotPrincipal list${actions} without a condition on the caller's account, organization, source or network.`,
      );
    }
  }
  return findings;
}

/** A Lambda permission for principal "*" with no source or organization restriction. */
export function findPublicLambdaPermission(props: unknown): string[] {
  const principal = knownString(props, "principal");
  if (principal !== "*") return [];
  const narrowed = ["sourceArn", "sourceAccount", "principalOrgId"].some(
    (k) => read(props, k) !== undefined && read(props, k) !== "",
  );
  if (narrowed) return [];
  const action = knownString(props, "action") ?? "lambda:InvokeFunction";
  return [
    `principal "*" may call ${action} on the function with no sourceArn, sourceAccount or principalOrgId.`,
  ];
}

function check(r: ResourceUnderCheck): string[] {
  if (r.type === T.lambdaPermission) return findPublicLambdaPermission(r.props);
  return findPublicStatements(parseSources(resourcePolicySources(r.type, r.props)));
}

export const iamNoPublicResourcePolicies = resourcePolicy<BaseConfig>({
  name: "iam-no-public-resource-policies",
  family: "iam",
  description:
    'Flags resource policies (S3 bucket, KMS key, SNS topic, SQS queue, ECR repository, Secrets Manager secret) with an Allow to "*" or with NotPrincipal and no condition on the caller\'s account, organization, source or network, and Lambda permissions for principal "*" without sourceArn, sourceAccount or principalOrgId.',
  severity: "critical",
  enforcementLevel: "mandatory",
  remediationSteps:
    'Name the principals (account roots or role ARNs, or a service principal), or keep "*" and add a condition such as StringEquals aws:PrincipalOrgID, aws:SourceAccount or aws:SourceArn; for Lambda permissions set sourceArn or sourceAccount.',
  configSchema: configSchema(),
  resourceTypes: [...RESOURCE_POLICY_TYPES, T.lambdaPermission],
  check,
});
