// Resource policies decide who outside the account may use a resource. An Allow to everyone ("*",
// {"AWS": "*"}, an AWS principal with a wildcard account, or NotPrincipal) is public unless a
// condition narrows the caller to an account, organization, source ARN, VPC, VPC endpoint or IP
// range, judged as IAM Access Analyzer and S3 Block Public Access judge it (lib/public-access.ts
// cites the pages, key by key). Resources whose access is granted by properties instead of a
// document (Lambda permissions and function URLs, layer permissions, EventBridge permissions) are
// read the same way.
import { configSchema, type BaseConfig } from "../lib/config";
import { isAllow, parseSources, quoteList, type PolicyDocument } from "../lib/iam";
import type { ConditionEntry } from "../lib/iam-document";
import { resourcePolicy, type ResourceUnderCheck } from "../lib/policy";
import { judgeEntry, narrowing, notFixedBecause, publicPrincipal } from "../lib/public-access";
import { RESOURCE_POLICY_TYPES, resourcePolicySources, T } from "../lib/resources";
import { isUnknown, knownString, read } from "../lib/unknowns";

const NO_CONDITION = "without a condition on the caller's account, organization, source or network";

/** One message per Allow statement whose principal is everyone and whose Condition does not narrow it. */
export function findPublicStatements(docs: readonly PolicyDocument[]): string[] {
  const findings: string[] = [];
  for (const s of docs.flatMap((d) => d.statements)) {
    if (!isAllow(s)) continue;
    const who = publicPrincipal(s);
    if (who === undefined) continue;
    const { narrowed, reasons } = narrowing(s);
    if (narrowed) continue;
    const actions = s.action?.known.length ? ` (${quoteList(s.action.known)})` : "";
    findings.push(
      reasons.length === 0
        ? `${s.label} allows ${who}${actions} ${NO_CONDITION}.`
        : `${s.label} allows ${who}${actions}, and its Condition does not narrow the caller: ${reasons.join("; ")}.`,
    );
  }
  return findings;
}

/** A string property as a single-value condition entry, to judge it as a policy condition. */
function entry(operator: string, key: string, value: unknown): ConditionEntry | undefined {
  if (value === undefined || value === "") return undefined;
  if (isUnknown(value)) return { operator, key, values: { known: [], hasUnknown: true } };
  return typeof value === "string"
    ? { operator, key, values: { known: [value], hasUnknown: false } }
    : undefined;
}

/** A Lambda permission for principal "*" with no fixed sourceArn, sourceAccount or principalOrgId. */
export function findPublicLambdaPermission(props: unknown): string[] {
  const principal = knownString(props, "principal");
  if (principal !== "*") return [];
  const reasons: string[] = [];
  for (const [property, kind] of [
    ["sourceArn", "arn"],
    ["sourceAccount", "account"],
    ["principalOrgId", "org"],
  ] as const) {
    const value = read(props, property);
    if (isUnknown(value)) return [];
    if (typeof value !== "string" || value === "") continue;
    const why = notFixedBecause(kind, value);
    if (why === undefined) return [];
    reasons.push(`${property} "${value}" ${why}`);
  }
  const action = knownString(props, "action") ?? "lambda:InvokeFunction";
  return [
    reasons.length === 0
      ? `principal "*" may call ${action} on the function with no sourceArn, sourceAccount or principalOrgId.`
      : `principal "*" may call ${action} on the function, and nothing narrows the caller: ${reasons.join("; ")}.`,
  ];
}

/** A Lambda layer version shared with principal "*" and no organizationId. */
export function findPublicLayerPermission(props: unknown): string[] {
  if (knownString(props, "principal") !== "*") return [];
  const org = read(props, "organizationId");
  if (isUnknown(org)) return [];
  if (typeof org === "string" && org !== "") {
    const why = notFixedBecause("org", org);
    return why
      ? [`the layer version is shared with principal "*": organizationId "${org}" ${why}.`]
      : [];
  }
  return [
    'the layer version is shared with principal "*" and no organizationId: every AWS account may use it.',
  ];
}

/** A function URL that anyone may call without signing the request. */
export function findPublicFunctionUrl(props: unknown): string[] {
  return knownString(props, "authorizationType") === "NONE"
    ? [
        'authorizationType "NONE" lets anyone who knows the function URL invoke the function without signing the request.',
      ]
    : [];
}

/** An EventBridge bus permission for principal "*" whose condition does not narrow the caller. */
export function findPublicEventPermission(props: unknown): string[] {
  if (knownString(props, "principal") !== "*") return [];
  const condition = read(props, "condition");
  if (isUnknown(condition)) return [];
  const base = 'principal "*" may put events on the event bus';
  if (condition === undefined || condition === null) return [`${base} with no condition.`];
  const key = read(condition, "key");
  const operator = read(condition, "type");
  if (isUnknown(key) || isUnknown(operator)) return [];
  if (typeof key !== "string" || typeof operator !== "string")
    return [`${base} with no condition.`];
  const e = entry(operator, key, read(condition, "value"));
  if (e === undefined) return [`${base}, and its condition has no value.`];
  const verdict = judgeEntry(e);
  return verdict === "narrows" || verdict === "unknown"
    ? []
    : [`${base}, and its condition does not narrow the caller: ${verdict}.`];
}

function check(r: ResourceUnderCheck): string[] {
  switch (r.type) {
    case T.lambdaPermission:
      return findPublicLambdaPermission(r.props);
    case T.lambdaLayerVersionPermission:
      return findPublicLayerPermission(r.props);
    case T.lambdaFunctionUrl:
      return findPublicFunctionUrl(r.props);
    case T.eventPermission:
      return findPublicEventPermission(r.props);
    default:
      return findPublicStatements(parseSources(resourcePolicySources(r.type, r.props)));
  }
}

export const iamNoPublicResourcePolicies = resourcePolicy<BaseConfig>({
  name: "iam-no-public-resource-policies",
  family: "iam",
  description:
    'Flags resource policies (S3 buckets, bucket policies and access points, KMS keys and key policies, SNS topics, SQS queues, ECR and ECR Public repositories, Secrets Manager secrets, CodeArtifact domains and repositories, EventBridge buses, Glacier vaults, EFS file systems, OpenSearch domains, API Gateway REST APIs, Backup vaults, DynamoDB resource policies) with an Allow to everyone ("*", {"AWS": "*"}, an AWS principal with a wildcard account, or NotPrincipal) that no condition narrows, judged as IAM Access Analyzer and S3 Block Public Access judge it: a fixed value of aws:PrincipalAccount, aws:PrincipalOrgID, aws:PrincipalOrgPaths, aws:PrincipalArn, aws:SourceArn, aws:SourceAccount, aws:SourceOwner, aws:SourceOrgID, aws:SourceVpc, aws:SourceVpce, aws:VpceAccount, aws:userid, kms:CallerAccount or s3:DataAccessPointAccount, or a CIDR set with aws:SourceIp, narrows; a negated operator, ...IfExists, ForAllValues:, Null, a wildcard or policy-variable value, and keys that do not identify the caller (aws:SecureTransport, aws:CurrentTime, aws:UserAgent, aws:Referer, aws:username) do not. Also flags Lambda permissions for principal "*" without a fixed sourceArn, sourceAccount or principalOrgId, function URLs with authorizationType NONE, layer versions shared with "*" without organizationId, and EventBridge permissions for "*" whose condition does not narrow the caller. Sources: the S3 "meaning of public" and Access Analyzer findings pages.',
  severity: "critical",
  enforcementLevel: "mandatory",
  remediationSteps:
    'Name the principals (account roots or role ARNs, or a service principal), or keep "*" and add a condition with a fixed value such as StringEquals aws:PrincipalOrgID, aws:SourceAccount or aws:SourceArn; for Lambda permissions set sourceArn or sourceAccount; give function URLs authorizationType AWS_IAM.',
  configSchema: configSchema(),
  resourceTypes: [
    ...RESOURCE_POLICY_TYPES,
    T.lambdaPermission,
    T.lambdaLayerVersionPermission,
    T.lambdaFunctionUrl,
    T.eventPermission,
  ],
  check,
});
