// A small IAM policy evaluator: answers "would AWS allow this request?" for identity policies,
// permissions boundaries, trust policies and resource policies, so the offline plan and the tests
// can state what the deployed roles can and cannot do. It follows AWS's evaluation logic for the
// parts the blueprint uses: explicit Deny wins, then any Allow, else an implicit deny; Action and
// NotAction (case-insensitive, wildcards), Resource and NotResource (ARN segments matched with
// wildcards), Principal and NotPrincipal, and the String, Arn, Bool and Null condition operators
// with IfExists and the ForAnyValue / ForAllValues set qualifiers. Numeric and date operators are
// evaluated too; policy variables (`${aws:username}`) are not expanded.

export interface Statement {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  readonly Action?: string | string[];
  readonly NotAction?: string | string[];
  readonly Resource?: string | string[];
  readonly NotResource?: string | string[];
  readonly Principal?: Principal;
  readonly NotPrincipal?: Principal;
  readonly Condition?: Record<string, Record<string, string | string[] | boolean | number>>;
}
export type Principal = "*" | Record<string, string | string[]>;

export interface PolicyDocument {
  readonly Version?: string;
  readonly Statement: readonly Statement[];
}

/** Who makes a request. */
export interface PrincipalInfo {
  /** The principal's ARN: a role ARN for an assumed-role session, `service:<name>` for a service. */
  readonly arn: string;
  /** The principal's account (absent for a service principal). */
  readonly account?: string;
  /** The principal's AWS Organizations id, when it belongs to one. */
  readonly orgId?: string;
  /** A service principal such as `cloudformation.amazonaws.com`. */
  readonly service?: string;
}

/** One request. */
export interface Request {
  readonly action: string;
  readonly resource: string;
  readonly principalArn?: string;
  readonly principalAccount?: string;
  /** Request context keys (`iam:PermissionsBoundary`, `aws:SourceAccount`, ...). */
  readonly context?: Readonly<Record<string, string | string[]>>;
}

export type Decision = "allow" | "explicit-deny" | "implicit-deny";

/** Thrown for a document that is not an IAM policy. */
export class PolicyParseError extends Error {}

/** Parses a policy document given as JSON text or object; Statement may be one or a list. */
export function parsePolicy(doc: unknown): PolicyDocument {
  let value = doc;
  if (typeof value === "string") {
    try {
      value = JSON.parse(value);
    } catch {
      throw new PolicyParseError("the policy document is not valid JSON");
    }
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new PolicyParseError("the policy document is not a JSON object");
  const raw = (value as Record<string, unknown>)["Statement"];
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  for (const s of list) {
    if (typeof s !== "object" || s === null)
      throw new PolicyParseError("a statement is not a JSON object");
    const effect = (s as Record<string, unknown>)["Effect"];
    if (effect !== "Allow" && effect !== "Deny")
      throw new PolicyParseError(`a statement has Effect ${JSON.stringify(effect)}`);
  }
  return { ...(value as object), Statement: list as Statement[] };
}

const asList = (v: string | string[] | undefined): string[] =>
  v === undefined ? [] : Array.isArray(v) ? v : [v];

const globCache = new Map<string, RegExp>();
function glob(pattern: string, caseInsensitive: boolean): RegExp {
  const key = `${caseInsensitive ? "i" : "s"}${pattern}`;
  let re = globCache.get(key);
  if (!re) {
    const body = pattern
      .split("")
      .map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\/]/g, "\\$&")))
      .join("");
    re = new RegExp(`^${body}$`, caseInsensitive ? "is" : "s");
    globCache.set(key, re);
  }
  return re;
}

/** Does an IAM action pattern (wildcards, any case) match an action? */
export function actionMatches(pattern: string, action: string): boolean {
  return glob(pattern, true).test(action);
}

/** Splits an ARN into its six parts; the last keeps any further colons. */
function arnParts(arn: string): string[] | undefined {
  const parts = arn.split(":");
  if (parts.length < 6 || parts[0] !== "arn") return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(":")];
}

/** Does a Resource pattern match a resource ARN? Each ARN segment is matched on its own. */
export function resourceMatches(pattern: string, resource: string): boolean {
  if (pattern === "*") return true;
  const p = arnParts(pattern);
  const r = arnParts(resource);
  if (!p || !r) return glob(pattern, false).test(resource);
  return p.every((seg, i) => glob(seg, false).test(r[i]));
}

function principalMatches(principal: Principal | undefined, who: PrincipalInfo): boolean {
  if (principal === undefined) return false;
  if (principal === "*") return true;
  for (const [kind, ids] of Object.entries(principal)) {
    for (const id of asList(ids)) {
      if (kind === "AWS") {
        if (id === "*") return true;
        if (/^\d{12}$/.test(id) && who.account === id) return true;
        const root = /^arn:[^:]+:iam::(\d{12}):root$/.exec(id);
        if (root && who.account === root[1]) return true;
        if (id === who.arn) return true;
      } else if (kind === "Service") {
        if (who.service !== undefined && id === who.service) return true;
      } else if (kind === "Federated" || kind === "CanonicalUser") {
        if (id === who.arn) return true;
      }
    }
  }
  return false;
}

function contextValue(
  context: Readonly<Record<string, string | string[]>>,
  key: string,
): string[] | undefined {
  const wanted = key.toLowerCase();
  for (const [k, v] of Object.entries(context)) if (k.toLowerCase() === wanted) return asList(v);
  return undefined;
}

function compare(op: string, actual: string, expected: string): boolean {
  switch (op) {
    case "StringEquals":
    case "ArnEquals":
      return actual === expected;
    case "StringEqualsIgnoreCase":
      return actual.toLowerCase() === expected.toLowerCase();
    case "StringLike":
    case "ArnLike":
      return op === "ArnLike"
        ? resourceMatches(expected, actual)
        : glob(expected, false).test(actual);
    case "Bool":
      return actual.toLowerCase() === expected.toLowerCase();
    case "NumericEquals":
      return Number(actual) === Number(expected);
    case "NumericLessThan":
      return Number(actual) < Number(expected);
    case "NumericLessThanEquals":
      return Number(actual) <= Number(expected);
    case "NumericGreaterThan":
      return Number(actual) > Number(expected);
    case "NumericGreaterThanEquals":
      return Number(actual) >= Number(expected);
    case "DateEquals":
      return Date.parse(actual) === Date.parse(expected);
    case "DateLessThan":
      return Date.parse(actual) < Date.parse(expected);
    case "DateGreaterThan":
      return Date.parse(actual) > Date.parse(expected);
    default:
      throw new PolicyParseError(`unsupported condition operator ${op}`);
  }
}

const NEGATED: Readonly<Record<string, string>> = {
  StringNotEquals: "StringEquals",
  StringNotEqualsIgnoreCase: "StringEqualsIgnoreCase",
  StringNotLike: "StringLike",
  ArnNotEquals: "ArnEquals",
  ArnNotLike: "ArnLike",
  NumericNotEquals: "NumericEquals",
  DateNotEquals: "DateEquals",
};

/** Evaluates one condition operator block against the request context. */
function conditionHolds(
  operator: string,
  block: Record<string, string | string[] | boolean | number>,
  context: Readonly<Record<string, string | string[]>>,
): boolean {
  let op = operator;
  let qualifier: "ForAnyValue" | "ForAllValues" | undefined;
  const q = /^(ForAnyValue|ForAllValues):(.+)$/.exec(op);
  if (q) {
    qualifier = q[1] as "ForAnyValue" | "ForAllValues";
    op = q[2];
  }
  const ifExists = op.endsWith("IfExists");
  if (ifExists) op = op.slice(0, -"IfExists".length);
  for (const [key, raw] of Object.entries(block)) {
    const expected = (Array.isArray(raw) ? raw : [raw]).map(String);
    const actual = contextValue(context, key);
    if (op === "Null") {
      const wantAbsent = expected[0].toLowerCase() === "true";
      if ((actual === undefined) !== wantAbsent) return false;
      continue;
    }
    if (actual === undefined) {
      if (ifExists || qualifier === "ForAllValues" || (NEGATED[op] && !qualifier)) continue;
      return false;
    }
    const negated = NEGATED[op];
    const base = negated ?? op;
    const matchOne = (a: string) => expected.some((e) => compare(base, a, e));
    let holds: boolean;
    if (qualifier === "ForAllValues")
      holds = actual.every((a) => (negated ? !matchOne(a) : matchOne(a)));
    else if (qualifier === "ForAnyValue")
      holds = actual.some((a) => (negated ? !matchOne(a) : matchOne(a)));
    else holds = negated ? !actual.some(matchOne) : actual.some(matchOne);
    if (!holds) return false;
  }
  return true;
}

function statementApplies(
  s: Statement,
  action: string,
  resource: string | undefined,
  context: Readonly<Record<string, string | string[]>>,
  who?: PrincipalInfo,
): boolean {
  if (s.Action !== undefined && !asList(s.Action).some((a) => actionMatches(a, action)))
    return false;
  if (s.NotAction !== undefined && asList(s.NotAction).some((a) => actionMatches(a, action)))
    return false;
  if (s.Action === undefined && s.NotAction === undefined) return false;
  if (resource !== undefined) {
    if (s.Resource !== undefined && !asList(s.Resource).some((r) => resourceMatches(r, resource)))
      return false;
    if (
      s.NotResource !== undefined &&
      asList(s.NotResource).some((r) => resourceMatches(r, resource))
    )
      return false;
  }
  if (who) {
    if (s.Principal !== undefined && !principalMatches(s.Principal, who)) return false;
    if (s.NotPrincipal !== undefined && principalMatches(s.NotPrincipal, who)) return false;
    if (s.Principal === undefined && s.NotPrincipal === undefined) return false;
  }
  for (const [op, block] of Object.entries(s.Condition ?? {})) {
    if (!conditionHolds(op, block, context)) return false;
  }
  return true;
}

function requestContext(req: Request, who?: PrincipalInfo): Record<string, string | string[]> {
  const ctx: Record<string, string | string[]> = {};
  const arn = req.principalArn ?? who?.arn;
  const account = req.principalAccount ?? who?.account;
  if (arn && !who?.service) ctx["aws:PrincipalArn"] = arn;
  if (account) ctx["aws:PrincipalAccount"] = account;
  if (who?.orgId) ctx["aws:PrincipalOrgID"] = who.orgId;
  if (who?.service) ctx["aws:PrincipalServiceName"] = who.service;
  return { ...ctx, ...(req.context ?? {}) };
}

function decide(docs: readonly PolicyDocument[], req: Request, who?: PrincipalInfo): Decision {
  const context = requestContext(req, who);
  let allowed = false;
  for (const doc of docs) {
    for (const s of doc.Statement) {
      if (!statementApplies(s, req.action, req.resource, context, who)) continue;
      if (s.Effect === "Deny") return "explicit-deny";
      allowed = true;
    }
  }
  return allowed ? "allow" : "implicit-deny";
}

/** Identity-based policies of one principal (inline and managed together). */
export function evaluatePolicies(docs: readonly PolicyDocument[], req: Request): Decision {
  return decide(docs, req);
}

/** Identity policies capped by a permissions boundary: both must allow, neither may deny. */
export function evaluateWithBoundary(
  identity: readonly PolicyDocument[],
  boundary: readonly PolicyDocument[],
  req: Request,
): Decision {
  const a = decide(identity, req);
  const b = decide(boundary, req);
  if (a === "explicit-deny" || b === "explicit-deny") return "explicit-deny";
  return a === "allow" && b === "allow" ? "allow" : "implicit-deny";
}

/** Does a role's trust policy let this principal perform `action` (default sts:AssumeRole)? */
export function trustAllows(
  trust: PolicyDocument,
  who: PrincipalInfo,
  action = "sts:AssumeRole",
  context: Readonly<Record<string, string | string[]>> = {},
): boolean {
  // The role itself is the resource of the request; trust statements carry no Resource.
  const context2 = requestContext({ action, resource: "*", context }, who);
  let allowed = false;
  for (const s of trust.Statement) {
    if (!statementApplies(s, action, undefined, context2, who)) continue;
    if (s.Effect === "Deny") return false;
    allowed = true;
  }
  return allowed;
}

/** Does a resource policy (bucket, key, topic ...) let this principal make this request? */
export function resourcePolicyAllows(
  doc: PolicyDocument,
  who: PrincipalInfo,
  req: Request,
): boolean {
  return decide([doc], req, who) === "allow";
}

/**
 * Can `caller` assume `targetRoleArn`? AWS requires both sides for a cross-account call: the
 * caller's identity policies allow sts:AssumeRole on the role, and the role's trust policy admits
 * the caller. `targetOrgId` is the organization of the role's account (aws:ResourceOrgID).
 */
export function canAssumeRole(
  callerPolicies: readonly PolicyDocument[],
  caller: PrincipalInfo,
  targetRoleArn: string,
  targetTrust: PolicyDocument,
  targetOrgId?: string,
): boolean {
  const context: Record<string, string> = {};
  const targetAccount = arnParts(targetRoleArn)?.[4];
  if (targetAccount) context["aws:ResourceAccount"] = targetAccount;
  if (targetOrgId) context["aws:ResourceOrgID"] = targetOrgId;
  if (caller.orgId) context["aws:PrincipalOrgID"] = caller.orgId;
  const identity = decide(callerPolicies, {
    action: "sts:AssumeRole",
    resource: targetRoleArn,
    principalArn: caller.arn,
    principalAccount: caller.account,
    context,
  });
  return identity === "allow" && trustAllows(targetTrust, caller);
}
