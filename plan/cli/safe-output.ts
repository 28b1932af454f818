// What the CLI writes is safe to write: no secret (a value marked secret is masked by the report;
// a value the secrets rules flag is masked here) and no control character that could drive a
// terminal or an editor. Text goes through safeText, JSON through safeJson; nothing else is written.
import { escapeJsonText, redactValue, safeText } from "../../model/display";
import { SECRET_MASK } from "../report";

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
      return redactValue(v, Array.isArray(this) || key === "" ? undefined : key, SECRET_MASK);
    },
    2,
  );
  return escapeJsonText(text);
}
