// Defensive readers: semantic checks also run when the shape is wrong, so every problem is
// reported at once. They see the raw input and must never throw on it.

export type Raw = Record<string, unknown>;
export const isRecord = (v: unknown): v is Raw =>
  typeof v === "object" && v !== null && !Array.isArray(v);
export const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
export const field = (v: unknown, key: string): unknown => (isRecord(v) ? v[key] : undefined);

/** The values listed more than once, each once. */
export function duplicates(values: readonly string[]): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const v of values) (seen.has(v) ? dup : seen).add(v);
  return [...dup];
}
