// Conformance: the plan's engine records what the real protocol carries. Each stack runs twice:
// in-process through the plan's engine, and through `@pulumi/pulumi/cmd/run` (what
// pulumi-language-nodejs runs) against a gRPC ResourceMonitor/Engine that does what the real
// engine does. `npm test` runs the dev stack in preview; `npm run test:conformance` runs all five
// stacks in preview and in update mode.
import * as assert from "node:assert/strict";
import { EXAMPLE_STACKS, PROJECT_DIR, runStackOk } from "../helpers";
import { compareStack, type Comparison } from "./compare";

const ALL = process.env["CONFORMANCE"] === "all";
const RUNS = ALL
  ? EXAMPLE_STACKS.flatMap((stack) => [
      { stack, preview: true },
      { stack, preview: false },
    ])
  : [{ stack: "dev", preview: true }];

for (const { stack, preview } of RUNS) {
  describe(`conformance with the protocol: ${stack} (${preview ? "preview" : "update"})`, function () {
    this.timeout(120_000);
    let c: Comparison;
    before(async () => {
      const plan = await runStackOk(stack, { preview });
      c = await compareStack(PROJECT_DIR, plan);
      if (process.env["CONFORMANCE_VERBOSE"])
        console.log(
          `    ${stack} ${preview ? "preview" : "update"}: ${c.compared} registrations compared ` +
            `(${c.providers} providers, ${c.assets} with assets), cmd/run ${c.protocol.ms} ms`,
        );
    });

    it("the program runs to completion through cmd/run against the engine", () => {
      assert.equal(c.protocol.exitCode, 0, c.protocol.errors.join("\n") + c.protocol.stderr);
      assert.ok(c.compared > 1, "registrations were compared");
    });

    it("the engine elides the root stack type from child URNs (pulumi/pulumi#653): every URN the plan records is the one the engine registers, parents included", () => {
      const urnDiffs = c.differences.filter((d) => /URN|parent:/.test(d));
      assert.deepEqual(urnDiffs, []);
      assert.ok(c.sent.every((r) => !r.urn.includes("pulumi:pulumi:Stack$")));
    });

    it("every registration matches the plan's: type, name, parent, provider, inputs with secrets at the same paths, dependencies, protect and retainOnDelete", () => {
      assert.deepEqual(c.differences, []);
    });

    it("explicit providers carry the engine's plugin version and __internal in their inputs", () => {
      const providers = c.sent.filter((r) => r.type.startsWith("pulumi:providers:"));
      assert.ok(providers.length > 0);
      for (const p of providers) {
        assert.match(String(p.inputs["version"]), /^\d+\.\d+\.\d+/);
        assert.deepEqual(p.inputs["__internal"], {});
      }
    });
  });
}
