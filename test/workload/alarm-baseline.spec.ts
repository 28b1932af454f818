// The alarms that gate promotion: every region of a workload account has an encrypted topic with
// subscribers, child alarms and the deployment-health composite alarm, and every alarm notifies.
import { strict as assert } from "assert";
import { parsePolicy, resourcePolicyAllows } from "../../plan/report/iam-eval";
import { environmentNames } from "../../model/naming";
import {
  exampleOrganization,
  exampleRun,
  ofType,
  RecordedResource,
  runStackOk,
  StackRun,
} from "../helpers";

const ORG = exampleOrganization();
const ALARM_TYPES = [
  "aws:cloudwatch/metricAlarm:MetricAlarm",
  "aws:cloudwatch/compositeAlarm:CompositeAlarm",
];
const alarmsOf = (run: StackRun) => ALARM_TYPES.flatMap((t) => ofType(run, t));
const topicIn = (run: StackRun, region: string): RecordedResource => {
  const topics = ofType(run, "aws:sns/topic:Topic").filter((t) => t.region === region);
  assert.equal(topics.length, 1, `one alarm topic in ${region}`);
  return topics[0];
};

describe("promotion gate alarms", () => {
  for (const stack of ["dev", "staging", "prod", "prod-eu"]) {
    it(`${stack}: every alarm notifies the topic of its region, on ALARM and on OK`, async () => {
      const run = await exampleRun(stack);
      const alarms = alarmsOf(run);
      assert.equal(alarms.length, 3);
      for (const alarm of alarms) {
        const topic = topicIn(run, alarm.region);
        assert.notEqual(alarm.inputs["actionsEnabled"], false, alarm.name);
        assert.deepEqual(alarm.inputs["alarmActions"], [topic.outputs["arn"]], alarm.name);
        assert.deepEqual(alarm.inputs["okActions"], [topic.outputs["arn"]], alarm.name);
        assert.ok(alarm.propertyDependencies["alarmActions"]?.includes(topic.urn), alarm.name);
      }
    });

    it(`${stack}: the topic is KMS-encrypted with a rotating key and has the configured subscribers`, async () => {
      const run = await exampleRun(stack);
      const env = run.outputs["environment"] as string;
      const environment = ORG.environments.find((e) => e.name === env);
      const expected = [
        ...ORG.notifications.subscribers,
        ...(environment?.notifications?.subscribers ?? []),
      ].map((s) => s.endpoint);
      for (const topic of ofType(run, "aws:sns/topic:Topic")) {
        const subscriptions = ofType(run, "aws:sns/topicSubscription:TopicSubscription").filter(
          (s) => s.inputs["topic"] === topic.outputs["arn"],
        );
        assert.ok(subscriptions.length > 0);
        assert.deepEqual(subscriptions.map((s) => s.inputs["endpoint"]).sort(), expected.sort());
        const key = ofType(run, "aws:kms/key:Key").find(
          (k) => k.outputs["arn"] === topic.inputs["kmsMasterKeyId"],
        );
        assert.ok(key, "the topic's key is created by the stack");
        assert.equal(key.inputs["enableKeyRotation"], true);
        assert.equal(key.region, topic.region);
      }
    });
  }

  it("the deployment-health alarm combines the child alarms of its region", async () => {
    const run = await exampleRun("prod");
    const n = environmentNames(ORG.prefix, "prod");
    const [health] = ofType(run, "aws:cloudwatch/compositeAlarm:CompositeAlarm");
    assert.equal(health.inputs["alarmName"], n.deploymentHealthAlarm);
    assert.equal(
      health.inputs["alarmRule"],
      `ALARM("${n.lambdaErrorsAlarm}") OR ALARM("${n.lambdaThrottlesAlarm}")`,
    );
    const children = ofType(run, "aws:cloudwatch/metricAlarm:MetricAlarm").map((a) => a.urn);
    for (const child of children) assert.ok(health.dependencies.includes(child));
  });

  it("CloudWatch in this account may use the key and publish; nobody else may", async () => {
    const run = await exampleRun("prod-eu");
    const [key] = ofType(run, "aws:kms/key:Key");
    const [topic] = ofType(run, "aws:sns/topic:Topic");
    const [topicPolicy] = ofType(run, "aws:sns/topicPolicy:TopicPolicy");
    const keyPolicy = parsePolicy(key.inputs["policy"]);
    const snsPolicy = parsePolicy(topicPolicy.inputs["policy"]);
    const cloudwatch = { arn: "cloudwatch.amazonaws.com", service: "cloudwatch.amazonaws.com" };
    const fromAlarm = (account: string) => ({
      "aws:SourceAccount": account,
      "aws:SourceArn": `arn:aws:cloudwatch:eu-west-1:${account}:alarm:acme-prod-deployment-health`,
      "aws:SecureTransport": "true",
    });
    const keyArn = String(key.outputs["arn"]);
    const topicArn = String(topic.outputs["arn"]);
    const ask = (
      doc: typeof keyPolicy,
      who: object,
      action: string,
      resource: string,
      context: Record<string, string>,
    ) => resourcePolicyAllows(doc, who as never, { action, resource, context });
    assert.equal(
      ask(keyPolicy, cloudwatch, "kms:GenerateDataKey", keyArn, fromAlarm("555555555555")),
      true,
    );
    assert.equal(
      ask(snsPolicy, cloudwatch, "sns:Publish", topicArn, fromAlarm("555555555555")),
      true,
    );
    assert.equal(
      ask(keyPolicy, cloudwatch, "kms:GenerateDataKey", keyArn, fromAlarm("999999999999")),
      false,
    );
    assert.equal(
      ask(snsPolicy, cloudwatch, "sns:Publish", topicArn, fromAlarm("999999999999")),
      false,
    );
    const stranger = { arn: "arn:aws:iam::999999999999:role/x", account: "999999999999" };
    assert.equal(ask(keyPolicy, stranger, "kms:Decrypt", keyArn, {}), false);
    assert.equal(
      ask(snsPolicy, stranger, "sns:Publish", topicArn, { "aws:SecureTransport": "true" }),
      false,
    );
    const owner = { arn: "arn:aws:iam::555555555555:role/admin", account: "555555555555" };
    assert.equal(ask(keyPolicy, owner, "kms:PutKeyPolicy", keyArn, {}), true);
  });

  it("a Lambda error rate divides Errors by Invocations with IF(invocations > 0, ...): metric math", async () => {
    // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html
    for (const stack of ["dev", "staging", "prod", "prod-eu"]) {
      const run = await exampleRun(stack);
      const env = run.outputs["environment"] as string;
      const name = environmentNames(ORG.prefix, env).lambdaErrorsAlarm;
      const [alarm] = ofType(run, "aws:cloudwatch/metricAlarm:MetricAlarm").filter(
        (a) => a.inputs["name"] === name,
      );
      assert.ok(alarm, `${stack}: ${name}`);
      type Query = {
        id: string;
        expression?: string;
        returnData?: boolean;
        metric?: { namespace: string; metricName: string; stat: string };
      };
      const queries = alarm.inputs["metricQueries"] as Query[];
      const returned = queries.filter((q) => q.returnData);
      assert.equal(returned.length, 1, stack);
      const expression = (returned[0].expression ?? "").replace(/\s+/g, " ");
      assert.match(expression, /^IF\(invocations > 0, .+, 0\)$/, stack);
      assert.doesNotMatch(expression, /MAX/, stack);
      const inputs = Object.fromEntries(
        queries.filter((q) => q.metric).map((q) => [q.id, q.metric?.metricName]),
      );
      assert.deepEqual(inputs, { errors: "Errors", invocations: "Invocations" }, stack);
      for (const q of queries.filter((x) => x.metric)) {
        assert.equal(q.metric?.namespace, "AWS/Lambda", stack);
        assert.equal(q.metric?.stat, "Sum", stack);
        assert.notEqual(q.returnData, true, stack);
      }
      for (const id of ["errors", "invocations"])
        assert.match(expression, new RegExp(`\\b${id}\\b`));
      for (const top of ["metricName", "namespace", "statistic", "period"])
        assert.equal(alarm.inputs[top], undefined, `${stack}: ${top}`);
    }
  });

  it("an account with two regions gets a full baseline in each", async () => {
    const run = await runStackOk("prod", {
      editOrganization: (o) => {
        const prod = o.environments.find((e) => e.name === "prod");
        if (prod) prod.accounts[0].regions = ["us-east-1", "us-west-2"];
      },
    });
    for (const region of ["us-east-1", "us-west-2"]) {
      const inRegion = run.resources.filter((r) => r.region === region);
      const count = (type: string) => inRegion.filter((r) => r.type === type).length;
      assert.equal(count("aws:cloudwatch/compositeAlarm:CompositeAlarm"), 1, region);
      assert.equal(count("aws:sns/topic:Topic"), 1, region);
      // The topic's key (the account's X-Ray and Config keys are not the baseline's).
      assert.equal(
        inRegion.filter(
          (r) => r.type === "aws:kms/key:Key" && r.urn.includes("platform:workload:AlarmBaseline$"),
        ).length,
        1,
        region,
      );
      assert.equal(count("aws:sns/topicSubscription:TopicSubscription"), 2, region);
    }
    // IAM is global: created once, in the home region.
    assert.equal(
      ofType(run, "aws:iam/role:Role").filter((r) => r.region !== "us-east-1").length,
      0,
    );
  });
});
