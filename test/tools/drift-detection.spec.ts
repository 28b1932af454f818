// Drift detection as the tools stack deploys it: the schedule and who it may start, the drift
// build's variables and buildspec, the metric and its alarm, the notification path, what the
// drift roles may (not) do, and the documents' sizes at 3 and 500 accounts. The buildspec's
// shell functions run under bash.
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { DRIFT_PLAN_KEY, startBuildTargetArn } from "../../components/tools/drift-detection";
import { validateOrganization } from "../../model/config/organization";
import { Organization } from "../../model/config/schema";
import { BOOTSTRAP_EXCLUSION, driftPlan } from "../../model/drift";
import { driftReaderTrust } from "../../model/iam/tools/drift";
import { environmentNames, platformNames, roleArn, toolsNames } from "../../model/naming";
import {
  canAssumeRole,
  evaluatePolicies,
  parsePolicy,
  PolicyDocument,
  resourcePolicyAllows,
  trustAllows,
} from "../../plan/report/iam-eval";
import { toolsScope } from "../../stacks/tools/base";
import { platformStacks } from "../../stacks/platform-stacks";
import {
  deployedRole,
  exampleOrganization,
  exampleRun,
  ofType,
  RecordedResource,
  runStack,
  runCli,
  runStackOk,
  StackRun,
} from "../helpers";

/** The example organization as the program sees it (validated, defaults applied). */
const exampleOrg = () => validateOrganization(exampleOrganization());

const TOOLS = "111111111111";
const REGION = "us-east-1";
const ORG_ID = "o-exampleorg01";
const n = platformNames("acme");
const driftRoleArn = roleArn("aws", TOOLS, n.driftRole);
const schedulerRoleArn = roleArn("aws", TOOLS, n.driftSchedulerRole);
const projectArn = `arn:aws:codebuild:${REGION}:${TOOLS}:project/${n.driftProject}`;
const scheduleArn = `arn:aws:scheduler:${REGION}:${TOOLS}:schedule/default/${n.driftSchedule}`;

const one = (run: StackRun, type: string, name: string): RecordedResource => {
  const found = ofType(run, type).filter((r) => r.inputs["name"] === name);
  assert.equal(found.length, 1, `one ${type} named ${name}`);
  return found[0]!;
};
const docs = (role: { identity: unknown[] }): PolicyDocument[] => role.identity.map(parsePolicy);
const asRole = (arn: string) => ({ principalArn: arn, principalAccount: TOOLS });

/** The example organization with `count` prod accounts. */
function withProdAccounts(count: number) {
  return (org: Organization) => {
    const prod = org.environments.find((e) => e.name === "prod")!;
    prod.accounts = Array.from({ length: count }, (_, i) => ({
      id: String(400000000000 + i),
      name: `prod-${i}`,
    })) as never;
    delete (prod as { waves?: unknown }).waves;
  };
}

describe("drift detection: the schedule starts the drift build and nothing else", () => {
  let run: StackRun;
  before(async () => {
    run = await exampleRun("tools");
  });

  it("the schedule runs platform.drift.schedule through the universal CodeBuild StartBuild target", () => {
    // https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-targets-universal.html:
    // arn:aws:scheduler:::aws-sdk:<service>:<apiAction>, the request as the JSON Input.
    const schedule = one(run, "aws:scheduler/schedule:Schedule", n.driftSchedule);
    assert.equal(schedule.inputs["scheduleExpression"], "rate(1 day)");
    const target = schedule.inputs["target"] as Record<string, string>;
    assert.equal(target["arn"], "arn:aws:scheduler:::aws-sdk:codebuild:startBuild");
    assert.equal(
      startBuildTargetArn("aws-cn"),
      "arn:aws-cn:scheduler:::aws-sdk:codebuild:startBuild",
    );
    assert.deepEqual(JSON.parse(target["input"]!), { ProjectName: n.driftProject });
    assert.equal(target["roleArn"], schedulerRoleArn);
  });

  it("the scheduler role trusts EventBridge Scheduler for this schedule of the tools account only", () => {
    const role = deployedRole(run, n.driftSchedulerRole);
    const trust = parsePolicy(role.trust);
    const scheduler = {
      arn: "service:scheduler.amazonaws.com",
      service: "scheduler.amazonaws.com",
    };
    const from = (account: string, arn: string) => ({
      "aws:SourceAccount": account,
      "aws:SourceArn": arn,
    });
    assert.equal(trustAllows(trust, scheduler, "sts:AssumeRole", from(TOOLS, scheduleArn)), true);
    assert.equal(
      trustAllows(trust, scheduler, "sts:AssumeRole", from(TOOLS, `${scheduleArn}-other`)),
      false,
    );
    assert.equal(
      trustAllows(
        trust,
        scheduler,
        "sts:AssumeRole",
        from("999999999999", scheduleArn.replace(TOOLS, "999999999999")),
      ),
      false,
    );
    const codebuild = {
      arn: "service:codebuild.amazonaws.com",
      service: "codebuild.amazonaws.com",
    };
    assert.equal(trustAllows(trust, codebuild, "sts:AssumeRole", from(TOOLS, scheduleArn)), false);
  });

  it("the scheduler role may start the drift project and no other project", () => {
    const policies = docs(deployedRole(run, n.driftSchedulerRole));
    const start = (resource: string) =>
      evaluatePolicies(policies, {
        action: "codebuild:StartBuild",
        resource,
        ...asRole(schedulerRoleArn),
      });
    assert.equal(start(projectArn), "allow");
    assert.equal(
      start(projectArn.replace(n.driftProject, "acme-orders-api-deploy-prod")),
      "implicit-deny",
    );
    assert.equal(start(projectArn.replace(n.driftProject, n.toolsProject)), "implicit-deny");
  });
});

describe("drift detection: the drift build", () => {
  let run: StackRun;
  let project: RecordedResource;
  before(async () => {
    run = await exampleRun("tools");
    project = one(run, "aws:codebuild/project:Project", n.driftProject);
  });

  it("runs the platform-drift buildspec from the platform's repository as the drift role", () => {
    assert.equal(project.inputs["serviceRole"], driftRoleArn);
    const source = project.inputs["source"] as Record<string, unknown>;
    assert.equal(source["type"], "GITHUB");
    assert.equal(source["location"], "https://github.com/acme/cicd-platform.git");
    assert.equal((source["auth"] as Record<string, string>)["type"], "CODECONNECTIONS");
    assert.equal(project.inputs["sourceVersion"], "main");
    const text = fs.readFileSync(
      path.join(__dirname, "../../buildspecs/platform-drift.yml"),
      "utf8",
    );
    assert.equal(source["buildspec"], text);
  });

  it("its variables name the plan object, the state, the namespace, the topic and the reader role", () => {
    const vars = Object.fromEntries(
      (
        (project.inputs["environment"] as Record<string, unknown>)["environmentVariables"] as {
          name: string;
          value: string;
        }[]
      ).map((v) => [v.name, v.value]),
    );
    const topic = one(run, "aws:sns/topic:Topic", toolsNames("acme", TOOLS).notificationTopic);
    assert.equal(vars["STATE_BUCKET"], toolsNames("acme", TOOLS).stateBucket);
    assert.equal(vars["DRIFT_PLAN_KEY"], DRIFT_PLAN_KEY);
    assert.equal(vars["DRIFT_NAMESPACE"], "acme/Platform");
    assert.equal(vars["DRIFT_METRIC"], "DriftedStacks");
    assert.equal(vars["TOPIC_ARN"], topic.outputs["arn"]);
    assert.equal(vars["READER_ROLE_NAME"], n.driftReaderRole);
    assert.equal(vars["TOOLS_ACCOUNT"], TOOLS);
    assert.match(
      vars["PULUMI_SECRETS_PROVIDER"]!,
      /^awskms:\/\/alias\/acme-pulumi-state\?region=us-east-1$/,
    );
    // The variables are a fixed set: the plan is an object, not a variable that grows.
    assert.equal(Object.keys(vars).length, 10);
  });

  it("the buildspec pins the Pulumi CLI and verifies its checksum, and runs the two drift commands", () => {
    const spec = parse(
      fs.readFileSync(path.join(__dirname, "../../buildspecs/platform-drift.yml"), "utf8"),
    ) as {
      env: { variables: Record<string, string> };
      phases: Record<string, { commands: string[] }>;
    };
    assert.match(spec.env.variables["PULUMI_VERSION"]!, /^\d+\.\d+\.\d+$/);
    const text = Object.values(spec.phases)
      .flatMap((p) => p.commands)
      .join("\n");
    assert.match(text, /sha256sum -c -/);
    assert.doesNotMatch(text, /curl[^\n]*\|\s*(ba)?sh/);
    // https://www.pulumi.com/docs/iac/cli/commands/pulumi_preview/ (--expect-no-changes)
    assert.match(text, /pulumi preview --stack "\$stack" --refresh --expect-no-changes/);
    // https://www.pulumi.com/docs/deployments/concepts/drift/ (refresh --preview-only)
    assert.match(text, /pulumi refresh --stack "\$stack" --preview-only --expect-no-changes/);
    assert.doesNotMatch(text, /pulumi (up|destroy|import|state|stack rm)\b/);
    assert.doesNotMatch(text, /pulumi refresh(?![^\n]*--preview-only)/);
    assert.match(text, /profile=tools/);
    assert.match(text, /aws sns publish --topic-arn "\$TOPIC_ARN"/);
  });

  it("the plan object lists every platform stack but bootstrap, and every application stack", async () => {
    const plan = JSON.parse(
      String(
        ofType(run, "aws:s3/bucketObject:BucketObject").find(
          (o) => o.inputs["key"] === DRIFT_PLAN_KEY,
        )!.inputs["content"],
      ),
    );
    const org = exampleOrg();
    assert.deepEqual(
      plan,
      JSON.parse(JSON.stringify(driftPlan(org, platformStacks(org, "cicd-platform")))),
    );
  });
});

describe("drift detection: what it checks (model/drift.ts)", () => {
  const org = exampleOrg();
  const plan = driftPlan(org, platformStacks(org, "cicd-platform"));

  it("bootstrap is excluded with its reason: no role in the management account trusts tools", () => {
    assert.deepEqual(plan.excluded, [{ stack: "bootstrap", reason: BOOTSTRAP_EXCLUSION }]);
    assert.ok(!plan.targets.some((t) => t.stack === "bootstrap"));
  });

  it("platform stacks are previewed with their program, under the platform state prefix", () => {
    const platform = plan.targets.filter((t) => t.kind === "platform");
    const expected = platformStacks(org, "cicd-platform").filter((s) => s.role !== "bootstrap");
    assert.deepEqual(
      platform.map((t) => [t.stack, t.account, t.check, t.statePrefix]),
      expected.map((s) => [s.name, s.account, "preview", "platform"]),
    );
  });

  it("application stacks are the pulumi deploy targets, named as the pipelines name them, refreshed without their program", () => {
    const apps = plan.targets.filter((t) => t.kind === "application");
    assert.ok(apps.length > 0);
    for (const t of apps) {
      assert.equal(t.check, "refresh");
      assert.equal(t.statePrefix, t.environment);
    }
    const pulumiApps = org.applications
      .filter((a) => a.deploy.mechanism === "pulumi")
      .map((a) => a.name);
    assert.deepEqual([...new Set(apps.map((t) => t.application))].sort(), pulumiApps.sort());
    // One per application, environment and stack name: no duplicates.
    const keys = apps.map((t) => `${t.application}/${t.environment}/${t.stack}`);
    assert.equal(new Set(keys).size, keys.length);
  });
});

describe("drift detection: the metric, the alarm and the notification", () => {
  let run: StackRun;
  before(async () => {
    run = await exampleRun("tools");
  });

  it("the alarm fires when the organization's DriftedStacks is above zero, keeps its state between runs, and notifies the platform topic", () => {
    const alarm = one(run, "aws:cloudwatch/metricAlarm:MetricAlarm", n.driftAlarm);
    const topic = one(run, "aws:sns/topic:Topic", toolsNames("acme", TOOLS).notificationTopic);
    assert.equal(alarm.inputs["namespace"], platformNames("acme").driftNamespace);
    assert.equal(alarm.inputs["metricName"], "DriftedStacks");
    assert.equal(alarm.inputs["dimensions"], undefined, "the organization total has no dimension");
    assert.equal(alarm.inputs["threshold"], 0);
    assert.equal(alarm.inputs["comparisonOperator"], "GreaterThanThreshold");
    assert.equal(alarm.inputs["statistic"], "Maximum");
    // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarms-and-missing-data
    assert.equal(alarm.inputs["treatMissingData"], "ignore");
    assert.deepEqual(alarm.inputs["alarmActions"], [topic.outputs["arn"]]);
    assert.equal(alarm.inputs["actionsEnabled"], true);
    const failed = one(
      run,
      "aws:cloudwatch/metricAlarm:MetricAlarm",
      `${n.driftProject}-failed-builds`,
    );
    assert.deepEqual(failed.inputs["dimensions"], { ProjectName: n.driftProject });
    assert.deepEqual(failed.inputs["alarmActions"], [topic.outputs["arn"]]);
  });

  it("the drift role may publish DriftedStacks in the platform namespace only", () => {
    const policies = docs(deployedRole(run, n.driftRole));
    const put = (ns: string) =>
      evaluatePolicies(policies, {
        action: "cloudwatch:PutMetricData",
        resource: "*",
        ...asRole(driftRoleArn),
        context: { "cloudwatch:namespace": ns },
      });
    assert.equal(put("acme/Platform"), "allow");
    assert.equal(put("acme/Delivery"), "implicit-deny");
    assert.equal(put("AWS/CodeBuild"), "implicit-deny");
  });

  it("the drift role may publish to the encrypted platform topic: its policy, the topic policy and the key policy admit it", () => {
    const role = deployedRole(run, n.driftRole);
    const topic = one(run, "aws:sns/topic:Topic", toolsNames("acme", TOOLS).notificationTopic);
    const topicArn = String(topic.outputs["arn"]);
    const key = ofType(run, "aws:kms/key:Key").find((k) =>
      String(k.inputs["description"]).startsWith("Pipeline and alarm notifications"),
    )!;
    const keyArn = String(key.outputs["arn"]);
    const topicPolicy = parsePolicy(
      ofType(run, "aws:sns/topicPolicy:TopicPolicy").find((p) => p.inputs["arn"] === topicArn)!
        .inputs["policy"],
    );
    const keyPolicy = parsePolicy(key.inputs["policy"]);
    const who = { arn: driftRoleArn, account: TOOLS, orgId: ORG_ID };
    const viaSns = {
      "kms:ViaService": `sns.${REGION}.amazonaws.com`,
      "aws:SecureTransport": "true",
    };
    // Same account: the identity policy allows and the topic policy does not deny
    // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html).
    const publish = {
      action: "sns:Publish",
      resource: topicArn,
      ...asRole(driftRoleArn),
      context: { "aws:SecureTransport": "true" },
    };
    assert.equal(evaluatePolicies(docs(role), publish), "allow");
    assert.notEqual(evaluatePolicies([topicPolicy], publish), "explicit-deny");
    assert.equal(
      evaluatePolicies([topicPolicy], { ...publish, context: { "aws:SecureTransport": "false" } }),
      "explicit-deny",
    );
    // KMS: the key policy names the role (through the tools root and aws:PrincipalArn), and the
    // role's own policy allows the key through SNS.
    for (const action of ["kms:GenerateDataKey", "kms:Decrypt"]) {
      const req = { action, resource: keyArn, ...asRole(driftRoleArn), context: viaSns };
      assert.equal(resourcePolicyAllows(keyPolicy, who, req), true, action);
      assert.equal(evaluatePolicies(docs(role), req), "allow", action);
      const direct = { ...req, context: {} };
      assert.equal(evaluatePolicies(docs(role), direct), "implicit-deny", `${action} outside SNS`);
    }
    // Another tools role is not admitted by the key for its own sake.
    const other = roleArn("aws", TOOLS, environmentNames("acme", "prod").toolsDeployRole);
    assert.equal(
      resourcePolicyAllows(
        keyPolicy,
        { arn: other, account: TOOLS },
        {
          action: "kms:GenerateDataKey",
          resource: keyArn,
          principalArn: other,
          principalAccount: TOOLS,
          context: viaSns,
        },
      ),
      false,
    );
    // Another topic is not the drift role's to publish to.
    assert.equal(
      evaluatePolicies(docs(role), { ...publish, resource: `${topicArn}-other` }),
      "implicit-deny",
    );
  });
});

describe("drift detection: the drift roles cannot write", () => {
  let run: StackRun;
  let policies: PolicyDocument[];
  let stateBucketArn: string;
  let stateKeyArn: string;
  before(async () => {
    run = await exampleRun("tools");
    policies = docs(deployedRole(run, n.driftRole));
    stateBucketArn = `arn:aws:s3:::${toolsNames("acme", TOOLS).stateBucket}`;
    stateKeyArn = String(
      ofType(run, "aws:kms/key:Key").find((k) =>
        ofType(run, "aws:kms/alias:Alias").some(
          (a) =>
            a.inputs["name"] === "alias/acme-pulumi-state" &&
            a.inputs["targetKeyId"] === k.outputs["keyId"],
        ),
      )!.outputs["arn"],
    );
  });
  const ask = (action: string, resource: string) =>
    evaluatePolicies(policies, { action, resource, ...asRole(driftRoleArn) });

  it("reads every stack's state and decrypts its secrets", () => {
    assert.equal(
      ask("s3:GetObject", `${stateBucketArn}/platform/.pulumi/stacks/cicd-platform/tools.json`),
      "allow",
    );
    assert.equal(
      ask("s3:GetObject", `${stateBucketArn}/prod/.pulumi/stacks/orders-api/prod.json`),
      "allow",
    );
    assert.equal(ask("s3:ListBucket", stateBucketArn), "allow");
    assert.equal(ask("kms:Decrypt", stateKeyArn), "allow");
  });

  it("writes no state, encrypts nothing with the state key, changes no resource", () => {
    for (const action of ["s3:PutObject", "s3:DeleteObject", "s3:PutObjectAcl"])
      assert.equal(
        ask(action, `${stateBucketArn}/platform/.pulumi/stacks/cicd-platform/tools.json`),
        "implicit-deny",
        action,
      );
    assert.equal(ask("kms:Encrypt", stateKeyArn), "implicit-deny");
    assert.equal(ask("kms:GenerateDataKey", stateKeyArn), "implicit-deny");
    const writes: [string, string][] = [
      ["iam:CreateRole", roleArn("aws", TOOLS, "x")],
      ["iam:PutRolePolicy", driftRoleArn],
      ["iam:UpdateAssumeRolePolicy", driftRoleArn],
      ["iam:PassRole", driftRoleArn],
      ["codebuild:StartBuild", projectArn],
      ["codebuild:UpdateProject", projectArn],
      [
        "codepipeline:StartPipelineExecution",
        `arn:aws:codepipeline:${REGION}:${TOOLS}:acme-orders-api`,
      ],
      ["s3:PutBucketPolicy", stateBucketArn],
      ["kms:PutKeyPolicy", stateKeyArn],
      ["sns:SetTopicAttributes", `arn:aws:sns:${REGION}:${TOOLS}:acme-pipeline-events`],
      ["scheduler:UpdateSchedule", scheduleArn],
      ["secretsmanager:GetSecretValue", `arn:aws:secretsmanager:${REGION}:${TOOLS}:secret:x`],
      [
        "lambda:UpdateFunctionCode",
        `arn:aws:lambda:${REGION}:${TOOLS}:function:acme-delivery-metrics`,
      ],
    ];
    for (const [action, resource] of writes)
      assert.equal(ask(action, resource), "implicit-deny", action);
  });

  it("assumes the drift reader roles only: no deploy, bootstrap or deployer role", () => {
    const who = { arn: driftRoleArn, account: TOOLS, orgId: ORG_ID };
    const reader = roleArn("aws", "444444444444", n.driftReaderRole);
    const scope = toolsScope(exampleOrg(), "aws");
    assert.equal(canAssumeRole(policies, who, reader, driftReaderTrust(scope), ORG_ID), true);
    assert.equal(
      canAssumeRole(policies, who, reader, driftReaderTrust(scope), "o-otherorg001"),
      false,
    );
    for (const name of [
      environmentNames("acme", "prod").workloadDeployRole,
      n.bootstrapRole,
      environmentNames("acme", "prod").alarmReaderRole,
    ])
      assert.equal(
        ask("sts:AssumeRole", roleArn("aws", "444444444444", name)),
        "implicit-deny",
        name,
      );
    for (const name of [n.deployerRole, environmentNames("acme", "prod").toolsDeployRole])
      assert.equal(ask("sts:AssumeRole", roleArn("aws", TOOLS, name)), "implicit-deny", name);
  });

  it("the reader role trusts the drift role alone", () => {
    const trust = driftReaderTrust(toolsScope(exampleOrg(), "aws"));
    const as = (arn: string, account = TOOLS) => ({ arn, account, orgId: ORG_ID });
    assert.equal(trustAllows(trust, as(driftRoleArn)), true);
    for (const other of [
      roleArn("aws", TOOLS, environmentNames("acme", "prod").toolsDeployRole),
      roleArn("aws", TOOLS, "acme-orders-api-build"),
      roleArn("aws", TOOLS, n.deployerRole),
    ])
      assert.equal(trustAllows(trust, as(other)), false, other);
    assert.equal(
      trustAllows(trust, as(roleArn("aws", "222222222222", n.driftRole), "222222222222")),
      false,
    );
  });

  it("the drift role's trust admits CodeBuild for the drift project only", () => {
    const trust = parsePolicy(deployedRole(run, n.driftRole).trust);
    const codebuild = {
      arn: "service:codebuild.amazonaws.com",
      service: "codebuild.amazonaws.com",
    };
    const from = (arn: string) => ({ "aws:SourceAccount": TOOLS, "aws:SourceArn": arn });
    assert.equal(trustAllows(trust, codebuild, "sts:AssumeRole", from(projectArn)), true);
    assert.equal(
      trustAllows(
        trust,
        codebuild,
        "sts:AssumeRole",
        from(projectArn.replace(n.driftProject, "acme-orders-api-build")),
      ),
      false,
    );
  });
});

describe("drift detection: every document the same size at 3 and 500 accounts", function () {
  this.timeout(240_000);
  const sizes = (run: StackRun) => {
    const key = ofType(run, "aws:kms/key:Key").find((k) =>
      String(k.inputs["description"]).startsWith("Pipeline and alarm notifications"),
    )!;
    const role = (name: string) => {
      const r = deployedRole(run, name);
      return [JSON.stringify(r.trust).length, ...r.identity.map((d) => JSON.stringify(d).length)];
    };
    return {
      driftRole: role(n.driftRole),
      schedulerRole: role(n.driftSchedulerRole),
      notificationKey: String(key.inputs["policy"]).length,
      variables: JSON.stringify(
        (
          one(run, "aws:codebuild/project:Project", n.driftProject).inputs["environment"] as Record<
            string,
            unknown
          >
        )["environmentVariables"],
      ).length,
    };
  };

  it("the drift role, the scheduler role, the notification key and the project's variables do not grow", async () => {
    const small = await exampleRun("tools");
    const large = await runStackOk("tools", { editOrganization: withProdAccounts(500) });
    const plan = JSON.parse(
      String(
        ofType(large, "aws:s3/bucketObject:BucketObject").find(
          (o) => o.inputs["key"] === DRIFT_PLAN_KEY,
        )!.inputs["content"],
      ),
    );
    assert.ok(
      plan.targets.filter((t: { environment?: string }) => t.environment === "prod").length >= 1000,
    );
    assert.deepEqual(sizes(large), sizes(small));
    const reader = JSON.stringify(driftReaderTrust(toolsScope(exampleOrg(), "aws"))).length;
    assert.ok(reader < 1000);
  });
});

describe("drift detection: config", () => {
  it("platform.drift.enabled: false creates no drift resources", async () => {
    const run = await runStackOk("tools", {
      editOrganization: (org) => {
        org.platform!.drift = { enabled: false, schedule: "rate(1 day)" };
      },
    });
    assert.equal(ofType(run, "aws:scheduler/schedule:Schedule").length, 0);
    assert.ok(
      !ofType(run, "aws:codebuild/project:Project").some(
        (p) => p.inputs["name"] === n.driftProject,
      ),
    );
  });

  it("without organization.platform there is no drift detection", async () => {
    const run = await runStackOk("tools", {
      editOrganization: (org) => {
        delete (org as { platform?: unknown }).platform;
      },
    });
    assert.equal(ofType(run, "aws:scheduler/schedule:Schedule").length, 0);
  });

  it("a CodeCommit platform source is refused with the config path and the fix", async () => {
    const run = await runStack("tools", {
      editOrganization: (org) => {
        org.platform!.source = {
          provider: "codecommit",
          repository: "cicd-platform",
          branch: "main",
        } as never;
      },
    });
    assert.match(String(run.error), /organization\.platform\.source\.provider/);
    assert.match(String(run.error), /use github, gitlab or bitbucket/);
  });

  it("the schedule follows platform.drift.schedule", async () => {
    const run = await runStackOk("tools", {
      editOrganization: (org) => {
        org.platform!.drift = { enabled: true, schedule: "cron(0 6 * * ? *)" };
      },
    });
    assert.equal(
      one(run, "aws:scheduler/schedule:Schedule", n.driftSchedule).inputs["scheduleExpression"],
      "cron(0 6 * * ? *)",
    );
  });
});

describe("drift build: the buildspec's shell", () => {
  const spec = parse(
    fs.readFileSync(path.join(__dirname, "../../buildspecs/platform-drift.yml"), "utf8"),
  ) as {
    phases: Record<string, { commands: string[] }>;
  };
  const libBlock = spec.phases["pre_build"]!.commands.find((c) => c.includes("DRIFT_LIB"))!;
  let dir: string;
  const bash = (script: string, env: Record<string, string> = {}) => {
    const lib = path.join(dir, "lib.sh");
    const r = spawnSync("bash", ["-c", `${libBlock}\n. "$DRIFT_LIB"\n${script}`], {
      env: { PATH: process.env["PATH"], HOME: dir, DRIFT_LIB: lib, ...env },
      encoding: "utf8",
    });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout;
  };
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "drift-build-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const previewOutput = [
    "Previewing update (tools):",
    "     Type                 Name              Plan       Info",
    "     pulumi:pulumi:Stack  cicd-platform-tools",
    " ~   ├─ aws:s3:BucketV2   acme-trail        update     [diff: ~tags]",
    "",
    "    ~ aws:sns/topic:Topic: (update)",
    "Resources:",
    "    ~ 1 to update",
    "    120 unchanged",
    "",
    "error: no changes were expected but changes were proposed",
  ].join("\n");

  it("a check is clean on exit 0, drifted on the CLI's no-changes-expected error, failed otherwise", () => {
    fs.writeFileSync(path.join(dir, "drifted.log"), previewOutput);
    fs.writeFileSync(path.join(dir, "failed.log"), "error: AccessDenied: sts:AssumeRole\n");
    const out = bash(
      `drift_verdict 0 "$HOME/failed.log"; drift_verdict 255 "$HOME/drifted.log"; drift_verdict 255 "$HOME/failed.log"`,
    );
    assert.deepEqual(out.trim().split("\n"), ["clean", "drifted", "failed"]);
  });

  it("the diff summary keeps the changed resources and the Resources: counts", () => {
    fs.writeFileSync(path.join(dir, "drifted.log"), previewOutput);
    const out = bash(`drift_summary "$HOME/drifted.log"`);
    assert.match(out, /aws:sns\/topic:Topic: \(update\)/);
    assert.match(out, /Resources:\n {4}~ 1 to update\n {4}120 unchanged/);
    assert.doesNotMatch(out, /error: no changes/);
  });

  it("targets come from the plan object; accounts outside tools get their reader-role profile, once", () => {
    const org = exampleOrg();
    fs.writeFileSync(
      path.join(dir, "plan.json"),
      JSON.stringify(driftPlan(org, platformStacks(org, "cicd-platform"))),
    );
    const out = bash(
      `mkdir -p ~/.aws; drift_targets "$HOME/plan.json" | head -n 2; drift_profile ${TOOLS}; drift_profile 444444444444; drift_profile 444444444444; cat ~/.aws/config`,
      { TOOLS_ACCOUNT: TOOLS, AWS_PARTITION: "aws", READER_ROLE_NAME: n.driftReaderRole },
    );
    const lines = out.split("\n");
    assert.equal(lines[0], `tools\tplatform\tpreview\t${TOOLS}\tus-east-1\tplatform\t`);
    assert.equal(lines[2], "tools");
    assert.equal(lines[3], "reader-444444444444");
    assert.equal(out.match(/\[profile reader-444444444444\]/g)?.length, 1);
    assert.match(out, /role_arn = arn:aws:iam::444444444444:role\/acme-platform-drift-reader/);
  });

  it("metrics: one DriftedStacks per checked stack (dimension Stack) in files of at most 500, and the organization total", () => {
    const rows = Array.from(
      { length: 1203 },
      (_, i) => `s${i}\t${i % 100 === 0 ? "drifted" : i === 7 ? "failed" : "clean"}`,
    );
    fs.writeFileSync(path.join(dir, "results.tsv"), rows.join("\n") + "\n");
    bash(`drift_metric_files "$HOME/results.tsv" "$HOME"`, { DRIFT_METRIC: "DriftedStacks" });
    const files = fs
      .readdirSync(dir)
      .filter((f) => /^metrics-\d+\.json$/.test(f))
      .sort();
    assert.equal(files.length, 3);
    const data = files.flatMap((f) => JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")));
    assert.equal(data.length, 1202, "a failed check publishes no value");
    assert.ok(
      files.every((f) => JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")).length <= 500),
    );
    assert.deepEqual(data[0], {
      MetricName: "DriftedStacks",
      Dimensions: [{ Name: "Stack", Value: "s0" }],
      Value: 1,
      Unit: "Count",
    });
    const total = JSON.parse(fs.readFileSync(path.join(dir, "metrics-total.json"), "utf8"));
    assert.deepEqual(total, [{ MetricName: "DriftedStacks", Value: 13, Unit: "Count" }]);
  });

  it("the message names the drifted stacks with their summaries and stays under the SNS limit", () => {
    fs.mkdirSync(path.join(dir, "out"));
    fs.writeFileSync(
      path.join(dir, "results.tsv"),
      "tools\tdrifted\tprod-us\tclean\tprod-eu\tfailed\n".replace(
        /\t(clean|failed|drifted)\t/g,
        "\t$1\n",
      ),
    );
    fs.writeFileSync(
      path.join(dir, "out", "tools.summary"),
      "~ aws:sns/topic:Topic: (update)\n".repeat(20_000),
    );
    const out = bash(`drift_message "$HOME/results.tsv" "$HOME/out"`);
    assert.match(
      out,
      /^Drifted stacks \(1\):\n {2}tools\nNot checked \(failed\): prod-eu\n\n== tools\n~ aws:sns/,
    );
    assert.ok(Buffer.byteLength(out) <= 250_000);
  });
});

describe("drift detection: the offline plan", function () {
  this.timeout(120_000);
  it("npm run plan passes the policy pack with the drift resources: 0 mandatory findings", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "drift-plan-"));
    const file = path.join(dir, "report.json");
    const run = await runCli(["plan", "--json", file]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /Plan: \d+ stack\(s\), \d+ resources; 0 mandatory/);
    const report = fs.readFileSync(file, "utf8");
    for (const name of [
      n.driftProject,
      n.driftSchedule,
      n.driftRole,
      n.driftSchedulerRole,
      n.driftAlarm,
    ])
      assert.ok(report.includes(name), name);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
