import * as assert from "node:assert/strict";
import fc from "fast-check";
import { ReferenceIndex, refersTo, type StackResource } from "../../policies/lib/stack";
import { UNKNOWN_STRING } from "../helpers/policy";

// The index must answer exactly as one refersTo per target: same targets, same order, for links
// through property dependencies, plain dependencies and known names (bare or quoted in JSON text).
const names = ["a", "b", "role-x", 'we"ird', "arn:aws:iam::111111111111:role/x", ""];
const name = fc.constantFrom(...names);
const text = fc.oneof(
  name,
  fc.constantFrom(UNKNOWN_STRING),
  fc.array(name, { maxLength: 3 }).map((ns) => JSON.stringify({ Resource: ns })),
  fc.array(name, { maxLength: 3 }).map((ns) => ns.map((n) => `"${n}"`).join("x")),
  fc.string({ maxLength: 8 }),
);
const value = fc.oneof(text, fc.array(text, { maxLength: 3 }), fc.record({ k: text }));

function stack(urns: readonly string[]) {
  const urn = fc.constantFrom(...urns);
  const target = fc.record({
    props: fc.record({ name, arn: fc.option(name, { nil: undefined }) }),
  });
  const from = fc.record({
    props: fc.record({ role: value, other: value }),
    dependencies: fc.array(urn, { maxLength: 3 }),
    propertyDependencies: fc.oneof(
      fc.constant({}),
      fc.record({ role: fc.array(urn, { maxLength: 2 }), other: fc.array(urn, { maxLength: 2 }) }),
    ),
  });
  return fc.record({ targets: fc.array(target, { maxLength: urns.length }), from });
}

describe("ReferenceIndex", () => {
  it("finds the same targets, in the same order, as refersTo on each", () => {
    const urns = ["urn:t0", "urn:t1", "urn:t2", "urn:t3", "urn:t4"];
    fc.assert(
      fc.property(stack(urns), fc.constantFrom("role", "other", "missing"), (s, property) => {
        const asResource = (urn: string) => ({ urn, name: urn, type: "aws:iam/role:Role" });
        const targets = s.targets.map(
          (t, i) => ({ ...asResource(urns[i]!), props: t.props }) as unknown as StackResource,
        );
        const from = {
          ...asResource("urn:from"),
          props: s.from.props,
          dependencies: s.from.dependencies.map((u) => ({ urn: u })),
          propertyDependencies: Object.fromEntries(
            Object.entries(s.from.propertyDependencies).map(([k, v]) => [
              k,
              (v as string[]).map((u) => ({ urn: u })),
            ]),
          ),
        } as unknown as StackResource;
        const expected = targets.filter((t) => refersTo(from, property, t));
        assert.deepEqual(new ReferenceIndex(targets).referredBy(from, property), expected);
      }),
      { numRuns: 1000 },
    );
  });

  it("finds a role named inside a JSON policy and one linked by property dependency", () => {
    const role = (urn: string, n: string) =>
      ({ urn, name: n, type: "aws:iam/role:Role", props: { name: n } }) as unknown as StackResource;
    const [r1, r2, r3] = [role("urn:r1", "deploy"), role("urn:r2", "build"), role("urn:r3", "x")];
    const policy = {
      urn: "urn:p",
      name: "p",
      type: "aws:iam/rolePolicy:RolePolicy",
      props: { role: '{"Role":"build"}' },
      dependencies: [],
      propertyDependencies: { role: [{ urn: "urn:r3" }] },
    } as unknown as StackResource;
    assert.deepEqual(new ReferenceIndex([r1!, r2!, r3!]).referredBy(policy, "role"), [r2, r3]);
  });
});
