// How the views read what the engine recorded: a value not known until deploy (the engine's wire
// sentinel or the JSON report's mark) and the typed reads that pass only known values on.
import { UNKNOWN_WIRE as UNKNOWN } from "../../engine/values";

/** How a value unknown until the resource exists is shown. */
export const KNOWN_AFTER_DEPLOY = "(known after deploy)";

/** The JSON report's mark for an unknown value (plan/report); the CLI may hand us report data. */
const REPORT_UNKNOWN = "[unknown]";

/** Is this a value the engine does not know yet (preview)? */
export function isUnknown(value: unknown): boolean {
  return value === UNKNOWN || value === REPORT_UNKNOWN;
}

export type Dict = Record<string, unknown>;
export const isDict = (v: unknown): v is Dict =>
  typeof v === "object" && v !== null && !Array.isArray(v);
/** A known string, else undefined. */
export const str = (v: unknown): string | undefined =>
  typeof v === "string" && !isUnknown(v) ? v : undefined;
/** A known string or number as text. */
export const text = (v: unknown): string | undefined =>
  typeof v === "number" || typeof v === "boolean" ? String(v) : str(v);
export const strings = (v: unknown): string[] =>
  (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter(
    (s): s is string => typeof s === "string",
  );
export const dicts = (v: unknown): Dict[] => (Array.isArray(v) ? v : [v]).filter(isDict);
