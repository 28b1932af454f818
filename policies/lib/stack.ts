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
  const propertyDeps = from.propertyDependencies ?? {};
  if (keysOf(propertyDeps).length === 0) {
    if (urnsOf(from.dependencies).includes(to.urn)) return true;
  } else if (urnsOf(propertyDeps[property]).includes(to.urn)) {
    return true;
  }
  return valueRefersTo(read(from.props, property), identifiersOf(to));
}

/** Resources of the given types. */
export function ofType(resources: readonly StackResource[], ...types: string[]): StackResource[] {
  return resources.filter((r) => types.includes(r.type));
}
