// BishopFox/iam-vulnerable's tool-testing cases (modules/free-resources/tool-testing/*.tf), written
// as the Pulumi resources a program declares for them: the false negatives a scanner must report
// (fn*) and the false positives it must not (fp*).
import * as assert from "node:assert/strict";
import { iamNoCombinedPrivilegeEscalation } from "../../policies/iam/iam-no-combined-privilege-escalation";
import { iamNoPrivilegeEscalation } from "../../policies/iam/iam-no-privilege-escalation";
import { T } from "../../policies/lib/resources";
import {
  resource,
  runPolicyOnResources,
  runStackPolicy,
  urnOf,
  type FakeResource,
} from "../helpers/policy";
import { ACCOUNT, doc, type Stmt } from "./fixtures/iam";

const trust = JSON.stringify(
  doc({
    Effect: "Allow",
    Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
    Action: "sts:AssumeRole",
  }),
);

/** A managed policy, a role and a user, each given the policy by an attachment. */
function attachedEverywhere(name: string, ...policies: Stmt[][]): FakeResource[] {
  const out: FakeResource[] = [
    resource(T.role, `${name}-role`, { name: `${name}-role`, assumeRolePolicy: trust }),
    resource(T.user, `${name}-user`, { name: `${name}-user` }),
  ];
  policies.forEach((statements, i) => {
    const policyName = `${name}-policy-${i}`;
    out.push(
      resource(T.policy, policyName, {
        name: policyName,
        path: "/",
        arn: `arn:aws:iam::${ACCOUNT}:policy/${policyName}`,
        policy: JSON.stringify(doc(...statements)),
      }),
      resource(T.rolePolicyAttachment, `${policyName}-role`, {
        role: `${name}-role`,
        policyArn: `arn:aws:iam::${ACCOUNT}:policy/${policyName}`,
      }),
      resource(T.userPolicyAttachment, `${policyName}-user`, {
        user: `${name}-user`,
        policyArn: `arn:aws:iam::${ACCOUNT}:policy/${policyName}`,
      }),
    );
  });
  return out;
}

/** Path ids per reporting resource, from both escalation policies. */
async function findings(stack: FakeResource[]): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  const runs = [
    await runPolicyOnResources(iamNoPrivilegeEscalation, stack),
    await runStackPolicy(iamNoCombinedPrivilegeEscalation, stack),
  ];
  for (const v of runs.flatMap((r) => r.violations)) {
    const ids = [...v.message.matchAll(/Privilege escalation "([a-z0-9-]+)"/g)].map((m) => m[1]);
    (out[v.urn ?? ""] ??= []).push(...ids);
  }
  return out;
}

describe("iam-vulnerable's tool-testing cases", () => {
  it("fn1: iam:PassRole and ec2:RunInstances in two managed policies of a role and a user", async () => {
    const stack = attachedEverywhere(
      "fn1",
      [{ Effect: "Allow", Action: ["ec2:DescribeInstances", "ec2:RunInstances"], Resource: "*" }],
      [{ Effect: "Allow", Action: ["iam:PassRole"], Resource: "*" }],
    );
    assert.deepEqual(await findings(stack), {
      [urnOf(T.role, "fn1-role")]: ["passrole-ec2"],
      [urnOf(T.user, "fn1-user")]: ["passrole-ec2"],
    });
  });

  it("fn2: iam:CreatePolicyVersion on customer policies named by a wildcard", async () => {
    const stack = attachedEverywhere("fn2", [
      {
        Effect: "Allow",
        Action: "iam:CreatePolicyVersion",
        Resource: "arn:aws:iam::*:policy/fn2-*",
      },
    ]);
    assert.deepEqual(await findings(stack), {
      [urnOf(T.policy, "fn2-policy-0")]: ["create-policy-version"],
    });
  });

  it("fn3: iam:CreatePolicyVersion on every policy under a condition any session meets", async () => {
    const stack = attachedEverywhere("fn3", [
      {
        Effect: "Allow",
        Action: ["iam:CreatePolicyVersion"],
        Resource: ["*"],
        Condition: { DateGreaterThan: { "aws:TokenIssueTime": "2020-01-01T00:00:01Z" } },
      },
    ]);
    assert.deepEqual(await findings(stack), {
      [urnOf(T.policy, "fn3-policy-0")]: ["create-policy-version"],
    });
  });

  it("fn4: NotAction that leaves the IAM writes it does not list", async () => {
    const stack = attachedEverywhere("fn4", [
      { NotAction: ["iam:Update*", "iam:Create*", "iam:Attach*"], Effect: "Allow", Resource: "*" },
    ]);
    const ids = (await findings(stack))[urnOf(T.policy, "fn4-policy-0")] ?? [];
    for (const id of ["put-role-policy", "put-user-policy", "add-user-to-group", "passrole-ec2"])
      assert.ok(ids.includes(id), id);
    for (const id of ["create-policy-version", "attach-role-policy", "update-assume-role-policy"])
      assert.ok(!ids.includes(id), id);
  });

  it("fp1, fp2, fp3: what a Deny in the same or another policy removes", async () => {
    const fp1 = attachedEverywhere("fp1", [
      { Effect: "Allow", Action: "iam:*", Resource: "*" },
      { Effect: "Deny", Action: "iam:*", Resource: "*" },
    ]);
    const fp2 = attachedEverywhere(
      "fp2",
      [{ Effect: "Allow", Action: ["iam:*", "ec2:*", "lambda:*"], Resource: "*" }],
      [{ Effect: "Deny", Action: "*", Resource: "*" }],
    );
    const fp3 = attachedEverywhere("fp3", [{ Effect: "Deny", Action: "iam:*", Resource: "*" }]);
    assert.deepEqual(await findings(fp1), {});
    // fp2's Allow policy completes paths alone; its principals, which hold the Deny too, do not.
    const fp2Findings = await findings(fp2);
    assert.deepEqual(Object.keys(fp2Findings), [urnOf(T.policy, "fp2-policy-0")]);
    assert.deepEqual(await findings(fp3), {});
  });

  it("fp4: iam:CreatePolicyVersion on AWS managed policies, which no customer can change", async () => {
    const stack = attachedEverywhere("fp4", [
      {
        Effect: "Allow",
        Action: "iam:CreatePolicyVersion",
        Resource: "arn:aws:iam::aws:policy/fp4-*",
      },
    ]);
    assert.deepEqual(await findings(stack), {});
  });
});
