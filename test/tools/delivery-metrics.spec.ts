// The delivery metrics function as the tools stack deploys it: what its role may do (evaluated
// as IAM would), that its rule matches the recorded CodePipeline events of the platform's
// pipelines only, that only that rule may invoke it, that its packaged code runs on its own, and
// that bad delivery config creates nothing.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { evaluatePolicies, parsePolicy, PolicyDocument } from "../../plan/report/iam-eval";
import { ConfigError } from "../../model/config";
import { handle, DeliveryClients } from "../../functions/delivery-metrics/handler";
import { DELIVERY_METRIC_LIST } from "../../model/delivery-metrics";
import { handlerFiles } from "../../components/tools/delivery-metrics";
import {
  byName,
  createdResources,
  ofType,
  PROJECT_DIR,
  runStack,
  runStackOk,
  StackRun,
} from "../helpers";

const FIXTURES = path.join(__dirname, "fixtures", "delivery-events");
const events = (name: string): Record<string, unknown>[] =>
  JSON.parse(fs.readFileSync(path.join(FIXTURES, `${name}.json`), "utf8")).events;
const TOOLS = "111111111111";

let run: StackRun;
before(async () => {
  run = await runStackOk("tools");
});

const rolePolicy = (): PolicyDocument =>
  parsePolicy(
    byName(run, "acme-delivery-metrics-role-policy", "aws:iam/rolePolicy:RolePolicy").inputs[
      "policy"
    ],
  );
const allows = (action: string, resource: string, context: Record<string, string> = {}) =>
  evaluatePolicies([rolePolicy()], { action, resource, context }) === "allow";

describe("the delivery metrics role", () => {
  it("puts metrics in <prefix>/Delivery and in no other namespace", () => {
    assert.ok(allows("cloudwatch:PutMetricData", "*", { "cloudwatch:namespace": "acme/Delivery" }));
    for (const ns of ["AWS/Lambda", "acme/Other", "acme/delivery", "other/Delivery"])
      assert.ok(!allows("cloudwatch:PutMetricData", "*", { "cloudwatch:namespace": ns }), ns);
    assert.ok(!allows("cloudwatch:PutMetricData", "*"), "no namespace in the request");
    assert.ok(
      !allows("cloudwatch:PutMetricAlarm", "*", { "cloudwatch:namespace": "acme/Delivery" }),
    );
  });

  it("reads executions of the platform's pipelines only, in the tools account and region", () => {
    const own = `arn:aws:codepipeline:us-east-1:${TOOLS}:acme-orders-api`;
    for (const action of [
      "codepipeline:GetPipelineExecution",
      "codepipeline:ListActionExecutions",
      "codepipeline:ListPipelineExecutions",
    ])
      assert.ok(allows(action, own), action);
    for (const other of [
      `arn:aws:codepipeline:us-east-1:${TOOLS}:payments-main`,
      `arn:aws:codepipeline:eu-west-1:${TOOLS}:acme-orders-api`,
      `arn:aws:codepipeline:us-east-1:222222222222:acme-orders-api`,
    ])
      assert.ok(!allows("codepipeline:GetPipelineExecution", other), other);
    for (const write of [
      "codepipeline:StartPipelineExecution",
      "codepipeline:PutApprovalResult",
      "codepipeline:RollbackStage",
      "codepipeline:GetPipeline",
    ])
      assert.ok(!allows(write, own), write);
  });

  it("writes only its own log group and its own dead-letter queue", () => {
    const logs = `arn:aws:logs:us-east-1:${TOOLS}:log-group:/aws/lambda/acme-delivery-metrics`;
    assert.ok(allows("logs:PutLogEvents", `${logs}:log-stream:2026/11/02/abc`));
    assert.ok(
      !allows(
        "logs:PutLogEvents",
        `arn:aws:logs:us-east-1:${TOOLS}:log-group:/aws/codebuild/acme-orders-api-build:log-stream:x`,
      ),
    );
    assert.ok(
      allows("sqs:SendMessage", `arn:aws:sqs:us-east-1:${TOOLS}:acme-delivery-metrics-dlq`),
    );
    assert.ok(!allows("sqs:SendMessage", `arn:aws:sqs:us-east-1:${TOOLS}:acme-other`));
  });

  it("is assumed by Lambda", () => {
    const trust = JSON.parse(
      byName(run, "acme-delivery-metrics-role", "aws:iam/role:Role").inputs[
        "assumeRolePolicy"
      ] as string,
    );
    assert.deepEqual(trust.Statement, [
      {
        Effect: "Allow",
        Principal: { Service: "lambda.amazonaws.com" },
        Action: "sts:AssumeRole",
      },
    ]);
  });
});

/** EventBridge's matching of the pattern forms the rule uses: value lists and prefixes. */
function matches(pattern: unknown, event: unknown): boolean {
  if (Array.isArray(pattern))
    return pattern.some((p) =>
      typeof p === "object" && p !== null && "prefix" in p
        ? typeof event === "string" && event.startsWith((p as { prefix: string }).prefix)
        : p === event,
    );
  if (typeof pattern !== "object" || pattern === null) return false;
  if (typeof event !== "object" || event === null) return false;
  return Object.entries(pattern).every(([k, p]) =>
    matches(p, (event as Record<string, unknown>)[k]),
  );
}

describe("the delivery metrics rule", () => {
  const rule = () =>
    byName(run, "acme-delivery-metrics-rule", "aws:cloudwatch/eventRule:EventRule");
  const pattern = () => JSON.parse(rule().inputs["eventPattern"] as string);

  it("matches every recorded event of the platform's pipelines", () => {
    const all = ["success", "failure", "rollback", "out-of-order", "approval"].flatMap(events);
    assert.ok(all.length >= 10);
    for (const e of all) assert.ok(matches(pattern(), e), JSON.stringify(e["detail-type"]));
  });

  it("matches no other team's pipeline, no other source and no other event type", () => {
    const [e] = events("success");
    const detail = e!["detail"] as Record<string, unknown>;
    assert.ok(!matches(pattern(), { ...e, detail: { ...detail, pipeline: "payments-main" } }));
    assert.ok(!matches(pattern(), { ...e, detail: { ...detail, pipeline: "acmeweb" } }));
    assert.ok(!matches(pattern(), { ...e, source: "aws.codebuild" }));
    assert.ok(
      !matches(pattern(), { ...e, "detail-type": "CodePipeline Pipeline Execution Dry Run" }),
    );
  });

  it("targets the function, which only this rule may invoke", () => {
    const fn = byName(run, "acme-delivery-metrics", "aws:lambda/function:Function");
    const target = byName(
      run,
      "acme-delivery-metrics-target",
      "aws:cloudwatch/eventTarget:EventTarget",
    );
    const permission = byName(
      run,
      "acme-delivery-metrics-invoke",
      "aws:lambda/permission:Permission",
    );
    assert.equal(
      target.inputs["arn"],
      `arn:aws:lambda:us-east-1:${TOOLS}:function:acme-delivery-metrics`,
    );
    assert.equal(target.inputs["rule"], "acme-delivery-metrics");
    assert.deepEqual(
      [
        permission.inputs["principal"],
        permission.inputs["sourceArn"],
        permission.inputs["function"],
      ],
      [
        "events.amazonaws.com",
        `arn:aws:events:us-east-1:${TOOLS}:rule/acme-delivery-metrics`,
        fn.inputs["name"],
      ],
    );
    assert.equal(ofType(run, "aws:lambda/permission:Permission").length, 1);
  });
});

describe("the delivery metrics function", () => {
  const fn = () => byName(run, "acme-delivery-metrics", "aws:lambda/function:Function");

  it("runs Node.js 20 with tracing, its log group's retention and a dead-letter queue", () => {
    const f = fn().inputs;
    assert.deepEqual(
      [f["runtime"], f["handler"], f["tracingConfig"], f["deadLetterConfig"]],
      [
        "nodejs20.x",
        "index.handler",
        { mode: "Active" },
        { targetArn: `arn:aws:sqs:us-east-1:${TOOLS}:acme-delivery-metrics-dlq` },
      ],
    );
    assert.deepEqual((f["environment"] as { variables: unknown }).variables, {
      PLATFORM_PREFIX: "acme",
      PRODUCTION_ENVIRONMENTS: "prod",
    });
    const logs = byName(run, "acme-delivery-metrics-logs", "aws:cloudwatch/logGroup:LogGroup");
    assert.deepEqual(
      [logs.inputs["name"], logs.inputs["retentionInDays"]],
      ["/aws/lambda/acme-delivery-metrics", 30],
    );
  });

  it("has an Errors alarm that notifies the platform topic", () => {
    const alarm = byName(
      run,
      "acme-delivery-metrics-errors",
      "aws:cloudwatch/metricAlarm:MetricAlarm",
    );
    assert.deepEqual(
      [alarm.inputs["namespace"], alarm.inputs["metricName"], alarm.inputs["dimensions"]],
      ["AWS/Lambda", "Errors", { FunctionName: "acme-delivery-metrics" }],
    );
    assert.deepEqual(alarm.inputs["alarmActions"], [
      `arn:aws:sns:us-east-1:${TOOLS}:acme-pipeline-events`,
    ]);
  });

  it("packages the handler with the model files it imports, and nothing else but the SDK", () => {
    const { files, packageImports } = handlerFiles();
    assert.deepEqual(Object.keys(files).sort(), [
      "functions/delivery-metrics/handler.js",
      "index.js",
      "model/delivery-metrics.js",
      "model/naming.js",
    ]);
    assert.deepEqual(packageImports, [
      "@aws-sdk/client-cloudwatch",
      "@aws-sdk/client-codepipeline",
    ]);
    const code = fn().inputs["code"] as { assets: Record<string, { text: string }> };
    assert.deepEqual(
      Object.fromEntries(Object.entries(code.assets).map(([k, v]) => [k, v.text])),
      files,
    );
  });

  it("the packaged archive, loaded on its own, computes what the handler computes", async () => {
    const code = fn().inputs["code"] as { assets: Record<string, { text: string }> };
    // Inside the repository so that the SDK resolves from node_modules, as the runtime provides it.
    fs.mkdirSync(path.join(PROJECT_DIR, "scratch"), { recursive: true });
    const dir = fs.mkdtempSync(path.join(PROJECT_DIR, "scratch", "delivery-archive-"));
    try {
      for (const [file, asset] of Object.entries(code.assets)) {
        fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        fs.writeFileSync(path.join(dir, file), asset.text);
      }
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const packaged = require(path.join(dir, "index.js")) as { handle: typeof handle };
      const fixture = JSON.parse(fs.readFileSync(path.join(FIXTURES, "failure.json"), "utf8"));
      const clients = (): DeliveryClients => ({
        codepipeline: {
          send: async (command) => {
            const name = command.constructor.name.replace(/Command$/, "");
            const answer =
              name === "ListPipelineExecutions"
                ? fixture.api[name]
                : fixture.api[name][
                    (command.input as { pipelineExecutionId?: string }).pipelineExecutionId ??
                      (command.input as { filter: { pipelineExecutionId: string } }).filter
                        .pipelineExecutionId
                  ];
            return JSON.parse(JSON.stringify(answer));
          },
        },
        cloudwatch: { send: async () => ({}) },
      });
      const settings = { prefix: "acme", productionEnvironments: ["prod"] };
      const event = fixture.events[0];
      const expected = await handle(event, clients(), settings);
      assert.equal(expected.outcome, "emitted");
      assert.deepEqual(await packaged.handle(event, clients(), settings), expected);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("emits only metrics of the shared list", () => {
    assert.deepEqual(
      DELIVERY_METRIC_LIST.map((m) => m.name),
      [
        "Deployments",
        "FailedDeployments",
        "RolledBackDeployments",
        "LeadTimeMinutes",
        "TimeToRestoreMinutes",
        "StageDurationSeconds",
        "ActionDurationSeconds",
        "PendingApprovals",
      ],
    );
  });
});

describe("bad delivery config", () => {
  async function problemsOf(delivery: unknown): Promise<string[]> {
    const r = await runStack("tools", {
      editOrganization: (o) => ((o as unknown as Record<string, unknown>)["delivery"] = delivery),
    });
    assert.ok(r.error instanceof ConfigError, `expected a ConfigError, got ${String(r.error)}`);
    assert.deepEqual(createdResources(r), [], "a bad config creates nothing");
    return r.error.problems.map((p) => `${p.path}: ${p.message}`);
  }

  it("a change failure rate written as a percentage names the path and the fix", async () => {
    assert.deepEqual(await problemsOf({ thresholds: { changeFailureRate: 15 } }), [
      "organization.delivery.thresholds.changeFailureRate: 15 is above 1; write a share between 0 and 1, such as 0.15 for 15% (not a percentage)",
    ]);
  });

  it("wrong types and out-of-range values, each at its path", async () => {
    assert.deepEqual(
      await problemsOf({
        thresholds: { changeFailureRate: "15%", leadTimeMinutes: 0.5 },
        logRetentionDays: 10,
      }),
      [
        'organization.delivery.thresholds.changeFailureRate: "15%" is not a change failure rate; write a share between 0 and 1, such as 0.15 for 15%',
        "organization.delivery.thresholds.leadTimeMinutes: 0.5 is not a whole number of minutes",
        "organization.delivery.logRetentionDays: 10 is not a retention CloudWatch Logs accepts; use one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653",
      ],
    );
  });

  it("an unknown key is refused; the defaults apply when the section is left out", async () => {
    assert.deepEqual(await problemsOf({ thresholds: { leadTime: 60 } }), [
      'organization.delivery.thresholds: unknown key "leadTime"; remove it or check the spelling',
    ]);
    const alarm = byName(
      run,
      "acme-delivery-orders-api-prod-lead-time",
      "aws:cloudwatch/metricAlarm:MetricAlarm",
    );
    assert.equal(alarm.inputs["threshold"], 1440);
  });
});
