// What a deployment can and cannot do in a workload account, evaluated like AWS evaluates the
// deploy role: its identity policies capped by the platform permissions boundary.
import { strict as assert } from "assert";
import {
  Decision,
  evaluateWithBoundary,
  parsePolicy,
  PolicyDocument,
  Request,
} from "../../plan/report/iam-eval";
import { environmentNames, policyArn, roleArn, toolsNames } from "../../model/naming";
import {
  deployedRole,
  exampleOrganization,
  exampleRun,
  programOutputs,
  runStackOk,
  StackRun,
} from "../helpers";

const ORG = exampleOrganization();
const P = ORG.prefix;
const WORKLOAD_STACKS = [
  { stack: "dev", env: "dev", account: "222222222222", region: "us-east-1" },
  { stack: "staging", env: "staging", account: "333333333333", region: "us-east-1" },
  { stack: "prod", env: "prod", account: "444444444444", region: "us-east-1" },
  { stack: "prod-eu", env: "prod", account: "555555555555", region: "eu-west-1" },
] as const;

/** A role's decision function: identity policies and boundary, as AWS evaluates them. */
function decider(run: StackRun, roleName: string) {
  const r = deployedRole(run, roleName);
  const identity: PolicyDocument[] = r.identity.map((d) => parsePolicy(d));
  const boundary: PolicyDocument[] = r.boundary === undefined ? [] : [parsePolicy(r.boundary)];
  return (req: Request): Decision =>
    r.boundary === undefined
      ? evaluateWithBoundary(identity, identity, req)
      : evaluateWithBoundary(identity, boundary, req);
}

const runs = new Map<string, StackRun>();
before(async () => {
  for (const { stack } of WORKLOAD_STACKS) runs.set(stack, await exampleRun(stack));
});

for (const { stack, env, account, region } of WORKLOAD_STACKS) {
  const n = environmentNames(P, env);
  const iam = (kind: string, rest: string) => `arn:aws:iam::${account}:${kind}/${rest}`;
  const boundary = policyArn("aws", account, "/", n.permissionsBoundary);
  const withBoundary = { "iam:PermissionsBoundary": boundary };
  const appRole = iam("role", "app/orders-api-handler");
  let can: (req: Request) => Decision;
  before(() => {
    can = decider(runs.get(stack) as StackRun, n.workloadDeployRole);
  });

  describe(`deploy role permissions: ${stack} (${account})`, () => {
    it("carries the platform permissions boundary", () => {
      const r = deployedRole(runs.get(stack) as StackRun, n.workloadDeployRole);
      assert.equal(r.resource.inputs["permissionsBoundary"], boundary);
    });

    it("creates application roles under /app/ with the boundary", () => {
      assert.equal(
        can({ action: "iam:CreateRole", resource: appRole, context: withBoundary }),
        "allow",
      );
      assert.equal(
        can({ action: "iam:PutRolePolicy", resource: appRole, context: withBoundary }),
        "allow",
      );
    });

    it("cannot create a role without the boundary, with another boundary or outside /app/", () => {
      assert.equal(can({ action: "iam:CreateRole", resource: appRole }), "explicit-deny");
      assert.equal(
        can({
          action: "iam:CreateRole",
          resource: appRole,
          context: { "iam:PermissionsBoundary": iam("policy", "app/my-own-boundary") },
        }),
        "explicit-deny",
      );
      assert.notEqual(
        can({ action: "iam:CreateRole", resource: iam("role", "escape"), context: withBoundary }),
        "allow",
      );
      assert.equal(
        can({ action: "iam:CreateUser", resource: iam("user", "app/bot") }),
        "explicit-deny",
      );
    });

    it("cannot attach AdministratorAccess, PowerUserAccess or IAMFullAccess, even to a bounded role", () => {
      for (const managed of ["AdministratorAccess", "PowerUserAccess", "IAMFullAccess"])
        assert.equal(
          can({
            action: "iam:AttachRolePolicy",
            resource: appRole,
            context: { ...withBoundary, "iam:PolicyARN": `arn:aws:iam::aws:policy/${managed}` },
          }),
          "explicit-deny",
          managed,
        );
      assert.equal(
        can({
          action: "iam:AttachRolePolicy",
          resource: appRole,
          context: { ...withBoundary, "iam:PolicyARN": iam("policy", "app/orders-table-access") },
        }),
        "allow",
      );
    });

    it("cannot change, delete or remove the boundary", () => {
      for (const action of [
        "iam:CreatePolicyVersion",
        "iam:SetDefaultPolicyVersion",
        "iam:DeletePolicy",
        "iam:DeletePolicyVersion",
        "iam:TagPolicy",
      ])
        assert.equal(can({ action, resource: boundary }), "explicit-deny", action);
      assert.equal(
        can({ action: "iam:DeleteRolePermissionsBoundary", resource: appRole }),
        "explicit-deny",
      );
      assert.equal(
        can({ action: "iam:PutRolePermissionsBoundary", resource: appRole }),
        "explicit-deny",
      );
    });

    it("cannot change its own role or its own policies", () => {
      const own = roleArn("aws", account, n.workloadDeployRole);
      for (const action of [
        "iam:PutRolePolicy",
        "iam:AttachRolePolicy",
        "iam:DetachRolePolicy",
        "iam:DeleteRolePolicy",
        "iam:UpdateAssumeRolePolicy",
        "iam:DeleteRole",
        "iam:TagRole",
      ])
        assert.equal(
          can({ action, resource: own, context: withBoundary }),
          "explicit-deny",
          action,
        );
      for (const policy of [n.servicesPolicy, n.boundedIamPolicy, n.guardrailsPolicy])
        assert.equal(
          can({
            action: "iam:CreatePolicyVersion",
            resource: policyArn("aws", account, "/", policy),
          }),
          "explicit-deny",
          policy,
        );
    });

    it("cannot touch the other platform roles", () => {
      for (const name of [n.alarmReaderRole, n.cfnExecutionRole, n.cfnActionRole])
        for (const action of [
          "iam:UpdateAssumeRolePolicy",
          "iam:AttachRolePolicy",
          "iam:DeleteRole",
        ])
          assert.equal(
            can({ action, resource: roleArn("aws", account, name), context: withBoundary }),
            "explicit-deny",
            `${action} ${name}`,
          );
    });

    it("passes only application roles", () => {
      assert.equal(can({ action: "iam:PassRole", resource: appRole }), "allow");
      for (const name of [
        n.workloadDeployRole,
        n.cfnExecutionRole,
        "OrganizationAccountAccessRole",
      ])
        assert.notEqual(
          can({ action: "iam:PassRole", resource: roleArn("aws", account, name) }),
          "allow",
          name,
        );
    });

    it("cannot mint credentials or leave the organization", () => {
      for (const [action, resource] of [
        ["iam:CreateAccessKey", iam("user", "app/bot")],
        ["iam:CreateLoginProfile", iam("user", "app/bot")],
        ["iam:CreateGroup", iam("group", "app/admins")],
        ["sts:AssumeRole", roleArn("aws", account, "OrganizationAccountAccessRole")],
        ["organizations:LeaveOrganization", "*"],
        ["ssm:SendCommand", `arn:aws:ec2:${region}:${account}:instance/i-0123456789abcdef0`],
      ])
        assert.notEqual(can({ action, resource }), "allow", action);
    });

    it("deploys the default application services", () => {
      for (const [action, resource] of [
        ["lambda:CreateFunction", `arn:aws:lambda:${region}:${account}:function:orders`],
        ["dynamodb:CreateTable", `arn:aws:dynamodb:${region}:${account}:table/orders`],
        ["s3:CreateBucket", "arn:aws:s3:::acme-orders-assets"],
        ["sqs:CreateQueue", `arn:aws:sqs:${region}:${account}:orders`],
        ["ssm:PutParameter", `arn:aws:ssm:${region}:${account}:parameter/orders/url`],
        ["ecs:CreateService", `arn:aws:ecs:${region}:${account}:service/main/orders`],
      ])
        assert.equal(can({ action, resource }), "allow", action);
    });

    it("cannot silence the alarms, topic or key that gate promotion", () => {
      const alarm = `arn:aws:cloudwatch:${region}:${account}:alarm:`;
      for (const name of [n.deploymentHealthAlarm, n.lambdaErrorsAlarm, n.lambdaThrottlesAlarm])
        for (const action of [
          "cloudwatch:DeleteAlarms",
          "cloudwatch:SetAlarmState",
          "cloudwatch:DisableAlarmActions",
          "cloudwatch:PutCompositeAlarm",
        ])
          assert.equal(
            can({ action, resource: alarm + name }),
            "explicit-deny",
            `${action} ${name}`,
          );
      const topic = `arn:aws:sns:${region}:${account}:${n.alarmTopic}`;
      for (const action of ["sns:DeleteTopic", "sns:SetTopicAttributes", "sns:RemovePermission"])
        assert.equal(can({ action, resource: topic }), "explicit-deny", action);
      const key = `arn:aws:kms:${region}:${account}:key/0b7a1c34-1111-4222-8333-944455556666`;
      for (const action of ["kms:ScheduleKeyDeletion", "kms:PutKeyPolicy", "kms:DisableKey"])
        assert.equal(
          can({ action, resource: key, context: { "kms:ResourceAliases": [n.alarmKeyAlias] } }),
          "explicit-deny",
          action,
        );
      // Application alarms stay the application's.
      assert.equal(
        can({ action: "cloudwatch:PutMetricAlarm", resource: alarm + "orders-5xx" }),
        "allow",
      );
    });
  });
}

describe("deploy role permissions follow the environment's allowedServices", () => {
  it("an environment that allows only lambda and logs cannot create tables or queues", async () => {
    const run = await runStackOk("staging", {
      editOrganization: (o) => {
        const staging = o.environments.find((e) => e.name === "staging");
        if (staging) staging.allowedServices = ["lambda", "logs"];
      },
    });
    const can = decider(run, environmentNames(P, "staging").workloadDeployRole);
    const at = "us-east-1:333333333333";
    assert.equal(
      can({ action: "lambda:CreateFunction", resource: `arn:aws:lambda:${at}:function:f` }),
      "allow",
    );
    assert.equal(
      can({ action: "dynamodb:CreateTable", resource: `arn:aws:dynamodb:${at}:table/t` }),
      "implicit-deny",
    );
    assert.equal(
      can({ action: "sqs:CreateQueue", resource: `arn:aws:sqs:${at}:q` }),
      "implicit-deny",
    );
  });
});

describe("CloudFormation roles", () => {
  const account = "444444444444";
  const tools = ORG.tools.account;
  const n = environmentNames(P, "prod");
  const t = toolsNames(P, tools);

  it("the execution role is bounded like the deploy role", async () => {
    const can = decider(runs.get("prod") as StackRun, n.cfnExecutionRole);
    const appRole = `arn:aws:iam::${account}:role/app/billing-worker`;
    const boundary = policyArn("aws", account, "/", n.permissionsBoundary);
    assert.equal(can({ action: "iam:CreateRole", resource: appRole }), "explicit-deny");
    assert.equal(
      can({
        action: "iam:CreateRole",
        resource: appRole,
        context: { "iam:PermissionsBoundary": boundary },
      }),
      "allow",
    );
    assert.equal(
      can({
        action: "iam:AttachRolePolicy",
        resource: appRole,
        context: {
          "iam:PermissionsBoundary": boundary,
          "iam:PolicyARN": "arn:aws:iam::aws:policy/AdministratorAccess",
        },
      }),
      "explicit-deny",
    );
  });

  it("the action role decrypts tools artifacts only with the tools artifact key", () => {
    const can = decider(runs.get("prod") as StackRun, n.cfnActionRole);
    const key = (acct: string) =>
      `arn:aws:kms:us-east-1:${acct}:key/1a2b3c4d-0000-4000-8000-000000000000`;
    const artifactAlias = { "kms:ResourceAliases": [t.artifactKeyAlias("us-east-1")] };
    assert.equal(
      can({ action: "kms:Decrypt", resource: key(tools), context: artifactAlias }),
      "allow",
    );
    assert.equal(
      can({
        action: "kms:Decrypt",
        resource: key(tools),
        context: { "kms:ResourceAliases": ["alias/other"] },
      }),
      "implicit-deny",
    );
    assert.equal(
      can({ action: "kms:Decrypt", resource: key("999999999999"), context: artifactAlias }),
      "implicit-deny",
    );
    const bucket = t.artifactBucket("us-east-1");
    assert.equal(
      can({ action: "s3:GetObject", resource: `arn:aws:s3:::${bucket}/billing-worker/build.zip` }),
      "allow",
    );
    assert.equal(
      can({ action: "s3:GetObject", resource: "arn:aws:s3:::someone-elses-bucket/x" }),
      "implicit-deny",
    );
  });

  // https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-CloudFormation.html
  it("A CloudFormation action without output artifacts only reads its input artifact: the action role may read artifacts but not write them", () => {
    const can = decider(runs.get("prod") as StackRun, n.cfnActionRole);
    const object = `arn:aws:s3:::${t.artifactBucket("us-east-1")}/acme-billing-worker/build/x.zip`;
    const key = `arn:aws:kms:us-east-1:${tools}:key/1a2b3c4d-0000-4000-8000-000000000000`;
    const artifactAlias = { "kms:ResourceAliases": [t.artifactKeyAlias("us-east-1")] };
    for (const action of ["s3:GetObject", "s3:GetObjectVersion"])
      assert.equal(can({ action, resource: object }), "allow", action);
    assert.equal(can({ action: "kms:Decrypt", resource: key, context: artifactAlias }), "allow");
    for (const action of ["s3:PutObject", "s3:DeleteObject"])
      assert.equal(can({ action, resource: object }), "implicit-deny", action);
    for (const action of ["kms:GenerateDataKey", "kms:Encrypt", "kms:ReEncryptTo"])
      assert.equal(can({ action, resource: key, context: artifactAlias }), "implicit-deny", action);
  });

  it("the action role passes only the execution role, only to CloudFormation, and creates nothing itself", () => {
    const can = decider(runs.get("prod") as StackRun, n.cfnActionRole);
    const exec = roleArn("aws", account, n.cfnExecutionRole);
    const to = (service: string) => ({ "iam:PassedToService": service });
    assert.equal(
      can({ action: "iam:PassRole", resource: exec, context: to("cloudformation.amazonaws.com") }),
      "allow",
    );
    assert.equal(
      can({ action: "iam:PassRole", resource: exec, context: to("lambda.amazonaws.com") }),
      "implicit-deny",
    );
    assert.equal(
      can({
        action: "iam:PassRole",
        resource: roleArn("aws", account, n.workloadDeployRole),
        context: to("cloudformation.amazonaws.com"),
      }),
      "implicit-deny",
    );
    assert.equal(
      can({
        action: "lambda:CreateFunction",
        resource: `arn:aws:lambda:us-east-1:${account}:function:f`,
      }),
      "implicit-deny",
    );
    assert.equal(
      can({
        action: "cloudformation:CreateStack",
        resource: `arn:aws:cloudformation:us-east-1:${account}:stack/billing-worker-prod/*`,
      }),
      "allow",
    );
  });

  it("an environment no CloudFormation application targets gets no CloudFormation roles", async () => {
    const run = await runStackOk("dev", {
      editOrganization: (o) => {
        for (const app of o.applications)
          if (app.deploy.mechanism === "cloudformation") app.environments = ["staging", "prod"];
      },
    });
    const dev = environmentNames(P, "dev");
    assert.throws(() => deployedRole(run, dev.cfnExecutionRole), /expected one role/);
    assert.throws(() => deployedRole(run, dev.cfnActionRole), /expected one role/);
    assert.ok(deployedRole(run, dev.workloadDeployRole));
  });

  it("Pulumi drops an undefined stack output with a warning: a stack no CloudFormation application targets exports no cloudFormation key", async () => {
    // The SDK warns "Undefined value (<key>) will not show as a stack output" for a top-level
    // undefined output (@pulumi/pulumi runtime/stack.js); the program leaves such keys out.
    const noCfn = await programOutputs("dev", {
      editOrganization: (o) => {
        for (const app of o.applications)
          if (app.deploy.mechanism === "cloudformation") app.environments = ["staging", "prod"];
      },
    });
    assert.equal("cloudFormation" in noCfn, false);
    for (const [k, v] of Object.entries(noCfn)) assert.notEqual(v, undefined, k);
    for (const stack of ["dev", "staging", "prod", "prod-eu"]) {
      const out = await programOutputs(stack);
      for (const [k, v] of Object.entries(out)) assert.notEqual(v, undefined, `${stack}: ${k}`);
      assert.ok("cloudFormation" in out, stack);
    }
  });
});
