// Links between resources of a stack. During preview, names and ARNs of new resources are unknown,
// so a policy finds "the alarm that watches this function" through the URNs the engine records:
// `propertyDependencies[prop]` (the resources a property was computed from) and `dependencies`.
// When a runner supplies no dependency information, known values (names, ARNs) are matched instead.
import type { PolicyResource } from "@pulumi/policy";
import { keysOf, knownString, read, walkStrings } from "./unknowns";

/** The minimal view of a stack resource the pack reads (what the engine and the fakes provide). */
export type StackResource = Pick<
  PolicyResource,
  "type" | "urn" | "name" | "props" | "dependencies" | "propertyDependencies"
>;

function urnsOf(list: readonly { urn: string }[] | undefined): string[] {
  return Array.isArray(list) ? list.map((r) => r.urn) : [];
}

/** Known identifiers of a resource: its name, ARN, id and type-specific names. */
export function identifiersOf(resource: StackResource): string[] {
  const ids = new Set<string>();
  for (const key of ["name", "arn", "id", "bucket", "functionName", "alarmName"]) {
    const v = knownString(resource.props, key);
    if (v !== undefined && v !== "") ids.add(v);
  }
  return [...ids];
}

/** True when some known string in `value` is one of `ids`, or names one in quotes (JSON text). */
export function valueRefersTo(value: unknown, ids: readonly string[]): boolean {
  if (ids.length === 0) return false;
  let found = false;
  walkStrings(value, (text) => {
    if (found) return;
    found = ids.some((id) => text === id || text.includes(`"${id}"`));
  });
  return found;
}

/**
 * True when `from.props[property]` refers to `to`: through `propertyDependencies[property]`; through
 * `dependencies` when the runner recorded no property dependencies at all; or through known values.
 */
export function refersTo(from: StackResource, property: string, to: StackResource): boolean {
  if (linkedUrns(from, property).includes(to.urn)) return true;
  return valueRefersTo(read(from.props, property), identifiersOf(to));
}

/**
 * The URNs `from.props[property]` was computed from: its property dependencies, or all of the
 * resource's dependencies when the runner recorded no property dependencies at all.
 */
function linkedUrns(from: StackResource, property: string): string[] {
  const propertyDeps = from.propertyDependencies ?? {};
  return keysOf(propertyDeps).length === 0
    ? urnsOf(from.dependencies)
    : urnsOf(propertyDeps[property]);
}

/** Resources of the given types, in the stack's order. */
export function ofType(resources: readonly StackResource[], ...types: string[]): StackResource[] {
  const { byType, position } = typeIndexOf(resources);
  const lists = [...new Set(types)].map((t) => byType.get(t) ?? []).filter((l) => l.length > 0);
  if (lists.length <= 1) return [...(lists[0] ?? [])];
  return lists.flat().sort((a, b) => position.get(a)! - position.get(b)!);
}

interface TypeIndex {
  readonly length: number;
  readonly byType: Map<string, StackResource[]>;
  readonly position: Map<StackResource, number>;
}

/**
 * Each stack policy selects a few types from the same resource list, so the list is grouped by
 * type once. The length guards against a list that grew since (the pack's lists never change).
 */
const typeIndexes = new WeakMap<readonly StackResource[], TypeIndex>();

function typeIndexOf(resources: readonly StackResource[]): TypeIndex {
  let index = typeIndexes.get(resources);
  if (index === undefined || index.length !== resources.length) {
    const byType = new Map<string, StackResource[]>();
    const position = new Map<StackResource, number>();
    resources.forEach((r, i) => {
      position.set(r, i);
      push(byType, r.type, r);
    });
    index = { length: resources.length, byType, position };
    typeIndexes.set(resources, index);
  }
  return index;
}

/**
 * The targets that resources refer to, indexed so that "which of these does `from.props[property]`
 * refer to?" costs one walk of that property instead of one `refersTo` per target. It answers
 * exactly as `targets.filter((t) => refersTo(from, property, t))` would, in the targets' order.
 */
export class ReferenceIndex<T extends StackResource> {
  private readonly position = new Map<T, number>();
  private readonly byUrn = new Map<string, T[]>();
  private readonly byId = new Map<string, T[]>();
  /** Targets with an identifier holding a quote: the quoted-name shortcut does not apply. */
  private readonly quoted: { target: T; ids: string[] }[] = [];

  constructor(readonly targets: readonly T[]) {
    targets.forEach((t, i) => {
      this.position.set(t, i);
      push(this.byUrn, t.urn, t);
      const ids = identifiersOf(t);
      for (const id of ids) push(this.byId, id, t);
      if (ids.some((id) => id.includes('"'))) this.quoted.push({ target: t, ids });
    });
  }

  /** The targets `from.props[property]` refers to (see `refersTo`). */
  referredBy(from: StackResource, property: string): T[] {
    const found = new Set<T>();
    const add = (list: readonly T[] | undefined): void => list?.forEach((t) => found.add(t));
    for (const urn of linkedUrns(from, property)) add(this.byUrn.get(urn));
    const value = read(from.props, property);
    if (this.byId.size > 0) {
      walkStrings(value, (text) => {
        add(this.byId.get(text));
        // `"id"` inside the text: the id lies between two consecutive quotes.
        let open = text.indexOf('"');
        while (open !== -1) {
          const close = text.indexOf('"', open + 1);
          if (close === -1) break;
          add(this.byId.get(text.slice(open + 1, close)));
          open = close;
        }
      });
    }
    for (const { target, ids } of this.quoted) {
      if (!found.has(target) && valueRefersTo(value, ids)) found.add(target);
    }
    return [...found].sort((a, b) => this.position.get(a)! - this.position.get(b)!);
  }
}

/** Appends `value` to the list under `key`, starting the list when there is none. */
export function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * For each target, the resources of `from` whose `property` refers to it (in `from`'s order): one
 * walk per referring resource instead of one `refersTo` per pair.
 */
export function referrersOf<T extends StackResource>(
  targets: readonly T[],
  from: readonly StackResource[],
  property: string,
): Map<T, StackResource[]> {
  const index = new ReferenceIndex(targets);
  const out = new Map<T, StackResource[]>(targets.map((t) => [t, []]));
  for (const r of from) for (const t of index.referredBy(r, property)) out.get(t)!.push(r);
  return out;
}
