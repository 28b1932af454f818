import * as assert from "node:assert/strict";
import { iamNoPrivilegeEscalation } from "../../policies/iam/iam-no-privilege-escalation";
import { T } from "../../policies/lib/resources";
import { expected, messages, resource, runResourcePolicy } from "../helpers/policy";
import { deployStatements, doc, rolePolicyWith, roleWith } from "./fixtures/iam";

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
