// What the tools account would do once deployed, read from what the offline engine recorded:
// the pipelines' stages and gates, who may assume which role, who may use the artifact store,
// that secrets travel by reference only, and that IAM documents do not grow with accounts.
import { strict as assert } from "assert";
import {
  byName,
  EXAMPLE_STAGES,
  createdResources,
  deployedRole,
  ofType,
  runStack,
  runStackOk,
  StackRun,
} from "../helpers";
import {
  evaluatePolicies,
  parsePolicy,
  PolicyDocument,
  resourcePolicyAllows,
} from "../../plan/report/iam-eval";
import { Organization } from "../../model/config/schema";

const ORG = "o-exampleorg01";
const PIPELINE = "aws:codepipeline/pipeline:Pipeline";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
type Stage = {
  name: string;
  actions: Record<string, unknown>[];
  beforeEntry?: { condition: { result: string; rules: Record<string, unknown>[] } };
  onSuccess?: { condition: { result: string; rules: Record<string, unknown>[] } };
  onFailure?: { result: string };
};

const stagesOf = (run: StackRun, pipeline: string) =>
  byName(run, pipeline, PIPELINE).inputs["stages"] as Stage[];
/** The plaintext variables of a CodeBuild action. */
const actionVariables = (action: Record<string, unknown>): Record<string, string> =>
  Object.fromEntries(
    (
      JSON.parse(
        (action["configuration"] as Record<string, string>)["EnvironmentVariables"] ?? "[]",
      ) as { name: string; value: string }[]
    ).map((v) => [v.name, v.value]),
  );
const gateActions = (stage: Stage | undefined) =>
  (stage?.actions ?? []).filter((a) => actionVariables(a)["GATE_PHASE"] !== undefined);
const rolePolicy = (run: StackRun, role: string): PolicyDocument =>
  parsePolicy(byName(run, `${role}-policy`, ROLE_POLICY).inputs["policy"]);
const workloadRole = (account: string, name: string) => `arn:aws:iam::${account}:role/${name}`;
const canAssume = (doc: PolicyDocument, target: string, orgId: string | undefined = ORG) =>
  evaluatePolicies([doc], {
    action: "sts:AssumeRole",
    resource: target,
    context: {
      "aws:ResourceAccount": target.split(":")[4],
      ...(orgId ? { "aws:ResourceOrgID": orgId } : {}),
    },
  }) === "allow";
const sizes = (run: StackRun) =>
  Object.fromEntries(
    run.resources
      .filter((r) =>
        [
          ROLE_POLICY,
          "aws:kms/key:Key",
          "aws:s3/bucketPolicy:BucketPolicy",
          "aws:iam/role:Role",
        ].includes(r.type),
      )
      .map((r) => [r.name, String(r.inputs["policy"] ?? r.inputs["assumeRolePolicy"]).length]),
  );

let run: StackRun;
before(async () => {
  run = await runStackOk("tools");
});

describe("pipelines of the example organization", () => {
  it("are V2 pipelines with the stages in promotion order and parallel runOrders", () => {
    const p = byName(run, "acme-orders-api", PIPELINE);
    assert.equal(p.inputs["pipelineType"], "V2");
    assert.equal(p.outputs["arn"], "arn:aws:codepipeline:us-east-1:111111111111:acme-orders-api");
    const stages = stagesOf(run, "acme-orders-api");
    assert.deepEqual(
      stages.map((s) => s.name),
      [...EXAMPLE_STAGES],
    );
    assert.deepEqual(new Set(stages[1].actions.map((a) => a["runOrder"])), new Set([1]));
    assert.equal(stages[1].actions.length, 6);
  });

  it("asks for a manual approval, notified through SNS, before prod, after checking prod's alarms", () => {
    const approve = stagesOf(run, "acme-orders-api").find((s) => s.name === "Approve-prod");
    const action = approve?.actions.find((a) => a["provider"] === "Manual") as {
      runOrder: number;
      configuration: Record<string, string>;
    };
    assert.equal(
      action.configuration["NotificationArn"],
      "arn:aws:sns:us-east-1:111111111111:acme-pipeline-events",
    );
    const [check] = gateActions(approve);
    assert.ok(check, "the approval stage checks the prod alarms first");
    assert.ok(Number(check["runOrder"]) < action.runOrder);
    assert.equal(
      (check["configuration"] as Record<string, string>)["ProjectName"],
      "acme-alarm-gate-prod",
    );
  });

  it("no CloudWatchAlarm stage rule reads another account's alarm: prod's gates are CodeBuild actions of the prod alarm gate, before and after the deploys, and the stage rolls back", () => {
    for (const p of ["acme-orders-api", "acme-billing-worker", "acme-web-frontend"])
      for (const stage of stagesOf(run, p))
        assert.ok(!stage.beforeEntry && !stage.onSuccess, `${p} ${stage.name}`);
    const prod = stagesOf(run, "acme-orders-api").find((s) => s.name === "Deploy-prod-wave2")!;
    assert.deepEqual(
      gateActions(prod).map((a) => [
        a["name"],
        a["provider"],
        a["runOrder"],
        (a["configuration"] as Record<string, string>)["ProjectName"],
        actionVariables(a),
      ]),
      [
        [
          "AlarmCheck",
          "CodeBuild",
          1,
          "acme-alarm-gate-prod",
          {
            GATE_PHASE: "entry",
            GATE_MINUTES: "0",
            GATE_STAGES: "Deploy-prod-wave1,Deploy-prod-wave2",
          },
        ],
        [
          "Bake",
          "CodeBuild",
          3,
          "acme-alarm-gate-prod",
          {
            GATE_PHASE: "bake",
            GATE_MINUTES: "30",
            GATE_STAGES: "Deploy-prod-wave1,Deploy-prod-wave2",
          },
        ],
      ],
    );
    const deploys = prod.actions.filter((a) => actionVariables(a)["TARGET_ACCOUNT"]);
    assert.deepEqual(
      deploys.map((a) => [actionVariables(a)["TARGET_ACCOUNT"], a["runOrder"]]),
      [["555555555555", 2]],
    );
    assert.equal(prod.onFailure?.result, "ROLLBACK");
  });

  it("the prod alarm gate reads prod's alarms through prod's alarm readers, and nothing else", () => {
    const gate = byName(run, "acme-alarm-gate-prod", "aws:codebuild/project:Project");
    const env = Object.fromEntries(
      (
        (gate.inputs["environment"] as Record<string, unknown>)["environmentVariables"] as {
          name: string;
          value: string;
        }[]
      ).map((v) => [v.name, v.value]),
    );
    assert.equal(env["ALARM_NAME"], "acme-prod-deployment-health");
    assert.equal(env["READER_ROLE_NAME"], "acme-prod-alarm-reader");
    const doc = rolePolicy(run, "acme-alarm-gate-prod-role");
    assert.equal(canAssume(doc, workloadRole("444444444444", "acme-prod-alarm-reader")), true);
    assert.equal(canAssume(doc, workloadRole("555555555555", "acme-prod-alarm-reader")), true);
    assert.equal(canAssume(doc, workloadRole("222222222222", "acme-dev-alarm-reader")), false);
    assert.equal(canAssume(doc, workloadRole("444444444444", "acme-prod-deploy")), false);
    assert.equal(
      evaluatePolicies([doc], {
        action: "codepipeline:GetPipeline",
        resource: "arn:aws:codepipeline:us-east-1:111111111111:acme-orders-api",
      }),
      "allow",
    );
    // Only environments that are gated or bake get a gate.
    assert.deepEqual(
      ofType(run, "aws:codebuild/project:Project")
        .map((p) => String(p.inputs["name"]))
        .filter((n) => n.includes("alarm-gate")),
      ["acme-alarm-gate-prod"],
    );
  });

  it("triggers on the configured branch, with the file-path filters where configured", () => {
    const web = byName(run, "acme-web-frontend", PIPELINE);
    assert.equal(web.inputs["executionMode"], "SUPERSEDED");
    assert.deepEqual(web.inputs["triggers"], [
      {
        providerType: "CodeStarSourceConnection",
        gitConfiguration: {
          sourceActionName: "Source",
          pushes: [
            {
              branches: { includes: ["main"] },
              filePaths: {
                includes: ["src/**", "infra/**", "package.json"],
                excludes: ["docs/**"],
              },
            },
          ],
        },
      },
    ]);
    const billing = byName(run, "acme-billing-worker", PIPELINE).inputs["triggers"] as {
      gitConfiguration: { pushes: { branches: { includes: string[] } }[] };
    }[];
    assert.deepEqual(billing[0].gitConfiguration.pushes[0].branches.includes, ["release"]);
  });

  it("deploys cloudformation natively with the target account's roles and a store per region", () => {
    const p = byName(run, "acme-billing-worker", PIPELINE);
    const prod = (p.inputs["stages"] as Stage[]).find((s) => s.name === "Deploy-prod-wave2");
    const eu = prod?.actions.find((a) => a["name"] === "prod-eu-eu-west-1.plan") as Record<
      string,
      unknown
    > & {
      configuration: Record<string, string>;
    };
    assert.equal(eu["region"], "eu-west-1");
    assert.equal(eu["roleArn"], workloadRole("555555555555", "acme-prod-cfn-action"));
    assert.equal(eu.configuration["RoleArn"], workloadRole("555555555555", "acme-prod-cfn-exec"));
    assert.deepEqual(
      (p.inputs["artifactStores"] as { region: string; location: string }[]).map((s) => [
        s.region,
        s.location,
      ]),
      [
        ["us-east-1", "acme-artifacts-111111111111-us-east-1"],
        ["eu-west-1", "acme-artifacts-111111111111-eu-west-1"],
      ],
    );
  });
});

describe("who may assume what", () => {
  const dev = workloadRole("222222222222", "acme-dev-deploy");
  const staging = workloadRole("333333333333", "acme-staging-deploy");
  const prodUs = workloadRole("444444444444", "acme-prod-deploy");

  it("build roles may assume no role at all", () => {
    for (const app of ["orders-api", "web-frontend", "billing-worker"]) {
      const doc = rolePolicy(run, `acme-${app}-build`);
      for (const target of [dev, staging, prodUs, "arn:aws:iam::999999999999:role/anything", "*"])
        assert.equal(canAssume(doc, target), false, `${app} -> ${target}`);
    }
  });

  it("the dev deploy role may assume only dev's workload deploy role, inside the organization", () => {
    const doc = rolePolicy(run, "acme-tools-deploy-dev");
    assert.equal(canAssume(doc, dev), true);
    assert.equal(canAssume(doc, staging), false);
    assert.equal(canAssume(doc, prodUs), false);
    assert.equal(canAssume(doc, workloadRole("222222222222", "acme-dev-cfn-exec")), false);
    assert.equal(canAssume(doc, dev, "o-someoneelse1"), false);
  });

  it("the prod deploy role may assume prod's deploy role in both prod accounts only", () => {
    const doc = rolePolicy(run, "acme-tools-deploy-prod");
    assert.equal(canAssume(doc, prodUs), true);
    assert.equal(canAssume(doc, workloadRole("555555555555", "acme-prod-deploy")), true);
    assert.equal(canAssume(doc, dev), false);
  });

  it("a pulumi pipeline role assumes no workload role and starts the prod alarm gate; a cloudformation one also assumes the cfn-action roles", () => {
    const orders = rolePolicy(run, "acme-orders-api-pipeline");
    assert.equal(canAssume(orders, workloadRole("444444444444", "acme-prod-alarm-reader")), false);
    assert.equal(canAssume(orders, workloadRole("222222222222", "acme-dev-alarm-reader")), false);
    assert.equal(canAssume(orders, prodUs), false);
    assert.equal(
      evaluatePolicies([orders], {
        action: "codebuild:StartBuild",
        resource: "arn:aws:codebuild:us-east-1:111111111111:project/acme-alarm-gate-prod",
      }),
      "allow",
    );
    const billing = rolePolicy(run, "acme-billing-worker-pipeline");
    assert.equal(canAssume(billing, workloadRole("222222222222", "acme-dev-cfn-action")), true);
    assert.equal(canAssume(billing, workloadRole("444444444444", "acme-prod-cfn-action")), true);
    assert.equal(canAssume(billing, dev), false);
    assert.equal(canAssume(billing, prodUs), false);
    assert.equal(canAssume(billing, workloadRole("444444444444", "acme-prod-cfn-exec")), false);
  });
});

describe("artifact store access", () => {
  const key = () => parsePolicy(byName(run, "acme-artifacts-eu-west-1-key").inputs["policy"]);
  const bucket = () =>
    parsePolicy(byName(run, "acme-artifacts-eu-west-1-bucket-policy").inputs["policy"]);
  const who = (account: string, role: string, orgId = ORG) => ({
    arn: workloadRole(account, role),
    account,
    orgId,
  });
  const object =
    "arn:aws:s3:::acme-artifacts-111111111111-eu-west-1/acme-billing-worker/build/x.zip";
  const decrypt = (p: { arn: string; account: string }) => ({
    action: "kms:Decrypt",
    resource: "*",
    principalArn: p.arn,
    principalAccount: p.account,
    context: { "aws:SecureTransport": "true" },
  });
  const get = (p: { arn: string; account: string }) => ({
    action: "s3:GetObject",
    resource: object,
    principalArn: p.arn,
    principalAccount: p.account,
    context: { "aws:SecureTransport": "true" },
  });

  // https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-CloudFormation.html
  it("A cross-account CloudFormation action reads its input artifact with its action role: the artifact store admits the cfn-action roles only, not the deploy or execution roles", () => {
    for (const p of [
      who("555555555555", "acme-prod-cfn-action"),
      who("444444444444", "acme-prod-cfn-action"),
      who("222222222222", "acme-dev-cfn-action"),
    ]) {
      assert.equal(resourcePolicyAllows(key(), p, decrypt(p)), true, p.arn);
      assert.equal(resourcePolicyAllows(bucket(), p, get(p)), true, p.arn);
    }
    for (const p of [
      who("555555555555", "acme-prod-deploy"),
      who("555555555555", "acme-prod-cfn-exec"),
      who("222222222222", "acme-dev-deploy"),
      who("222222222222", "acme-dev-cfn-exec"),
    ]) {
      assert.equal(resourcePolicyAllows(key(), p, decrypt(p)), false, p.arn);
      assert.equal(resourcePolicyAllows(bucket(), p, get(p)), false, p.arn);
    }
    const action = who("555555555555", "acme-prod-cfn-action");
    for (const write of ["kms:GenerateDataKey", "kms:Encrypt"])
      assert.equal(
        resourcePolicyAllows(key(), action, { ...decrypt(action), action: write }),
        false,
      );
    assert.equal(
      resourcePolicyAllows(bucket(), action, { ...get(action), action: "s3:PutObject" }),
      false,
    );
  });

  it("admits nobody else: other roles, other organizations, encryption by target roles", () => {
    for (const p of [
      who("555555555555", "acme-prod-admin"),
      who("555555555555", "acme-prod-cfn-action", "o-someoneelse1"),
      who("999999999999", "acme-prod-cfn-action", "o-someoneelse1"),
      who("111111111111", "acme-tools-anything"),
    ]) {
      assert.equal(resourcePolicyAllows(key(), p, decrypt(p)), false, p.arn);
      assert.equal(resourcePolicyAllows(bucket(), p, get(p)), false, p.arn);
    }
    const reader = who("555555555555", "acme-prod-cfn-action");
    assert.equal(
      resourcePolicyAllows(key(), reader, { ...decrypt(reader), action: "kms:Encrypt" }),
      false,
    );
  });

  it("refuses requests without TLS", () => {
    const p = who("555555555555", "acme-prod-cfn-action");
    assert.equal(resourcePolicyAllows(bucket(), p, get(p)), true);
    assert.equal(
      resourcePolicyAllows(bucket(), p, { ...get(p), context: { "aws:SecureTransport": "false" } }),
      false,
    );
  });

  it("is versioned, KMS-encrypted with a bucket key, private, expiring and protected", () => {
    for (const region of ["us-east-1", "eu-west-1"]) {
      const base = `acme-artifacts-${region}`;
      const keyRes = byName(run, `${base}-key`);
      assert.equal(keyRes.inputs["enableKeyRotation"], true);
      assert.equal(keyRes.inputs["deletionWindowInDays"], 30);
      assert.equal(keyRes.region, region);
      const bucketRes = byName(run, `${base}-bucket`, "aws:s3/bucket:Bucket");
      for (const r of [keyRes, bucketRes]) assert.ok(r.protect && r.retainOnDelete, r.name);
      const sse = byName(run, `${base}-bucket-encryption`).inputs["rules"] as Record<
        string,
        unknown
      >[];
      assert.equal(sse[0]["bucketKeyEnabled"], true);
      assert.equal(
        (sse[0]["applyServerSideEncryptionByDefault"] as Record<string, string>)["kmsMasterKeyId"],
        keyRes.outputs["arn"],
      );
      assert.equal(
        byName(run, `${base}-bucket-versioning`).inputs["versioningConfiguration"] && true,
        true,
      );
      assert.equal(
        byName(run, `${base}-bucket-public-access`).inputs["restrictPublicBuckets"],
        true,
      );
      assert.deepEqual(byName(run, `${base}-bucket-ownership`).inputs["rule"], {
        objectOwnership: "BucketOwnerEnforced",
      });
    }
  });

  it("keeps the audit trail in a bucket under the same rules, protected", () => {
    const trail = byName(run, "acme-audit", "aws:cloudtrail/trail:Trail");
    assert.equal(trail.inputs["s3BucketName"], "acme-trail-111111111111");
    assert.equal(trail.inputs["enableLogFileValidation"], true);
    assert.ok(byName(run, "acme-audit-bucket", "aws:s3/bucket:Bucket").protect);
    const policy = parsePolicy(byName(run, "acme-audit-bucket-policy").inputs["policy"]);
    assert.ok(policy.Statement.some((s) => s.Sid === "DenyInsecureTransport"));
  });
});

describe("audit trail key", () => {
  // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html
  it("CloudTrail with SSE-KMS and an S3 Bucket Key needs kms:Decrypt: tools-account principals decrypt this trail's logs, no other account or trail", () => {
    const trail = byName(run, "acme-audit", "aws:cloudtrail/trail:Trail");
    const key = byName(run, "acme-audit-key", "aws:kms/key:Key");
    assert.equal(trail.inputs["kmsKeyId"], key.outputs["arn"]);
    const sse = byName(run, "acme-audit-bucket-encryption").inputs["rules"] as Record<
      string,
      unknown
    >[];
    assert.equal(sse[0]["bucketKeyEnabled"], true);
    const doc = parsePolicy(key.inputs["policy"]);
    const trailArn = String(trail.outputs["arn"]);
    assert.equal(trailArn, "arn:aws:cloudtrail:us-east-1:111111111111:trail/acme-tools-trail");
    const decrypt = (account: string, context: string, action = "kms:Decrypt") =>
      resourcePolicyAllows(
        doc,
        { arn: `arn:aws:iam::${account}:role/auditor`, account },
        {
          action,
          resource: String(key.outputs["arn"]),
          context: {
            "kms:CallerAccount": account,
            "kms:EncryptionContext:aws:cloudtrail:arn": context,
          },
        },
      );
    assert.equal(decrypt("111111111111", trailArn), true);
    assert.equal(decrypt("111111111111", trailArn, "kms:ReEncryptFrom"), true);
    assert.equal(decrypt("222222222222", trailArn), false, "another account");
    assert.equal(decrypt("999999999999", trailArn), false, "outside the organization");
    assert.equal(
      decrypt("111111111111", "arn:aws:cloudtrail:us-east-1:111111111111:trail/other"),
      false,
      "another trail",
    );
    assert.equal(decrypt("111111111111", trailArn, "kms:Encrypt"), false, "decrypt only");
  });
});

describe("secrets", () => {
  it("reach builds only as SECRETS_MANAGER / PARAMETER_STORE references", () => {
    const vars = ofType(run, "aws:codebuild/project:Project").flatMap(
      (p) =>
        ((p.inputs["environment"] as Record<string, unknown>)["environmentVariables"] ?? []) as {
          name: string;
          value: string;
          type: string;
        }[],
    );
    const snyk = vars.filter((v) => v.name === "SNYK_TOKEN");
    assert.ok(snyk.length > 0);
    for (const v of vars.filter((x) => /TOKEN|PASSWORD|API_KEY|_SECRET$/i.test(x.name)))
      assert.notEqual(v.type, "PLAINTEXT", v.name);
    assert.ok(
      vars.filter((v) => v.name === "NPM_TOKEN").every((v) => v.type === "PARAMETER_STORE"),
    );
  });

  it("are readable by the application's build role, and only those", () => {
    const doc = rolePolicy(run, "acme-orders-api-build");
    const snyk =
      "arn:aws:secretsmanager:us-east-1:111111111111:secret:acme/orders-api/snyk-token-AbCdEf";
    assert.equal(
      evaluatePolicies([doc], { action: "secretsmanager:GetSecretValue", resource: snyk }),
      "allow",
    );
    assert.equal(
      evaluatePolicies([doc], {
        action: "secretsmanager:GetSecretValue",
        resource: `${snyk.slice(0, -6)}XyZ123`,
      }),
      "implicit-deny",
    );
    assert.equal(
      evaluatePolicies([doc], {
        action: "ssm:GetParameters",
        resource: "arn:aws:ssm:us-east-1:111111111111:parameter/acme/orders-api/npm-token",
      }),
      "allow",
    );
    const other = rolePolicy(run, "acme-web-frontend-build");
    assert.equal(
      evaluatePolicies([other], { action: "secretsmanager:GetSecretValue", resource: snyk }),
      "implicit-deny",
    );
  });
});

describe("monitoring", () => {
  it("notifies on failed, succeeded and approval-needed events of every pipeline", () => {
    const rules = ofType(run, "aws:codestarnotifications/notificationRule:NotificationRule");
    // Three deploy pipelines, their three pull-request pipelines and the platform pipeline.
    assert.equal(rules.length, ofType(run, PIPELINE).length);
    assert.equal(rules.length, 7);
    for (const r of rules)
      assert.deepEqual(r.inputs["eventTypeIds"], [
        "codepipeline-pipeline-pipeline-execution-failed",
        "codepipeline-pipeline-pipeline-execution-succeeded",
        "codepipeline-pipeline-manual-approval-needed",
      ]);
  });

  it("alarms on every project's failed builds and every pipeline's failed executions, with actions", () => {
    const alarms = ofType(run, "aws:cloudwatch/metricAlarm:MetricAlarm");
    const projects = ofType(run, "aws:codebuild/project:Project").map((p) => p.inputs["name"]);
    const watched = alarms
      .filter((a) => a.inputs["metricName"] === "FailedBuilds")
      .map((a) => (a.inputs["dimensions"] as Record<string, string>)["ProjectName"]);
    assert.deepEqual([...watched].sort(), [...projects].sort());
    assert.equal(
      alarms.filter((a) => a.inputs["metricName"] === "TriggeredRules").length,
      ofType(run, PIPELINE).length,
    );
    for (const a of alarms) assert.ok((a.inputs["alarmActions"] as string[]).length > 0, a.name);
  });

  // https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html
  it("A publisher to an SNS topic encrypted with a customer managed key needs kms:GenerateDataKey and kms:Decrypt: each pipeline role may use the approval topic's key through SNS, by key policy and IAM policy", () => {
    const viaSns = { "kms:ViaService": "sns.us-east-1.amazonaws.com" };
    for (const app of ["orders-api", "web-frontend", "billing-worker"]) {
      const pipeline = byName(run, `acme-${app}`, PIPELINE);
      const approval = stagesOf(run, `acme-${app}`)
        .flatMap((st) => st.actions)
        .find((a) => a["provider"] === "Manual") as { configuration: Record<string, string> };
      const topicArn = approval.configuration["NotificationArn"];
      const [topic] = ofType(run, "aws:sns/topic:Topic").filter(
        (t) => t.outputs["arn"] === topicArn,
      );
      assert.ok(topic, `${app}: the approval topic is created by the stack`);
      const [key] = ofType(run, "aws:kms/key:Key").filter(
        (k) => k.outputs["arn"] === topic.inputs["kmsMasterKeyId"],
      );
      assert.ok(key, `${app}: the topic's key is created by the stack`);
      const keyArn = String(key.outputs["arn"]);
      const keyPolicy = parsePolicy(key.inputs["policy"]);
      const [roleRes] = ofType(run, "aws:iam/role:Role").filter(
        (r) => r.outputs["arn"] === pipeline.inputs["roleArn"],
      );
      const role = deployedRole(run, String(roleRes.outputs["name"]));
      const identity = role.identity.map((d) => parsePolicy(d));
      const who = { arn: role.arn, account: "111111111111" };
      assert.equal(
        evaluatePolicies(identity, { action: "sns:Publish", resource: topicArn }),
        "allow",
        app,
      );
      for (const action of ["kms:GenerateDataKey", "kms:Decrypt"]) {
        const req = { action, resource: keyArn, context: viaSns };
        assert.equal(evaluatePolicies(identity, req), "allow", `${app}: IAM ${action}`);
        assert.equal(resourcePolicyAllows(keyPolicy, who, req), true, `${app}: key ${action}`);
        const direct = { action, resource: keyArn };
        assert.equal(evaluatePolicies(identity, direct), "implicit-deny", `${app}: not via SNS`);
        assert.equal(resourcePolicyAllows(keyPolicy, who, direct), false, `${app}: not via SNS`);
      }
      const build = deployedRole(run, `acme-${app}-build`);
      assert.equal(
        resourcePolicyAllows(
          keyPolicy,
          { arn: build.arn, account: "111111111111" },
          { action: "kms:GenerateDataKey", resource: keyArn, context: viaSns },
        ),
        false,
        `${app}: the build role is not a publisher`,
      );
    }
  });

  // https://docs.aws.amazon.com/dtconsole/latest/userguide/set-up-sns.html
  // https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html
  it("CodeStar Notifications on a topic with a customer managed key needs kms:GenerateDataKey* and kms:Decrypt with kms:ViaService = sns.<region>.amazonaws.com: EventBridge and CloudWatch too, only through SNS", () => {
    const topic = byName(run, "acme-pipeline-events", "aws:sns/topic:Topic");
    const key = byName(run, "acme-notifications", "aws:kms/key:Key");
    assert.equal(topic.inputs["kmsMasterKeyId"], key.outputs["arn"]);
    const doc = parsePolicy(key.inputs["policy"]);
    const statement = doc.Statement.find((s) => s.Sid === "ServicesPublishEncrypted");
    assert.deepEqual(statement?.Condition, {
      StringEquals: { "kms:ViaService": `sns.${topic.region}.amazonaws.com` },
    });
    const uses = (service: string, action: string, context: Record<string, string>) =>
      resourcePolicyAllows(
        doc,
        { arn: `service:${service}`, service },
        { action, resource: String(key.outputs["arn"]), context },
      );
    for (const service of [
      "codestar-notifications.amazonaws.com",
      "events.amazonaws.com",
      "cloudwatch.amazonaws.com",
    ]) {
      for (const action of ["kms:GenerateDataKey", "kms:Decrypt"])
        assert.equal(
          uses(service, action, { "kms:ViaService": "sns.us-east-1.amazonaws.com" }),
          true,
          `${service} ${action}`,
        );
      assert.equal(
        uses(service, "kms:GenerateDataKey", { "kms:ViaService": "sns.eu-west-1.amazonaws.com" }),
        false,
        `${service} through SNS elsewhere`,
      );
      assert.equal(
        uses(service, "kms:GenerateDataKey", { "aws:SourceAccount": "111111111111" }),
        false,
        `${service} not through SNS`,
      );
      assert.equal(
        uses(service, "kms:Encrypt", { "kms:ViaService": "sns.us-east-1.amazonaws.com" }),
        false,
      );
    }
  });
});

describe("IAM document size", () => {
  it("stays the same when an environment grows by 500 accounts", async () => {
    // dev, because it is ungated: 500 accounts split into waves of 50 and the pipelines stay
    // within 50 stages (500 gated prod accounts cannot: see "large gated environments").
    const big = await runStackOk("tools", {
      editOrganization: (o) => {
        for (let i = 0; i < 500; i++)
          o.environments[0].accounts.push({
            id: String(700000000000 + i),
            name: `x${i}`,
            regions: ["us-east-1"],
          });
      },
    });
    assert.deepEqual(sizes(big), sizes(run));
  });
});

describe("large gated environments", () => {
  const prodAccounts = (count: number) => (o: Organization) =>
    (o.environments[2].accounts = Array.from({ length: count }, (_, i) => ({
      id: String(600000000000 + i),
      name: `p${i}`,
      regions: ["us-east-1"],
    })));

  it('deploy 60 prod accounts at once (waves: ["rest"]) in 2 parts (30 and 30): each part checks every prod account first, the first checks once after it deploys, the last bakes everything', async () => {
    const big = await runStackOk("tools", {
      editOrganization: (o) => {
        prodAccounts(60)(o);
        o.environments[2].waves = ["rest"];
      },
    });
    const stages = stagesOf(big, "acme-orders-api").filter((s) => s.name.startsWith("Deploy-prod"));
    assert.deepEqual(
      stages.map((s) => s.name),
      ["Deploy-prod-part1", "Deploy-prod-part2"],
    );
    const targets = stages.map((s) =>
      s.actions.map((a) => actionVariables(a)["TARGET_ACCOUNT"]).filter(Boolean),
    );
    assert.deepEqual(
      targets.map((t) => t.length),
      [30, 30],
    );
    assert.deepEqual(
      stages.map((s) =>
        gateActions(s).map((a) => [
          a["name"],
          actionVariables(a)["GATE_MINUTES"],
          actionVariables(a)["GATE_STAGES"],
        ]),
      ),
      [
        [
          ["AlarmCheck", "0", "Deploy-prod-part1,Deploy-prod-part2"],
          ["Verify", "0", "Deploy-prod-part1"],
        ],
        [
          ["AlarmCheck", "0", "Deploy-prod-part1,Deploy-prod-part2"],
          ["Bake", "30", "Deploy-prod-part1,Deploy-prod-part2"],
        ],
      ],
    );
    for (const stage of stages) {
      assert.ok(stage.actions.length <= 50);
      assert.equal(stage.onFailure?.result, "ROLLBACK");
    }
  });

  it("CodePipeline action configuration values are at most 1,000 characters, with 1,000 prod accounts", async () => {
    // https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_ActionConfiguration.html
    // CloudFormation's two actions per target make 1,000 prod accounts 52 stages in the default
    // waves (refused, see waves.spec.ts): the Pulumi applications carry the 1,000 here.
    const big = await runStackOk("tools", {
      editOrganization: (o) => {
        prodAccounts(1000)(o);
        o.applications = o.applications.filter((a) => a.deploy.mechanism === "pulumi");
      },
    });
    let longest = 0;
    for (const p of ofType(big, PIPELINE))
      for (const stage of p.inputs["stages"] as Stage[])
        for (const a of stage.actions)
          for (const v of Object.values((a["configuration"] as Record<string, string>) ?? {}))
            longest = Math.max(longest, String(v).length);
    assert.ok(longest <= 1000, `longest configuration value: ${longest}`);
    assert.ok(stagesOf(big, "acme-orders-api").length <= 50);
  });

  it("refuse 2,100 gated prod accounts (46 deploy stages in the default waves) before creating anything", async () => {
    const bad = await runStack("tools", { editOrganization: prodAccounts(2100) });
    const problems = (bad.error as { problems?: { path: string; message: string }[] })?.problems;
    assert.deepEqual(
      problems?.map((p) => p.path),
      [
        "organization.applications[0]",
        "organization.applications[1]",
        "organization.applications[2]",
      ],
    );
    assert.equal(
      problems?.[0].message,
      "the orders-api pipeline: the pipeline has 51 stages; CodePipeline allows 50 (prod: 46 deploy stages of up to 50 actions): deploy the largest environment in fewer waves (its waves setting), split it into several environments, or move accounts to another application's pipeline",
    );
    assert.deepEqual(createdResources(bad), []);
  });
});

describe("bad application config", () => {
  const cases: [string, (o: Organization) => void, string, string][] = [
    [
      "a secret outside the tools account",
      (o) =>
        (o.applications[0].secrets[0].ref =
          "arn:aws:secretsmanager:us-east-1:222222222222:secret:x-AbCdEf"),
      "organization.applications[0].secrets[0].ref",
      "the secret is in account 222222222222; builds run in the tools account 111111111111: keep build secrets there",
    ],
    [
      "a check name given twice",
      (o) => o.applications[0].build.checks.push({ name: "lint", kind: "lint" }),
      "organization.applications[0].build.checks[5].name",
      "check 'lint' is defined twice; check names must be unique within an application",
    ],
    [
      "nine file-path patterns",
      (o) =>
        ((o.applications[1].source.filePaths ??= {}).includes = Array.from(
          { length: 9 },
          (_, i) => `d${i}/**`,
        )),
      "organization.applications[1].source.filePaths.includes",
      "CodePipeline allows at most 8 include patterns",
    ],
    [
      "a custom check without commands",
      (o) => o.applications[0].build.checks.push({ name: "extra", kind: "custom" }),
      "organization.applications[0].build.checks[5].commands",
      "a custom check runs only the commands you give; add commands or pick another kind",
    ],
  ];
  for (const [what, edit, path, message] of cases)
    it(`${what}: exact error, nothing created`, async () => {
      const bad = await runStack("tools", { editOrganization: edit });
      const problems = (bad.error as { problems?: { path: string; message: string }[] })?.problems;
      assert.deepEqual(problems, [{ path, message }]);
      assert.deepEqual(createdResources(bad), []);
    });
});
