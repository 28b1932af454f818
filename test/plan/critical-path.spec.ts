// The critical path the plan prints and reports: minutes from a change's source to the end of the
// last stage that deploys, from the pipeline as recorded (runOrders run in sequence, actions of one
// runOrder in parallel), with stated assumptions per kind of action; approvals excluded.
import { strict as assert } from "assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import Ajv from "ajv";
import { Organization } from "../../model/config/schema";
import type { Report } from "../../plan/report";
import {
  criticalPath,
  DEFAULT_ASSUMPTIONS,
  parseAssumptions,
  pipelineSummaries,
} from "../../plan/report/views";
import { exampleRun, PROJECT_DIR, runCli, runStackOk, type StackRun } from "../helpers";

const summaries = (run: StackRun) =>
  pipelineSummaries(run.resources as unknown as Parameters<typeof pipelineSummaries>[0]);
const pathOf = (run: StackRun, pipeline: string, assumptions = DEFAULT_ASSUMPTIONS) => {
  const found = criticalPath(
    summaries(run).find((p) => p.name === pipeline)!,
    assumptions,
  );
  assert.ok(found, `${pipeline} deploys, so it has a critical path`);
  return found;
};

/** Prod with `count` accounts in one region, and the given waves. */
const prodOf = (count: number, waves?: unknown) => (o: Organization) => {
  const prod = o.environments.find((e) => e.name === "prod")! as unknown as Record<string, unknown>;
  prod["accounts"] = Array.from({ length: count }, (_, i) => ({
    id: String(600000000000 + i),
    name: `p${i}`,
    regions: ["us-east-1"],
  }));
  if (waves !== undefined) prod["waves"] = waves;
};

describe("critical path", () => {
  it("sums each stage's runOrders up to the last deployment, the longest action of a runOrder counting", async () => {
    const run = await exampleRun("tools");
    // Source 1, Build 10 (the checks run beside it), dev: deploy 8 (the smoke test runs in the
    // deploy build; a Pulumi application has no test stage), staging: the same, the approval
    // stage's alarm check 1 (the approval itself is excluded), prod in the default waves (one
    // account, then the other), each: check 1, deploy 8, bake 30. billing-worker (CloudFormation)
    // still tests 5 after each environment.
    const orders = pathOf(run, "acme-orders-api");
    assert.equal(orders.minutes, 1 + 10 + 8 * 2 + 1 + 2 * (1 + 8 + 30));
    assert.equal(orders.deployStages, 4);
    assert.equal(orders.waves, 4);
    // A pipeline without a deploying stage has no critical path (and prints none).
    const p = summaries(run).find((s) => s.name === "acme-orders-api")!;
    assert.equal(
      criticalPath({ ...p, stages: p.stages.filter((s) => s.deploysTo.length === 0) }),
      undefined,
    );
    // CloudFormation runs two actions in a row per target: create the change set, execute it.
    assert.equal(
      pathOf(run, "acme-billing-worker").minutes,
      1 + 10 + (16 + 5) * 2 + 1 + 2 * (1 + 16 + 30),
    );
  });

  it("the assumptions change the estimate as stated", async () => {
    const run = await exampleRun("tools");
    const slow = { ...DEFAULT_ASSUMPTIONS, build: 20, deploy: 10 };
    assert.equal(
      pathOf(run, "acme-orders-api", slow).minutes,
      1 + 20 + 10 * 2 + 1 + 2 * (1 + 10 + 30),
    );
    assert.deepEqual(parseAssumptions("build=20, deploy=10"), slow);
    assert.match(String(parseAssumptions("compile=3")), /keys source, build, deploy, test, gate/);
    assert.match(String(parseAssumptions("bake=3")), /keys source/);
    assert.match(String(parseAssumptions("build=2000")), /at most 1440 minutes/);
  });

  it("each progressive wave adds its own gate, deploy and bake: 12 prod accounts in waves of 1, 2 and 9", async () => {
    const oneWave = await runStackOk("tools", { editOrganization: prodOf(12, ["rest"]) });
    const waves = await runStackOk("tools", { editOrganization: prodOf(12) });
    const before = pathOf(oneWave, "acme-orders-api");
    const after = pathOf(waves, "acme-orders-api");
    assert.equal(after.deployStages - before.deployStages, 2);
    assert.equal(after.waves - before.waves, 2);
    assert.equal(after.minutes - before.minutes, 2 * (1 + 8 + 30));
  });

  it("the parts of a large wave deploy one after another but bake once: 1,000 prod accounts in 3 waves", async () => {
    // A CloudFormation target takes two actions: 1,000 of them need more than 50 stages, so only
    // the Pulumi applications take part here (waves.spec.ts shows the refusal).
    const run = await runStackOk("tools", {
      editOrganization: (o) => {
        prodOf(1000)(o);
        o.applications = o.applications.filter((a) => a.deploy.mechanism === "pulumi");
      },
    });
    const orders = pathOf(run, "acme-orders-api");
    // 1, 100 (3 parts) and 899 (19 parts) targets: 23 deploy stages for prod, 3 waves of it.
    assert.equal(orders.deployStages, 2 + 23);
    assert.equal(orders.waves, 2 + 3);
    // Every prod part: check 1, deploy 8, then a bake of 30 (a wave's last part) or a check 1.
    assert.equal(orders.minutes, 1 + 10 + 8 * 2 + 1 + 23 * (1 + 8) + 3 * 30 + (23 - 3) * 1);
  });

  it("plan prints it under each pipeline, and the JSON report carries it in the schema", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cicd-critical-"));
    const file = path.join(dir, "report.json");
    const run = await runCli(["plan", "--stack", "tools", "--assume", "build=20", "--json", file]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(
      run.stdout,
      /critical path: 7 stages, 4 of them deploy in 4 waves; about 1 h 56 min from source/,
    );
    const schema = JSON.parse(
      fs.readFileSync(path.join(PROJECT_DIR, "docs", "plan-report.schema.json"), "utf8"),
    ) as object;
    const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);
    const report = JSON.parse(fs.readFileSync(file, "utf8")) as Report;
    assert.ok(validate(report), JSON.stringify(validate.errors));
    const orders = report.stacks[0]!.pipelines!.find((p) => p.pipeline === "acme-orders-api")!;
    assert.equal(orders.minutes, 116);
    assert.equal(orders.waves, 4);
    assert.equal(orders.assumptions.build, 20);
  });

  it("a bad --assume is a usage error naming the keys", async () => {
    const run = await runCli(["plan", "--stack", "tools", "--assume", "lunch=60"]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--assume takes key=minutes pairs/);
  });
});
