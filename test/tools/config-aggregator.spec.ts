// AWS Config seen from the tools account: the aggregator over the accounts with Config on (or the
// whole organization, with a role that can only list its accounts), the tools account's own
// recorder and rules when it has Config on, and its non-compliance on the platform topic.
import { strict as assert } from "assert";
import { defaultRules } from "../../model/compliance";
import { Organization } from "../../model/config/schema";
import { complianceNames } from "../../model/naming";
import { pipelineModel } from "../../model/pipeline";
import { toolsFootprint } from "../../model/quotas";
import { parsePolicy, resourcePolicyAllows } from "../../plan/report/iam-eval";
import { complianceSummary, renderCompliance } from "../../plan/report/views";
import { ofType, runStackOk, StackRun } from "../helpers";

const AGGREGATOR = "aws:cfg/configurationAggregator:ConfigurationAggregator";
const RULE = "aws:cfg/rule:Rule";
const TOOLS = "111111111111";
const names = complianceNames("acme", TOOLS);
const toolsOn = (o: Organization) => {
  o.tools.compliance = { awsConfig: { enabled: true } };
};
const footprintMatches = (run: StackRun, o: Organization) => {
  const f = toolsFootprint(
    o,
    o.applications.map((a) => pipelineModel(o, a)),
  );
  assert.equal(f.eventRules, ofType(run, "aws:cloudwatch/eventRule:EventRule").length);
  // A service-linked role counts against the roles quota too.
  assert.equal(
    f.iamRoles,
    ofType(run, "aws:iam/role:Role").length +
      ofType(run, "aws:iam/serviceLinkedRole:ServiceLinkedRole").length,
  );
};

describe("the tools account's Config aggregator", () => {
  it("aggregates the accounts with Config on, over their regions (the example: production)", async () => {
    const run = await runStackOk("tools");
    const [aggregator] = ofType(run, AGGREGATOR);
    assert.equal(aggregator?.inputs["name"], names.aggregator);
    assert.equal(aggregator?.region, "us-east-1");
    assert.deepEqual(aggregator?.inputs["accountAggregationSource"], {
      accountIds: ["444444444444", "555555555555"],
      regions: ["eu-west-1", "us-east-1"],
    });
    assert.equal(aggregator?.inputs["organizationAggregationSource"], undefined);
    // The tools account itself has Config off in the example: no recorder, no rules.
    assert.equal(ofType(run, RULE).length, 0);
    assert.equal(ofType(run, "aws:cfg/recorder:Recorder").length, 0);
  });

  it("is not created when no account has Config on", async () => {
    const run = await runStackOk("tools", {
      editOrganization: (o) => {
        o.environments.forEach((e) => delete e.compliance);
      },
    });
    assert.equal(ofType(run, AGGREGATOR).length, 0);
  });

  it("with organization aggregation, uses a role that may only list the organization's accounts", async () => {
    let org: Organization | undefined;
    const run = await runStackOk("tools", {
      editOrganization: (o) => {
        o.compliance = { awsConfig: { enabled: false, aggregation: "organization" } };
        org = o;
      },
    });
    const [aggregator] = ofType(run, AGGREGATOR);
    const role = ofType(run, "aws:iam/role:Role").find(
      (r) => r.inputs["name"] === names.aggregatorRole,
    )!;
    assert.deepEqual(aggregator?.inputs["organizationAggregationSource"], {
      allRegions: true,
      roleArn: role.outputs["arn"],
    });
    assert.equal(aggregator?.inputs["accountAggregationSource"], undefined);
    const trust = parsePolicy(role.inputs["assumeRolePolicy"]);
    const config = { arn: "config.amazonaws.com", service: "config.amazonaws.com" };
    const assume = (account: string) =>
      resourcePolicyAllows(trust, config as never, {
        action: "sts:AssumeRole",
        resource: String(role.outputs["arn"]),
        context: { "aws:SourceAccount": account },
      });
    assert.equal(assume(TOOLS), true);
    assert.equal(assume("444444444444"), false);
    const [inline] = ofType(run, "aws:iam/rolePolicy:RolePolicy").filter(
      (p) => p.inputs["role"] === names.aggregatorRole,
    );
    assert.deepEqual(parsePolicy(inline!.inputs["policy"]).Statement, [
      {
        Sid: "ReadOrganizationAccounts",
        Effect: "Allow",
        Action: [
          "organizations:DescribeOrganization",
          "organizations:ListAWSServiceAccessForOrganization",
          "organizations:ListAccounts",
        ],
        Resource: "*",
      },
    ]);
    footprintMatches(run, org!);
  });
});

describe("AWS Config in the tools account", () => {
  let run: StackRun;
  let org: Organization;
  before(async () => {
    run = await runStackOk("tools", {
      editOrganization: (o) => {
        toolsOn(o);
        org = o;
      },
    });
  });

  it("records and evaluates the tools rules in the home region, and joins the aggregator", async () => {
    assert.deepEqual(
      ofType(run, RULE)
        .map((r) => (r.inputs["source"] as { sourceIdentifier: string }).sourceIdentifier)
        .sort(),
      defaultRules("tools")
        .map((r) => r.identifier)
        .sort(),
    );
    assert.ok(ofType(run, RULE).every((r) => r.region === "us-east-1"));
    assert.deepEqual(
      ofType(run, "aws:cfg/recorder:Recorder").map((r) => r.region),
      ["us-east-1"],
    );
    const [aggregator] = ofType(run, AGGREGATOR);
    const source = aggregator?.inputs["accountAggregationSource"] as { accountIds: string[] };
    assert.deepEqual(source.accountIds, [TOOLS, "444444444444", "555555555555"]);
    // Same account: the aggregator needs no authorization from the tools account.
    assert.equal(ofType(run, "aws:cfg/aggregateAuthorization:AggregateAuthorization").length, 0);
  });

  it("sends NON_COMPLIANT evaluations to the platform topic, whose policy admits EventBridge of this account", async () => {
    const rule = ofType(run, "aws:cloudwatch/eventRule:EventRule").find(
      (r) => r.inputs["name"] === names.nonCompliantRule,
    )!;
    const target = ofType(run, "aws:cloudwatch/eventTarget:EventTarget").find(
      (t) => t.inputs["rule"] === rule.inputs["name"],
    )!;
    const topic = ofType(run, "aws:sns/topic:Topic").find(
      (t) => t.inputs["name"] === "acme-pipeline-events",
    )!;
    assert.equal(target.inputs["arn"], topic.outputs["arn"]);
    const policy = ofType(run, "aws:sns/topicPolicy:TopicPolicy").find(
      (p) => p.inputs["arn"] === topic.outputs["arn"],
    )!;
    assert.ok(target.dependencies.includes(policy.urn));
    const events = { arn: "events.amazonaws.com", service: "events.amazonaws.com" };
    const publish = (account: string) =>
      resourcePolicyAllows(parsePolicy(policy.inputs["policy"]), events as never, {
        action: "sns:Publish",
        resource: String(topic.outputs["arn"]),
        context: { "aws:SourceAccount": account, "aws:SecureTransport": "true" },
      });
    assert.equal(publish(TOOLS), true);
    assert.equal(publish("444444444444"), false);
  });

  it("the quota footprint counts its rule", () => {
    footprintMatches(run, org);
  });
});

describe("the plan's AWS Config lines", () => {
  it("say how many rules, where, which recorder, and the aggregator, the same in a preview", async () => {
    const expected: Record<string, string[]> = {
      tools: ["AWS Config aggregator: 2 accounts in 2 regions"],
      prod: [
        "AWS Config: 13 rules in us-east-1, recorder: created (service-linked role, encrypted delivery bucket)",
      ],
      "prod-eu": ["AWS Config: 13 rules in eu-west-1, recorder: existing (the account's own)"],
      dev: [],
    };
    for (const [stack, lines] of Object.entries(expected))
      for (const preview of [false, true]) {
        const run = await runStackOk(stack, { preview });
        assert.deepEqual(renderCompliance(complianceSummary(run.resources)), lines, stack);
      }
    const org = await runStackOk("tools", {
      editOrganization: (o) => {
        o.compliance = { awsConfig: { enabled: false, aggregation: "organization" } };
      },
    });
    assert.deepEqual(renderCompliance(complianceSummary(org.resources)), [
      "AWS Config aggregator: every account of the organization, all regions",
    ]);
  });
});
