// Predicates on the statements of IAM policy documents (iam-document.ts reads the documents):
// which actions and resources a statement provably covers, whether it is constrained, and how a
// finding names it. The rules they implement are stated at the top of iam-document.ts.
import { isUnknown } from "./unknowns";
import { wildcardMatches } from "./wildcards";
import type { ConditionEntry, Statement } from "./iam-document";

export * from "./iam-document";

/** True for `*`, `*:*` and the like: every action of every service. */
export function isAllActionsPattern(pattern: string): boolean {
  // Called for every pattern of every statement: a scan, not two regular expressions.
  let i = 0;
  while (pattern[i] === "*") i++;
  if (i === pattern.length) return i > 0;
  if (i === 0 || pattern[i] !== ":") return false;
  let j = i + 1;
  while (pattern[j] === "*") j++;
  return j > i + 1 && j === pattern.length;
}

/** True for `svc:*`: every action of one service (or of several, when the prefix has a wildcard). */
export function isServiceWidePattern(pattern: string): boolean {
  return /^[^:]+:\*+$/.test(pattern) && !isAllActionsPattern(pattern);
}

/**
 * True for a Resource that matches every resource: `*`, `arn:*`, `arn:aws:*:*:*:*` (every ARN part
 * after the prefix is a wildcard or empty, and the last one is a wildcard).
 */
export function isAllResourcesPattern(resource: string): boolean {
  let known = allResourcesPatterns.get(resource);
  if (known === undefined) {
    known = matchesAllResources(resource);
    if (allResourcesPatterns.size > 10_000) allResourcesPatterns.clear();
    allResourcesPatterns.set(resource, known);
  }
  return known;
}

/** Resource patterns already judged by isAllResourcesPattern: documents repeat them. */
const allResourcesPatterns = new Map<string, boolean>();

function matchesAllResources(resource: string): boolean {
  if (/^\*+$/.test(resource)) return true;
  const parts = resource.split(":");
  if (parts[0] !== "arn" || parts.length < 2) return false;
  // parts[1] is the partition (aws, aws-cn, aws-us-gov or a wildcard); the rest must be wildcards.
  if (parts.length === 2) return /^\*+$/.test(parts[1]);
  const rest = parts.slice(2);
  return (
    /^(aws[a-z-]*|\*+)$/.test(parts[1]) &&
    rest.every((p) => /^\**$/.test(p)) &&
    /\*/.test(rest[rest.length - 1])
  );
}

/** True when the action pattern matches the concrete action (case-insensitive, wildcards anywhere). */
export function actionMatches(pattern: string, action: string): boolean {
  return wildcardMatches(pattern, action);
}

/** True when the statement's Effect is known to be Allow. */
export function isAllow(s: Statement): boolean {
  return s.effect === "Allow";
}

/** True when the statement's Effect is known to be Deny. */
export function isDeny(s: Statement): boolean {
  return s.effect === "Deny";
}

/** True when the known values prove the statement grants `action` (Action matches, or NotAction misses). */
export function provablyMatchesAction(s: Statement, action: string): boolean {
  if (s.action) return s.action.known.some((p) => actionMatches(p, action));
  if (s.notAction) {
    return !s.notAction.hasUnknown && !s.notAction.known.some((p) => actionMatches(p, action));
  }
  return false;
}

/** True when the known values prove the statement applies to every resource (see NotResource above). */
export function provablyCoversAllResources(s: Statement): boolean {
  if (s.notResource) return true;
  return s.resource !== undefined && s.resource.known.some(isAllResourcesPattern);
}

/** "present", "absent" or "unknown": whether the statement has a non-empty Condition. */
export function conditionState(s: Statement): "present" | "absent" | "unknown" {
  if (s.condition === undefined) return "absent";
  if (isUnknown(s.condition)) return "unknown";
  if (s.condition.entries.length > 0) return "present";
  return s.condition.hasUnknown ? "unknown" : "absent";
}

/**
 * True when the known values prove the statement is NOT constrained (see the rule at the top of
 * this module): it covers all resources, or it provably has no Condition.
 */
export function provablyUnconstrained(s: Statement): boolean {
  return provablyCoversAllResources(s) || conditionState(s) === "absent";
}

/**
 * True when an unconditional Deny in `statements` removes `action` on every resource, so no Allow
 * can grant it.
 */
export function deniedEverywhere(statements: readonly Statement[], action: string): boolean {
  return statements.some(
    (s) => isUnconditionalDenyEverywhere(s) && provablyMatchesAction(s, action),
  );
}

/** A Deny that removes its actions on every resource, without condition. */
export function isUnconditionalDenyEverywhere(s: Statement): boolean {
  return isDeny(s) && provablyCoversAllResources(s) && conditionState(s) === "absent";
}

/** Condition entries for a key (case-insensitive), optionally only with restricting operators. */
export function conditionEntries(s: Statement, key: string): ConditionEntry[] {
  if (s.condition === undefined || isUnknown(s.condition)) return [];
  return s.condition.entries.filter((e) => e.key.toLowerCase() === key.toLowerCase());
}

/**
 * True when the statement has a condition on one of `keys` whose operator narrows access: not a
 * negated operator (`StringNotEquals`), not `...IfExists` (which passes when the key is absent) and
 * not `Null`, with at least one value that is not a bare wildcard.
 */
export function hasRestrictingCondition(s: Statement, keys: readonly string[]): boolean {
  return keys.some((key) =>
    conditionEntries(s, key).some(
      (e) =>
        !/not|ifexists|^null$/i.test(e.operator.replace(/^for(any|all)value:/i, "")) &&
        (e.values.known.some((v) => !/^\**$/.test(v)) || e.values.hasUnknown),
    ),
  );
}

/** `policy statement 0 ("Sid")` style reference used in messages. */
export function where(s: Statement): string {
  return s.label;
}

/** Quotes and joins values for messages: `"a", "b"`. */
export function quoteList(values: readonly string[], max = 5): string {
  const shown = values.slice(0, max).map((v) => `"${v}"`);
  const more = values.length > max ? ` and ${values.length - max} more` : "";
  return shown.join(", ") + more;
}
