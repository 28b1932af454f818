// The grammar IAM's own validator enforces, beyond the document's shape (iam-document.ts): the
// errors of IAM Access Analyzer's policy validation, from its check reference
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html):
// - Unsupported Sid / Unique Sids required: in IAM policies (identity and trust) a Sid holds only
//   ASCII letters and digits and is unique within the document (also the Sid element page,
//   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_sid.html).
//   Resource policies of other services accept other Sid characters, and whether each of them
//   enforces unique Sids is unconfirmed, so neither is checked there.
// - Unsupported element combination: Principal with NotPrincipal.
// - Invalid condition operator, Null with if exists, Invalid condition key format, Invalid global
//   condition key, Invalid service condition key, Invalid condition data type, Invalid condition
//   multiple Boolean: operators IAM defines, keys the global list or the service defines, each
//   compared by an operator of its type (a Date key with Date operators...), Bool and Null values
//   true or false, dates that parse, IP addresses and CIDR ranges, numbers.
// - Invalid ARN prefix / partition / Region / account, Missing ARN field: a Resource is "*" or
//   arn:partition:service:region:account:resource, with wildcards and policy variables allowed.
// - ARN Region / account not allowed: a Region or account in an ARN whose resource types take
//   none (S3 bucket and object ARNs), from the catalogue's ARN formats.
// - Invalid service in action: a wildcard in an action's service prefix ("*:GetObject").
// - Empty condition value, and a Statement list with no statement.
// - Unsupported wildcard in principal: an AWS principal is "*", an account id or an ARN without
//   wildcards.
// Condition keys with a prefix that is not an IAM service (OIDC providers such as
// token.actions.githubusercontent.com:sub, saml:aud) are left alone.
import type { ResourceTypeCatalogue } from "./all-resources";
import { isAllActionsPattern } from "./iam";
import { familiesForType, parseOperator, type ConditionKeyCatalogue } from "./iam-conditions";
import type { PolicyDocument, Statement } from "./iam-document";
import { isUnknown } from "./unknowns";

/** Which kind of policy a document is: what IAM accepts differs. */
export type DocumentKind = "identity" | "trust" | "resource";

const PARTITIONS: ReadonlySet<string> = new Set([
  "aws",
  "aws-cn",
  "aws-us-gov",
  "aws-iso",
  "aws-iso-b",
  "aws-iso-e",
  "aws-iso-f",
  "aws-eusc",
]);

const isPattern = (v: string): boolean => /[*?]|\$\{/.test(v);

/** Why a Resource value is not an ARN IAM accepts, or undefined. */
export function arnProblem(value: string): string | undefined {
  if (/^\*+$/.test(value) || value.startsWith("${")) return undefined;
  if (!value.startsWith("arn:")) {
    return 'is not "*" or an ARN (arn:partition:service:region:account:resource)';
  }
  const parts = value.split(":");
  if (parts.length < 6) {
    return `has ${parts.length} of the 6 parts of an ARN (arn:partition:service:region:account:resource)`;
  }
  const [, partition, service, region, account] = parts;
  const resource = parts.slice(5).join(":");
  if (!isPattern(partition) && !PARTITIONS.has(partition)) {
    return `has partition "${partition}", which is not aws, aws-cn, aws-us-gov or another AWS partition`;
  }
  if (service === "") return "has no service";
  if (resource === "") return "has no resource part";
  if (region !== "" && !isPattern(region) && !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) {
    return `has region "${region}", which is not an AWS Region`;
  }
  if (account !== "" && !isPattern(account) && !/^(\d{12}|aws)$/.test(account)) {
    return `has account "${account}", which is not a 12-digit account id`;
  }
  return undefined;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** True for an IPv4 or IPv6 address, with an optional CIDR prefix length. */
export function isIpOrCidr(value: string): boolean {
  const [address, prefix, extra] = value.split("/");
  if (extra !== undefined) return false;
  const v4 = IPV4.test(address);
  const v6 = !v4 && isIpv6(address);
  if (!v4 && !v6) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (v4 ? 32 : 128);
}

function isIpv6(address: string): boolean {
  if (!/^[0-9A-Fa-f:]+$/.test(address) || address.split("::").length > 2) return false;
  if (address.includes(":::") || /^:[^:]|[^:]:$/.test(address)) return false;
  const groups = address
    .split(":")
    .filter((g, i, all) => g !== "" || (i > 0 && i < all.length - 1));
  const compressed = address.includes("::");
  if (groups.some((g) => g !== "" && !/^[0-9A-Fa-f]{1,4}$/.test(g))) return false;
  const count = groups.filter((g) => g !== "").length;
  return compressed ? count < 8 : count === 8;
}

/** True for a date IAM compares: ISO 8601 (`2026-01-01`, `2026-01-01T00:00:00Z`) or epoch seconds. */
export function isPolicyDate(value: string): boolean {
  if (/^\d+$/.test(value)) return true;
  return (
    /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value) && !isNaN(Date.parse(value))
  );
}

/** Problems of one statement's Condition, each with its path. */
function conditionProblems(s: Statement, at: string, keys: ConditionKeyCatalogue): string[] {
  const c = s.condition;
  if (c === undefined || isUnknown(c)) return [];
  const problems: string[] = [];
  const badOperators = new Set<string>();
  for (const e of c.entries) {
    const where = `${at}.Condition.${e.operator}.${e.key}`;
    const op = parseOperator(e.operator);
    if (op === undefined) {
      if (!badOperators.has(e.operator)) {
        problems.push(
          /ifexists$/i.test(e.operator) && /^null/i.test(e.operator)
            ? `${at}.Condition.${e.operator}: Null cannot take IfExists`
            : `${at}.Condition.${e.operator} is not a condition operator`,
        );
        badOperators.add(e.operator);
      }
      continue;
    }
    const colon = e.key.indexOf(":");
    if (colon <= 0 || colon === e.key.length - 1 || /\s/.test(e.key)) {
      problems.push(`${where} is not a condition key of the form prefix:name`);
      continue;
    }
    const type = keys.typeOf(e.key);
    if (type === undefined) {
      if (e.key.toLowerCase().startsWith("aws:")) {
        problems.push(`${where} is not a global condition key`);
      } else if (keys.knowsService(e.key)) {
        problems.push(`${where} is not a condition key of ${e.key.slice(0, colon)}`);
      }
    } else if (op.family !== "Null") {
      const families = familiesForType(type);
      if (families && !families.includes(op.family)) {
        problems.push(`${where}: ${op.base} does not compare ${e.key}, a ${type} key`);
      }
    }
    if (e.values.known.length === 0 && !e.values.hasUnknown) {
      problems.push(`${where} has no values`);
    }
    problems.push(...valueProblems(op.family, e.values.known, where));
  }
  return problems;
}

function valueProblems(family: string, values: readonly string[], where: string): string[] {
  const problems: string[] = [];
  if (family === "Bool" && values.length > 1) {
    problems.push(`${where}: Bool takes one value, got ${values.length}`);
  }
  for (const v of values) {
    if (v.includes("${")) continue;
    if ((family === "Bool" || family === "Null") && !/^(true|false)$/i.test(v)) {
      problems.push(`${where} "${v}" is not true or false`);
    } else if (family === "Date" && !isPolicyDate(v)) {
      problems.push(`${where} "${v}" is not a date (ISO 8601 or epoch seconds)`);
    } else if (family === "Numeric" && (v.trim() === "" || !Number.isFinite(Number(v)))) {
      problems.push(`${where} "${v}" is not a number`);
    } else if (family === "Ip" && !isIpOrCidr(v)) {
      problems.push(`${where} "${v}" is not an IP address or CIDR range`);
    } else if (family === "Arn" && !/^[*?]/.test(v) && !v.startsWith("arn:")) {
      problems.push(`${where} "${v}" is not an ARN`);
    }
  }
  return problems;
}

/** Why an AWS principal value is not one IAM accepts, or undefined. */
export function awsPrincipalProblem(value: string): string | undefined {
  if (value === "*" || /^\d{12}$/.test(value) || /^A[A-Z0-9]{15,}$/.test(value)) return undefined;
  if (value.startsWith("${")) return undefined;
  if (/[*?]/.test(value)) {
    return 'uses a wildcard; IAM accepts a wildcard only as the whole principal "*"';
  }
  const parts = value.split(":");
  if (parts[0] !== "arn" || parts.length < 6 || parts[5] === "") {
    return "is not an account id or an IAM ARN";
  }
  return undefined;
}

function principalProblems(s: Statement, at: string): string[] {
  const problems: string[] = [];
  if (s.principal !== undefined && s.notPrincipal !== undefined) {
    problems.push(`${at} has both Principal and NotPrincipal`);
  }
  for (const [name, p] of [
    ["Principal", s.principal],
    ["NotPrincipal", s.notPrincipal],
  ] as const) {
    if (p === undefined || isUnknown(p)) continue;
    for (const v of p.aws.known) {
      const why = awsPrincipalProblem(v);
      if (why) problems.push(`${at}.${name}.AWS "${v}" ${why}`);
    }
    for (const v of p.service.known) {
      if (v === "" || /[*?:\s]/.test(v)) {
        problems.push(
          `${at}.${name}.Service "${v}" is not a service principal such as "lambda.amazonaws.com"`,
        );
      }
    }
  }
  return problems;
}

/** The text of an ARN's resource part before its first wildcard or variable. */
function literalResource(text: string): string {
  const at = text.search(/[*?]|\$\{/);
  return (at < 0 ? text : text.slice(0, at)).toLowerCase();
}

/**
 * ARN Region / account not allowed: a Region or account in an ARN whose resource types (those
 * its resource part can name, from the catalogue's ARN formats) take none, such as S3 buckets.
 */
export function arnShapeProblem(value: string, types: ResourceTypeCatalogue): string | undefined {
  const parts = value.split(":");
  if (parts[0] !== "arn" || parts.length < 6) return undefined;
  const [, , service, region, account] = parts;
  const given = (p: string) => p !== "" && !/^[*?]+$/.test(p);
  if (!given(region) && !given(account)) return undefined;
  const literal = literalResource(parts.slice(5).join(":"));
  const formats = types.serviceArns(service).filter((f) => {
    const fp = f.split(":");
    const fl = literalResource(fp.slice(5).join(":"));
    return fl.startsWith(literal) || literal.startsWith(fl);
  });
  if (formats.length === 0) return undefined;
  const none = (i: number) => formats.every((f) => (f.split(":")[i] ?? "") === "");
  if (given(region) && none(3))
    return `has a Region, which ${service} ARNs of this kind do not take`;
  if (given(account) && none(4)) {
    return `has an account, which ${service} ARNs of this kind do not take`;
  }
  return undefined;
}

/** Every grammar problem of a parsed document, each naming its place. */
export function grammarProblems(
  doc: PolicyDocument,
  kind: DocumentKind,
  keys: ConditionKeyCatalogue,
  types?: ResourceTypeCatalogue,
): string[] {
  const problems: string[] = [];
  if (doc.statements.length === 0 && doc.problems.length === 0 && !doc.unknown && !doc.absent) {
    problems.push("Statement holds no statement");
  }
  const sids = new Map<string, string>();
  for (const s of doc.statements) {
    const at = s.path ?? `Statement[${s.index}]`;
    if (s.sid !== undefined && kind !== "resource") {
      if (!/^[A-Za-z0-9]*$/.test(s.sid)) {
        problems.push(
          `${at}.Sid "${s.sid}" may hold only ASCII letters and digits in an IAM policy`,
        );
      }
      const first = sids.get(s.sid);
      if (first !== undefined && s.sid !== "") {
        problems.push(`${at}.Sid "${s.sid}" repeats the Sid of ${first}; Sids must be unique`);
      } else sids.set(s.sid, at);
    }
    for (const [name, list] of [
      ["Resource", s.resource],
      ["NotResource", s.notResource],
    ] as const) {
      for (const r of list?.known ?? []) {
        const why = arnProblem(r) ?? (types ? arnShapeProblem(r, types) : undefined);
        if (why) problems.push(`${at}.${name} "${r}" ${why}`);
      }
    }
    for (const [name, list] of [
      ["Action", s.action],
      ["NotAction", s.notAction],
    ] as const) {
      for (const a of list?.known ?? []) {
        const colon = a.indexOf(":");
        if (colon > 0 && /[*?]/.test(a.slice(0, colon)) && !isAllActionsPattern(a)) {
          problems.push(
            `${at}.${name} "${a}" has a wildcard in its service prefix; IAM accepts "*" alone or a named service`,
          );
        }
      }
    }
    problems.push(...principalProblems(s, at), ...conditionProblems(s, at, keys));
  }
  return problems;
}
