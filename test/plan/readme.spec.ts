// The README is part of the product: its quick start is the two commands CI relies on, and its
// Mermaid diagram is the one the plan draws for the example organization today.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { mermaidDiagram } from "../../plan/report/diagram";
import { EXAMPLE_STACKS, PROJECT_DIR, runStackOk } from "../helpers";

const readme = fs.readFileSync(path.join(PROJECT_DIR, "README.md"), "utf8");

function section(title: string): string {
  const start = readme.indexOf(`## ${title}\n`);
  assert.ok(start >= 0, `README has a "${title}" section`);
  const next = readme.indexOf("\n## ", start + 1);
  return readme.slice(start, next < 0 ? undefined : next);
}

describe("README", function () {
  this.timeout(60_000);

  it("quick start is exactly: install and plan, then test", () => {
    const blocks = [...section("Quick start").matchAll(/```bash\n([\s\S]*?)```/g)];
    assert.equal(blocks.length, 1);
    assert.deepEqual(blocks[0]![1]!.trim().split("\n"), ["npm ci && npm run plan", "npm test"]);
    const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "package.json"), "utf8")) as {
      scripts: Record<string, string>;
    };
    assert.ok(pkg.scripts["plan"], "npm run plan exists");
    const ci = fs.readFileSync(path.join(PROJECT_DIR, ".ci", "run"), "utf8");
    assert.match(ci, /npm ci\b/);
    assert.match(ci, /\bnpm test\b/, "CI runs the README's test command");
  });

  it("embeds the current diagram of the example organization", async () => {
    const runs = [];
    // In the order the plan runs them: the organization's stacks (model/stacks.ts).
    for (const stack of EXAMPLE_STACKS) runs.push(await runStackOk(stack, { preview: true }));
    const expected = mermaidDiagram(runs.map((r) => ({ stack: r.stack, resources: r.resources })));
    const match =
      /<!-- plan-diagram:begin[^>]*-->\s*```mermaid\n([\s\S]*?)```\s*<!-- plan-diagram:end -->/.exec(
        readme,
      );
    assert.ok(match, "README has the generated diagram block");
    assert.equal(
      match[1]!.trimEnd(),
      expected.trimEnd(),
      "the README diagram is stale: run `npm run plan -- --diagram d.mmd` and paste d.mmd",
    );
  });
});
