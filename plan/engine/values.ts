// The plain values the engine records, an export reads and the report shows: the markers that
// stand for secret and unknown values, and rebuilding values without copying what does not change
// (a large stack's pipelines and projects are most of its memory, and most of them hold nothing to
// rewrite).

/** The placeholder a secret value becomes in the report (the value itself is never written). */
export const SECRET_MASK = "[secret]";

/** How an unknown (preview) value appears in the report. */
export const UNKNOWN_MARK = "[unknown]";

/** Pulumi's wire sentinel for a value unknown until deploy (pulumi.runtime.unknownValue). */
export const UNKNOWN_WIRE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/**
 * `value` (an array or a plain object) with each child replaced by `map(child, key)`. When every
 * child comes back identical, `value` itself is returned; otherwise a new container. Object keys
 * stay keys, "__proto__" included.
 */
export function mapChildren(
  value: readonly unknown[] | Readonly<Record<string, unknown>>,
  map: (child: unknown, key: string | number) => unknown,
): unknown {
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const mapped = map(value[i], i);
      if (copy === undefined && mapped !== value[i]) copy = value.slice(0, i);
      copy?.push(mapped);
    }
    return copy ?? value;
  }
  const record = value as Readonly<Record<string, unknown>>;
  const keys = Object.keys(record);
  let entries: [string, unknown][] | undefined;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const mapped = map(record[key], key);
    if (entries === undefined && mapped !== record[key])
      entries = keys.slice(0, i).map((k) => [k, record[k]]);
    entries?.push([key, mapped]);
  }
  return entries ? Object.fromEntries(entries) : value;
}
