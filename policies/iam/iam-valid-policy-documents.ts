// Malformed policy documents fail at deploy time (MalformedPolicyDocument) or, worse, are read by
// the other checks as something they are not. This policy reports each problem with its place in
// the document, and documents that outgrow IAM's size limits before AWS rejects them.
import { configSchema, type BaseConfig } from "../lib/config";
import { isUnknown, read } from "../lib/unknowns";
import { parsePolicyDocument, type PolicyDocument } from "../lib/iam";
import { loadConditionKeys, type ConditionKeyCatalogue } from "../lib/iam-conditions";
import { grammarProblems, type DocumentKind } from "../lib/iam-grammar";
import { loadResourceTypes, type ResourceTypeCatalogue } from "../lib/all-resources";
import { resourcePolicy, type ResourceUnderCheck } from "../lib/policy";
import {
  allDocumentSources,
  IDENTITY_DOCUMENT_TYPES,
  RESOURCE_POLICY_TYPES,
  T,
} from "../lib/resources";
import { isUnknownValueError } from "../lib/unknowns";

/** IAM's size limits in characters, whitespace not counted. */
export const SIZE_LIMITS = {
  roleInlinePolicies: 10_240,
  userInlinePolicies: 2_048,
  groupInlinePolicies: 5_120,
  managedPolicy: 6_144,
  trustPolicy: 2_048,
} as const;

/** The document's size as IAM counts it, or undefined while any part is unknown. */
export function documentSize(value: unknown): number | undefined {
  if (value === undefined || isUnknown(value)) return undefined;
  let text: string;
  try {
    text = typeof value === "string" ? value : JSON.stringify(value);
  } catch (e) {
    if (isUnknownValueError(e)) return undefined;
    throw e;
  }
  return text === undefined ? undefined : text.replace(/\s/g, "").length;
}

type Kind = DocumentKind;

/** Structural problems that depend on the kind of document. */
function kindProblems(doc: PolicyDocument, kind: Kind): string[] {
  const problems: string[] = [];
  for (const s of doc.statements) {
    const at = s.path ?? `Statement[${s.index}]`;
    const hasPrincipal = s.principal !== undefined || s.notPrincipal !== undefined;
    if (kind === "identity" && hasPrincipal) {
      problems.push(`${at} has a Principal, which identity-based policies do not accept`);
    }
    if (kind === "identity" && !s.resource && !s.notResource && !isUnknown(s.effect)) {
      problems.push(`${at} has neither Resource nor NotResource`);
    }
    if (kind !== "identity" && !hasPrincipal && !isUnknown(s.effect)) {
      problems.push(`${at} has no Principal`);
    }
  }
  return problems;
}

/**
 * Every problem of every policy document of a resource, one message each. With `keys`, the
 * grammar of IAM's validator too (Sids, condition operators, key types and values, ARNs, principals).
 */
export function findInvalidDocuments(
  type: string,
  props: unknown,
  keys?: ConditionKeyCatalogue,
  types?: ResourceTypeCatalogue,
): string[] {
  const findings: string[] = [];
  let inlineSize = 0;
  for (const source of allDocumentSources(type, props)) {
    const doc = parsePolicyDocument(source.value, source.label);
    if (doc.absent || doc.unknown) continue;
    const kind: Kind =
      source.label === "assumeRolePolicy"
        ? "trust"
        : RESOURCE_POLICY_TYPES.includes(type)
          ? "resource"
          : "identity";
    const grammar = keys ? grammarProblems(doc, kind, keys, types) : [];
    for (const problem of [...doc.problems, ...kindProblems(doc, kind), ...grammar]) {
      findings.push(`${source.label}: ${problem}.`);
    }
    const size = documentSize(source.value);
    if (size === undefined) continue;
    const limit =
      kind === "trust"
        ? SIZE_LIMITS.trustPolicy
        : type === T.policy
          ? SIZE_LIMITS.managedPolicy
          : type === T.userPolicy
            ? SIZE_LIMITS.userInlinePolicies
            : type === T.groupPolicy
              ? SIZE_LIMITS.groupInlinePolicies
              : kind === "identity"
                ? SIZE_LIMITS.roleInlinePolicies
                : undefined;
    if (type === T.role && kind === "identity") inlineSize += size;
    else if (limit !== undefined && size > limit) {
      findings.push(
        `${source.label} is ${size} characters (whitespace excluded); IAM accepts at most ${limit}.`,
      );
    }
  }
  if (inlineSize > SIZE_LIMITS.roleInlinePolicies) {
    findings.push(
      `inlinePolicies total ${inlineSize} characters (whitespace excluded); IAM accepts at most ${SIZE_LIMITS.roleInlinePolicies} per role.`,
    );
  }
  return findings;
}

async function check(r: ResourceUnderCheck): Promise<string[]> {
  const keys = await loadConditionKeys();
  const types = await loadResourceTypes();
  if (r.type === T.role && !Array.isArray(read(r.props, "inlinePolicies"))) {
    const inline = read(r.props, "inlinePolicies");
    if (inline !== undefined && !isUnknown(inline)) {
      return [
        "inlinePolicies must be an array of { name, policy }.",
        ...findInvalidDocuments(r.type, r.props, keys, types),
      ];
    }
  }
  return findInvalidDocuments(r.type, r.props, keys, types);
}

export const iamValidPolicyDocuments = resourcePolicy<BaseConfig>({
  name: "iam-valid-policy-documents",
  family: "iam",
  description:
    'Flags identity, trust and resource policy documents that are not valid JSON, have the wrong shape (missing Effect, Action of the wrong type, an element IAM does not define, Action with NotAction, Resource with NotResource, Principal with NotPrincipal, a Principal in an identity policy, no Principal in a resource policy, ...), break the grammar IAM Access Analyzer\'s policy validation checks (a Sid other than ASCII letters and digits or repeated in an IAM policy; a condition operator IAM does not define or Null...IfExists; an unknown global or service condition key; an operator of the wrong type for its key, such as a String operator on a Date key; a Bool or Null value other than true/false, a date that does not parse, an IP that is not an address or CIDR; a Resource that is not "*" or a six-part ARN with a valid partition, Region and account, or that gives a Region or account to a resource type that takes none (S3 buckets); a wildcard in the service prefix of an action; an empty condition value or Statement list; a wildcard in an AWS principal other than "*") or exceed IAM\'s size limits (role inline policies 10,240 characters in total, managed policies 6,144, trust policies 2,048). Each finding names its place, such as Statement[2].Condition.StringEquals.aws:CurrentTime.',
  severity: "high",
  enforcementLevel: "mandatory",
  remediationSteps:
    'Build documents with aws.iam.getPolicyDocumentOutput or a typed object passed through JSON.stringify, with Version "2012-10-17", an Effect, an Action list and Resources; split policies that outgrow the size limits into managed policies.',
  configSchema: configSchema(),
  resourceTypes: [...IDENTITY_DOCUMENT_TYPES, ...RESOURCE_POLICY_TYPES],
  check,
});
