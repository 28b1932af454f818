import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import fc from "fast-check";
import { maskValue, reportResource, SECRET_MASK, type ReportResource } from "../../plan/report";
import {
  isDefaultProviderUrn,
  parseStackExport,
  placeholderProviderId,
  StackExportError,
  toStackExport,
  type ExportedResource,
  type ParsedExport,
} from "../../plan/export";
import { EXAMPLE_STACKS, runStackOk } from "../helpers";

const FIXTURE = path.join(__dirname, "fixtures", "payments-prod.export.json");
const fixtureText = readFileSync(FIXTURE, "utf8");
const URN = "urn:pulumi:prod::payments::";
const DEFAULT_PROVIDER = `${URN}pulumi:providers:aws::default_7_48_0`;
const AUDIT_PROVIDER = `${URN}pulumi:providers:aws::audit-us-east-1`;
const ROOT = `${URN}pulumi:pulumi:Stack::payments-prod`;
const BUCKET = `${URN}aws:s3/bucket:Bucket::statements`;
const SECRET_SIG = {
  "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
} as const;

/** The problems parseStackExport reports for `doc` (fails when it does not throw). */
function problemsOf(doc: unknown, text = JSON.stringify(doc)): readonly string[] {
  try {
    parseStackExport(text, "stack.json");
  } catch (e) {
    assert.ok(e instanceof StackExportError, `threw ${String(e)}`);
    assert.equal(e.file, "stack.json");
    assert.equal(e.name, "StackExportError");
    return e.problems;
  }
  assert.fail("expected a StackExportError");
}

/** An export holding `resources` after a root stack. */
function exportOf(...resources: unknown[]): unknown {
  return {
    version: 3,
    deployment: {
      manifest: { time: "2025-01-01T00:00:00Z", magic: "", version: "v3.248.0" },
      resources: [{ urn: ROOT, custom: false, type: "pulumi:pulumi:Stack" }, ...resources],
    },
  };
}

const role = (extra: Record<string, unknown> = {}) => ({
  urn: `${URN}aws:iam/role:Role::r`,
  custom: true,
  type: "aws:iam/role:Role",
  ...extra,
});

describe("stack export: reading a real export", () => {
  let parsed: ParsedExport;
  const byUrn = (urn: string): ExportedResource => {
    const found = parsed.resources.find((r) => r.urn === urn);
    assert.ok(found, `no ${urn}`);
    return found;
  };
  before(() => {
    parsed = parseStackExport(fixtureText, FIXTURE);
  });

  it("takes project and stack from the root stack's urn", () => {
    assert.equal(parsed.project, "payments");
    assert.equal(parsed.stack, "prod");
  });

  it("leaves out the resource pending deletion and keeps the rest in order", () => {
    assert.deepEqual(
      parsed.resources.map((r) => [r.name, r.type]),
      [
        ["payments-prod", "pulumi:pulumi:Stack"],
        ["default_7_48_0", "pulumi:providers:aws"],
        ["audit-us-east-1", "pulumi:providers:aws"],
        ["audit", "payments:app:AuditAccess"],
        ["audit-reader", "aws:iam/role:Role"],
        ["statements", "aws:s3/bucket:Bucket"],
        ["readme", "aws:s3/bucketObject:BucketObject"],
      ],
    );
    assert.equal(byUrn(BUCKET).id, "payments-prod-statements");
  });

  it("places each resource in its provider's account and region", () => {
    assert.deepEqual(
      parsed.resources.map((r) => [r.name, r.account, r.region]),
      [
        // Its resources span two accounts: the stack's default provider says where it is.
        ["payments-prod", "444444444444", "eu-west-1"],
        ["default_7_48_0", "444444444444", "eu-west-1"],
        // assumeRoles[0].roleArn names the account the provider works in.
        ["audit-us-east-1", "999999999999", "us-east-1"],
        // A component is where all of its resources are.
        ["audit", "999999999999", "us-east-1"],
        ["audit-reader", "999999999999", "us-east-1"],
        ["statements", "444444444444", "eu-west-1"],
        ["readme", "444444444444", "eu-west-1"],
      ],
    );
  });

  it("names explicit providers only, as the engine records them", () => {
    assert.equal(
      byUrn(`${URN}payments:app:AuditAccess$aws:iam/role:Role::audit-reader`).providerUrn,
      AUDIT_PROVIDER,
    );
    assert.equal(byUrn(BUCKET).providerUrn, undefined);
    assert.equal(byUrn(ROOT).providerUrn, undefined);
  });

  it("decodes plaintext secrets, masks encrypted ones and records both paths", () => {
    const bucket = byUrn(BUCKET);
    assert.deepEqual(bucket.inputs, {
      __defaults: [],
      bucket: "payments-prod-statements",
      grants: [
        {
          __defaults: [],
          id: "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be",
          permissions: ["READ"],
          type: "CanonicalUser",
        },
      ],
      tags: { __defaults: [], "cost-center": SECRET_MASK, team: "payments" },
    });
    assert.equal(bucket.outputs["tagsAll"], SECRET_MASK);
    assert.deepEqual(bucket.secretPaths, ["grants[0].id", "tags.cost-center", "tagsAll"]);
    assert.equal(bucket.protect, true);
    assert.equal(bucket.retainOnDelete, true);
    assert.deepEqual(bucket.propertyDependencies, { bucket: [], grants: [], tags: [] });
  });

  it("keeps an asset as the engine holds it (signature, hash, text), and dependencies as written", () => {
    const object = byUrn(`${URN}aws:s3/bucketObject:BucketObject::readme`);
    assert.deepEqual(object.inputs["source"], {
      "4dabf18193072939515e22adb298388d": "c44067f5952c0a294b673a41bacd8c17",
      hash: "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae",
      text: "Monthly statements. Do not edit by hand.",
    });
    assert.deepEqual(object.dependencies, [BUCKET]);
    assert.deepEqual(object.propertyDependencies, { bucket: [BUCKET], key: [], source: [] });
    assert.equal(object.protect, false);
    assert.equal(object.retainOnDelete, false);
  });

  it("reads components and the root stack as non-custom with their parents", () => {
    const component = byUrn(`${URN}payments:app:AuditAccess::audit`);
    assert.equal(component.custom, false);
    assert.equal(component.parent, ROOT);
    assert.deepEqual(component.inputs, {});
    assert.deepEqual(byUrn(ROOT).outputs, { statementsBucket: "payments-prod-statements" });
    assert.equal(byUrn(ROOT).parent, undefined);
    assert.equal(byUrn(DEFAULT_PROVIDER).id, "0e6d5a1c-5d6a-4b3b-9a0e-2f2b7c1d9e41");
  });

  it("turns resource references into urns and keeps a name that contains '::'", () => {
    const parsedRef = parseStackExport(
      JSON.stringify(
        exportOf(
          role({
            urn: `${URN}aws:iam/role:Role::a::b`,
            inputs: {
              ref: {
                "4dabf18193072939515e22adb298388d": "5cf8f73096256a8f31e491e813e4eb8e",
                urn: BUCKET,
                id: "payments-prod-statements",
                packageVersion: "7.48.0",
              },
            },
          }),
        ),
      ),
      "x.json",
    );
    const r = parsedRef.resources[1]!;
    assert.equal(r.name, "a::b");
    assert.deepEqual(r.inputs, { ref: BUCKET });
    // No default provider, no explicit one: nothing says where it is.
    assert.equal(r.account, "unknown");
    assert.equal(r.region, "unknown");
  });

  it("reads an export with no resources (Pulumi omits the empty list)", () => {
    const empty = parseStackExport(
      JSON.stringify({ version: 3, deployment: { manifest: {} } }),
      "empty.json",
    );
    assert.deepEqual(empty, { project: "unknown", stack: "unknown", resources: [] });
  });
});

describe("stack export: malformed files", () => {
  it("not JSON", () => {
    const problems = problemsOf(undefined, "{ version: 3");
    assert.equal(problems.length, 1);
    assert.match(
      problems[0]!,
      /^\(top level\): not valid JSON \(.+\); use the file `pulumi stack export --file FILE` writes$/,
    );
  });

  it("not an object", () => {
    assert.deepEqual(problemsOf([1, 2]), [
      '(top level): must be a JSON object {"version": 3, "deployment": {...}}, not an array; use the file `pulumi stack export --file FILE` writes',
    ]);
  });

  it("wrong version, with the versions supported", () => {
    const doc = exportOf() as { version: unknown };
    doc.version = 2;
    assert.deepEqual(problemsOf(doc), [
      "version: 2 is not supported; only deployment version 3 is (what current Pulumi CLIs write): export the stack again with `pulumi stack export --file FILE`",
    ]);
  });

  it("no version and no deployment", () => {
    assert.deepEqual(problemsOf({}), [
      'version: missing; a stack export reads {"version": 3, "deployment": {...}}: use the file `pulumi stack export --file FILE` writes',
      "deployment: missing; the resources live under deployment.resources: use the file `pulumi stack export --file FILE` writes",
    ]);
  });

  it("a backend checkpoint file instead of an export", () => {
    assert.deepEqual(problemsOf({ version: 3, checkpoint: { stack: "prod", latest: {} } }), [
      'deployment: missing; this looks like a backend checkpoint file (it has "checkpoint"), not an export: run `pulumi stack export --file FILE`',
    ]);
  });

  it("the inner deployment object without its wrapper", () => {
    assert.deepEqual(problemsOf({ manifest: {}, resources: [] }), [
      'version: missing; a stack export reads {"version": 3, "deployment": {...}}: use the file `pulumi stack export --file FILE` writes',
      'deployment: missing; this looks like the inner deployment object: wrap it as {"version": 3, "deployment": {...}}',
    ]);
  });

  it("deployment not an object", () => {
    assert.deepEqual(problemsOf({ version: 3, deployment: "x" }), [
      'deployment: must be an object with "manifest" and "resources", not a string',
    ]);
  });

  it("resources not an array", () => {
    assert.deepEqual(problemsOf({ version: 3, deployment: { resources: { a: 1 } } }), [
      "deployment.resources: must be an array of resources, not an object",
    ]);
  });

  it("a resource missing urn and type, and one that is not an object", () => {
    assert.deepEqual(problemsOf(exportOf({ custom: true }, 7)), [
      "deployment.resources[1].urn: missing; every resource needs a urn",
      "deployment.resources[1].type: missing; every resource needs a type token such as aws:s3/bucket:Bucket",
      "deployment.resources[2]: must be an object (a resource), not a number",
    ]);
  });

  it("a urn that is not a Pulumi URN", () => {
    assert.deepEqual(problemsOf(exportOf(role({ urn: "arn:aws:iam::1:role/r" }))), [
      'deployment.resources[1].urn: "arn:aws:iam::1:role/r" is not a Pulumi URN; a urn reads urn:pulumi:<stack>::<project>::<type>::<name>',
    ]);
  });

  it("bad dependency types", () => {
    assert.deepEqual(
      problemsOf(
        exportOf(
          role({ dependencies: "urn:pulumi:prod::payments::x::y" }),
          role({ urn: `${URN}aws:iam/role:Role::r2`, dependencies: [ROOT, 42] }),
          role({
            urn: `${URN}aws:iam/role:Role::r3`,
            propertyDependencies: { name: [ROOT, null], tags: "x" },
          }),
          role({ urn: `${URN}aws:iam/role:Role::r4`, propertyDependencies: [] }),
        ),
      ),
      [
        "deployment.resources[1].dependencies: must be an array of URN strings, not a string",
        "deployment.resources[2].dependencies[1]: must be a URN string, not a number",
        "deployment.resources[3].propertyDependencies.name[1]: must be a URN string, not null",
        "deployment.resources[3].propertyDependencies.tags: must be an array of URN strings, not a string",
        "deployment.resources[4].propertyDependencies: must be an object mapping input names to arrays of URNs, not an array",
      ],
    );
  });

  it("bad provider references, flags, ids, parents and property bags", () => {
    assert.deepEqual(
      problemsOf(
        exportOf(
          role({
            provider: "default",
            protect: "yes",
            id: 5,
            parent: {},
            inputs: [],
          }),
          role({ urn: `${URN}aws:iam/role:Role::r2`, provider: `${ROOT}::id`, outputs: "x" }),
        ),
      ),
      [
        "deployment.resources[1].protect: must be true or false, not a string",
        "deployment.resources[1].id: must be a string, not a number",
        "deployment.resources[1].parent: must be the parent's URN string, not an object",
        'deployment.resources[1].provider: "default" is not a provider reference; it must read "<provider urn>::<provider id>" with a pulumi:providers:<package> urn',
        "deployment.resources[1].inputs: must be an object of properties, not an array",
        `deployment.resources[2].provider: "${ROOT}::id" is not a provider reference; it must read "<provider urn>::<provider id>" with a pulumi:providers:<package> urn`,
        "deployment.resources[2].outputs: must be an object of properties, not a string",
      ],
    );
  });

  it("a secret whose plaintext is not JSON", () => {
    assert.deepEqual(
      problemsOf(
        exportOf(role({ inputs: { tags: { k: { ...SECRET_SIG, plaintext: "hunter2" } } } })),
      ),
      [
        "deployment.resources[1].inputs.tags.k: a secret's plaintext must be a JSON-encoded string (as `pulumi stack export --show-secrets` writes it), not a string of 7 characters (not shown: it is a secret); export the stack again",
      ],
    );
  });

  it("two live resources with one urn", () => {
    assert.deepEqual(problemsOf(exportOf(role(), role())), [
      'deployment.resources[2].urn: the same urn as deployment.resources[1]; a stack holds one live resource per urn (only a copy with "delete": true may share it)',
    ]);
  });

  it("collects problems from every level before throwing once", () => {
    const doc = exportOf({ type: "x" }, role({ dependencies: [1] })) as {
      version: unknown;
      deployment: Record<string, unknown>;
    };
    doc.version = "3";
    doc.deployment["pending_operations"] = {};
    const problems = problemsOf(doc);
    assert.deepEqual(problems, [
      'version: "3" is not supported; only deployment version 3 is (what current Pulumi CLIs write): export the stack again with `pulumi stack export --file FILE`',
      "deployment.pending_operations: must be an array of operations, not an object",
      "deployment.resources[1].urn: missing; every resource needs a urn",
      "deployment.resources[2].dependencies[0]: must be a URN string, not a number",
    ]);
    try {
      parseStackExport(JSON.stringify(doc), "stack.json");
    } catch (e) {
      assert.equal(
        (e as Error).message,
        `stack.json: 4 problem(s):\n${problems.map((p) => `  - ${p}`).join("\n")}`,
      );
    }
  });
});

/** What must survive a round trip through an export, per resource. */
function comparable(r: ReportResource | ExportedResource) {
  const provider = "providerUrn" in r ? r.providerUrn : (r as ReportResource).provider;
  return {
    urn: r.urn,
    type: r.type,
    name: r.name,
    custom: r.custom,
    parent: r.parent,
    inputs: maskValue(r.inputs, r.secretPaths),
    outputs: maskValue(r.outputs, r.secretPaths),
    provider,
    account: r.account,
    region: r.region,
    dependencies: r.dependencies,
    propertyDependencies: r.propertyDependencies,
    protect: r.protect,
    retainOnDelete: r.retainOnDelete,
  };
}

/** A report resource of the payments stack in 444444444444 / eu-west-1. */
function reported(r: Partial<ReportResource> & { urn: string; type: string }): ReportResource {
  return {
    name: r.urn.split("::").slice(3).join("::"),
    custom: true,
    parent: ROOT,
    inputs: {},
    outputs: {},
    account: "444444444444",
    region: "eu-west-1",
    dependencies: [],
    propertyDependencies: {},
    secretPaths: [],
    protect: false,
    retainOnDelete: false,
    ...r,
  };
}

function rootResource(extra: Partial<ReportResource> = {}): ReportResource {
  const { parent: _parent, ...root } = reported({
    urn: ROOT,
    type: "pulumi:pulumi:Stack",
    custom: false,
    ...extra,
  });
  return root;
}

/** Parses the written export and drops the default providers the writer added. */
function roundTrip(stack: { project: string; stack: string; resources: ReportResource[] }) {
  const written = toStackExport(stack, { time: new Date("2025-01-01T00:00:00Z") });
  const parsed = parseStackExport(JSON.stringify(written), "plan.json");
  const known = new Set(stack.resources.map((r) => r.urn));
  const added = parsed.resources.filter((r) => !known.has(r.urn));
  for (const r of added) assert.ok(isDefaultProviderUrn(r.urn), `unexpected ${r.urn}`);
  return { written, parsed, back: parsed.resources.filter((r) => known.has(r.urn)), added };
}

describe("stack export: round trip of the example organization", () => {
  for (const preview of [false, true])
    for (const name of EXAMPLE_STACKS)
      it(`${name} (${preview ? "preview" : "update"})`, async () => {
        const run = await runStackOk(name, { preview });
        const resources = run.resources.map(reportResource);
        const { written, parsed, back, added } = roundTrip({
          project: run.project,
          stack: run.stack,
          resources,
        });
        assert.equal(parsed.project, run.project);
        assert.equal(parsed.stack, run.stack);
        assert.deepEqual(back.map(comparable), resources.map(comparable));
        // Every custom resource names its provider: the writer adds no default provider.
        assert.deepEqual(added, []);
        for (const [i, r] of resources.entries()) {
          if (!preview) assert.equal(back[i]!.id, r.id, r.urn);
          else if (r.type.startsWith("pulumi:providers:"))
            assert.equal(back[i]!.id, placeholderProviderId(r.urn));
          else assert.equal(back[i]!.id, undefined);
        }
        // Provider references point at a provider resource of the export, by its id.
        const ids = new Map(written.deployment.resources.map((r) => [r.urn, r.id]));
        for (const r of written.deployment.resources) {
          if (!r.provider) continue;
          const at = r.provider.lastIndexOf("::");
          assert.equal(ids.get(r.provider.slice(0, at)), r.provider.slice(at + 2), r.urn);
        }
        assert.match(written.deployment.manifest.magic, /^[0-9a-f]{64}$/);
      });

  it("secrets become plaintext secrets and come back masked at the same paths", () => {
    const resources = [
      rootResource(),
      reported({
        urn: BUCKET,
        type: "aws:s3/bucket:Bucket",
        inputs: { bucket: "b", tags: { token: SECRET_MASK }, grants: [{ id: SECRET_MASK }] },
        outputs: { bucket: "b", tags: { token: SECRET_MASK }, grants: [{ id: SECRET_MASK }] },
        id: "b",
        propertyDependencies: { bucket: [] },
        secretPaths: ["tags.token", "grants[0].id"],
        protect: true,
      }),
    ];
    const { written, back } = roundTrip({ project: "payments", stack: "prod", resources });
    const bucket = written.deployment.resources.find((r) => r.urn === BUCKET)!;
    assert.deepEqual(bucket.inputs!["tags"], { token: { ...SECRET_SIG, plaintext: '"[secret]"' } });
    assert.deepEqual(bucket.inputs!["grants"], [
      { id: { ...SECRET_SIG, plaintext: '"[secret]"' } },
    ]);
    assert.deepEqual(back.map(comparable), resources.map(comparable));
    assert.deepEqual(back[1]!.secretPaths, ["tags.token", "grants[0].id"]);
  });

  it("a resource on the default provider gets one, with the stack's account and region", () => {
    const resources = [
      rootResource(),
      reported({ urn: BUCKET, type: "aws:s3/bucket:Bucket", id: "b" }),
    ];
    const { written, back, added } = roundTrip({ project: "payments", stack: "prod", resources });
    const id = placeholderProviderId(DEFAULT_PROVIDER);
    assert.deepEqual(written.deployment.resources[1], {
      urn: DEFAULT_PROVIDER,
      custom: true,
      id,
      type: "pulumi:providers:aws",
      inputs: { allowedAccountIds: '["444444444444"]', region: "eu-west-1", version: "7.48.0" },
      outputs: { allowedAccountIds: '["444444444444"]', region: "eu-west-1", version: "7.48.0" },
      created: "2025-01-01T00:00:00.000Z",
      modified: "2025-01-01T00:00:00.000Z",
    });
    assert.equal(written.deployment.resources[2]!.provider, `${DEFAULT_PROVIDER}::${id}`);
    assert.deepEqual(
      added.map((r) => [r.urn, r.account, r.region]),
      [[DEFAULT_PROVIDER, "444444444444", "eu-west-1"]],
    );
    assert.deepEqual(back.map(comparable), resources.map(comparable));
    assert.equal(back[1]!.providerUrn, undefined);
  });

  it("writes the default AWS provider when the stack's home cannot be read from its resources", () => {
    const eu = `${URN}pulumi:providers:aws::eu`;
    const provider = (urn: string, region: string) =>
      reported({
        urn,
        type: "pulumi:providers:aws",
        inputs: { region, allowedAccountIds: '["444444444444"]' },
        outputs: { region, allowedAccountIds: '["444444444444"]' },
        region,
      });
    const onEu = (name: string) =>
      reported({
        urn: `${URN}aws:sns/topic:Topic::${name}`,
        type: "aws:sns/topic:Topic",
        provider: eu,
        region: "us-west-2",
      });
    // The stack's config says eu-west-1, but most of its resources are in us-west-2.
    const resources = [rootResource(), provider(eu, "us-west-2"), onEu("a"), onEu("b")];
    const { back, added } = roundTrip({ project: "payments", stack: "prod", resources });
    assert.deepEqual(
      added.map((r) => r.urn),
      [DEFAULT_PROVIDER],
    );
    assert.deepEqual(back.map(comparable), resources.map(comparable));
    // Where most resources agree with the stack, nothing is added.
    const home = [rootResource({ region: "us-west-2" }), ...resources.slice(1)];
    assert.deepEqual(roundTrip({ project: "payments", stack: "prod", resources: home }).added, []);
  });
});

describe("stack export: arbitrary input", () => {
  const onlyExportErrors = (text: string) => {
    try {
      parseStackExport(text, "fuzz.json");
    } catch (e) {
      if (!(e instanceof StackExportError)) throw e;
    }
  };

  it("random JSON never throws anything but StackExportError", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => onlyExportErrors(JSON.stringify(v))),
      { numRuns: 400 },
    );
  });

  it("random text never throws anything but StackExportError", () => {
    fc.assert(fc.property(fc.string(), onlyExportErrors), { numRuns: 300 });
  });

  it("exports with random resources never throw anything but StackExportError", () => {
    const sig = fc.constantFrom(
      "1b47061264138c4ac30d75fd1eb44270",
      "c44067f5952c0a294b673a41bacd8c17",
      "5cf8f73096256a8f31e491e813e4eb8e",
    );
    const special = fc.record(
      {
        "4dabf18193072939515e22adb298388d": sig,
        plaintext: fc.oneof(
          fc.string(),
          fc.jsonValue().map((v) => JSON.stringify(v)),
        ),
        ciphertext: fc.string(),
        urn: fc.string(),
      },
      { requiredKeys: ["4dabf18193072939515e22adb298388d"] },
    );
    const urn = fc.oneof(
      fc.constantFrom(ROOT, BUCKET, DEFAULT_PROVIDER, AUDIT_PROVIDER),
      fc.string().map((s) => `${URN}x:y:Z::${s}`),
      fc.string(),
    );
    const value = fc.oneof(fc.jsonValue(), special, fc.dictionary(fc.string(), special));
    const resource = fc.record(
      {
        urn,
        type: fc.oneof(
          fc.constantFrom("pulumi:providers:aws", "aws:s3/bucket:Bucket"),
          fc.jsonValue(),
        ),
        custom: fc.oneof(fc.boolean(), fc.jsonValue()),
        delete: fc.boolean(),
        id: fc.oneof(fc.string(), fc.jsonValue()),
        parent: fc.oneof(urn, fc.jsonValue()),
        provider: fc.oneof(
          fc.tuple(urn, fc.string()).map(([u, id]) => `${u}::${id}`),
          fc.jsonValue(),
        ),
        inputs: fc.oneof(fc.dictionary(fc.string(), value), fc.jsonValue()),
        outputs: fc.oneof(fc.dictionary(fc.string(), value), fc.jsonValue()),
        dependencies: fc.oneof(fc.array(urn), fc.jsonValue()),
        propertyDependencies: fc.oneof(fc.dictionary(fc.string(), fc.array(urn)), fc.jsonValue()),
        protect: fc.oneof(fc.boolean(), fc.jsonValue()),
        retainOnDelete: fc.boolean(),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(
        fc.oneof(fc.constant(3), fc.jsonValue()),
        fc.oneof(fc.array(resource, { maxLength: 8 }), fc.jsonValue()),
        (version, resources) =>
          onlyExportErrors(JSON.stringify({ version, deployment: { resources } })),
      ),
      { numRuns: 400 },
    );
  });
});
