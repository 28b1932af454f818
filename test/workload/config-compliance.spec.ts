// AWS Config in the workload accounts: off unless the organization turns it on; a recorder with an
// encrypted, TLS-only delivery bucket where the platform records, none where the account has a
// recorder already; the platform's managed rules; NON_COMPLIANT evaluations to the alarm topic of
// their region; the tools account's aggregator authorized; bad settings refused with their path.
import { strict as assert } from "assert";
import { ConfigError } from "../../model/config";
import { Organization } from "../../model/config/schema";
import { defaultRules, MANAGED_RULES, managedRule } from "../../model/compliance";
import { complianceNames, environmentNames } from "../../model/naming";
import {
  evaluateWithBoundary,
  parsePolicy,
  resourcePolicyAllows,
} from "../../plan/report/iam-eval";
import {
  createdResources,
  deployedRole,
  ofType,
  RecordedResource,
  runStack,
  runStackOk,
  RunStackOptions,
  StackRun,
} from "../helpers";

const RULE = "aws:cfg/rule:Rule";
const RECORDER = "aws:cfg/recorder:Recorder";
const CHANNEL = "aws:cfg/deliveryChannel:DeliveryChannel";
const STATUS = "aws:cfg/recorderStatus:RecorderStatus";
const AUTH = "aws:cfg/aggregateAuthorization:AggregateAuthorization";
const EVENT_RULE = "aws:cloudwatch/eventRule:EventRule";
const EVENT_TARGET = "aws:cloudwatch/eventTarget:EventTarget";
const CONFIG_TYPES = [
  RULE,
  RECORDER,
  CHANNEL,
  STATUS,
  AUTH,
  "aws:iam/serviceLinkedRole:ServiceLinkedRole",
];
const PROD_US = "444444444444";

const configResources = (run: StackRun) =>
  run.resources.filter((r) => CONFIG_TYPES.includes(r.type) || r.urn.includes("ConfigCompliance"));
const identifiers = (rules: RecordedResource[]) =>
  rules.map((r) => (r.inputs["source"] as { sourceIdentifier: string }).sourceIdentifier).sort();
const env = (o: Organization, name: string) => o.environments.find((e) => e.name === name)!;
const twoRegions = (o: Organization) => {
  env(o, "prod").accounts[0]!.regions = ["us-east-1", "us-west-2"];
};

describe("AWS Config is opt in", () => {
  it("dev and staging, where the example leaves it off, get no Config resource", async () => {
    for (const stack of ["dev", "staging"]) {
      const run = await runStackOk(stack);
      assert.deepEqual(configResources(run), [], stack);
    }
  });

  it("turning it off for one account of an environment that has it on leaves that account out", async () => {
    const run = await runStackOk("prod", {
      editOrganization: (o) => {
        env(o, "prod").accounts[0]!.compliance = { awsConfig: { enabled: false } };
      },
    });
    assert.deepEqual(configResources(run), []);
  });
});

describe("recorder where the platform records", () => {
  let run: StackRun;
  before(async () => {
    run = await runStackOk("prod", { editOrganization: twoRegions });
  });

  it("records in every region as the service-linked role, only what the rules evaluate", async () => {
    const recorders = ofType(run, RECORDER);
    assert.deepEqual(recorders.map((r) => r.region).sort(), ["us-east-1", "us-west-2"]);
    const slr = `arn:aws:iam::${PROD_US}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`;
    const workload = defaultRules("workload");
    for (const r of recorders) {
      assert.equal(r.inputs["roleArn"], slr);
      const home = r.region === "us-east-1";
      const expected = [
        ...new Set(
          workload.filter((x) => home || !x.homeRegionOnly).flatMap((x) => x.resourceTypes),
        ),
      ].sort();
      assert.deepEqual(r.inputs["recordingGroup"], {
        allSupported: false,
        includeGlobalResourceTypes: false,
        resourceTypes: expected,
      });
      // IAM is global: recorded once, in the home region.
      assert.equal(expected.includes("AWS::IAM::Policy"), home, r.region);
    }
    const [role] = ofType(run, "aws:iam/serviceLinkedRole:ServiceLinkedRole");
    assert.equal(role?.inputs["awsServiceName"], "config.amazonaws.com");
    assert.equal(role?.region, "us-east-1");
  });

  it("delivers to one encrypted bucket of the home region and turns each recorder on", async () => {
    const channels = ofType(run, CHANNEL);
    assert.equal(channels.length, 2);
    const bucketName = complianceNames("acme", PROD_US).configBucket;
    const [bucket] = ofType(run, "aws:s3/bucket:Bucket").filter(
      (b) => b.inputs["bucket"] === bucketName,
    );
    assert.ok(bucket, "the delivery bucket");
    assert.equal(bucket.region, "us-east-1");
    const key = ofType(run, "aws:kms/key:Key").find((k) => k.urn.includes("ConfigCompliance"))!;
    assert.equal(key.inputs["enableKeyRotation"], true);
    for (const c of channels) {
      assert.equal(c.inputs["s3BucketName"], bucketName);
      assert.equal(c.inputs["s3KmsKeyArn"], key.outputs["arn"]);
    }
    const [sse] = ofType(
      run,
      "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    ).filter((s) => s.inputs["bucket"] === bucketName);
    assert.equal(
      (
        sse!.inputs["rules"] as { applyServerSideEncryptionByDefault: { kmsMasterKeyId: string } }[]
      )[0]!.applyServerSideEncryptionByDefault.kmsMasterKeyId,
      key.outputs["arn"],
    );
    for (const s of ofType(run, STATUS)) {
      assert.equal(s.inputs["isEnabled"], true);
      const channel = channels.find((c) => c.region === s.region)!;
      assert.ok(s.dependencies.includes(channel.urn), "on only once it can deliver");
    }
  });

  it("the bucket and key admit Config of this account only, and nothing without TLS", async () => {
    const bucketName = complianceNames("acme", PROD_US).configBucket;
    const bucketArn = `arn:aws:s3:::${bucketName}`;
    const [policy] = ofType(run, "aws:s3/bucketPolicy:BucketPolicy").filter(
      (p) => p.inputs["bucket"] === bucketName,
    );
    const doc = parsePolicy(policy!.inputs["policy"]);
    const config = { arn: "config.amazonaws.com", service: "config.amazonaws.com" };
    const put = (account: string, tls = "true") =>
      resourcePolicyAllows(doc, config as never, {
        action: "s3:PutObject",
        resource: `${bucketArn}/AWSLogs/${PROD_US}/Config/x.json.gz`,
        context: {
          "aws:SourceAccount": account,
          "s3:x-amz-acl": "bucket-owner-full-control",
          "aws:SecureTransport": tls,
        },
      });
    assert.equal(put(PROD_US), true);
    assert.equal(put("999999999999"), false);
    assert.equal(put(PROD_US, "false"), false);
    const key = ofType(run, "aws:kms/key:Key").find((k) => k.urn.includes("ConfigCompliance"))!;
    const keyDoc = parsePolicy(key.inputs["policy"]);
    const use = (account: string) =>
      resourcePolicyAllows(keyDoc, config as never, {
        action: "kms:GenerateDataKey",
        resource: String(key.outputs["arn"]),
        context: { "aws:SourceAccount": account },
      });
    assert.equal(use(PROD_US), true);
    assert.equal(use("999999999999"), false);
  });
});

describe("an account with a recorder already", () => {
  it("gets the rules and the notification, and no recorder, channel, bucket or role", async () => {
    const run = await runStackOk("prod-eu");
    assert.equal(ofType(run, RECORDER).length, 0);
    assert.equal(ofType(run, CHANNEL).length, 0);
    assert.equal(ofType(run, STATUS).length, 0);
    assert.equal(ofType(run, "aws:iam/serviceLinkedRole:ServiceLinkedRole").length, 0);
    assert.ok(!ofType(run, "aws:s3/bucket:Bucket").some((b) => b.urn.includes("ConfigCompliance")));
    assert.deepEqual(
      identifiers(ofType(run, RULE)),
      defaultRules("workload")
        .map((r) => r.identifier)
        .sort(),
    );
    for (const r of ofType(run, RULE))
      assert.deepEqual(r.dependencies, [], "no recorder to wait for");
    assert.equal(ofType(run, EVENT_RULE).length, 1);
  });
});

describe("the platform's rules", () => {
  it("are AWS managed rules, each named after its identifier, account-level ones in the home region only", async () => {
    const run = await runStackOk("prod", { editOrganization: twoRegions });
    const byRegion = (region: string) => ofType(run, RULE).filter((r) => r.region === region);
    const all = defaultRules("workload");
    assert.deepEqual(identifiers(byRegion("us-east-1")), all.map((r) => r.identifier).sort());
    assert.deepEqual(
      identifiers(byRegion("us-west-2")),
      all
        .filter((r) => !r.homeRegionOnly)
        .map((r) => r.identifier)
        .sort(),
    );
    const status = ofType(run, STATUS);
    for (const r of ofType(run, RULE)) {
      const source = r.inputs["source"] as { owner: string; sourceIdentifier: string };
      assert.equal(source.owner, "AWS");
      assert.equal(
        r.inputs["name"],
        complianceNames("acme", PROD_US).configRule(source.sourceIdentifier),
      );
      const mine = status.find((s) => s.region === r.region)!;
      assert.ok(r.dependencies.includes(mine.urn), "a rule waits for its recorder");
    }
    const alarms = ofType(run, RULE).find(
      (r) =>
        (r.inputs["source"] as { sourceIdentifier: string }).sourceIdentifier ===
        "CLOUDWATCH_ALARM_ACTION_CHECK",
    )!;
    // The platform's alarms act on ALARM and OK, never on INSUFFICIENT_DATA.
    assert.deepEqual(JSON.parse(String(alarms.inputs["inputParameters"])), {
      alarmActionRequired: "true",
      insufficientDataActionRequired: "false",
      okActionRequired: "false",
    });
  });

  it("an environment's rules replace the defaults; an account may override its environment", async () => {
    const run = await runStackOk("prod", {
      editOrganization: (o) => {
        env(o, "prod").compliance = {
          awsConfig: { enabled: true, rules: ["S3_BUCKET_SSL_REQUESTS_ONLY", "SNS_ENCRYPTED_KMS"] },
        };
        env(o, "prod").accounts[0]!.compliance = { awsConfig: { rules: ["API_GW_XRAY_ENABLED"] } };
      },
    });
    assert.deepEqual(identifiers(ofType(run, RULE)), ["API_GW_XRAY_ENABLED"]);
    assert.deepEqual(ofType(run, RECORDER)[0]!.inputs["recordingGroup"], {
      allSupported: false,
      includeGlobalResourceTypes: false,
      resourceTypes: ["AWS::ApiGateway::Stage"],
    });
  });

  it("every rule of the catalogue names its page, resource types and why it fits", () => {
    for (const r of MANAGED_RULES) {
      assert.match(r.identifier, /^[A-Z0-9_]+$/);
      assert.match(
        r.page,
        /^https:\/\/docs\.aws\.amazon\.com\/config\/latest\/developerguide\/[a-z0-9-]+\.html$/,
      );
      // `why` is the rule's description, which Config limits to 256 characters.
      assert.ok(r.why.length > 20 && r.why.length <= 256, r.identifier);
      assert.equal(managedRule(r.identifier), r);
      if (r.trigger === "change") assert.ok(r.resourceTypes.length > 0, r.identifier);
    }
  });
});

describe("non-compliance reaches the alarm topic of its region", () => {
  it("an EventBridge rule per region matches NON_COMPLIANT evaluations and targets that topic", async () => {
    const run = await runStackOk("prod", { editOrganization: twoRegions });
    const name = complianceNames("acme", PROD_US).nonCompliantRule;
    const rules = ofType(run, EVENT_RULE);
    assert.deepEqual(rules.map((r) => r.region).sort(), ["us-east-1", "us-west-2"]);
    for (const rule of rules) {
      assert.equal(rule.inputs["name"], name);
      assert.deepEqual(JSON.parse(String(rule.inputs["eventPattern"])), {
        source: ["aws.config"],
        "detail-type": ["Config Rules Compliance Change"],
        detail: {
          messageType: ["ComplianceChangeNotification"],
          newEvaluationResult: { complianceType: ["NON_COMPLIANT"] },
        },
      });
      const [target] = ofType(run, EVENT_TARGET).filter((t) => t.region === rule.region);
      const [topic] = ofType(run, "aws:sns/topic:Topic").filter((t) => t.region === rule.region);
      assert.equal(target!.inputs["arn"], topic!.outputs["arn"]);
      const [topicPolicy] = ofType(run, "aws:sns/topicPolicy:TopicPolicy").filter(
        (t) => t.region === rule.region,
      );
      assert.ok(
        target!.dependencies.includes(topicPolicy!.urn),
        "waits for the policy that admits it",
      );
    }
  });

  it("the topic and its key admit this rule of this account, no other rule", async () => {
    const run = await runStackOk("prod");
    const [topic] = ofType(run, "aws:sns/topic:Topic");
    const [topicPolicy] = ofType(run, "aws:sns/topicPolicy:TopicPolicy");
    const key = ofType(run, "aws:kms/key:Key").find(
      (k) => k.outputs["arn"] === topic!.inputs["kmsMasterKeyId"],
    )!;
    const events = { arn: "events.amazonaws.com", service: "events.amazonaws.com" };
    const name = complianceNames("acme", PROD_US).nonCompliantRule;
    const from = (account: string, rule = name) => ({
      "aws:SourceArn": `arn:aws:events:us-east-1:${account}:rule/${rule}`,
      "aws:SourceAccount": account,
      "aws:SecureTransport": "true",
    });
    const publish = (context: Record<string, string>) =>
      resourcePolicyAllows(parsePolicy(topicPolicy!.inputs["policy"]), events as never, {
        action: "sns:Publish",
        resource: String(topic!.outputs["arn"]),
        context,
      });
    assert.equal(publish(from(PROD_US)), true);
    assert.equal(publish(from(PROD_US, "someone-elses-rule")), false);
    assert.equal(publish(from("999999999999")), false);
    const encrypt = (via: string) =>
      resourcePolicyAllows(parsePolicy(key.inputs["policy"]), events as never, {
        action: "kms:GenerateDataKey",
        resource: String(key.outputs["arn"]),
        context: { "kms:ViaService": via },
      });
    assert.equal(encrypt("sns.us-east-1.amazonaws.com"), true);
    assert.equal(encrypt("s3.us-east-1.amazonaws.com"), false);
  });

  it("where Config is off, the alarm topic admits no EventBridge rule", async () => {
    const run = await runStackOk("dev");
    const [topicPolicy] = ofType(run, "aws:sns/topicPolicy:TopicPolicy");
    const sids = parsePolicy(topicPolicy!.inputs["policy"]).Statement.map((s) => s.Sid);
    assert.ok(!sids.includes("ComplianceChangesPublish"), sids.join(","));
  });
});

describe("the tools account's aggregator is authorized", () => {
  it("with account aggregation, in every region of the account", async () => {
    const run = await runStackOk("prod", { editOrganization: twoRegions });
    const auths = ofType(run, AUTH);
    assert.deepEqual(auths.map((a) => a.region).sort(), ["us-east-1", "us-west-2"]);
    for (const a of auths) {
      assert.equal(a.inputs["accountId"], "111111111111");
      assert.equal(a.inputs["authorizedAwsRegion"], "us-east-1");
    }
  });

  it("with organization aggregation, not at all", async () => {
    const run = await runStackOk("prod", {
      editOrganization: (o) => {
        o.compliance = { awsConfig: { enabled: false, aggregation: "organization" } };
      },
    });
    assert.equal(ofType(run, AUTH).length, 0);
    assert.ok(ofType(run, RULE).length > 0);
  });
});

/** Runs a stack that must fail validation; returns its problems as "path: message". */
async function problemsOf(stack: string, options: RunStackOptions): Promise<string[]> {
  const run = await runStack(stack, options);
  assert.ok(run.error instanceof ConfigError, `expected a ConfigError, got ${String(run.error)}`);
  assert.deepEqual(createdResources(run), [], "a bad config creates nothing");
  return run.error.problems.map((p) => `${p.path}: ${p.message}`);
}

describe("bad AWS Config settings", () => {
  it("refuses an unknown rule identifier, naming the closest known one", async () => {
    const problems = await problemsOf("prod", {
      editOrganization: (o) => {
        env(o, "prod").compliance = {
          awsConfig: {
            enabled: true,
            rules: ["S3_BUCKET_SSL_ONLY_REQUESTS", "NO_SUCH_THING_AT_ALL"],
          },
        };
      },
    });
    assert.deepEqual(problems, [
      "organization.environments[2].compliance.awsConfig.rules[0]: S3_BUCKET_SSL_ONLY_REQUESTS is not an AWS Config managed rule the platform knows (did you mean S3_BUCKET_SSL_REQUESTS_ONLY?); use one of the identifiers of model/compliance.ts (docs/compliance.md lists them), or add the rule there with its page",
      "organization.environments[2].compliance.awsConfig.rules[1]: NO_SUCH_THING_AT_ALL is not an AWS Config managed rule the platform knows; use one of the identifiers of model/compliance.ts (docs/compliance.md lists them), or add the rule there with its page",
    ]);
  });

  it("refuses a rule that is not written as an identifier, and a rule listed twice", async () => {
    const problems = await problemsOf("prod", {
      editOrganization: (o) => {
        env(o, "prod").compliance = {
          awsConfig: {
            enabled: true,
            rules: ["s3-bucket-ssl-requests-only", "SNS_ENCRYPTED_KMS", "SNS_ENCRYPTED_KMS"],
          },
        };
      },
    });
    assert.deepEqual(problems, [
      'organization.environments[2].compliance.awsConfig.rules[0]: "s3-bucket-ssl-requests-only" is not an AWS Config managed rule identifier; write it as the rule\'s page gives it, such as "S3_BUCKET_SSL_REQUESTS_ONLY"',
      "organization.environments[2].compliance.awsConfig.rules[2]: SNS_ENCRYPTED_KMS is listed twice; list it once",
    ]);
  });

  it("refuses an empty rule list", async () => {
    const problems = await problemsOf("prod", {
      editOrganization: (o) => {
        env(o, "prod").compliance = { awsConfig: { enabled: true, rules: [] } };
      },
    });
    assert.deepEqual(problems, [
      "organization.environments[2].compliance.awsConfig.rules: rules is empty; list at least one rule, remove rules for the platform's defaults, or set enabled: false",
    ]);
  });

  it("refuses recorder settings for an account whose recorder exists already", async () => {
    const problems = await problemsOf("prod-eu", {
      editOrganization: (o) => {
        env(o, "prod").accounts[1]!.compliance = {
          awsConfig: { existingRecorder: true, recorder: { recordingFrequency: "DAILY" } },
        };
      },
    });
    assert.deepEqual(problems, [
      "organization.environments[2].accounts[1].compliance.awsConfig.recorder: the account has a recorder already (existingRecorder: true), so the platform creates none to configure; remove recorder, or set existingRecorder: false to let the platform create the recorder",
    ]);
  });

  it("refuses organization aggregation without the organization id, and unknown keys", async () => {
    const problems = await problemsOf("tools", {
      editOrganization: (o) => {
        delete (o as { id?: string }).id;
        o.compliance = { awsConfig: { enabled: true, aggregation: "organization" } };
        (env(o, "dev") as unknown as Record<string, unknown>)["compliance"] = {
          awsConfig: { enable: true },
        };
      },
    });
    assert.ok(
      problems.includes(
        'organization.compliance.awsConfig.aggregation: organization aggregation collects from every account of the AWS organization, so it needs organization.id; set organization.id ("o-..."), or use aggregation: "accounts" to aggregate the listed accounts',
      ),
      problems.join("\n"),
    );
    assert.ok(
      problems.some(
        (p) =>
          p.startsWith("organization.environments[0].compliance.awsConfig: ") &&
          p.includes("enable"),
      ),
      problems.join("\n"),
    );
  });
});

describe("deployments cannot switch off what watches them", () => {
  it("the deploy role may not stop recording, touch the platform's rule or sampling, or change trace encryption; its own rules stay its own", async () => {
    const run = await runStackOk("prod");
    const r = deployedRole(run, environmentNames("acme", "prod").workloadDeployRole);
    const identity = r.identity.map((d) => parsePolicy(d));
    const boundary = [parsePolicy(r.boundary)];
    const can = (action: string, resource: string) =>
      evaluateWithBoundary(identity, boundary, { action, resource });
    const rule = `arn:aws:events:us-east-1:${PROD_US}:rule/${complianceNames("acme", PROD_US).nonCompliantRule}`;
    const sampling = `arn:aws:xray:us-east-1:${PROD_US}:sampling-rule/acme-prod`;
    assert.equal(can("config:StopConfigurationRecorder", "*"), "explicit-deny");
    assert.equal(can("config:DeleteDeliveryChannel", "*"), "explicit-deny");
    assert.equal(can("xray:PutEncryptionConfig", "*"), "explicit-deny");
    assert.equal(can("events:RemoveTargets", rule), "explicit-deny");
    assert.equal(can("events:DeleteRule", rule), "explicit-deny");
    assert.equal(can("xray:DeleteSamplingRule", sampling), "explicit-deny");
    // The applications' own EventBridge rules and sampling rules (events and xray are allowed).
    assert.equal(
      can("events:PutRule", `arn:aws:events:us-east-1:${PROD_US}:rule/orders-nightly`),
      "allow",
    );
    assert.equal(
      can("xray:UpdateSamplingRule", `arn:aws:xray:us-east-1:${PROD_US}:sampling-rule/orders`),
      "allow",
    );
    // A role the deployments create carries the boundary: it cannot stop recording either.
    assert.equal(
      evaluateWithBoundary(
        [
          parsePolicy({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
          }),
        ],
        boundary,
        { action: "config:StopConfigurationRecorder", resource: "*" },
      ),
      "explicit-deny",
    );
  });
});
