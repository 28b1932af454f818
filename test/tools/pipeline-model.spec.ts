// The shape of every pipeline, computed from config without creating a resource.
import { strict as assert } from "assert";
import { EXAMPLE_STAGES, exampleOrganization } from "../helpers";
import { validateOrganization } from "../../model/config";
import { Organization } from "../../model/config/schema";
import {
  MAX_ACTIONS_PER_STAGE,
  MAX_BAKE_MINUTES_PER_ACTION,
  MAX_STAGES_PER_PIPELINE,
  modelProblems,
  pipelineModel,
  type StageModel,
} from "../../model/pipeline";

const gates = (s: StageModel | undefined) =>
  (s?.actions ?? [])
    .filter((a) => a.kind === "alarm-gate")
    .map((a) => ({
      name: a.name,
      runOrder: a.runOrder,
      phase: a.gate!.phase,
      minutes: a.gate!.minutes,
      targets: a.gate!.targets.map((t) => `${t.account}/${t.region}`),
      stages: a.gate!.stages,
    }));
const deploys = (s: StageModel) => s.actions.filter((a) => a.kind !== "alarm-gate");

const org = (edit?: (o: Organization) => void): Organization => {
  const o = exampleOrganization();
  edit?.(o);
  return validateOrganization(o);
};
const app = (o: Organization, name: string) => {
  const found = o.applications.find((a) => a.name === name);
  if (!found) throw new Error(`no application ${name}`);
  return found;
};
const manyAccounts = (count: number) =>
  Array.from({ length: count }, (_, i) => ({
    id: String(600000000000 + i),
    name: `p${i}`,
    regions: ["us-east-1"],
  }));

describe("promotion order", () => {
  it("runs Source, Build, then deploy and test per environment, approving before prod", () => {
    const o = org();
    const model = pipelineModel(o, app(o, "orders-api"));
    assert.deepEqual(
      model.stages.map((s) => s.name),
      [...EXAMPLE_STAGES],
    );
    assert.deepEqual(modelProblems(model), []);
  });

  it("starts the build and all five checks together (one runOrder)", () => {
    const o = org();
    const build = pipelineModel(o, app(o, "orders-api")).stages[1];
    assert.deepEqual(
      build.actions.map((a) => [a.name, a.runOrder]),
      [
        ["Build", 1],
        ["unit-tests", 1],
        ["lint", 1],
        ["sast", 1],
        ["secrets-scan", 1],
        ["dependency-audit", 1],
      ],
    );
  });

  it("deploys prod's two accounts in parallel, each in its own region", () => {
    const o = org();
    const prod = pipelineModel(o, app(o, "orders-api")).stages.find(
      (s) => s.name === "Deploy-prod",
    );
    assert.deepEqual(
      deploys(prod!).map((a) => [a.name, a.runOrder, a.target?.account, a.target?.region]),
      [
        ["prod-us-us-east-1", 2, "444444444444", "us-east-1"],
        ["prod-eu-eu-west-1", 2, "555555555555", "eu-west-1"],
      ],
    );
  });

  it("plans every cloudformation target before applying it (change set, then execute)", () => {
    const o = org();
    const dev = pipelineModel(o, app(o, "billing-worker")).stages.find(
      (s) => s.name === "Deploy-dev",
    );
    assert.deepEqual(
      dev?.actions.map((a) => [a.kind, a.runOrder]),
      [
        ["change-set", 1],
        ["execute-change-set", 2],
      ],
    );
  });

  it("runs integration-tests checks in every test stage instead of the build", () => {
    const o = org((x) =>
      x.applications[0].build.checks.push({ name: "api-tests", kind: "integration-tests" }),
    );
    const model = pipelineModel(o, app(o, "orders-api"));
    assert.ok(!model.stages[1].actions.some((a) => a.name === "api-tests"));
    for (const env of ["dev", "staging", "prod"])
      assert.deepEqual(
        model.stages.find((s) => s.name === `Test-${env}`)?.actions.map((a) => a.name),
        ["api-tests"],
      );
  });

  it("follows an application's own subset of environments", () => {
    const o = org((x) => (x.applications[0].environments = ["dev", "prod"]));
    const names = pipelineModel(o, app(o, "orders-api")).stages.map((s) => s.name);
    assert.ok(!names.some((n) => n.includes("staging")));
    assert.ok(names.indexOf("Approve-prod") === names.indexOf("Deploy-prod") - 1);
  });
});

describe("prod gating", () => {
  it("no CloudWatchAlarm rule reads another account's alarm: prod is gated by actions that check every prod alarm first, bake 30 minutes and roll back", () => {
    const o = org();
    const stages = pipelineModel(o, app(o, "orders-api")).stages;
    const prod = stages.find((s) => s.name === "Deploy-prod")!;
    const both = ["444444444444/us-east-1", "555555555555/eu-west-1"];
    assert.deepEqual(gates(prod), [
      {
        name: "AlarmCheck",
        runOrder: 1,
        phase: "entry",
        minutes: 0,
        targets: both,
        stages: ["Deploy-prod"],
      },
      {
        name: "Bake",
        runOrder: 3,
        phase: "bake",
        minutes: 30,
        targets: both,
        stages: ["Deploy-prod"],
      },
    ]);
    // The deploys run between the check and the bake.
    assert.deepEqual(
      deploys(prod).map((a) => a.runOrder),
      [2, 2],
    );
    assert.equal(prod.onFailure, "ROLLBACK");
    for (const s of stages) assert.ok(!("beforeEntry" in s) && !("onSuccess" in s), s.name);
  });

  it("a firing prod alarm stops the pipeline before anyone is asked to approve", () => {
    const o = org();
    const approve = pipelineModel(o, app(o, "orders-api")).stages.find(
      (s) => s.name === "Approve-prod",
    )!;
    assert.deepEqual(
      approve.actions.map((a) => [a.name, a.kind, a.runOrder]),
      [
        ["AlarmCheck", "alarm-gate", 1],
        ["Approve-prod", "approval", 2],
      ],
    );
    assert.equal(gates(approve)[0]!.phase, "entry");
    assert.deepEqual(gates(approve)[0]!.stages, ["Deploy-prod"]);
  });

  it("leaves dev and staging ungated", () => {
    const o = org();
    for (const s of pipelineModel(o, app(o, "orders-api")).stages.filter(
      (x) => x.environment !== "prod",
    ))
      assert.ok(gates(s).length === 0 && !s.onFailure, s.name);
  });

  it("a bake longer than one action's time is several bake actions in a row", () => {
    const o = org((x) => (x.environments[2].bakeMinutes = 120));
    const prod = pipelineModel(o, app(o, "orders-api")).stages.find(
      (s) => s.name === "Deploy-prod",
    )!;
    assert.deepEqual(
      gates(prod).map((g) => [g.name, g.runOrder, g.minutes]),
      [
        ["AlarmCheck", 1, 0],
        ["Bake-1", 3, 50],
        ["Bake-2", 4, 50],
        ["Bake-3", 5, 20],
      ],
    );
    assert.equal(MAX_BAKE_MINUTES_PER_ACTION, 50);
  });
});

describe("waves", () => {
  it("uses CodePipeline's limits: 50 actions a stage, 50 stages", () => {
    assert.deepEqual([MAX_ACTIONS_PER_STAGE, MAX_STAGES_PER_PIPELINE], [50, 50]);
  });

  it("splits 60 gated prod targets into waves of 48 (50 actions less the two gates): each bake watches every target deployed so far", () => {
    const o = org((x) => (x.environments[2].accounts = manyAccounts(60)));
    const model = pipelineModel(o, app(o, "orders-api"));
    const waves = model.stages.filter((s) => s.kind === "deploy" && s.environment === "prod");
    assert.deepEqual(
      waves.map((w) => [w.name, w.wave, deploys(w).length, w.actions.length]),
      [
        ["Deploy-prod-wave1", 1, 48, 50],
        ["Deploy-prod-wave2", 2, 12, 14],
      ],
    );
    // Every target deploys once, in config order.
    assert.deepEqual(
      waves.flatMap((w) => deploys(w).map((a) => a.target?.account)),
      manyAccounts(60).map((a) => a.id),
    );
    const all = manyAccounts(60).map((a) => `${a.id}/us-east-1`);
    for (const [i, w] of waves.entries()) {
      const [entry, bake] = gates(w);
      assert.deepEqual(entry!.targets, all, `${w.name} checks every prod target before it deploys`);
      assert.deepEqual(
        bake!.targets,
        all.slice(0, 48 * (i + 1)),
        `${w.name} bakes what is deployed`,
      );
      assert.deepEqual(
        bake!.stages,
        waves.slice(0, i + 1).map((x) => x.name),
      );
      assert.equal(w.onFailure, "ROLLBACK");
    }
    const names = model.stages.map((s) => s.name);
    assert.equal(names.indexOf("Approve-prod") + 1, names.indexOf("Deploy-prod-wave1"));
    assert.equal(names.indexOf("Deploy-prod-wave2") + 1, names.indexOf("Test-prod"));
    assert.deepEqual(modelProblems(model), []);
  });

  it("splits a gated cloudformation environment at 24 targets (48 change-set actions and two gates)", () => {
    const o = org((x) => (x.environments[2].accounts = manyAccounts(30)));
    const waves = pipelineModel(o, app(o, "billing-worker")).stages.filter(
      (s) => s.kind === "deploy" && s.environment === "prod",
    );
    assert.deepEqual(
      waves.map((w) => [deploys(w).length, gates(w).length, gates(w)[1]!.targets.length]),
      [
        [48, 2, 24],
        [12, 2, 30],
      ],
    );
  });

  it("an ungated environment that bakes keeps one action for its bake and rolls back", () => {
    const o = org((x) => {
      x.environments[1].accounts = manyAccounts(60);
      x.environments[1].bakeMinutes = 10;
    });
    const model = pipelineModel(o, app(o, "orders-api"));
    const waves = model.stages.filter((s) => s.kind === "deploy" && s.environment === "staging");
    assert.deepEqual(
      waves.map((w) => [deploys(w).length, gates(w).map((g) => g.phase), w.onFailure]),
      [
        [49, ["bake"], "ROLLBACK"],
        [11, ["bake"], "ROLLBACK"],
      ],
    );
    assert.deepEqual(modelProblems(model), []);
  });

  it("1,000 gated prod accounts fit one pipeline: 21 waves", () => {
    const o = org((x) => (x.environments[2].accounts = manyAccounts(1000)));
    const model = pipelineModel(o, app(o, "orders-api"));
    const waves = model.stages.filter((s) => s.kind === "deploy" && s.environment === "prod");
    assert.equal(waves.length, 21);
    assert.deepEqual(modelProblems(model), []);
  });

  it("reports a pipeline beyond 50 stages", () => {
    const o = org((x) => (x.environments[2].accounts = manyAccounts(48 * 43 + 1)));
    const problems = modelProblems(pipelineModel(o, app(o, "orders-api")));
    assert.equal(problems.length, 1);
    assert.match(
      problems[0]!,
      /^the pipeline has 52 stages; CodePipeline allows 50 \(prod: 44 waves of up to 50 actions\): split the largest environment/,
    );
  });

  it("splits 60 ungated targets at the 50-action limit", () => {
    const o = org((x) => (x.environments[0].accounts = manyAccounts(60)));
    const waves = pipelineModel(o, app(o, "orders-api")).stages.filter(
      (s) => s.kind === "deploy" && s.environment === "dev",
    );
    assert.deepEqual(
      waves.map((w) => [w.name, w.actions.length]),
      [
        ["Deploy-dev-wave1", 50],
        ["Deploy-dev-wave2", 10],
      ],
    );
  });

  it("counts both change-set actions of a cloudformation target against the limit", () => {
    const o = org((x) => (x.environments[0].accounts = manyAccounts(60)));
    const waves = pipelineModel(o, app(o, "billing-worker")).stages.filter(
      (s) => s.kind === "deploy" && s.environment === "dev",
    );
    assert.deepEqual(
      waves.map((w) => w.actions.length),
      [50, 50, 20],
    );
  });
});
