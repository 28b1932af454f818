// What the CLI writes is safe to write: no secret (a value marked secret is masked by the report;
// a value the secrets rules flag is masked here) and no control character that could drive a
// terminal or an editor. Text goes through safeText, JSON through safeJson; nothing else is written.
import { escapeJsonText, redactValue, safeText } from "../../model/display";
import { pathTokens, SECRET_MASK } from "../report";

export { safeText };

/**
 * `value` as JSON text: every secret-shaped string masked (SECRET_MASK), every token in free text
 * replaced by its description, and DEL, C1 and bidirectional controls (which JSON.stringify
 * leaves raw) written as \u escapes; JSON.stringify escapes the C0 controls itself.
 */
export function safeJson(value: unknown): string {
  const text = JSON.stringify(
    value,
    function (this: unknown, key: string, v: unknown) {
      if (typeof v !== "string") return v;
      // Pulumi's wire signatures and an asset's content hash are public markers, not secrets.
      if (isWireMarker(this, key)) return v;
      return redactValue(v, Array.isArray(this) || key === "" ? undefined : key, SECRET_MASK);
    },
    2,
  );
  return escapeJsonText(text);
}

/** Pulumi's signature key: a value that holds it is an asset, archive, secret or reference. */
const SIG_KEY = "4dabf18193072939515e22adb298388d";

/** Is `holder[key]` a wire signature, or the content hash of an asset or archive? */
function isWireMarker(holder: unknown, key: string): boolean {
  if (holder === null || typeof holder !== "object" || Array.isArray(holder)) return false;
  return Object.hasOwn(holder, SIG_KEY) && (key === SIG_KEY || key === "hash");
}

/** Strings shorter than this are not scrubbed: they would mask ordinary words. */
const MIN_SCRUBBED = 4;

/**
 * The strings marked secret in `resources` (every string inside a value at one of its secret
 * paths, decoded), so that a marked secret repeated elsewhere unmarked (an id, a name, a tag) is
 * scrubbed from what the CLI writes too.
 */
export function secretValues(
  resources: readonly {
    readonly inputs: unknown;
    readonly outputs: unknown;
    readonly secretPaths: readonly string[];
  }[],
): string[] {
  const found = new Set<string>();
  const collect = (v: unknown): void => {
    if (typeof v === "string") {
      if (v.length >= MIN_SCRUBBED && v !== SECRET_MASK) found.add(v);
    } else if (Array.isArray(v)) for (const x of v) collect(x);
    else if (v !== null && typeof v === "object") for (const x of Object.values(v)) collect(x);
  };
  for (const r of resources)
    for (const p of r.secretPaths) {
      const tokens = pathTokens(p);
      for (const root of [r.inputs, r.outputs]) {
        let node: unknown = root;
        for (const t of tokens)
          node =
            node !== null && typeof node === "object" && Object.hasOwn(node, t)
              ? (node as Record<string, unknown>)[t]
              : undefined;
        collect(node);
      }
    }
  return [...found].sort((a, b) => b.length - a.length);
}

/**
 * `text` (what the CLI is about to write) with every occurrence of a marked secret replaced by
 * SECRET_MASK, in its plain and its JSON-escaped spelling.
 */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) {
    const escaped = JSON.stringify(s).slice(1, -1);
    for (const spelling of escaped === s ? [s] : [s, escaped])
      if (out.includes(spelling)) out = out.split(spelling).join(SECRET_MASK);
  }
  return out;
}
