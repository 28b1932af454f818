// Progressive waves: an environment's `waves` ([1, "10%", "rest"]) deploy its targets in turn,
// each wave its own deploy stages, every stage gated before its deploys and baked after them,
// and a wave larger than a stage's 50 actions split evenly over consecutive stages.
import { strict as assert } from "assert";
import { exampleOrganization } from "../helpers";
import { ConfigError, validateOrganization } from "../../model/config";
import { Organization } from "../../model/config/schema";
import {
  DEFAULT_PRODUCTION_WAVES,
  environmentWaves,
  evenChunks,
  MAX_ACTIONS_PER_STAGE,
  MAX_STAGES_PER_PIPELINE,
  modelProblems,
  pipelineModel,
  type PipelineModel,
  progressiveWaves,
  type WaveSpec,
} from "../../model/pipeline";

/** The deploy stages of the waves: every part of every wave, in order. */
const deployWaves = (targets: number[], waves: readonly WaveSpec[] | undefined, capacity: number) =>
  progressiveWaves(targets, waves, capacity).flat();
const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const sizes = (waves: unknown[][]) => waves.map((w) => w.length);
const PROGRESSIVE = [1, "10%", "rest"];

/** The example with prod holding `count` accounts (one region each) and the given waves. */
function prodOf(count: number, waves?: unknown): Organization {
  const o = exampleOrganization() as unknown as {
    environments: { name: string; accounts: unknown[]; waves?: unknown }[];
  };
  const prod = o.environments.find((e) => e.name === "prod")!;
  prod.accounts = range(count).map((i) => ({
    id: String(600000000000 + i),
    name: `p${i}`,
    regions: ["us-east-1"],
  }));
  if (waves !== undefined) prod.waves = waves;
  return validateOrganization(o);
}
const ordersApi = (o: Organization): PipelineModel =>
  pipelineModel(
    o,
    o.applications.find((a) => a.name === "orders-api")!,
  );
const prodDeploys = (m: PipelineModel) =>
  m.stages.filter((s) => s.kind === "deploy" && s.environment === "prod");

describe("progressive waves", () => {
  it('[1, "10%", "rest"] of 12 targets makes 3 waves of 1, 2 and 9 (a percentage rounds up)', () => {
    assert.deepEqual(sizes(deployWaves(range(12), PROGRESSIVE, 48)), [1, 2, 9]);
  });

  it("a wave larger than a stage holds is split evenly over consecutive stages", () => {
    assert.deepEqual(sizes(deployWaves(range(100), PROGRESSIVE, 48)), [1, 10, 45, 44]);
    assert.deepEqual(sizes(evenChunks(range(100), 48)), [34, 33, 33]);
    const big = sizes(deployWaves(range(1000), PROGRESSIVE, 48));
    assert.equal(
      big.reduce((a, b) => a + b, 0),
      1000,
    );
    assert.ok(big.every((n) => n <= 48));
    assert.equal(big.length, 1 + 3 + 19);
  });

  it("targets the waves leave over deploy in a last wave; waves past the last target are left out", () => {
    assert.deepEqual(sizes(deployWaves(range(10), [2, "20%"], 48)), [2, 2, 6]);
    assert.deepEqual(sizes(deployWaves(range(2), PROGRESSIVE, 48)), [1, 1]);
    // Without waves: every target at once, split evenly over parts of the stage's capacity.
    assert.deepEqual(sizes(deployWaves(range(100), undefined, 48)), [34, 33, 33]);
  });

  it('production deploys in [1, "10%", "rest"] unless its config says otherwise; other environments deploy at once', () => {
    assert.deepEqual(DEFAULT_PRODUCTION_WAVES, PROGRESSIVE);
    const o = prodOf(12);
    const prod = o.environments.find((e) => e.name === "prod")!;
    assert.equal(prod.waves, undefined, "the default is the model's, not written into the config");
    assert.deepEqual(environmentWaves(prod), PROGRESSIVE);
    for (const env of o.environments.filter((e) => e.name !== "prod"))
      assert.equal(environmentWaves(env), undefined, env.name);
    // A production environment named otherwise gets them too; its own waves win.
    assert.deepEqual(environmentWaves({ ...prod, name: "live", production: true }), PROGRESSIVE);
    assert.deepEqual(environmentWaves({ ...prod, waves: [5, "rest"] }), [5, "rest"]);
    assert.deepEqual(
      prodDeploys(ordersApi(prodOf(12, ["rest"]))).map((s) => s.name),
      ["Deploy-prod"],
    );
  });

  it("a 12-account prod with the default waves deploys in 3 stages of 1, 2 and 9, each checking the alarms before its deploys and baking after", () => {
    const waves = prodDeploys(ordersApi(prodOf(12)));
    assert.deepEqual(
      waves.map((s) => s.name),
      ["Deploy-prod-wave1", "Deploy-prod-wave2", "Deploy-prod-wave3"],
    );
    assert.deepEqual(
      waves.map((s) => s.actions.filter((a) => a.kind === "deploy").length),
      [1, 2, 9],
    );
    let deployed = 0;
    for (const s of waves) {
      const entry = s.actions.find((a) => a.gate?.phase === "entry")!;
      const deploys = s.actions.filter((a) => a.kind === "deploy");
      const bake = s.actions.filter((a) => a.gate?.phase === "bake");
      // The entry check runs first and reads every prod target; the deploys wait for it.
      assert.equal(entry.runOrder, 1);
      assert.equal(entry.gate!.targets.length, 12);
      assert.ok(deploys.every((d) => d.runOrder > entry.runOrder));
      // The bake runs after the deploys and watches every target deployed so far, for 30 minutes.
      deployed += deploys.length;
      assert.ok(bake.length > 0 && bake.every((b) => b.runOrder > deploys[0]!.runOrder));
      assert.equal(bake[0]!.gate!.targets.length, deployed);
      assert.equal(
        bake.reduce((m, b) => m + b.gate!.minutes, 0),
        30,
      );
      // A failed gate or deploy rolls the stage back.
      assert.equal(s.onFailure, "ROLLBACK");
    }
  });

  it("a 100-account prod with the default waves makes 3 waves in 4 stages, each stage verified before and after its deploys, each wave baked once", () => {
    const waves = prodDeploys(ordersApi(prodOf(100)));
    assert.deepEqual(
      waves.map((s) => [s.name, s.wave, s.actions.filter((a) => a.kind === "deploy").length]),
      [
        ["Deploy-prod-wave1", 1, 1],
        ["Deploy-prod-wave2", 2, 10],
        ["Deploy-prod-wave3-part1", 3, 45],
        ["Deploy-prod-wave3-part2", 3, 44],
      ],
    );
    for (const s of waves) {
      assert.ok(s.actions.length <= MAX_ACTIONS_PER_STAGE);
      const first = s.actions[0]!;
      const last = s.actions[s.actions.length - 1]!;
      const deploy = s.actions.find((a) => a.kind === "deploy")!;
      // The verify step runs before the deploys and after them.
      assert.equal(first.gate?.phase, "entry");
      assert.equal(last.gate?.phase, "bake");
      assert.ok(first.runOrder < deploy.runOrder && deploy.runOrder < last.runOrder);
      assert.equal(s.onFailure, "ROLLBACK");
    }
    // The first part of wave 3 checks once; its last part bakes 30 minutes over all 100.
    assert.deepEqual(
      waves.map((s) => {
        const g = s.actions[s.actions.length - 1]!.gate!;
        return [g.minutes, g.targets.length];
      }),
      [
        [30, 1],
        [30, 11],
        [0, 56],
        [30, 100],
      ],
    );
  });

  it("a 1,000-account prod in the default waves fits CodePipeline's 50 stages", () => {
    const model = ordersApi(prodOf(1000));
    assert.deepEqual(modelProblems(model), []);
    assert.ok(model.stages.length <= MAX_STAGES_PER_PIPELINE);
    assert.equal(prodDeploys(model).length, 23);
  });

  it("1,000 CloudFormation targets (two actions each) need 52 stages in the default waves: refused with the fix", () => {
    const o = prodOf(1000);
    const problems = modelProblems(
      pipelineModel(
        o,
        o.applications.find((a) => a.deploy.mechanism === "cloudformation")!,
      ),
    );
    assert.equal(problems.length, 1);
    assert.match(
      problems[0]!,
      /^the pipeline has 52 stages; CodePipeline allows 50 \(prod: 44 deploy stages .*\): deploy the largest environment in fewer waves/,
    );
  });

  const refused = (waves: unknown) => {
    try {
      prodOf(12, waves);
    } catch (e) {
      assert.ok(e instanceof ConfigError, String(e));
      return e.message;
    }
    assert.fail(`waves ${JSON.stringify(waves)} were accepted`);
  };

  it('"rest" anywhere but last is refused, naming the wave', () => {
    assert.match(
      refused(["rest", 1]),
      /organization\.environments\[2\]\.waves\[0\]: "rest" deploys every target left, so it must be the last wave/,
    );
  });

  it('a wave that is not a count, a percentage from 1% to 100% or "rest" is refused', () => {
    for (const bad of [0, -1, 1.5, "0%", "150%", "ten", "10 %", true])
      assert.match(
        refused([bad]),
        /organization\.environments\[2\]\.waves\[0\]: .*is not a wave; write a number of targets/,
        JSON.stringify(bad),
      );
    assert.match(refused([]), /organization\.environments\[2\]\.waves: waves is empty/);
  });
});
