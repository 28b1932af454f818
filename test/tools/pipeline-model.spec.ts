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
  it("runs Source, Build, then deploys per environment, approving before prod: a Pulumi application's deploy actions run its smoke test, so it has no test stage", () => {
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

  it('deploys prod\'s two accounts in parallel when prod deploys at once (waves: ["rest"]), each in its own region', () => {
    const o = org((x) => (x.environments[2].waves = ["rest"]));
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
    assert.ok(names.indexOf("Approve-prod") === names.indexOf("Deploy-prod-wave1") - 1);
  });
});

describe("prod gating", () => {
  it("no CloudWatchAlarm rule reads another account's alarm: each prod wave is gated by actions that check every prod alarm first, bake 30 minutes and roll back", () => {
    const o = org();
    const stages = pipelineModel(o, app(o, "orders-api")).stages;
    const both = ["444444444444/us-east-1", "555555555555/eu-west-1"];
    const waves = ["Deploy-prod-wave1", "Deploy-prod-wave2"];
    // The default production waves: one account, then 10 % (rounded up: the other one).
    waves.forEach((name, i) => {
      const prod = stages.find((s) => s.name === name)!;
      assert.deepEqual(gates(prod), [
        {
          name: "AlarmCheck",
          runOrder: 1,
          phase: "entry",
          minutes: 0,
          targets: both,
          stages: waves,
        },
        {
          name: "Bake",
          runOrder: 3,
          phase: "bake",
          minutes: 30,
          targets: both.slice(0, i + 1),
          stages: waves.slice(0, i + 1),
        },
      ]);
      // The deploys run between the check and the bake.
      assert.deepEqual(
        deploys(prod).map((a) => [a.runOrder, a.target?.account]),
        [[2, both[i]!.slice(0, 12)]],
      );
      assert.equal(prod.onFailure, "ROLLBACK");
    });
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
    assert.deepEqual(gates(approve)[0]!.stages, ["Deploy-prod-wave1", "Deploy-prod-wave2"]);
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
      (s) => s.name === "Deploy-prod-wave1",
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

  it("splits 60 gated prod targets deployed at once into even parts of at most 48 (50 actions less the two gates): each part checks after it deploys, the last bakes every target", () => {
    const o = org((x) => {
      x.environments[2].accounts = manyAccounts(60);
      x.environments[2].waves = ["rest"];
    });
    const model = pipelineModel(o, app(o, "orders-api"));
    const waves = model.stages.filter((s) => s.kind === "deploy" && s.environment === "prod");
    assert.deepEqual(
      waves.map((w) => [w.name, w.wave, w.part, deploys(w).length, w.actions.length]),
      [
        ["Deploy-prod-part1", 1, 1, 30, 32],
        ["Deploy-prod-part2", 1, 2, 30, 32],
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
        all.slice(0, 30 * (i + 1)),
        `${w.name} watches what is deployed`,
      );
      // A wave bakes once, after its last part; an earlier part checks once.
      assert.deepEqual([bake!.name, bake!.minutes], i === 0 ? ["Verify", 0] : ["Bake", 30]);
      assert.deepEqual(
        bake!.stages,
        waves.slice(0, i + 1).map((x) => x.name),
      );
      assert.equal(w.onFailure, "ROLLBACK");
    }
    const names = model.stages.map((s) => s.name);
    assert.equal(names.indexOf("Approve-prod") + 1, names.indexOf("Deploy-prod-part1"));
    assert.equal(names.at(-1), "Deploy-prod-part2");
    assert.deepEqual(modelProblems(model), []);
  });

  it("splits a gated cloudformation environment at 24 targets (48 change-set actions and two gates)", () => {
    const o = org((x) => {
      x.environments[2].accounts = manyAccounts(30);
      x.environments[2].waves = ["rest"];
    });
    const waves = pipelineModel(o, app(o, "billing-worker")).stages.filter(
      (s) => s.kind === "deploy" && s.environment === "prod",
    );
    assert.deepEqual(
      waves.map((w) => [deploys(w).length, gates(w).length, gates(w)[1]!.targets.length]),
      [
        [30, 2, 15],
        [30, 2, 30],
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
        [30, ["bake"], "ROLLBACK"],
        [30, ["bake"], "ROLLBACK"],
      ],
    );
    assert.deepEqual(modelProblems(model), []);
  });

  it("1,000 gated prod accounts fit one pipeline: 23 deploy stages in the default 3 waves, 21 deployed at once", () => {
    const o = org((x) => (x.environments[2].accounts = manyAccounts(1000)));
    const model = pipelineModel(o, app(o, "orders-api"));
    const waves = model.stages.filter((s) => s.kind === "deploy" && s.environment === "prod");
    assert.equal(waves.length, 23);
    assert.equal(new Set(waves.map((w) => w.wave)).size, 3);
    assert.deepEqual(modelProblems(model), []);
    const once = org((x) => {
      x.environments[2].accounts = manyAccounts(1000);
      x.environments[2].waves = ["rest"];
    });
    const parts = pipelineModel(once, app(once, "orders-api")).stages.filter(
      (s) => s.kind === "deploy" && s.environment === "prod",
    );
    assert.equal(parts.length, 21);
  });

  it("reports a pipeline beyond 50 stages", () => {
    const o = org((x) => {
      x.environments[2].accounts = manyAccounts(48 * 46 + 1);
      x.environments[2].waves = ["rest"];
    });
    const problems = modelProblems(pipelineModel(o, app(o, "orders-api")));
    assert.equal(problems.length, 1);
    assert.match(
      problems[0]!,
      /^the pipeline has 52 stages; CodePipeline allows 50 \(prod: 47 deploy stages of up to 49 actions\): deploy the largest environment in fewer waves/,
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
        ["Deploy-dev-part1", 30],
        ["Deploy-dev-part2", 30],
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
      [40, 40, 40],
    );
  });
});
