import * as assert from "node:assert/strict";
import { iamNoPrivilegeEscalation } from "../../policies/iam/iam-no-privilege-escalation";
import { T } from "../../policies/lib/resources";
import { expected, messages, resource, runResourcePolicy, UNKNOWN_STRING } from "../helpers/policy";
import {
  ACCOUNT,
  deployStatements,
  doc,
  rolePolicyWith,
  roleWith,
  type Stmt,
} from "./fixtures/iam";

describe("privilege escalation", () => {
  it("flags iam:PassRole + lambda:CreateFunction + lambda:InvokeFunction split across statements", async () => {
    const run = await runResourcePolicy(
      iamNoPrivilegeEscalation,
      rolePolicyWith([
        {
          Sid: "Pass",
          Effect: "Allow",
          Action: "iam:PassRole",
          Resource: "arn:aws:iam::123456789012:role/*",
        },
        { Effect: "Allow", Action: ["lambda:CreateFunction"], Resource: "*" },
        { Effect: "Allow", Action: "lambda:Invoke*", Resource: "*" },
      ]),
    );
    assert.deepEqual(messages(run), [
      expected(
        iamNoPrivilegeEscalation,
        'Privilege escalation "passrole-lambda" (new Lambda function with a passed role): grants iam:PassRole (policy statement 0 ("Pass")), lambda:CreateFunction (policy statement 1) and lambda:InvokeFunction (policy statement 2), so the holder can pass a role to a new Lambda function and run it.',
      ),
    ]);
  });

  it("combines statements across a role's inline policies", async () => {
    const role = roleWith(deployStatements);
    (role.props.inlinePolicies as unknown[]).push(
      {
        name: "a",
        policy: JSON.stringify(doc({ Effect: "Allow", Action: "iam:PassRole", Resource: "*" })),
      },
      { name: "b", policy: doc({ Effect: "Allow", Action: ["ec2:RunInstances"], Resource: "*" }) },
    );
    const run = await runResourcePolicy(iamNoPrivilegeEscalation, role);
    assert.deepEqual(messages(run), [
      expected(
        iamNoPrivilegeEscalation,
        'Privilege escalation "passrole-ec2" (new EC2 instance with a passed role): grants iam:PassRole (inlinePolicies[1] ("a") statement 0) and ec2:RunInstances (inlinePolicies[2] ("b") statement 0), so the holder can pass a role to a new EC2 instance and use its credentials.',
      ),
    ]);
  });

  it("flags iam:CreatePolicyVersion alone, even on named policies", async () => {
    const run = await runResourcePolicy(
      iamNoPrivilegeEscalation,
      resource(T.policy, "p", {
        policy: JSON.stringify(
          doc({
            Effect: "Allow",
            Action: "iam:CreatePolicyVersion",
            Resource: "arn:aws:iam::1:policy/*",
          }),
        ),
      }),
    );
    assert.deepEqual(messages(run), [
      expected(
        iamNoPrivilegeEscalation,
        'Privilege escalation "create-policy-version" (new default version of a managed policy): grants iam:CreatePolicyVersion (policy statement 0), so the holder can publish a new default version of a managed policy it is attached to.',
      ),
    ]);
  });

  it("flags iam:PutRolePolicy on * even with a condition", async () => {
    const run = await runResourcePolicy(
      iamNoPrivilegeEscalation,
      rolePolicyWith({
        Effect: "Allow",
        Action: "iam:PutRolePolicy",
        Resource: "*",
        Condition: { StringEquals: { "iam:PermissionsBoundary": "arn:aws:iam::1:policy/b" } },
      }),
    );
    assert.deepEqual(messages(run), [
      expected(
        iamNoPrivilegeEscalation,
        'Privilege escalation "put-role-policy" (inline policy written on a role): grants iam:PutRolePolicy (policy statement 0), so the holder can write an inline policy granting anything to a role.',
      ),
    ]);
  });

  it("reports every path of iam:* in one message and leaves * to the admin check", async () => {
    const iamStar = await runResourcePolicy(
      iamNoPrivilegeEscalation,
      rolePolicyWith({ Effect: "Allow", Action: "iam:*", Resource: "*" }),
    );
    assert.equal(iamStar.violations.length, 1);
    assert.deepEqual(
      [...messages(iamStar)[0].matchAll(/Privilege escalation "([a-z0-9-]+)"/g)].map((m) => m[1]),
      [
        "create-policy-version",
        "set-default-policy-version",
        "attach-user-policy",
        "attach-group-policy",
        "attach-role-policy",
        "put-user-policy",
        "put-group-policy",
        "put-role-policy",
        "remove-permissions-boundary",
        "update-assume-role-policy",
        "create-access-key",
        "create-login-profile",
        "update-login-profile",
        "add-user-to-group",
      ],
    );
    const star = await runResourcePolicy(
      iamNoPrivilegeEscalation,
      rolePolicyWith({ Effect: "Allow", Action: "*", Resource: "*" }),
    );
    assert.deepEqual(messages(star), []);
  });

  it("does not count actions removed by an unconditional Deny", async () => {
    const run = await runResourcePolicy(
      iamNoPrivilegeEscalation,
      rolePolicyWith([
        {
          Effect: "Allow",
          Action: ["iam:PassRole", "codebuild:CreateProject", "codebuild:StartBuild"],
          Resource: "*",
        },
        { Effect: "Deny", Action: "codebuild:Start*", Resource: "*" },
      ]),
    );
    assert.deepEqual(messages(run), []);
  });

  it("needs every step of a combination", async () => {
    const run = await runResourcePolicy(
      iamNoPrivilegeEscalation,
      rolePolicyWith({
        Effect: "Allow",
        Action: ["lambda:CreateFunction", "lambda:InvokeFunction"],
        Resource: "*",
      }),
    );
    assert.deepEqual(messages(run), []);
  });

  it("honours an allow-listed path", async () => {
    const run = await runResourcePolicy(
      iamNoPrivilegeEscalation,
      rolePolicyWith({ Effect: "Allow", Action: "ssm:StartSession", Resource: "*" }),
      { allowedPaths: [{ path: "ssm-start-session", reason: "bastion role for on-call" }] },
    );
    assert.deepEqual(messages(run), []);
  });
});

/** The path ids a statement list completes, as iam-no-privilege-escalation reports them. */
async function pathsOf(statements: Stmt[]): Promise<string[]> {
  const run = await runResourcePolicy(iamNoPrivilegeEscalation, rolePolicyWith(statements));
  return messages(run).flatMap((m) =>
    [...m.matchAll(/Privilege escalation "([a-z0-9-]+)"/g)].map((x) => x[1]),
  );
}

const allow = (Action: string | string[], Resource: string | string[] = "*"): Stmt => ({
  Effect: "Allow",
  Action,
  Resource,
});

describe("privilege escalation through the newer published paths", () => {
  it("names EC2 Instance Connect onto a privileged instance", async () => {
    const run = await runResourcePolicy(
      iamNoPrivilegeEscalation,
      rolePolicyWith({
        Effect: "Allow",
        Action: ["ec2:DescribeInstances", "ec2-instance-connect:SendSSHPublicKey"],
        Resource: "*",
      }),
    );
    assert.deepEqual(messages(run), [
      expected(
        iamNoPrivilegeEscalation,
        'Privilege escalation "ec2-instance-connect" (EC2 Instance Connect onto a privileged instance): grants ec2-instance-connect:SendSSHPublicKey (policy statement 0), so the holder can push an SSH key to an instance, log in and use its instance profile.',
      ),
    ]);
  });

  it("names a Bedrock AgentCore code interpreter created with a passed role", async () => {
    assert.deepEqual(
      await pathsOf([
        allow("iam:PassRole", `arn:aws:iam::${ACCOUNT}:role/agent-*`),
        allow("bedrock-agentcore:*CodeInterpreter*"),
      ]),
      ["passrole-bedrock-code-interpreter", "bedrock-code-interpreter-session"],
    );
  });

  it("names user data replaced on a stopped instance only with all three steps", async () => {
    const steps = ["ec2:ModifyInstanceAttribute", "ec2:StopInstances", "ec2:StartInstances"];
    assert.deepEqual(await pathsOf([allow(steps)]), ["ec2-user-data"]);
    assert.deepEqual(await pathsOf([allow(steps.slice(1))]), []);
  });

  it("names a StackSet created with a passed role", async () => {
    assert.deepEqual(
      await pathsOf([
        allow("iam:PassRole", `arn:aws:iam::${ACCOUNT}:role/stackset-admin`),
        allow(["cloudformation:CreateStackSet", "cloudformation:CreateStackInstances"]),
      ]),
      ["passrole-cloudformation-stackset"],
    );
  });
});

describe("resource constraints that make a path impossible", () => {
  it("does not count iam:CreatePolicyVersion on AWS managed policies, which no customer can change", async () => {
    // BishopFox/iam-vulnerable tool-testing fp4 (not exploitable) and fn2 (exploitable).
    assert.deepEqual(
      await pathsOf([
        allow(
          ["iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion"],
          "arn:aws:iam::aws:policy/fp4-*",
        ),
      ]),
      [],
    );
    assert.deepEqual(
      await pathsOf([allow("iam:CreatePolicyVersion", "arn:aws:iam::*:policy/fn2-*")]),
      ["create-policy-version"],
    );
  });

  it("reads policy variables in a Resource as any value", async () => {
    assert.deepEqual(
      await pathsOf([
        allow("iam:CreatePolicyVersion", "arn:aws:iam::${aws:PrincipalAccount}:policy/*"),
      ]),
      ["create-policy-version"],
    );
  });

  it("does not count a step granted only on resources of another type", async () => {
    assert.deepEqual(
      await pathsOf([allow("iam:PutRolePolicy", `arn:aws:iam::${ACCOUNT}:user/*`)]),
      [],
    );
    assert.deepEqual(
      await pathsOf([allow("iam:PassRole", "arn:aws:s3:::artifacts/*"), allow("ec2:RunInstances")]),
      [],
    );
    // lambda:CreateEventSourceMapping is granted only on "*": a function ARN grants nothing.
    assert.deepEqual(
      await pathsOf([
        allow("iam:PassRole", `arn:aws:iam::${ACCOUNT}:role/*`),
        allow("lambda:CreateFunction"),
        allow("lambda:CreateEventSourceMapping", `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:x`),
      ]),
      [],
    );
  });

  it("counts a step whose Resource is unknown during preview", async () => {
    assert.deepEqual(await pathsOf([allow("iam:PutRolePolicy", [UNKNOWN_STRING])]), [
      "put-role-policy",
    ]);
  });

  it("does not count iam:PassRole whose iam:PassedToService names only other services", async () => {
    const pass = (operator: string, services: string | string[]): Stmt => ({
      ...allow("iam:PassRole"),
      Condition: { [operator]: { "iam:PassedToService": services } },
    });
    const run = allow("ec2:RunInstances");
    assert.deepEqual(await pathsOf([pass("StringEquals", "glue.amazonaws.com"), run]), []);
    assert.deepEqual(
      await pathsOf([pass("StringEquals", ["glue.amazonaws.com", "ec2.amazonaws.com"]), run]),
      ["passrole-ec2"],
    );
    assert.deepEqual(await pathsOf([pass("StringLike", "ec2.*"), run]), ["passrole-ec2"]);
    // A negated operator admits every other service: it bounds nothing.
    assert.deepEqual(await pathsOf([pass("StringNotEquals", "lambda.amazonaws.com"), run]), [
      "passrole-ec2",
    ]);
  });

  it("counts sts:AssumeRole only on every role, not on named roles", async () => {
    assert.deepEqual(await pathsOf([allow("sts:AssumeRole")]), ["assume-any-role"]);
    assert.deepEqual(await pathsOf([allow("sts:AssumeRole", `arn:aws:iam::${ACCOUNT}:role/*`)]), [
      "assume-any-role",
    ]);
    assert.deepEqual(
      await pathsOf([allow("sts:AssumeRole", `arn:aws:iam::${ACCOUNT}:role/deploy-*`)]),
      [],
    );
    assert.deepEqual(await pathsOf([allow("sts:AssumeRole", [UNKNOWN_STRING])]), []);
  });
});

describe("explicit Deny statements that remove a step", () => {
  const pass = allow("iam:PassRole", `arn:aws:iam::${ACCOUNT}:role/app-*`);
  const run = allow("ec2:RunInstances");
  const deny = (extra: Stmt): Stmt => ({ Effect: "Deny", Action: "iam:PassRole", ...extra });

  it("removes a step denied on every resource the Allow names", async () => {
    assert.deepEqual(await pathsOf([pass, run]), ["passrole-ec2"]);
    assert.deepEqual(
      await pathsOf([pass, run, deny({ Resource: `arn:aws:iam::${ACCOUNT}:role/*` })]),
      [],
    );
    assert.deepEqual(
      await pathsOf([pass, run, deny({ Resource: `arn:aws:iam::${ACCOUNT}:role/app-*` })]),
      [],
    );
  });

  it("keeps a step denied on only some of the Allow's resources, or with a condition", async () => {
    assert.deepEqual(
      await pathsOf([pass, run, deny({ Resource: `arn:aws:iam::${ACCOUNT}:role/app-admin` })]),
      ["passrole-ec2"],
    );
    assert.deepEqual(
      await pathsOf([
        pass,
        run,
        deny({ Resource: "*", Condition: { Bool: { "aws:MultiFactorAuthPresent": "false" } } }),
      ]),
      ["passrole-ec2"],
    );
    // NotResource denies all but the listed ARNs: the Allow's roles may be among those.
    assert.deepEqual(
      await pathsOf([pass, run, deny({ NotResource: `arn:aws:iam::${ACCOUNT}:role/app-*` })]),
      ["passrole-ec2"],
    );
  });
});
