// The delivery metrics function on recorded events: each fixture holds EventBridge events in the
// shape CodePipeline sends them and the API's answers about the executions they name. The
// function runs with fake clients that answer from the fixture (as the SDK would: times as Dates,
// pages of at most three action executions) and record what it puts; each test asserts the exact
// datapoints.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import {
  GetPipelineExecutionCommand,
  ListActionExecutionsCommand,
  ListPipelineExecutionsCommand,
} from "@aws-sdk/client-codepipeline";
import { PutMetricDataCommand, type PutMetricDataInput } from "@aws-sdk/client-cloudwatch";
import {
  Datapoint,
  DeliveryClients,
  handle,
  HandlerResult,
  settingsFromEnvironment,
} from "../../functions/delivery-metrics/handler";
import { DELIVERY_METRIC_LIST } from "../../model/delivery-metrics";

type Json = Record<string, unknown>;
interface Fixture {
  readonly events: Json[];
  readonly api: {
    readonly GetPipelineExecution: Record<string, Json>;
    readonly ListActionExecutions: Record<string, Json | Json[]>;
    readonly ListPipelineExecutions: Json;
  };
}

const FIXTURES = path.join(__dirname, "fixtures", "delivery-events");
const fixture = (name: string): Fixture =>
  JSON.parse(fs.readFileSync(path.join(FIXTURES, `${name}.json`), "utf8"));
const SETTINGS = { prefix: "acme", productionEnvironments: ["prod"] };
const TIME_KEYS = new Set(["startTime", "lastUpdateTime", "created"]);

/** JSON as the SDK returns it: every timestamp a Date. */
function revive(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(revive);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      TIME_KEYS.has(k) && typeof v === "string" ? new Date(v) : revive(v),
    ]),
  );
}

/** Fake clients answering from a fixture; `calls` and `puts` record what the function asked. */
function fakes(f: Fixture) {
  const calls: string[] = [];
  const puts: PutMetricDataInput[] = [];
  const served = new Map<string, number>();
  const clients: DeliveryClients = {
    codepipeline: {
      send: async (command) => {
        if (command instanceof GetPipelineExecutionCommand) {
          const id = command.input.pipelineExecutionId!;
          calls.push(`GetPipelineExecution ${id}`);
          const answer = f.api.GetPipelineExecution[id];
          if (!answer) throw new Error(`PipelineExecutionNotFoundException: ${id}`);
          return revive(answer);
        }
        if (command instanceof ListActionExecutionsCommand) {
          const id = command.input.filter!.pipelineExecutionId!;
          const token = Number(command.input.nextToken ?? "0");
          calls.push(`ListActionExecutions ${id}${token ? ` from ${token}` : ""}`);
          const recorded = f.api.ListActionExecutions[id];
          if (!recorded) throw new Error(`no recorded action executions of ${id}`);
          // Several recorded answers: one per call that starts a listing, in turn.
          let answer = recorded as Json;
          if (Array.isArray(recorded)) {
            const n = served.get(id) ?? 0;
            if (token === 0) served.set(id, n + 1);
            answer = recorded[Math.min(token === 0 ? n : n - 1, recorded.length - 1)]!;
          }
          const all = answer["actionExecutionDetails"] as Json[];
          const page = all.slice(token, token + 3);
          return revive({
            actionExecutionDetails: page,
            ...(token + 3 < all.length ? { nextToken: String(token + 3) } : {}),
          });
        }
        if (command instanceof ListPipelineExecutionsCommand) {
          calls.push(`ListPipelineExecutions ${command.input.pipelineName}`);
          return revive(f.api.ListPipelineExecutions);
        }
        throw new Error("unexpected command");
      },
    },
    cloudwatch: {
      send: async (command) => {
        assert.ok(command instanceof PutMetricDataCommand);
        puts.push(command.input);
        return {};
      },
    },
  };
  return { clients, calls, puts };
}

/** Runs every event of a fixture in order. */
async function runAll(name: string) {
  const f = fixture(name);
  const fake = fakes(f);
  const results: HandlerResult[] = [];
  for (const event of f.events) results.push(await handle(event, fake.clients, SETTINGS));
  return { ...fake, results };
}

const dp = (
  metric: string,
  value: number,
  unit: string,
  timestamp: string,
  dimensions: Record<string, string>,
): Datapoint => ({ metric, value, unit, timestamp, dimensions });
const web = (Environment: string) => ({ Application: "web", Environment });
const at = (hms: string) => `2026-11-02T${hms}.000Z`;
/** The datapoints that are not stage or action durations. */
const delivery = (points: readonly Datapoint[]) =>
  points.filter((p) => !p.metric.endsWith("DurationSeconds"));

describe("delivery metrics of a successful execution", () => {
  it("emits every stage, every action, a deployment and a lead time per environment", async () => {
    const { results, calls } = await runAll("success");
    const stage = (s: string, v: number, end: string) =>
      dp("StageDurationSeconds", v, "Seconds", at(end), { Application: "web", Stage: s });
    const action = (s: string, a: string, v: number, end: string) =>
      dp("ActionDurationSeconds", v, "Seconds", at(end), {
        Application: "web",
        Stage: s,
        Action: a,
      });
    assert.deepEqual(results[0]!.datapoints, [
      stage("Source", 30, "10:00:30"),
      stage("Build", 300, "10:05:30"),
      stage("Deploy-dev", 300, "10:10:30"),
      stage("Test-dev", 120, "10:12:30"),
      stage("Deploy-prod", 600, "10:22:30"),
      stage("Test-prod", 120, "10:24:30"),
      action("Source", "Source", 30, "10:00:30"),
      action("Build", "Build", 300, "10:05:30"),
      action("Build", "lint", 90, "10:02:00"),
      action("Deploy-dev", "dev-us-east-1", 300, "10:10:30"),
      action("Test-dev", "smoke-tests", 120, "10:12:30"),
      action("Deploy-prod", "prod-us-east-1", 600, "10:22:30"),
      action("Test-prod", "smoke-tests", 120, "10:24:30"),
      // Lead time from the commit (09:30) to each environment's deployment.
      dp("Deployments", 1, "Count", at("10:10:30"), web("dev")),
      dp("LeadTimeMinutes", 40.5, "None", at("10:10:30"), web("dev")),
      dp("Deployments", 1, "Count", at("10:22:30"), web("prod")),
      dp("LeadTimeMinutes", 52.5, "None", at("10:22:30"), web("prod")),
    ]);
    // The previous execution succeeded: production was not down, so no time to restore.
    assert.deepEqual(calls, [
      "GetPipelineExecution 5a1e0002-0000-4000-8000-000000000002",
      "ListActionExecutions 5a1e0002-0000-4000-8000-000000000002",
      "ListActionExecutions 5a1e0002-0000-4000-8000-000000000002 from 3",
      "ListActionExecutions 5a1e0002-0000-4000-8000-000000000002 from 6",
      "ListPipelineExecutions acme-web",
    ]);
  });

  it("puts them in <prefix>/Delivery, at most 20 a call, dimensions in the shared list's order", async () => {
    const { puts } = await runAll("success");
    assert.deepEqual(
      puts.map((p) => [p.Namespace, p.MetricData!.length]),
      [["acme/Delivery", 17]],
    );
    const datum = puts[0]!.MetricData!.find((d) => d.MetricName === "LeadTimeMinutes")!;
    assert.deepEqual(datum, {
      MetricName: "LeadTimeMinutes",
      Dimensions: [
        { Name: "Application", Value: "web" },
        { Name: "Environment", Value: "dev" },
      ],
      Timestamp: new Date(at("10:10:30")),
      Value: 40.5,
      Unit: "None",
    });
    for (const d of puts.flatMap((p) => p.MetricData!)) {
      const metric = DELIVERY_METRIC_LIST.find((m) => m.name === d.MetricName);
      assert.ok(metric, `${d.MetricName} is not in the shared list`);
      assert.equal(d.Unit, metric.unit);
      assert.deepEqual(
        d.Dimensions!.map((x) => x.Name),
        metric.dimensions,
      );
    }
  });
});

describe("delivery metrics of failures and rollbacks", () => {
  it("a failed prod stage: dev deployed (lead time from the execution start: no commit time), prod failed", async () => {
    const { results } = await runAll("failure");
    assert.deepEqual(delivery(results[0]!.datapoints), [
      dp("Deployments", 1, "Count", at("10:10:30"), web("dev")),
      dp("LeadTimeMinutes", 10.5, "None", at("10:10:30"), web("dev")),
      dp("FailedDeployments", 1, "Count", at("10:20:00"), web("prod")),
    ]);
  });

  it("an automated rollback restores prod (time to restore from the failure) and counts no second failure", async () => {
    const { results } = await runAll("rollback");
    assert.deepEqual(results[0]!.datapoints, [
      dp("TimeToRestoreMinutes", 46, "None", at("11:06:00"), web("prod")),
    ]);
  });

  it("a rollback started by hand counts a rolled-back deployment, restored from the rollback's start", async () => {
    const { results } = await runAll("rollback");
    assert.deepEqual(results[1]!.datapoints, [
      dp("RolledBackDeployments", 1, "Count", at("15:04:00"), web("prod")),
      dp("TimeToRestoreMinutes", 4, "None", at("15:04:00"), web("prod")),
    ]);
  });

  it("a production failure followed by recovery: time to restore spans a later failure elsewhere", async () => {
    const { results } = await runAll("prod-recovery");
    assert.deepEqual(delivery(results[1]!.datapoints), [
      dp("FailedDeployments", 1, "Count", at("11:07:00"), web("dev")),
    ]);
    // FIX deploys prod at 12:22:30; FAIL2 failed in dev only; prod has been failing since FAIL's 10:20.
    assert.deepEqual(delivery(results[2]!.datapoints), [
      dp("Deployments", 1, "Count", at("12:10:30"), web("dev")),
      dp("LeadTimeMinutes", 25.5, "None", at("12:10:30"), web("dev")),
      dp("Deployments", 1, "Count", at("12:22:30"), web("prod")),
      dp("LeadTimeMinutes", 37.5, "None", at("12:22:30"), web("prod")),
      dp("TimeToRestoreMinutes", 122.5, "None", at("12:22:30"), web("prod")),
    ]);
  });
});

describe("delivery metrics of executions that stop half-way", () => {
  it("a superseded execution counts an environment deployed in one stage, not one whose waves did not all run", async () => {
    const { results } = await runAll("superseded");
    assert.deepEqual(delivery(results[0]!.datapoints), [
      dp("Deployments", 1, "Count", at("10:10:30"), web("dev")),
      dp("LeadTimeMinutes", 40.5, "None", at("10:10:30"), web("dev")),
    ]);
    assert.ok(
      results[0]!.datapoints.some(
        (p) =>
          p.metric === "StageDurationSeconds" && p.dimensions["Stage"] === "Deploy-staging-wave1",
      ),
    );
  });
  it("a superseded execution counts an environment whose waves all ran once a later environment's stage started (pipelines without a test stage)", async () => {
    // The superseded execution, gone further: staging's second wave succeeded and the execution
    // was superseded while it waited at Approve-prod. No Test-staging stage exists.
    const f = fixture("superseded");
    const id = "5a1e0006-0000-4000-8000-000000000006";
    const actions = (
      f.api.ListActionExecutions as Record<
        string,
        { actionExecutionDetails: Record<string, unknown>[] }
      >
    )[id]!.actionExecutionDetails;
    const wave1 = actions.find((a) => a["stageName"] === "Deploy-staging-wave1")!;
    const action = (stage: string, name: string, start: string, end: string, status: string) => ({
      ...wave1,
      actionExecutionId: `${String(wave1["actionExecutionId"])}-${stage}`,
      stageName: stage,
      actionName: name,
      startTime: at(start),
      lastUpdateTime: at(end),
      status,
    });
    actions.push(
      action("Deploy-staging-wave2", "staging-b-us-east-1", "10:14:00", "10:18:00", "Succeeded"),
      action("Approve-prod", "Approve", "10:18:00", "10:20:00", "Abandoned"),
    );
    const fake = fakes(f);
    const result = await handle(f.events[0]!, fake.clients, SETTINGS);
    assert.deepEqual(delivery(result.datapoints), [
      dp("Deployments", 1, "Count", at("10:10:30"), web("dev")),
      dp("LeadTimeMinutes", 40.5, "None", at("10:10:30"), web("dev")),
      dp("Deployments", 1, "Count", at("10:18:00"), web("staging")),
      dp("LeadTimeMinutes", 48, "None", at("10:18:00"), web("staging")),
    ]);
  });
});

describe("delivery metrics under at-least-once, out-of-order delivery", () => {
  it("a duplicate event emits the very same datapoints (same values, same timestamps)", async () => {
    const { results, puts } = await runAll("duplicate");
    assert.equal(results[0]!.outcome, "emitted");
    assert.deepEqual(results[1], results[0]);
    assert.deepEqual(puts[1], puts[0]);
  });

  it("after a retry: the success emits only what ended after the retried failure; the late FAILED and STARTED emit nothing", async () => {
    const { results } = await runAll("out-of-order");
    assert.deepEqual(
      results[0]!.datapoints.map((p) => `${p.metric} ${p.dimensions["Stage"] ?? ""}`.trim()),
      [
        "StageDurationSeconds Deploy-prod",
        "StageDurationSeconds Test-prod",
        "ActionDurationSeconds Deploy-prod",
        "ActionDurationSeconds Test-prod",
        "Deployments",
        "LeadTimeMinutes",
        "TimeToRestoreMinutes",
      ],
    );
    assert.deepEqual(delivery(results[0]!.datapoints), [
      dp("Deployments", 1, "Count", at("10:48:00"), web("prod")),
      dp("LeadTimeMinutes", 78, "None", at("10:48:00"), web("prod")),
      // The failed attempt ended at 10:20; the retry deployed at 10:48.
      dp("TimeToRestoreMinutes", 28, "None", at("10:48:00"), web("prod")),
    ]);
    assert.deepEqual(
      results.slice(1).map((r) => [r.outcome, r.reason]),
      [
        ["ignored", "the FAILED event is older than the execution's status Succeeded"],
        ["ignored", "STARTED is not a terminal state"],
        ["ignored", "execution 5a1e0008-0000-4000-8000-000000000008 is still InProgress"],
      ],
    );
  });

  it("an ignored event reads nothing it does not need and puts nothing", async () => {
    const { calls, puts } = await runAll("out-of-order");
    assert.equal(puts.length, 1);
    assert.deepEqual(calls.slice(-2), [
      "GetPipelineExecution 5a1e0007-0000-4000-8000-000000000007",
      "GetPipelineExecution 5a1e0008-0000-4000-8000-000000000008",
    ]);
  });
});

describe("pending approvals", () => {
  it("counts the waiting approvals of the event's environment when one starts and when it ends", async () => {
    const { results } = await runAll("approval");
    assert.deepEqual(
      results.map((r) => r.datapoints),
      [
        [dp("PendingApprovals", 1, "Count", at("10:12:30"), web("prod"))],
        [dp("PendingApprovals", 0, "Count", at("10:41:00"), web("prod"))],
        [],
      ],
    );
    assert.equal(results[2]!.reason, "not a manual approval action");
  });
});

describe("delivery metrics of odd input", () => {
  const f = fixture("success");
  const base = f.events[0]!;
  const cases: [string, unknown, string][] = [
    ["not an object", "SUCCEEDED", "not a CodePipeline event"],
    ["another source", { ...base, source: "aws.codebuild" }, "not a CodePipeline event"],
    [
      "another detail-type",
      { ...base, "detail-type": "CodeBuild Build State Change" },
      'detail-type "CodeBuild Build State Change" is not read',
    ],
    ["no detail", { ...base, detail: null }, "the event has no pipeline, execution-id or state"],
    [
      "a number for execution-id",
      { ...base, detail: { ...(base["detail"] as Json), "execution-id": 7 } },
      "the event has no pipeline, execution-id or state",
    ],
    [
      "another team's pipeline",
      { ...base, detail: { ...(base["detail"] as Json), pipeline: "payments-main" } },
      "payments-main is not a pipeline of the platform",
    ],
    [
      "a pull-request pipeline",
      { ...base, detail: { ...(base["detail"] as Json), pipeline: "acme-orders-api-pr" } },
      "acme-orders-api-pr validates pull requests; it delivers nothing",
    ],
    [
      "a stage event",
      { ...base, "detail-type": "CodePipeline Stage Execution State Change" },
      "stage events add nothing to the execution's terminal event",
    ],
  ];
  for (const [what, event, reason] of cases)
    it(`${what}: ignored without a call`, async () => {
      const fake = fakes(f);
      const result = await handle(event, fake.clients, SETTINGS);
      assert.deepEqual([result.outcome, result.reason], ["ignored", reason]);
      assert.deepEqual([fake.calls, fake.puts], [[], []]);
    });

  it("action executions without times or names are skipped, not a crash", async () => {
    const broken: Fixture = JSON.parse(JSON.stringify(f));
    const details = (
      broken.api.ListActionExecutions["5a1e0002-0000-4000-8000-000000000002"] as Json
    )["actionExecutionDetails"] as Json[];
    delete details[0]!["startTime"];
    details[1]!["stageName"] = 42;
    const result = await handle(base, fakes(broken).clients, SETTINGS);
    const stages = result.datapoints
      .filter((p) => p.metric === "StageDurationSeconds")
      .map((p) => p.dimensions["Stage"]);
    assert.deepEqual(stages, ["Build", "Deploy-dev", "Test-dev", "Deploy-prod", "Test-prod"]);
  });

  it("the settings come from the function's environment; a missing prefix is an error", () => {
    assert.deepEqual(
      settingsFromEnvironment({ PLATFORM_PREFIX: "acme", PRODUCTION_ENVIRONMENTS: "prod, prodeu" }),
      { prefix: "acme", productionEnvironments: ["prod", "prodeu"] },
    );
    assert.throws(() => settingsFromEnvironment({}), /PLATFORM_PREFIX is not set/);
  });
});
