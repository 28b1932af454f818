// Scanning helpers the secrets family shares: environment-variable lists, scripts (user data,
// inline buildspecs) and base64 payloads. Findings name where the value sits, never the value.
import { detectSecret, findTokenFormat, isSecretLikeKey, type SecretFinding } from "./secrets";
import { reasonedList } from "./config";
import { wildcardMatches } from "./wildcards";

/** One name/value pair to judge, with its place for messages. */
export interface NamedValue {
  readonly where: string;
  readonly name: string | undefined;
  readonly value: string;
}

/** Messages for the pairs that carry a secret; names matching `allowedNames` are skipped. */
export function scanNamedValues(
  values: readonly NamedValue[],
  allowedNames: readonly string[] = [],
  judge: (value: string, name: string | undefined) => SecretFinding | undefined = detectSecret,
): string[] {
  const findings: string[] = [];
  for (const v of values) {
    if (v.name !== undefined && allowedNames.some((n) => wildcardMatches(n, v.name as string))) {
      continue;
    }
    const finding = judge(v.value, v.name);
    if (finding) findings.push(`${v.where} holds ${finding.description}.`);
  }
  return findings;
}

const ASSIGNMENT =
  /^\s*(?:export\s+|set\s+|-\s+)?["']?([A-Za-z_][A-Za-z0-9_.-]*)["']?\s*(?:=|:)\s*["']?([^"'\s]+)/;

/**
 * Secrets in a script or config text: known token formats anywhere, and `NAME=value` /
 * `name: value` lines whose name is secret-like and whose value is high-entropy.
 */
export function scanScript(text: string): SecretFinding[] {
  const findings: SecretFinding[] = [];
  const token = findTokenFormat(text);
  if (token) findings.push(token);
  for (const line of text.split(/\r?\n/)) {
    const m = ASSIGNMENT.exec(line);
    if (!m || !isSecretLikeKey(m[1])) continue;
    const finding = detectSecret(m[2], m[1]);
    if (finding && finding.kind === "secret-like-value") findings.push(finding);
  }
  return findings;
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
