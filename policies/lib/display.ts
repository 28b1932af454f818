// How untrusted values are shown: the one place that decides whether a value may be quoted in a
// message (short and plainly not secret-shaped) or only described (its kind and length), and the
// one escaping of control characters (C0, DEL, C1, bidirectional controls) for text and JSON. A
// security tool never repeats a secret and never lets its input drive the terminal.
import { detectSecret, findTokenFormat, shannonEntropy, TOKEN_FORMATS } from "./secrets";

/**
 * C0 controls (but tab and newline in free text), DEL, C1 controls and the bidirectional
 * embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), plus the line and paragraph
 * separators and the byte-order mark, which terminals and editors also act on.
 */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff]/g;
const CONTROL_TEST = new RegExp(CONTROL.source);
/** The same set without newline and tab, for multi-line text (messages, reports). */
const CONTROL_IN_TEXT =
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff]/g;
/** What JSON.stringify leaves raw: DEL, C1, bidirectional controls and separators. */
const CONTROL_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff]/g;

const escapeOne = (ch: string): string => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`;

/** True when `s` holds a control character (of any kind this module escapes). */
export function hasControlCharacters(s: string): boolean {
  return CONTROL_TEST.test(s);
}

/**
 * `s` with every control character (C0 but newline and tab, DEL, C1, bidirectional controls) as
 * a visible escape such as \u001b, and every known token format replaced by its description. Every
 * untrusted string the CLI prints passes here.
 */
export function safeText(s: string): string {
  return escapeControls(redactTokens(s), true);
}

/** `s` with control characters as visible \uXXXX escapes; `multiline` keeps newline and tab. */
export function escapeControls(s: string, multiline = false): string {
  return s.replace(multiline ? CONTROL_IN_TEXT : CONTROL, escapeOne);
}

/** JSON text with the characters JSON.stringify leaves raw (DEL, C1, bidi) as \u escapes. */
export function escapeJsonText(json: string): string {
  return json.replace(CONTROL_IN_JSON, escapeOne);
}

/** Every known token format in `s` replaced by `[<its description>]`. */
export function redactTokens(s: string): string {
  if (!findTokenFormat(s)) return s;
  let out = s;
  for (const format of TOKEN_FORMATS) {
    const global = new RegExp(format.pattern.source, format.pattern.flags.replace("g", "") + "g");
    out = out.replace(global, `[${format.description}]`);
  }
  return out;
}

/** Values longer than this are described, never quoted. */
const MAX_SHOWN = 80;

/**
 * True when a value may be quoted in a message: a short string with no control characters that no
 * secret rule flags and that is not random-looking, a number, a boolean, null, or a short list of
 * such values.
 */
export function isShowable(value: unknown): boolean {
  if (value === null || typeof value === "boolean") return true;
  if (typeof value === "number") return String(value).length <= 24;
  if (Array.isArray(value))
    return (
      value.length <= 8 &&
      value.every((v) => typeof v !== "object" && isShowable(v)) &&
      JSON.stringify(value).length <= MAX_SHOWN
    );
  if (typeof value !== "string") return false;
  if (value.length > MAX_SHOWN || hasControlCharacters(value)) return false;
  if (detectSecret(value) !== undefined) return false;
  // Random-looking mid-length strings (a short password, a key fragment) are described.
  return !(value.length >= 16 && !/\s/.test(value) && shannonEntropy(value) > 4.2);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/**
 * A value as a message may show it: quoted (JSON) when it is short and plainly not secret-shaped,
 * else described by its kind, length and, for a secret-shaped string, what it looks like. The one
 * describing function of config validation and of the stack-export reader. A shown string is in
 * JSON's double quotes, or in `quote` ("" for none: a value that reads as a word, such as a region).
 */
export function describeValue(value: unknown, quote: "'" | '"' | "" = '"'): string {
  if (value === undefined) return "nothing";
  if (isShowable(value))
    return quote !== '"' && typeof value === "string"
      ? `${quote}${value}${quote}`
      : JSON.stringify(value);
  if (typeof value === "string") {
    const finding = detectSecret(value);
    const controls = hasControlCharacters(value) ? " with control characters" : "";
    return finding
      ? `a ${value.length}-character string that looks like ${finding.description} (not shown)`
      : `a ${value.length}-character string${controls} (not shown)`;
  }
  if (typeof value === "number") return "a number";
  if (Array.isArray(value)) return `a list of ${plural(value.length, "item")}`;
  if (value !== null && typeof value === "object")
    return `a map of ${plural(Object.keys(value).length, "key")}`;
  return `a ${typeof value}`;
}

/**
 * A string value of a report as it may be written: a secret-shaped value (a token format, a
 * high-entropy string, a high-entropy value under a secret-like `key`) becomes `mask`; free text
 * (a message, with spaces) keeps its words with every token replaced by its description.
 */
export function redactValue(value: string, key: string | undefined, mask: string): string {
  if (detectSecret(value, key) === undefined) return value;
  return /\s/.test(value.trim()) && findTokenFormat(value) ? redactTokens(value) : mask;
}
