// The shape of every pipeline, computed from config without creating a resource.
import { strict as assert } from "assert";
import { EXAMPLE_STAGES, exampleOrganization } from "../helpers";
import { validateOrganization } from "../../model/config";
import { Organization } from "../../model/config/schema";
import {
  MAX_ACTIONS_PER_STAGE,
  MAX_RULES_PER_CONDITION,
  MAX_STAGES_PER_PIPELINE,
  modelProblems,
  pipelineModel,
} from "../../model/pipeline";

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
      prod?.actions.map((a) => [a.name, a.runOrder, a.target?.account, a.target?.region]),
      [
        ["prod-us-us-east-1", 1, "444444444444", "us-east-1"],
        ["prod-eu-eu-west-1", 1, "555555555555", "eu-west-1"],
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
  it("refuses entry while a prod health alarm fires, bakes 30 minutes and rolls back", () => {
    const o = org();
    const prod = pipelineModel(o, app(o, "orders-api")).stages.find(
      (s) => s.name === "Deploy-prod",
    );
    assert.equal(prod?.beforeEntry?.result, "FAIL");
    assert.equal(prod?.onSuccess?.result, "ROLLBACK");
    assert.equal(prod?.onSuccess?.waitMinutes, 30);
    assert.equal(prod?.onFailure, "ROLLBACK");
    assert.deepEqual(
      prod?.onSuccess?.alarms.map((g) => `${g.target.account}/${g.target.region}`),
      ["444444444444/us-east-1", "555555555555/eu-west-1"],
    );
  });

  it("leaves dev and staging ungated", () => {
    const o = org();
    for (const s of pipelineModel(o, app(o, "orders-api")).stages.filter(
      (x) => x.environment !== "prod",
    ))
      assert.ok(!s.beforeEntry && !s.onSuccess && !s.onFailure, s.name);
  });
});

describe("waves", () => {
  it("uses CodePipeline's limits: 50 actions a stage, 5 rules a condition, 50 stages", () => {
    assert.deepEqual(
      [MAX_ACTIONS_PER_STAGE, MAX_RULES_PER_CONDITION, MAX_STAGES_PER_PIPELINE],
      [50, 5, 50],
    );
  });

  it("splits 60 gated prod targets into 12 waves of 5, each watching exactly its own 5 targets", () => {
    const o = org((x) => (x.environments[2].accounts = manyAccounts(60)));
    const model = pipelineModel(o, app(o, "orders-api"));
    const waves = model.stages.filter((s) => s.kind === "deploy" && s.environment === "prod");
    assert.equal(waves.length, 12);
    assert.deepEqual(
      waves.map((w) => [w.name, w.wave, w.actions.length]),
      Array.from({ length: 12 }, (_, i) => [`Deploy-prod-wave${i + 1}`, i + 1, 5]),
    );
    // Every target deploys once, in config order.
    assert.deepEqual(
      waves.flatMap((w) => w.actions.map((a) => a.target?.account)),
      manyAccounts(60).map((a) => a.id),
    );
    for (const w of waves) {
      const targets = w.actions.map((a) => `${a.target?.account}/${a.target?.region}`);
      for (const c of [w.beforeEntry, w.onSuccess]) {
        assert.ok(c, `${w.name} has both conditions`);
        assert.ok(c.alarms.length <= MAX_RULES_PER_CONDITION);
        assert.deepEqual(
          c.alarms.map((g) => `${g.target.account}/${g.target.region}`),
          targets,
          w.name,
        );
      }
      assert.deepEqual(
        [w.beforeEntry?.result, w.beforeEntry?.waitMinutes, w.onSuccess?.result],
        ["FAIL", 0, "ROLLBACK"],
      );
      assert.equal(w.onSuccess?.waitMinutes, 30);
      assert.equal(w.onFailure, "ROLLBACK");
    }
    // The approval comes once, before the first wave; the tests once, after the last.
    const names = model.stages.map((s) => s.name);
    assert.equal(names.indexOf("Approve-prod") + 1, names.indexOf("Deploy-prod-wave1"));
    assert.equal(names.indexOf("Deploy-prod-wave12") + 1, names.indexOf("Test-prod"));
    assert.equal(model.stages.length, 8 + 12);
    assert.deepEqual(modelProblems(model), []);
  });

  it("splits a gated cloudformation environment at 5 targets too (10 actions a wave)", () => {
    const o = org((x) => (x.environments[2].accounts = manyAccounts(12)));
    const waves = pipelineModel(o, app(o, "billing-worker")).stages.filter(
      (s) => s.kind === "deploy" && s.environment === "prod",
    );
    assert.deepEqual(
      waves.map((w) => [w.actions.length, w.onSuccess?.alarms.length]),
      [
        [10, 5],
        [10, 5],
        [4, 2],
      ],
    );
  });

  it("splits an ungated environment that bakes at 5 targets: its bake condition has rules too", () => {
    const o = org((x) => {
      x.environments[1].accounts = manyAccounts(12);
      x.environments[1].bakeMinutes = 10;
    });
    const model = pipelineModel(o, app(o, "orders-api"));
    const waves = model.stages.filter((s) => s.kind === "deploy" && s.environment === "staging");
    assert.deepEqual(
      waves.map((w) => [w.actions.length, w.onSuccess?.alarms.length, !!w.beforeEntry]),
      [
        [5, 5, false],
        [5, 5, false],
        [2, 2, false],
      ],
    );
    assert.deepEqual(modelProblems(model), []);
  });

  it("reports a pipeline beyond 50 stages: 211 gated prod targets need 43 waves", () => {
    const fits = org((x) => (x.environments[2].accounts = manyAccounts(210)));
    assert.equal(pipelineModel(fits, app(fits, "orders-api")).stages.length, 50);
    assert.deepEqual(modelProblems(pipelineModel(fits, app(fits, "orders-api"))), []);
    const o = org((x) => (x.environments[2].accounts = manyAccounts(211)));
    assert.deepEqual(modelProblems(pipelineModel(o, app(o, "orders-api"))), [
      "the pipeline has 51 stages; CodePipeline allows 50 (prod: 43 waves of up to 5 actions): split the largest environment into several environments or move accounts to another application's pipeline",
    ]);
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
