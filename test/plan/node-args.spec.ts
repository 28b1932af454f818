// `plan` evaluates the program under Pulumi.yaml's runtime.options.nodeargs, as the Node.js
// language host starts it (the project file reference; pulumi/pulumi#8655): a large tools stack
// sets its heap there, and the plan must not fail where `pulumi preview` would not.
import { strict as assert } from "assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PROJECT_DIR } from "../helpers";

const BIN = path.join(PROJECT_DIR, "bin", "cicd-plan.js");

function project(pulumiYaml: string): { dir: string; marker: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cicd-nodeargs-"));
  const marker = path.join(dir, "marker.json");
  fs.writeFileSync(
    path.join(dir, "record.js"),
    `require("fs").writeFileSync(${JSON.stringify(marker)}, JSON.stringify({ execArgv: process.execArgv, heap: require("v8").getHeapStatistics().heap_size_limit }));\n`,
  );
  fs.writeFileSync(
    path.join(dir, "Pulumi.yaml"),
    pulumiYaml.replace("RECORD", path.join(dir, "record.js")),
  );
  fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), "config: {}\n");
  return { dir, marker };
}

const plan = (dir: string) =>
  spawnSync(process.execPath, [BIN, "plan", "--stack", "no-such-stack"], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", CICD_PLAN_NODEARGS: "" },
  });

describe("plan runs under the project's runtime.options.nodeargs", () => {
  it("starts node with the nodeargs of Pulumi.yaml, once, and keeps the exit code", () => {
    const { dir, marker } = project(
      "name: p\nruntime:\n  name: nodejs\n  options:\n    nodeargs: --max-old-space-size=6144 --require RECORD\n",
    );
    const run = plan(dir);
    assert.equal(run.status, 2, run.stderr); // the unknown stack is a usage error
    assert.match(run.stderr, /no such stack: no-such-stack/);
    const seen = JSON.parse(fs.readFileSync(marker, "utf8")) as {
      execArgv: string[];
      heap: number;
    };
    assert.deepEqual(seen.execArgv.slice(0, 1), ["--max-old-space-size=6144"]);
    assert.ok(seen.heap > 6_000 * 2 ** 20, `heap limit ${seen.heap}`);
    // One message from the one child: the parent does not evaluate again.
    assert.equal(run.stderr.match(/no such stack/g)?.length, 1);
  });

  it("without nodeargs the plan runs in the process it was started in", () => {
    const { dir, marker } = project("name: p\nruntime: nodejs\n# RECORD is not loaded\n");
    const run = plan(dir);
    assert.equal(run.status, 2, run.stderr);
    assert.equal(fs.existsSync(marker), false);
  });
});
