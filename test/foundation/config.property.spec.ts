import { strict as assert } from "assert";
import fc from "fast-check";
import { ConfigError, validateStackConfig } from "../../model/config";
import { createdResources, exampleOrganization, runStack, stackConfig } from "../helpers";

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every path (list of keys and indexes) inside a JSON value. */
function pathsOf(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [prefix];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...pathsOf(v, [...prefix, i])));
  else if (value && typeof value === "object")
    for (const [k, v] of Object.entries(value)) out.push(...pathsOf(v, [...prefix, k]));
  return out;
}

/** Replaces (or with `undefined` deletes) the value at a path; returns the edited copy. */
function setAt(root: Json, path: (string | number)[], value: Json | undefined): Json {
  if (path.length === 0) return value === undefined ? null : value;
  const copy = JSON.parse(JSON.stringify(root)) as Json;
  if (copy === null || typeof copy !== "object") return copy;
  let node = copy as Record<string | number, Json>;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (next === null || typeof next !== "object") return copy;
    node = next as Record<string | number, Json>;
  }
  const last = path[path.length - 1];
  if (value === undefined) {
    if (Array.isArray(node)) node.splice(Number(last), 1);
    else delete node[last];
  } else node[last] = value;
  return copy;
}

const example = exampleOrganization() as unknown as Json;
const examplePaths = pathsOf(example);

/** Values a hurried platform engineer might type, good and bad. */
const interesting = fc.constantFrom<Json>(
  "12345",
  "111111111111",
  "222222222222",
  "999999999999",
  123456789012,
  "us-east-7",
  "eu-west-1",
  "cn-north-1",
  "prod",
  "prd",
  "qa",
  "Web_Frontend",
  "ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8",
  "AKIAZ7QWERTYUIOPASDF",
  "-----BEGIN RSA PRIVATE KEY-----",
  "x".repeat(80),
  "",
  true,
  false,
  0,
  -1,
  [],
  {},
  ["dev", "staging", "prod"],
  ["prod", "dev"],
  { reason: "short" },
);
const anyJson: fc.Arbitrary<Json> = fc.oneof(
  { depthSize: "small" },
  interesting,
  fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
);
const mutation = fc.record({
  path: fc.constantFrom(...examplePaths),
  value: fc.option(anyJson, { nil: undefined, freq: 6 }),
});

const STACKS = ["tools", "dev", "prod", "prod-eu"] as const;

describe("config validation under random edits (property-based)", () => {
  it("only ever throws ConfigError, and a rejected config registers no resource", async function () {
    // 500 full program evaluations: allow for a loaded machine.
    this.timeout(180_000);
    let rejected = 0;
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(mutation, { minLength: 0, maxLength: 3 }),
        fc.constantFrom(...STACKS),
        async (mutations, stack) => {
          let org = example;
          for (const m of mutations) org = setAt(org, m.path, m.value);
          const base = stackConfig(stack);
          const config = { ...base.config, [`${base.project}:organization`]: JSON.stringify(org) };
          let valid: boolean;
          try {
            validateStackConfig(base.project, stack, config, base.secretKeys);
            valid = true;
          } catch (e) {
            if (!(e instanceof ConfigError)) throw e;
            assert.ok(e.problems.length > 0);
            for (const p of e.problems) assert.ok(p.path.length > 0 && p.message.length > 0);
            valid = false;
          }
          if (valid) {
            accepted++;
            // A full evaluation of an accepted config costs far more than a rejected one (the
            // whole platform is registered): evaluate a sample of them.
            if (accepted <= 10) {
              const run = await runStack(stack, { organization: org });
              assert.equal(run.error, undefined, String(run.error));
              assert.ok(createdResources(run).length > 0);
            }
          } else {
            rejected++;
            const run = await runStack(stack, { organization: org });
            assert.ok(run.error instanceof ConfigError, `expected ConfigError, got ${run.error}`);
            assert.deepEqual(createdResources(run), []);
          }
        },
      ),
      { numRuns: 500, seed: 20261122 },
    );
    // The generator must exercise both sides, or the property proves little.
    console.log(`      ${accepted} accepted, ${rejected} rejected`);
    assert.ok(rejected > 100, `only ${rejected} rejected configs`);
    assert.ok(accepted > 40, `only ${accepted} accepted configs`);
  });
});
