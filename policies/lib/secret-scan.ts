// Scanning helpers the secrets family shares: environment-variable lists, scripts (user data,
// inline buildspecs) and base64 payloads. Findings name where the value sits, never the value.
import { reportSuppressions } from "./secret-report";
import {
  isSecretLikeKey,
  scanTokens,
  scanValue,
  type SecretFinding,
  type SecretScan,
} from "./secrets";
import { reasonedList } from "./config";
import { wildcardMatches } from "./wildcards";

/** One name/value pair to judge, with its place for messages. */
export interface NamedValue {
  readonly where: string;
  /** The property path, for reported suppressions (default: `where` up to its first space). */
  readonly path?: string;
  readonly name: string | undefined;
  readonly value: string;
}

/** Judges one value: every rule (the default) or only the known token formats. */
export type Judge = (value: string, name: string | undefined) => SecretScan;

/** Every rule: token formats, then a secret-like name with a high-entropy value, then entropy. */
export const judgeAll: Judge = (value, name) =>
  scanValue(value, name === undefined ? {} : { key: name });

/** Only token formats (for values a platform resolves as references: a token there still leaks). */
export const judgeTokens: Judge = (value, name) =>
  scanTokens(value, name === undefined ? { firstOnly: true } : { key: name, firstOnly: true });

/** Messages for the pairs that carry a secret; names matching `allowedNames` are skipped. */
export function scanNamedValues(
  values: readonly NamedValue[],
  allowedNames: readonly string[] = [],
  judge: Judge = judgeAll,
): string[] {
  const findings: string[] = [];
  for (const v of values) {
    if (v.name !== undefined && allowedNames.some((n) => wildcardMatches(n, v.name as string))) {
      continue;
    }
    const scan = judge(v.value, v.name);
    reportSuppressions(v.path ?? (v.where.split(" ")[0] as string), scan.suppressions);
    const finding = scan.findings[0];
    if (finding) findings.push(`${v.where} holds ${finding.description}.`);
  }
  return findings;
}

const ASSIGNMENT =
  /^\s*(?:export\s+|set\s+|-\s+)?["']?([A-Za-z_][A-Za-z0-9_.-]*)["']?\s*(?:=|:)\s*["']?([^"'\s]+)/;

/**
 * Secrets in a script or config text: every token format anywhere (keyword-anchored ones after
 * their keyword and an assignment), and `NAME=value` / `name: value` lines whose name is
 * secret-like and whose value is high-entropy.
 */
export function scanScriptDetailed(text: string): SecretScan {
  const out = scanTokens(text);
  const lines = text.split(/\r?\n/).map((line) => ASSIGNMENT.exec(line));
  const assigned = scanAssignments(lines.filter((m): m is RegExpExecArray => m !== null));
  return {
    findings: [...out.findings, ...assigned.findings],
    suppressions: [...out.suppressions, ...assigned.suppressions],
  };
}

/**
 * The generic rule alone on a value stored under `key`: a secret-like name with a high-entropy
 * value (token formats are judged elsewhere), with the suppressions of that rule.
 */
export function scanUnderSecretLikeName(value: string, key: string): SecretScan {
  const scan = scanValue(value, { key });
  return {
    findings: scan.findings.filter((f) => f.kind === "secret-like-value"),
    suppressions: scan.suppressions.filter((h) => h.rule === "secret-like-value"),
  };
}

/** The generic rule on `NAME=value` matches (group 1 the name, group 2 the value). */
function scanAssignments(matches: Iterable<RegExpMatchArray>): SecretScan {
  const findings: SecretFinding[] = [];
  const suppressions: SecretScan["suppressions"][number][] = [];
  for (const m of matches) {
    if (!isSecretLikeKey(m[1] as string)) continue;
    const scan = scanUnderSecretLikeName(m[2] as string, m[1] as string);
    findings.push(...scan.findings);
    suppressions.push(...scan.suppressions);
  }
  return { findings, suppressions };
}

/** `NAME=value` or `NAME: value` anywhere in a sentence (a description, a comment). */
const PROSE_ASSIGNMENT = /(?:^|[\s;,(])([A-Za-z_][A-Za-z0-9_.-]*)\s*[=:]\s*["']?([^"'\s,;)]+)/g;

/**
 * Secrets assigned inside free text (a resource's description): `... Bootstrap DB_PASSWORD=...`.
 * Only the generic rule under a secret-like name; token formats are the caller's to find.
 */
export function scanProseAssignments(text: string): SecretScan {
  if (!text.includes("=") && !text.includes(":")) return { findings: [], suppressions: [] };
  return scanAssignments(text.matchAll(PROSE_ASSIGNMENT));
}

/** The findings of `scanScriptDetailed`. */
export function scanScript(text: string): SecretFinding[] {
  return scanScriptDetailed(text).findings;
}

/** Decodes base64 text (user data is often stored so); undefined when it is not base64 text. */
export function decodeBase64Text(value: string): string | undefined {
  const compact = value.replace(/\s/g, "");
  if (compact.length < 8 || compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) {
    return undefined;
  }
  const decoded = Buffer.from(compact, "base64").toString("utf8");
  return /[\u0000-\u0008\u000e-\u001f\ufffd]/.test(decoded) ? undefined : decoded;
}

/** Config of the policies that judge named values (environment variables, configuration keys). */
export interface NamesConfig {
  readonly exemptions: readonly { readonly resource: string; readonly reason: string }[];
  readonly allowedNames: readonly { readonly name: string; readonly reason: string }[];
}

/** The allow-listed names of a `NamesConfig`. */
export function allowedNamesOf(config: Partial<NamesConfig>): string[] {
  return (config.allowedNames ?? []).map((a) => a.name);
}

/** The `allowedNames` config property. */
export const allowedNamesProperty = reasonedList(
  "name",
  "Variable or key names (wildcards allowed) whose values are known not to be secrets, each with the reason.",
);
