// Secret detection shared by the policy pack's secrets family and the blueprint's config validation.
// The formats are the table in secret-rules.ts, the placeholders and references that are not
// secrets the table in secret-suppressions.ts; this module runs them. Like gitleaks, every rule
// has lower-case keywords checked with a substring test before its regex runs, so most strings
// cost a lower-casing and a few dozen `includes`. The thresholds of the generic rules are
// detect-secrets' defaults. No dependencies, so the pack stays self-contained when published.
import { KeywordMatcher } from "./secret-keywords";
import { CONTEXT_CHARS, SECRET_RULES, type SecretRule } from "./secret-rules";
import {
  decodesToText,
  DUMMY_KEY_BLOCK,
  isRuntimeReference,
  isSecretStoreReference,
  isStopWord,
  RULE_ALLOWLIST,
  shannonEntropy,
  suppressionFor,
} from "./secret-suppressions";

export { shannonEntropy } from "./secret-suppressions";

/** What was found in one string value. */
export interface SecretFinding {
  /** The rule's id, for example `github-pat`, `secret-like-value`, `high-entropy-string`. */
  readonly kind: string;
  /** Human description used in messages, for example "a GitHub token". */
  readonly description: string;
}

/** A match a suppression rule explained away: which suppression, for which rule. */
export interface SuppressionHit {
  /** The suppression's id (secret-suppressions.ts), for example `runtime-reference`. */
  readonly suppression: string;
  /** The rule that matched, for example `url-credentials` or `secret-like-value`. */
  readonly rule: string;
}

/** Everything a scan of one value found and let through. */
export interface SecretScan {
  readonly findings: SecretFinding[];
  readonly suppressions: SuppressionHit[];
}

/** Options of a scan. */
export interface ScanOptions {
  /** The key the value is stored under (an environment variable, a config key). */
  readonly key?: string;
  /** Stop at the first finding (the walk-everything policies need one per property). */
  readonly firstOnly?: boolean;
  /** Only the format rules with these ids (default: all). */
  readonly only?: ReadonlySet<string>;
  /** Skip the format rules with these ids. */
  readonly skip?: ReadonlySet<string>;
}

const globalPatterns = new Map<SecretRule, RegExp>();
function globalPattern(rule: SecretRule): RegExp {
  let g = globalPatterns.get(rule);
  if (g === undefined) {
    g = new RegExp(rule.pattern.source, rule.pattern.flags.replace("g", "") + "g");
    globalPatterns.set(rule, g);
  }
  g.lastIndex = 0;
  return g;
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Each rule as one pattern that matches it in free text: format rules as they are, keyword-anchored
 * rules with their keyword and an assignment in front (`HEROKU_API_KEY=...`), as gitleaks writes
 * them. Used to redact text; the ids and descriptions are the rules'.
 */
export const TOKEN_FORMATS: readonly { kind: string; description: string; pattern: RegExp }[] =
  SECRET_RULES.map((rule) => ({
    kind: rule.id,
    description: rule.description,
    pattern:
      rule.anchor === "context"
        ? new RegExp(
            `(?:${rule.keywords.map(escapeRegExp).join("|")})[\\w.-]{0,40}?["'\`]?\\s{0,3}(?:=|:|=>|:=)\\s{0,3}["'\`]?(?:${rule.pattern.source})`,
            "i",
          )
        : rule.pattern,
  }));

/** The text before a match on its line, at most CONTEXT_CHARS characters. */
function lineBefore(value: string, index: number): string {
  const start = Math.max(0, index - CONTEXT_CHARS);
  const text = value.slice(start, index);
  const nl = text.lastIndexOf("\n");
  return nl === -1 ? text : text.slice(nl + 1);
}

const ASSIGNED = /(?:[=:>,]|\|\|)\s{0,5}["'`]?$/;

/**
 * For a keyword-anchored rule: the match is the whole value and the key names the keyword, or the
 * text just before it on its line names the keyword and assigns the value.
 */
function isAnchored(rule: SecretRule, value: string, index: number, secret: string, key: string) {
  const whole = value.trim().replace(/^["'`]|["'`]$/g, "") === secret;
  let context: string;
  if (whole) context = key;
  else {
    const before = lineBefore(value, index);
    if (!ASSIGNED.test(before)) return false;
    context = `${key} ${before}`;
  }
  const lower = context.toLowerCase();
  if (!rule.keywords.some((k) => lower.includes(k))) return false;
  return rule.context === undefined || rule.context.test(context);
}

/** At most this many matches of one rule are judged per value (bounds the work on huge text). */
const MAX_MATCHES = 16;

/** Every rule keyword, and for each the rules it admits. */
const KEYWORDS: string[] = [];
const RULES_OF_KEYWORD: number[][] = [];
SECRET_RULES.forEach((rule, r) => {
  for (const k of rule.keywords) {
    let i = KEYWORDS.indexOf(k);
    if (i === -1) {
      i = KEYWORDS.push(k) - 1;
      RULES_OF_KEYWORD.push([]);
    }
    RULES_OF_KEYWORD[i]!.push(r);
  }
});
const MATCHER = new KeywordMatcher(KEYWORDS);

/**
 * The indexes of the rules whose keywords the value (or, for keyword-anchored rules, the key)
 * holds, in table order. One pass over each.
 */
const admitted = new Uint8Array(SECRET_RULES.length);
const NONE: readonly number[] = [];

function candidateRules(value: string, key: string): readonly number[] {
  const out: number[] = [];
  const admit = (r: number): void => {
    if (admitted[r] === 0) {
      admitted[r] = 1;
      out.push(r);
    }
  };
  MATCHER.scan(value, (k) => RULES_OF_KEYWORD[k]!.forEach(admit));
  if (key !== "")
    MATCHER.scan(key, (k) => {
      for (const r of RULES_OF_KEYWORD[k]!) if (SECRET_RULES[r]!.anchor === "context") admit(r);
    });
  if (out.length === 0) return NONE;
  for (const r of out) admitted[r] = 0;
  return out.sort((x, y) => x - y);
}

/** The longest text a keyword-anchored match may need after its keyword. */
const WINDOW = CONTEXT_CHARS + 200;

/** Where a keyword-anchored rule may match: each place its keyword occurs (at most 32). */
function keywordWindows(rule: SecretRule, value: string, lower: string): number[] {
  const starts: number[] = [];
  for (const k of rule.keywords) {
    for (let i = lower.indexOf(k); i !== -1 && starts.length < 32; i = lower.indexOf(k, i + 1)) {
      if (rule.context !== undefined && !rule.context.test(value.slice(i, i + CONTEXT_CHARS)))
        continue;
      starts.push(i);
    }
  }
  return starts.sort((a, b) => a - b);
}

/** The text after a keyword that a keyword-anchored match may span. */
function windowAt(value: string, start: number): string {
  return value.slice(start, start + WINDOW);
}

/** Runs the format rules over `value`, adding to `out`. True when something was found. */
function scanFormats(value: string, options: ScanOptions, out: SecretScan): boolean {
  if (value.length < 8) return false;
  const key = options.key ?? "";
  const keyLower = key.toLowerCase();
  let lower: string | undefined;
  let found = false;
  for (const r of candidateRules(value, key)) {
    const rule = SECRET_RULES[r]!;
    if (options.only !== undefined && !options.only.has(rule.id)) continue;
    if (options.skip !== undefined && options.skip.has(rule.id)) continue;
    // A URL's password that is itself a known token is reported as that token.
    if (rule.id === "url-credentials" && found) continue;
    if (rule.minLength !== undefined && value.length < rule.minLength) continue;
    const anchored = rule.anchor === "context";
    // A keyword-anchored rule the key does not admit can only match just after its keyword.
    const windows =
      anchored && !rule.keywords.some((k) => keyLower.includes(k))
        ? keywordWindows(rule, value, (lower ??= value.toLowerCase()))
        : [0];
    for (const start of windows) {
      if (found) break;
      const text = start === 0 && windows.length === 1 ? value : windowAt(value, start);
      const pattern = globalPattern(rule);
      let m: RegExpExecArray | null;
      let seen = 0;
      while ((m = pattern.exec(text)) !== null && seen++ < MAX_MATCHES) {
        if (m[0].length === 0) pattern.lastIndex++;
        const secret = m[1] ?? m[0];
        const at = start + m.index + m[0].indexOf(secret);
        if (anchored && !isAnchored(rule, value, at, secret, key)) continue;
        const suppression = judgeMatch(rule, secret, value, options.key);
        if (suppression !== undefined) {
          out.suppressions.push({ suppression, rule: rule.id });
          continue;
        }
        out.findings.push({ kind: rule.id, description: rule.description });
        found = true;
        break;
      }
    }
    if (found && options.firstOnly) return true;
  }
  return found;
}

/** The suppression that explains a match, if any. */
function judgeMatch(
  rule: SecretRule,
  secret: string,
  value: string,
  key: string | undefined,
): string | undefined {
  if (rule.validate && rule.validate(secret, value) === "dummy") return DUMMY_KEY_BLOCK;
  if (rule.allowlist?.some((a) => a.test(secret))) return RULE_ALLOWLIST;
  return suppressionFor({ secret, value, key, minEntropy: rule.minEntropy }, false);
}

/** Key names that announce a secret value. Matched case-insensitively on word boundaries. */
const SECRET_KEY =
  /(^|[^a-z])(password|passwd|passphrase|pwd|pass|secret|token|api[_-]?key|apikey|(?:access|account|client|db|database|service|signing|encryption|master|priv|private|auth|hmac|webhook)[_-]?key|credentials?|creds|auth)([^a-z]|$)/i;

/** Key names that hold a secret's name, location or metadata, not the secret itself. */
const SECRET_METADATA_KEY =
  /(^|[^a-z])(id|ids|arn|arns|name|names|url|uri|endpoint|path|file|length|size|type|version|alias|ttl|enabled|expiry|expiration|rotation|policy|parameter|param|ref|header|prefix|format|count|timeout|method|mode|kind|provider|source|location|region|user|username)$/i;

/** True when a key (an environment variable name, a config key) names a secret. */
export function isSecretLikeKey(key: string): boolean {
  // Keys repeat across resources (environment names, property names): judged once each.
  let known = secretLikeKeys.get(key);
  if (known === undefined) {
    known = judgeSecretLikeKey(key);
    if (secretLikeKeys.size > 50_000) secretLikeKeys.clear();
    secretLikeKeys.set(key, known);
  }
  return known;
}

const secretLikeKeys = new Map<string, boolean>();

function judgeSecretLikeKey(key: string): boolean {
  // Split camelCase so `githubToken`, `dbPassword` and `DBPassword` match.
  const spaced = key
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/([A-Z])([A-Z][a-z])/g, "$1_$2");
  return SECRET_KEY.test(spaced) && !SECRET_METADATA_KEY.test(spaced);
}

/**
 * Values that are obviously not secrets: booleans, repeated characters, references to a secret
 * store or a variable, placeholders, UUIDs, ARNs, SSM parameter names.
 */
export function isReferenceOrPlaceholder(value: string): boolean {
  const v = value.trim();
  if (v === "" || /^(true|false|null|none|undefined)$/i.test(v)) return true;
  if (/^(.)\1*$/.test(v)) return true;
  if (isRuntimeReference(v) || isSecretStoreReference(v) || isStopWord(v)) return true;
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v)) return true;
  return /^\/[A-Za-z0-9_.\-/]+$/.test(v); // an SSM parameter name or a path
}

/** True for a documented example value such as `AKIAIOSFODNN7EXAMPLE`. */
export function isDocumentedExample(match: string): boolean {
  return /EXAMPLE(KEY)?$/i.test(match);
}

const BASE64 = /^[A-Za-z0-9+/=_-]+$/;
const HEX = /^[0-9a-fA-F]+$/;

/** A stand-alone high-entropy string (detect-secrets' limits: base64 >= 4.5, hex >= 3.0 bits). */
export function isHighEntropyString(value: string): boolean {
  const v = value.trim();
  if (v.length < 20) return false;
  if (HEX.test(v) && v.length >= 32) return shannonEntropy(v) >= 3.0;
  if (BASE64.test(v)) return shannonEntropy(v) >= 4.5;
  return false;
}

/** Runs the generic rules (secret-like key + entropy, stand-alone high entropy) on one value. */
function scanGeneric(value: string, key: string | undefined, out: SecretScan): void {
  const v = value.trim();
  if (v.length < 8) return;
  if (key !== undefined && isSecretLikeKey(key)) {
    const suppression = suppressionFor({ secret: v, value, key, minEntropy: 3.5 }, true);
    if (suppression !== undefined) {
      out.suppressions.push({ suppression, rule: "secret-like-value" });
      return;
    }
    if (v.length >= 10 && !/\s/.test(v) && shannonEntropy(v) > 3.5) {
      out.findings.push({
        kind: "secret-like-value",
        description: `a high-entropy value under the secret-like name '${key}'`,
      });
    }
    return;
  }
  if (!isHighEntropyString(v)) return;
  const suppression = suppressionFor({ secret: v, value, key, minEntropy: undefined }, true);
  if (suppression !== undefined) {
    // Encoded text is judged by what it says.
    if (suppression === "encoded-text") {
      const decoded = Buffer.from(v, "base64").toString("utf8");
      const inner: SecretScan = { findings: [], suppressions: [] };
      if (scanFormats(decoded, { firstOnly: true }, inner)) {
        const f = inner.findings[0] as SecretFinding;
        out.findings.push({ kind: f.kind, description: `${f.description} (base64-encoded)` });
        return;
      }
    }
    out.suppressions.push({ suppression, rule: "high-entropy-string" });
    return;
  }
  out.findings.push({ kind: "high-entropy-string", description: "a high-entropy string" });
}

/**
 * Scans one value with every rule: the format table first, then, when no format matched, the
 * generic rules. Returns the findings and the suppressions that fired (never the value).
 */
export function scanValue(value: string, options: ScanOptions = {}): SecretScan {
  const out: SecretScan = { findings: [], suppressions: [] };
  if (typeof value !== "string" || value.length < 8) return out;
  if (scanFormats(value, { ...options, firstOnly: true }, out)) return out;
  scanGeneric(value, options.key, out);
  return out;
}

/** Scans one value with the format table only (known token formats, private keys, URLs). */
export function scanTokens(value: string, options: ScanOptions = {}): SecretScan {
  const out: SecretScan = { findings: [], suppressions: [] };
  if (typeof value !== "string") return out;
  scanFormats(value, options, out);
  return out;
}

/** Finds a known token format anywhere in the value (`key`: the name it is stored under). */
export function findTokenFormat(value: string, key?: string): SecretFinding | undefined {
  if (typeof value !== "string" || value.length < 8) return undefined;
  const out: SecretScan = { findings: [], suppressions: [] };
  scanFormats(value, key === undefined ? { firstOnly: true } : { key, firstOnly: true }, out);
  return out.findings[0];
}

/**
 * Decides whether one string value carries a secret. `key` is the name the value is stored under
 * (an environment variable, a config key), when there is one: a secret-like key with a value of 10+
 * characters and entropy above 3.5 bits per character is a finding even without a known format.
 */
export function detectSecret(value: string, key?: string): SecretFinding | undefined {
  if (typeof value !== "string") return undefined;
  return scanValue(value, key === undefined ? {} : { key }).findings[0];
}

// Re-exported for the encoded-text rule's callers and tests.
export { decodesToText };
