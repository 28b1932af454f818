// Safe reading of resource properties. During `pulumi preview` the engine wraps every resource's
// properties in a proxy that throws `UnknownValueError` when a value that is not known yet (an ARN,
// a generated name) is read. Policies read through these helpers instead, so an unknown value is a
// value like any other (`UNKNOWN`) and a violation that the known values already prove is still
// reported.
import { UnknownValueError } from "./proxy";

/** Marker for a value that cannot be known before the resource exists. */
export const UNKNOWN: unique symbol = Symbol("unknown");
export type Unknown = typeof UNKNOWN;

/**
 * The sentinel strings the engine uses for unknown values. Runners that pass deserialized
 * properties without the checking proxy (the offline plan, a `pulumi stack export` check) may hand
 * them over as plain strings; they are unknown all the same.
 */
const UNKNOWN_SENTINELS: ReadonlySet<string> = new Set([
  "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
  "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
  "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
  "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
  "030794c1-ac77-496b-92df-f27374a8bd58",
  "e48ece36-62e2-4504-bad9-02848725956a",
  "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
]);

/** The key under which the preview proxy hands out the object it wraps (never throws). */
const PROXY_TARGET = "__getSpecialProxyTarget";

/**
 * The plain value under the preview proxy (the value itself when it is not behind one). Its
 * unknown parts are the engine's sentinel strings, which every reader here treats as `UNKNOWN`, so
 * a walk over the whole value can skip the proxy, which builds a new proxy for every nested read.
 * Hand it only to the readers of this module (read, keysOf, elementsOf, walkStrings).
 */
export function unwrapped(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  const target = (value as Record<string, unknown>)[PROXY_TARGET];
  return target !== null && typeof target === "object" ? target : value;
}

/** True for the error the preview proxy throws when an unknown value is read. */
export function isUnknownValueError(e: unknown): boolean {
  return (
    e instanceof UnknownValueError ||
    (e instanceof Error &&
      e.constructor !== undefined &&
      e.constructor.name === "UnknownValueError")
  );
}

/** True when a value read with `read` is unknown. */
export function isUnknown(value: unknown): value is Unknown {
  return value === UNKNOWN;
}

function normalise(value: unknown): unknown {
  return typeof value === "string" && UNKNOWN_SENTINELS.has(value) ? UNKNOWN : value;
}

/**
 * Reads `obj[key]`, then each further key in turn. Returns `UNKNOWN` when any step is unknown and
 * `undefined` when any step is missing or not an object.
 */
export function read(obj: unknown, ...path: (string | number)[]): unknown {
  let current: unknown = normalise(obj);
  for (const key of path) {
    if (current === UNKNOWN) return UNKNOWN;
    if (current === null || typeof current !== "object") return undefined;
    // Peek under the preview proxy first: an unknown field is then UNKNOWN without the proxy
    // throwing (building an error per unknown read is most of a large stack's policy time).
    const target = (current as Record<string, unknown>)[PROXY_TARGET];
    if (target !== null && typeof target === "object") {
      const raw = (target as Record<string | number, unknown>)[key];
      if (typeof raw === "string" && UNKNOWN_SENTINELS.has(raw)) return UNKNOWN;
    }
    try {
      current = normalise((current as Record<string | number, unknown>)[key]);
    } catch (e) {
      if (isUnknownValueError(e)) return UNKNOWN;
      throw e;
    }
  }
  return current;
}

/** A plain (non-array) object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** The keys of a record; none for anything else. Reading keys never touches unknown values. */
export function keysOf(value: unknown): string[] {
  return isRecord(value) ? Object.keys(value) : [];
}

/** The elements of an array, each read safely; `UNKNOWN` stays in place. Non-arrays give []. */
export function elementsOf(value: unknown): unknown[] {
  if (!Array.isArray(value)) return [];
  const out: unknown[] = [];
  let length = 0;
  try {
    length = value.length;
  } catch (e) {
    if (isUnknownValueError(e)) return [UNKNOWN];
    throw e;
  }
  for (let i = 0; i < length; i++) out.push(read(value, i));
  return out;
}

/** A string value, `UNKNOWN`, or undefined for anything else. */
export function readString(
  obj: unknown,
  ...path: (string | number)[]
): string | Unknown | undefined {
  const v = read(obj, ...path);
  return typeof v === "string" || v === UNKNOWN ? v : undefined;
}

/** A known string value, else undefined (unknown and other types alike). */
export function knownString(obj: unknown, ...path: (string | number)[]): string | undefined {
  const v = read(obj, ...path);
  return typeof v === "string" ? v : undefined;
}

/** The path the keys and indexes spell, after `base`: `a.b[0].c`. */
export function propertyPath(segments: readonly (string | number)[], base = ""): string {
  let out = base;
  for (const s of segments) out += typeof s === "number" ? `[${s}]` : out === "" ? s : `.${s}`;
  return out;
}

/**
 * Collects every string inside a value with the path that leads to it (`environment.variables.X`).
 * The path is spelled out only when the visitor asks for it (`path()`, valid during the call):
 * most strings of a stack are looked at and dropped. Unknown leaves are skipped; `maxDepth`
 * guards against pathological nesting.
 */
export function walkStrings(
  value: unknown,
  visit: (text: string, path: () => string, key: string | undefined) => void,
  maxDepth = 32,
): void {
  const segments: (string | number)[] = [];
  const path = (): string => propertyPath(segments);
  const walk = (v: unknown, key: string | undefined, depth: number): void => {
    if (depth > maxDepth) return;
    const current = normalise(v);
    if (typeof current === "string") {
      visit(current, path, key);
    } else if (Array.isArray(current)) {
      const elements = elementsOf(current);
      for (let i = 0; i < elements.length; i++) {
        segments.push(i);
        walk(elements[i], key, depth + 1);
        segments.pop();
      }
    } else if (isRecord(current)) {
      for (const k of keysOf(current)) {
        segments.push(k);
        walk(read(current, k), k, depth + 1);
        segments.pop();
      }
    }
  };
  walk(unwrapped(value), undefined, 0);
}
