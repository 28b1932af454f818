// IAM policy documents as the pack reads them (iam.ts holds the predicates on their statements). Documents arrive as JSON strings or objects, with a
// single statement or an array, and Action / Resource / Principal values as a string or an array;
// during preview any part may be unknown. `parsePolicyDocument` turns all of that into one shape
// that keeps unknown parts visible (`hasUnknown`), so a check can tell "proven" from "cannot tell".
//
// How statements are judged (the rule every iam policy states in its description):
// - Only what the known values prove is a violation; an unknown value never creates one and never
//   hides one that the known values already show.
// - A statement is *constrained* when every Resource is a specific ARN pattern (none matches all
//   resources) and it carries a Condition, e.g. the deploy-role pattern "iam:CreateRole and
//   iam:PutRolePolicy on arn:aws:iam::123456789012:role/* when iam:PermissionsBoundary equals the
//   platform boundary". The author has narrowed both where and when it applies; the wildcard,
//   PassRole and privilege-escalation checks accept it. Admin statements and Allow with
//   NotAction / NotResource are flagged whatever their conditions.
// - NotResource in an Allow counts as all resources: it grants everything but the listed ARNs.
import { isRecord, isUnknown, keysOf, read, UNKNOWN, unwrapped, type Unknown } from "./unknowns";

/** A string-or-array field: its known string values, and whether any part is unknown. */
export interface ValueList {
  readonly known: readonly string[];
  readonly hasUnknown: boolean;
}

/** A parsed Principal (or NotPrincipal). */
export interface Principal {
  /** `"Principal": "*"`. */
  readonly everyone: boolean;
  readonly aws: ValueList;
  readonly service: ValueList;
  readonly federated: ValueList;
  readonly canonicalUser: ValueList;
  readonly hasUnknown: boolean;
}

/** One condition test: `{ "StringEquals": { "aws:PrincipalOrgID": ["o-123"] } }` gives one entry. */
export interface ConditionEntry {
  readonly operator: string;
  readonly key: string;
  readonly values: ValueList;
}

/** A parsed Condition block. */
export interface Condition {
  readonly entries: readonly ConditionEntry[];
  readonly hasUnknown: boolean;
}

/** One statement with every field normalised; absent fields are `undefined`. */
export interface Statement {
  /** Where the statement came from, for messages: `policy statement 1 ("Sid")`. */
  readonly label: string;
  readonly index: number;
  /** Its place in the document, for messages: `Statement[2]` (`Statement` when it is the only one). */
  readonly path?: string;
  readonly sid?: string;
  readonly effect: string | Unknown | undefined;
  readonly action?: ValueList;
  readonly notAction?: ValueList;
  readonly resource?: ValueList;
  readonly notResource?: ValueList;
  readonly principal?: Principal | Unknown;
  readonly notPrincipal?: Principal | Unknown;
  readonly condition?: Condition | Unknown;
}

/** A parsed policy document. */
export interface PolicyDocument {
  /** Where the document came from: a property path such as `inlinePolicies[0] ("deploy")`. */
  readonly label: string;
  /** True when the whole document (or its Statement list) is unknown during preview. */
  readonly unknown: boolean;
  /** True when the property is not set. */
  readonly absent: boolean;
  readonly statements: readonly Statement[];
  /** Why the document is malformed, each naming the place (`Statement[0].Effect ...`). */
  readonly problems: readonly string[];
}

/** A document-valued property of a resource, before parsing. */
export interface DocumentSource {
  readonly label: string;
  readonly value: unknown;
}

const EMPTY_LIST: ValueList = { known: [], hasUnknown: false };
const UNKNOWN_LIST: ValueList = { known: [], hasUnknown: true };

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

/** Reads a string-or-array-of-strings field; non-string elements are reported as problems. */
function valueList(value: unknown, where: string, problems: string[], scalars = false): ValueList {
  if (isUnknown(value)) return UNKNOWN_LIST;
  const accept = (v: unknown): v is string | number | boolean =>
    typeof v === "string" || (scalars && (typeof v === "number" || typeof v === "boolean"));
  if (accept(value)) return { known: [String(value)], hasUnknown: false };
  if (Array.isArray(value)) {
    const known: string[] = [];
    let hasUnknown = false;
    for (let i = 0; i < value.length; i++) {
      const el = read(value, i);
      if (isUnknown(el)) hasUnknown = true;
      else if (accept(el)) known.push(String(el));
      else problems.push(`${where}[${i}] must be a string, got ${describe(el)}`);
    }
    return { known, hasUnknown };
  }
  problems.push(`${where} must be a string or an array of strings, got ${describe(value)}`);
  return EMPTY_LIST;
}

function parsePrincipal(value: unknown, where: string, problems: string[]): Principal | Unknown {
  if (isUnknown(value)) return UNKNOWN;
  const none: Principal = {
    everyone: false,
    aws: EMPTY_LIST,
    service: EMPTY_LIST,
    federated: EMPTY_LIST,
    canonicalUser: EMPTY_LIST,
    hasUnknown: false,
  };
  if (typeof value === "string") {
    if (value === "*") return { ...none, everyone: true };
    problems.push(`${where} must be "*" or an object such as {"AWS": [...]}, got "${value}"`);
    return none;
  }
  if (!isRecord(value)) {
    problems.push(
      `${where} must be "*" or an object such as {"AWS": [...]}, got ${describe(value)}`,
    );
    return none;
  }
  const lists: Record<string, ValueList> = {};
  for (const key of keysOf(value)) {
    const canonical = ["AWS", "Service", "Federated", "CanonicalUser"].find(
      (k) => k.toLowerCase() === key.toLowerCase(),
    );
    if (!canonical) {
      problems.push(`${where} has an unknown principal type "${key}"`);
      continue;
    }
    lists[canonical] = valueList(read(value, key), `${where}.${key}`, problems);
  }
  const aws = lists.AWS ?? EMPTY_LIST;
  const service = lists.Service ?? EMPTY_LIST;
  const federated = lists.Federated ?? EMPTY_LIST;
  const canonicalUser = lists.CanonicalUser ?? EMPTY_LIST;
  return {
    everyone: false,
    aws,
    service,
    federated,
    canonicalUser,
    hasUnknown: [aws, service, federated, canonicalUser].some((l) => l.hasUnknown),
  };
}

function parseCondition(value: unknown, where: string, problems: string[]): Condition | Unknown {
  if (isUnknown(value)) return UNKNOWN;
  if (!isRecord(value)) {
    problems.push(`${where} must be an object of operators, got ${describe(value)}`);
    return { entries: [], hasUnknown: false };
  }
  const entries: ConditionEntry[] = [];
  let hasUnknown = false;
  for (const operator of keysOf(value)) {
    const block = read(value, operator);
    if (isUnknown(block)) {
      hasUnknown = true;
      continue;
    }
    if (!isRecord(block)) {
      problems.push(
        `${where}.${operator} must be an object of condition keys, got ${describe(block)}`,
      );
      continue;
    }
    for (const key of keysOf(block)) {
      const values = valueList(read(block, key), `${where}.${operator}.${key}`, problems, true);
      hasUnknown ||= values.hasUnknown;
      entries.push({ operator, key, values });
    }
  }
  return { entries, hasUnknown };
}

/** The elements of a statement (IAM JSON policy grammar), lower case. */
const STATEMENT_ELEMENTS: ReadonlySet<string> = new Set(
  ["Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction"]
    .concat(["Resource", "NotResource", "Condition"])
    .map((e) => e.toLowerCase()),
);

/** The top-level elements of a policy document, lower case. */
const DOCUMENT_ELEMENTS: ReadonlySet<string> = new Set(["version", "id", "statement"]);

/** Reads a field case-insensitively (`Action`, `action`) and returns its exact key, if present. */
function field(
  obj: Record<string, unknown>,
  name: string,
): { key: string; value: unknown } | undefined {
  const key = keysOf(obj).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : { key, value: read(obj, key) };
}

function statementLabel(docLabel: string, index: number, sid: string | undefined): string {
  return `${docLabel} statement ${index}${sid ? ` ("${sid}")` : ""}`;
}

function parseStatement(
  raw: unknown,
  index: number,
  docLabel: string,
  where: string,
  problems: string[],
): Statement | undefined {
  if (isUnknown(raw)) {
    return {
      label: statementLabel(docLabel, index, undefined),
      index,
      path: where,
      effect: UNKNOWN,
    };
  }
  if (!isRecord(raw)) {
    problems.push(`${where} must be an object, got ${describe(raw)}`);
    return undefined;
  }
  for (const key of keysOf(raw)) {
    if (!STATEMENT_ELEMENTS.has(key.toLowerCase())) {
      problems.push(`${where} has an element IAM does not define, "${key}"`);
    }
  }
  const sidField = field(raw, "Sid");
  const sid = typeof sidField?.value === "string" ? sidField.value : undefined;
  if (sidField && sid === undefined && !isUnknown(sidField.value)) {
    problems.push(`${where}.Sid must be a string, got ${describe(sidField.value)}`);
  }
  const effectField = field(raw, "Effect");
  let effect: string | Unknown | undefined;
  if (effectField === undefined) {
    problems.push(`${where} has no Effect`);
  } else if (isUnknown(effectField.value)) {
    effect = UNKNOWN;
  } else if (effectField.value === "Allow" || effectField.value === "Deny") {
    effect = effectField.value;
  } else {
    problems.push(
      `${where}.Effect must be "Allow" or "Deny", got ${JSON.stringify(effectField.value)}`,
    );
  }
  const list = (name: string): ValueList | undefined => {
    const f = field(raw, name);
    return f === undefined ? undefined : valueList(f.value, `${where}.${f.key}`, problems);
  };
  const action = list("Action");
  const notAction = list("NotAction");
  if (action && notAction) problems.push(`${where} has both Action and NotAction`);
  if (!action && !notAction) problems.push(`${where} has neither Action nor NotAction`);
  for (const [kind, values] of [
    ["Action", action],
    ["NotAction", notAction],
  ] as const) {
    for (const a of values?.known ?? []) {
      if (a !== "*" && !/^[A-Za-z0-9*?-]+:[A-Za-z0-9*?-]+$/.test(a)) {
        problems.push(`${where}.${kind} "${a}" is not of the form service:action`);
      }
    }
  }
  const resource = list("Resource");
  const notResource = list("NotResource");
  if (resource && notResource) problems.push(`${where} has both Resource and NotResource`);
  const principalField = field(raw, "Principal");
  const notPrincipalField = field(raw, "NotPrincipal");
  const conditionField = field(raw, "Condition");
  return {
    label: statementLabel(docLabel, index, sid),
    index,
    path: where,
    sid,
    effect,
    action,
    notAction,
    resource,
    notResource,
    principal: principalField
      ? parsePrincipal(principalField.value, `${where}.${principalField.key}`, problems)
      : undefined,
    notPrincipal: notPrincipalField
      ? parsePrincipal(notPrincipalField.value, `${where}.${notPrincipalField.key}`, problems)
      : undefined,
    condition: conditionField
      ? parseCondition(conditionField.value, `${where}.${conditionField.key}`, problems)
      : undefined,
  };
}

/**
 * Parses one policy document: a JSON string or an object (possibly behind the preview proxy).
 * Never throws: malformed input is described in `problems`.
 */
export function parsePolicyDocument(value: unknown, label = "policy"): PolicyDocument {
  // Every iam policy of the pack parses the same documents; a stack has thousands. The result
  // depends only on the value and the label, and is never changed, so each is parsed once.
  const labels = parsedDocumentsOf(unwrapped(value));
  let doc = labels?.get(label);
  if (doc === undefined) {
    doc = parseDocument(value, label);
    labels?.set(label, doc);
  }
  return doc;
}

/** The documents already parsed from `raw` (a JSON text or an object), by label. */
function parsedDocumentsOf(raw: unknown): Map<string, PolicyDocument> | undefined {
  if (typeof raw === "string") {
    let labels = textDocuments.get(raw);
    if (labels === undefined) {
      if (textDocuments.size > 10_000) textDocuments.clear();
      labels = new Map();
      textDocuments.set(raw, labels);
    }
    return labels;
  }
  if (raw === null || typeof raw !== "object") return undefined;
  let labels = objectDocuments.get(raw);
  if (labels === undefined) {
    labels = new Map();
    objectDocuments.set(raw, labels);
  }
  return labels;
}

const textDocuments = new Map<string, Map<string, PolicyDocument>>();
const objectDocuments = new WeakMap<object, Map<string, PolicyDocument>>();

function parseDocument(value: unknown, label: string): PolicyDocument {
  const result = (
    partial: Partial<PolicyDocument> & Pick<PolicyDocument, "statements" | "problems">,
  ): PolicyDocument => ({ label, unknown: false, absent: false, ...partial });
  if (isUnknown(value)) return result({ unknown: true, statements: [], problems: [] });
  if (value === undefined || value === null) {
    return result({ absent: true, statements: [], problems: [] });
  }
  // Every part is read through lib/unknowns, so the plain value under the preview proxy will do.
  let doc: unknown = unwrapped(value);
  if (typeof value === "string") {
    if (value.trim() === "")
      return result({ statements: [], problems: ["the document is an empty string"] });
    try {
      doc = JSON.parse(value);
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      return result({ statements: [], problems: [`the document is not valid JSON (${reason})`] });
    }
  }
  if (!isRecord(doc)) {
    return result({
      statements: [],
      problems: [`the document must be a JSON object with a Statement, got ${describe(doc)}`],
    });
  }
  const problems: string[] = [];
  for (const key of keysOf(doc)) {
    if (!DOCUMENT_ELEMENTS.has(key.toLowerCase())) {
      problems.push(`the document has an element IAM does not define, "${key}"`);
    }
  }
  const version = field(doc, "Version");
  if (
    version !== undefined &&
    !isUnknown(version.value) &&
    version.value !== "2012-10-17" &&
    version.value !== "2008-10-17"
  ) {
    problems.push(`Version must be "2012-10-17", got ${JSON.stringify(version.value)}`);
  }
  const statementField = field(doc, "Statement");
  if (statementField === undefined) {
    return result({ statements: [], problems: [...problems, "the document has no Statement"] });
  }
  const raw = statementField.value;
  if (isUnknown(raw)) return result({ unknown: true, statements: [], problems });
  const statements: Statement[] = [];
  if (Array.isArray(raw)) {
    for (let i = 0; i < raw.length; i++) {
      const s = parseStatement(read(raw, i), i, label, `Statement[${i}]`, problems);
      if (s) statements.push(s);
    }
  } else if (isRecord(raw)) {
    const s = parseStatement(raw, 0, label, "Statement", problems);
    if (s) statements.push(s);
  } else {
    problems.push(`Statement must be an object or an array of objects, got ${describe(raw)}`);
  }
  return result({ statements, problems });
}

/** Every statement of several documents, in order. */
export function allStatements(docs: readonly PolicyDocument[]): Statement[] {
  return docs.flatMap((d) => d.statements);
}

/** Parses each source. */
export function parseSources(sources: readonly DocumentSource[]): PolicyDocument[] {
  return sources.map((s) => parsePolicyDocument(s.value, s.label));
}
