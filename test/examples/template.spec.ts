// The `pulumi new` template stays the example: every file the same but for the placeholders, and
// a Pulumi.yaml with the template section and prompts `pulumi new` reads.
import * as assert from "node:assert/strict";
import { parse } from "yaml";
import { templateFiles, writtenFiles } from "./template";

describe("pulumi new template of the example", () => {
  it("is up to date with examples/orders-api (npm run template:example rewrites it)", () => {
    const expected = templateFiles();
    const written = writtenFiles();
    assert.deepEqual([...written.keys()].sort(), [...expected.keys()].sort());
    for (const [rel, text] of expected) assert.equal(written.get(rel), text, `${rel} is stale`);
  });

  it("names the project and description with pulumi new's placeholders and prompts for config", () => {
    const files = templateFiles();
    const project = parse(files.get("Pulumi.yaml") ?? "") as Record<string, unknown>;
    assert.equal(project.name, "${PROJECT}");
    assert.equal(project.description, "${DESCRIPTION}");
    assert.equal(project.main, "infra/");
    const template = project.template as { config: Record<string, { description: string }> };
    assert.deepEqual(Object.keys(template.config), ["aws:region", "platformPrefix", "alarmEmail"]);
    for (const c of Object.values(template.config)) assert.ok(c.description.length > 0);
    const pkg = JSON.parse(files.get("package.json") ?? "{}") as Record<string, string>;
    assert.deepEqual([pkg.name, pkg.description], ["${PROJECT}", "${DESCRIPTION}"]);
  });

  it("holds the program, the handler, the tests and the smoke test", () => {
    const files = [...templateFiles().keys()];
    for (const f of ["infra/index.ts", "src/handler.ts", "scripts/smoke.ts", "test/infra.spec.ts"])
      assert.ok(files.includes(f), f);
    assert.ok(!files.some((f) => f.startsWith("node_modules/") || f.startsWith("dist/")));
  });
});
