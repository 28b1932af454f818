import { strict as assert } from "assert";
import * as path from "path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { evaluate, UNKNOWN } from "../../plan/engine";
import {
  listStacks,
  loadStackConfig,
  ProjectFileError,
  secretPlaceholder,
} from "../../plan/engine/project";
import { renderPolicyDocument } from "../../plan/engine/invokes";

const FIXTURES = path.join(__dirname, "fixtures");

/** A small program: a topic, an alarm that publishes to it, and a role in a second account. */
function alarmProgram() {
  const topic = new aws.sns.Topic("alerts", { name: "alerts" });
  const alarm = new aws.cloudwatch.MetricAlarm("errors", {
    name: "errors",
    namespace: "AWS/Lambda",
    metricName: "Errors",
    comparisonOperator: "GreaterThanThreshold",
    threshold: 0,
    evaluationPeriods: 1,
    period: 60,
    statistic: "Sum",
    alarmActions: [topic.arn],
  });
  const other = new aws.Provider("other", {
    region: "us-west-2",
    assumeRoles: [{ roleArn: "arn:aws:iam::210987654321:role/deployer" }],
  });
  const role = new aws.iam.Role(
    "reader",
    { assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [] }) },
    { provider: other, protect: true },
  );
  const secretParam = new aws.ssm.Parameter("token", {
    type: "SecureString",
    value: pulumi.secret("s3cr3t-value"),
  });
  return { topicArn: topic.arn, alarmArn: alarm.arn, roleArn: role.arn, param: secretParam.name };
}

const config = {
  "aws:region": "eu-west-1",
  "aws:allowedAccountIds": '["123456789012"]',
};

describe("offline engine: config loaded as the CLI loads it", () => {
  it("namespaces project keys, lets the stack override them, and takes value/default forms", () => {
    const c = loadStackConfig(FIXTURES, "alpha");
    assert.equal(c.project, "fixture");
    assert.equal(c.config["fixture:greeting"], "hi");
    assert.equal(c.config["fixture:limits"], '{"max":3}');
    assert.equal(c.config["aws:region"], "eu-west-1");
    assert.equal(c.config["fixture:retries"], "2");
    assert.equal(c.config["aws:allowedAccountIds"], '["123456789012"]');
  });

  it("replaces secure values, also nested ones, with marked placeholders and lists the keys", () => {
    const c = loadStackConfig(FIXTURES, "alpha");
    assert.equal(c.config["fixture:apiToken"], secretPlaceholder("fixture:apiToken"));
    assert.deepEqual(JSON.parse(c.config["fixture:nested"]), {
      endpoints: [{ url: "https://example.com", password: "[secret:fixture:nested]" }],
    });
    assert.deepEqual(c.secretKeys.sort(), ["fixture:apiToken", "fixture:nested"]);
  });

  it("refuses an unnamespaced key in a stack file with the CLI's message", () => {
    assert.throws(
      () => loadStackConfig(FIXTURES, "bad"),
      (e: unknown) =>
        e instanceof ProjectFileError &&
        /could not parse greeting as a configuration key/.test(e.message),
    );
  });

  it("names the existing stacks when asked for a missing one", () => {
    assert.deepEqual(listStacks(FIXTURES), ["alpha", "bad"]);
    assert.throws(
      () => loadStackConfig(FIXTURES, "gamma"),
      /no such stack; the project's stacks are alpha, bad/,
    );
  });
});

describe("offline engine: what the engine receives", () => {
  it("records dependencies and property dependencies as the engine would send them", async () => {
    const run = await evaluate({
      project: "fixture",
      stack: "alpha",
      config,
      program: alarmProgram,
    });
    assert.equal(run.error, undefined);
    const topic = run.resources.find((r) => r.name === "alerts")!;
    const alarm = run.resources.find((r) => r.name === "errors")!;
    assert.ok(alarm.dependencies.includes(topic.urn));
    assert.deepEqual(alarm.propertyDependencies["alarmActions"], [topic.urn]);
    assert.equal(alarm.parent, run.resources.find((r) => r.type === "pulumi:pulumi:Stack")!.urn);
  });

  it("computes ARNs with the account and region of each resource's provider", async () => {
    const run = await evaluate({
      project: "fixture",
      stack: "alpha",
      config,
      program: alarmProgram,
    });
    assert.equal(run.outputs["topicArn"], "arn:aws:sns:eu-west-1:123456789012:alerts");
    assert.equal(run.outputs["alarmArn"], "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:errors");
    const role = run.resources.find((r) => r.name === "reader")!;
    assert.equal(role.account, "210987654321");
    assert.equal(role.region, "us-west-2");
    assert.match(
      String(run.outputs["roleArn"]),
      /^arn:aws:iam::210987654321:role\/reader-[0-9a-f]{7}$/,
    );
    assert.equal(role.protect, true);
    const alarm = run.resources.find((r) => r.name === "errors")!;
    assert.deepEqual(alarm.inputs["alarmActions"], ["arn:aws:sns:eu-west-1:123456789012:alerts"]);
  });

  it("unwraps secrets for policies and records where they were", async () => {
    const run = await evaluate({
      project: "fixture",
      stack: "alpha",
      config,
      program: alarmProgram,
    });
    const param = run.resources.find((r) => r.name === "token")!;
    assert.equal(param.inputs["value"], "s3cr3t-value");
    assert.deepEqual(param.secretPaths, ["value"]);
  });

  it("leaves ids and ARNs unknown in preview, as pulumi preview shows new resources", async () => {
    const run = await evaluate({
      project: "fixture",
      stack: "alpha",
      config,
      preview: true,
      program: alarmProgram,
    });
    assert.equal(run.error, undefined);
    const alarm = run.resources.find((r) => r.name === "errors")!;
    assert.deepEqual(alarm.inputs["alarmActions"], [UNKNOWN]);
    assert.equal(alarm.id, undefined);
    assert.equal(run.outputs["topicArn"], undefined);
    // Auto-names are known in preview: the provider picks them before creating.
    const role = run.resources.find((r) => r.name === "reader")!;
    assert.match(String(role.outputs["name"]), /^reader-[0-9a-f]{7}$/);
  });

  it("answers the provider functions the blueprint calls for the caller's account and region", async () => {
    const run = await evaluate({
      project: "fixture",
      stack: "alpha",
      config,
      program: async () => {
        const id = await aws.getCallerIdentity();
        const region = await aws.getRegion();
        const partition = await aws.getPartition();
        return { account: id.accountId, region: region.region, partition: partition.partition };
      },
    });
    assert.equal(run.error, undefined);
    assert.deepEqual(run.outputs, {
      account: "123456789012",
      region: "eu-west-1",
      partition: "aws",
    });
  });

  it("fails clearly on a provider function it does not know", async () => {
    const run = await evaluate({
      project: "fixture",
      stack: "alpha",
      config,
      program: async () => aws.ec2.getVpc({ default: true }),
    });
    assert.match(
      String(run.error),
      /no answer for the provider function aws:ec2\/getVpc:getVpc; add one to plan\/engine\/invokes.ts/,
    );
  });

  it("keeps stacks apart when several are evaluated in one process", async () => {
    const [a, b] = await Promise.all([
      evaluate({ project: "fixture", stack: "alpha", config, program: alarmProgram }),
      evaluate({
        project: "fixture",
        stack: "beta",
        config: { "aws:region": "us-east-2", "aws:allowedAccountIds": '["111122223333"]' },
        program: alarmProgram,
      }),
    ]);
    assert.equal(a.outputs["topicArn"], "arn:aws:sns:eu-west-1:123456789012:alerts");
    assert.equal(b.outputs["topicArn"], "arn:aws:sns:us-east-2:111122223333:alerts");
    assert.ok(b.resources.every((r) => r.urn.startsWith("urn:pulumi:beta::fixture::")));
  });

  it("renders getPolicyDocument like the provider: single values unwrapped", () => {
    const json = renderPolicyDocument({
      statements: [
        {
          effect: "Allow",
          actions: ["sts:AssumeRole"],
          principals: [{ type: "AWS", identifiers: ["arn:aws:iam::111111111111:root"] }],
          conditions: [
            { test: "StringEquals", variable: "aws:PrincipalOrgID", values: ["o-abc1234567"] },
          ],
        },
      ],
    });
    assert.deepEqual(JSON.parse(json), {
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Action: "sts:AssumeRole",
          Principal: { AWS: "arn:aws:iam::111111111111:root" },
          Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc1234567" } },
        },
      ],
    });
  });
});
