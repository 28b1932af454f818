// Without an AWS Organizations id (organization.id omitted: the schema makes it optional), the
// artifact key and bucket policies name the target accounts in aws:PrincipalAccount and the tools
// roles match workload roles by name. Who is admitted, who is not, and how the documents grow.
import { strict as assert } from "assert";
import { byName, deployedRole, runStackOk, StackRun } from "../helpers";
import { messages, resource, runResourcePolicy } from "../helpers/policy";
import {
  canAssumeRole,
  evaluatePolicies,
  parsePolicy,
  PolicyDocument,
  resourcePolicyAllows,
} from "../../plan/report/iam-eval";
import { Organization } from "../../model/config/schema";
import { iamNoPublicResourcePolicies } from "../../policies/iam/iam-no-public-resource-policies";

const TOOLS = "111111111111";
const TARGETS: Record<string, string[]> = {
  dev: ["222222222222"],
  staging: ["333333333333"],
  prod: ["444444444444", "555555555555"],
};
const role = (account: string, name: string) => `arn:aws:iam::${account}:role/${name}`;
// Without an organization id there is no organization.platform (config validation): the platform
// deploys itself only across an AWS organization.
const noOrgId = (o: Organization) => {
  delete o.id;
  delete o.platform;
};
const REGIONS = ["us-east-1", "eu-west-1"];

const keyPolicy = (run: StackRun, region: string) =>
  parsePolicy(byName(run, `acme-artifacts-${region}-key`, "aws:kms/key:Key").inputs["policy"]);
const bucketPolicy = (run: StackRun, region: string) =>
  parsePolicy(byName(run, `acme-artifacts-${region}-bucket-policy`).inputs["policy"]);
const rolePolicy = (run: StackRun, name: string): PolicyDocument =>
  parsePolicy(byName(run, `${name}-policy`, "aws:iam/rolePolicy:RolePolicy").inputs["policy"]);

/** Decrypt with the key and read an artifact, as `arn` of `account` (no organization). */
const reads = (run: StackRun, region: string, account: string, roleName: string) => {
  const who = { arn: role(account, roleName), account };
  const base = { principalArn: who.arn, principalAccount: account };
  const tls = { "aws:SecureTransport": "true" };
  return (
    resourcePolicyAllows(keyPolicy(run, region), who, {
      ...base,
      action: "kms:Decrypt",
      resource: "*",
    }) &&
    resourcePolicyAllows(bucketPolicy(run, region), who, {
      ...base,
      action: "s3:GetObject",
      resource: `arn:aws:s3:::acme-artifacts-${TOOLS}-${region}/acme-billing-worker/build/x.zip`,
      context: tls,
    })
  );
};

/** Document sizes of the tools stack, by resource name. */
const sizes = (run: StackRun) =>
  Object.fromEntries(
    run.resources
      .filter((r) =>
        [
          "aws:iam/rolePolicy:RolePolicy",
          "aws:kms/key:Key",
          "aws:s3/bucketPolicy:BucketPolicy",
          "aws:iam/role:Role",
        ].includes(r.type),
      )
      .map((r) => [r.name, String(r.inputs["policy"] ?? r.inputs["assumeRolePolicy"]).length]),
  );
/** The organization without an id, with `extra` more accounts in dev (ungated: waves of 50). */
const withDevAccounts = (extra: number) => (o: Organization) => {
  noOrgId(o);
  for (let i = 0; i < extra; i++)
    o.environments[0].accounts.push({ id: String(700000000000 + i), name: `d${i}` });
};

let run: StackRun;
before(async () => {
  run = await runStackOk("tools", { editOrganization: noOrgId });
});

describe("artifact store without an organization id", () => {
  it("admits each target account's cfn-action role, not its deploy or cfn-exec role, in every region", () => {
    for (const region of REGIONS)
      for (const [env, accounts] of Object.entries(TARGETS))
        for (const account of accounts)
          for (const [duty, admitted] of [
            ["cfn-action", true],
            ["deploy", false],
            ["cfn-exec", false],
          ] as const)
            assert.equal(
              reads(run, region, account, `acme-${env}-${duty}`),
              admitted,
              `${region} ${account} ${duty}`,
            );
  });

  it("admits nobody else: other accounts, other roles, the tools account, encryption", () => {
    for (const region of REGIONS) {
      assert.equal(reads(run, region, "999999999999", "acme-prod-cfn-action"), false);
      assert.equal(reads(run, region, "444444444444", "acme-prod-admin"), false);
      assert.equal(reads(run, region, "444444444444", "OrganizationAccountAccessRole"), false);
      assert.equal(reads(run, region, TOOLS, "acme-prod-cfn-action"), false);
      const who = { arn: role("444444444444", "acme-prod-cfn-action"), account: "444444444444" };
      assert.equal(
        resourcePolicyAllows(keyPolicy(run, region), who, {
          action: "kms:Encrypt",
          resource: "*",
          principalArn: who.arn,
        }),
        false,
      );
    }
  });

  it("narrows Principal * by aws:PrincipalAccount (exactly the target accounts) and aws:PrincipalArn", () => {
    for (const region of REGIONS)
      for (const doc of [keyPolicy(run, region), bucketPolicy(run, region)]) {
        const s = doc.Statement.find((x) => x.Sid?.startsWith("CfnActionRoles"));
        assert.deepEqual(s?.Principal, { AWS: "*" });
        assert.deepEqual(s?.Condition?.["StringEquals"], {
          "aws:PrincipalAccount": Object.values(TARGETS).flat().sort(),
        });
        // Per environment: the cfn-action role, the CodeDeploy action roles and the host roles.
        const readers = s?.Condition?.["ArnLike"]["aws:PrincipalArn"] as string[];
        assert.equal(readers.length, 9);
        assert.ok(readers.includes("arn:aws:iam::*:role/acme-*-cd-prod"), readers.join(" "));
        assert.ok(readers.includes("arn:aws:iam::*:role/acme-*-host-prod"), readers.join(" "));
        assert.equal(JSON.stringify(doc).includes("PrincipalOrgID"), false);
      }
  });

  it("is not a public resource policy to the policy pack", async () => {
    for (const region of REGIONS) {
      const key = byName(run, `acme-artifacts-${region}-key`, "aws:kms/key:Key");
      const bucket = byName(run, `acme-artifacts-${region}-bucket-policy`);
      for (const r of [key, bucket])
        assert.deepEqual(
          messages(
            await runResourcePolicy(
              iamNoPublicResourcePolicies,
              resource(r.type, r.name, r.inputs),
            ),
          ),
          [],
          r.name,
        );
    }
  });
});

describe("tools roles without an organization id", () => {
  it("the dev deploy role assumes dev's deploy role by name; never staging's, prod's or another duty's", () => {
    const doc = rolePolicy(run, "acme-tools-deploy-dev");
    const can = (target: string) =>
      evaluatePolicies([doc], {
        action: "sts:AssumeRole",
        resource: target,
        context: { "aws:ResourceAccount": target.split(":")[4] },
      }) === "allow";
    assert.equal(can(role("222222222222", "acme-dev-deploy")), true);
    assert.equal(can(role("333333333333", "acme-staging-deploy")), false);
    assert.equal(can(role("444444444444", "acme-prod-deploy")), false);
    assert.equal(can(role("222222222222", "acme-dev-cfn-exec")), false);
    // The documented trade-off: a same-named role outside the listed accounts matches the name.
    assert.equal(can(role("999999999999", "acme-dev-deploy")), true);
    const statement = doc.Statement.find((s) => s.Sid === "AssumeEnvironmentDeployRole");
    assert.equal(statement?.Condition, undefined);
  });

  it("the workload deploy role still trusts only its environment's tools role, in the tools account", async () => {
    const dev = await runStackOk("dev", { editOrganization: noOrgId });
    const target = deployedRole(dev, "acme-dev-deploy");
    const trust = parsePolicy(target.trust);
    const caller = (account: string, name: string) => ({ arn: role(account, name), account });
    const devTools = caller(TOOLS, "acme-tools-deploy-dev");
    assert.equal(
      canAssumeRole([rolePolicy(run, "acme-tools-deploy-dev")], devTools, target.arn, trust),
      true,
    );
    assert.equal(
      canAssumeRole(
        [rolePolicy(run, "acme-tools-deploy-prod")],
        caller(TOOLS, "acme-tools-deploy-prod"),
        target.arn,
        trust,
      ),
      false,
    );
    // The same role name in another account gets nowhere: the trust names the tools account.
    assert.equal(
      canAssumeRole(
        [rolePolicy(run, "acme-tools-deploy-dev")],
        caller("999999999999", "acme-tools-deploy-dev"),
        target.arn,
        trust,
      ),
      false,
    );
  });
});

describe("document sizes without an organization id", () => {
  const LIMITS = { bucketPolicy: 20 * 1024, keyPolicy: 32 * 1024, roleInline: 10240 };
  let base: Record<string, number>;
  let plus100: Record<string, number>;
  let plus500: Record<string, number>;
  before(async () => {
    base = sizes(run);
    plus100 = sizes(await runStackOk("tools", { editOrganization: withDevAccounts(100) }));
    plus500 = sizes(await runStackOk("tools", { editOrganization: withDevAccounts(500) }));
  });

  it("grow only in the artifact key and bucket policies, by 15 characters per account each", () => {
    const grown = Object.keys(base).filter((k) => plus100[k] !== base[k]);
    assert.deepEqual(grown.sort(), [
      "acme-artifacts-eu-west-1-bucket-policy",
      "acme-artifacts-eu-west-1-key",
      "acme-artifacts-us-east-1-bucket-policy",
      "acme-artifacts-us-east-1-key",
    ]);
    // `"700000000000",` is 15 characters: the least a list of accounts can cost.
    for (const k of grown) {
      assert.equal(plus100[k] - base[k], 100 * 15, k);
      assert.equal(plus500[k] - base[k], 500 * 15, k);
    }
  });

  it("stay far from AWS's limits with 505 target accounts", () => {
    for (const region of REGIONS) {
      assert.ok(plus500[`acme-artifacts-${region}-bucket-policy`] < 0.5 * LIMITS.bucketPolicy);
      assert.ok(plus500[`acme-artifacts-${region}-key`] < 0.35 * LIMITS.keyPolicy);
    }
    for (const [name, size] of Object.entries(plus500))
      if (name.endsWith("-policy") && name.startsWith("acme-") && !name.includes("artifacts"))
        assert.ok(size < 0.35 * LIMITS.roleInline, `${name}: ${size}`);
    // The account lists are the only part that grows: the bucket policy, the first to fill, has
    // room for about 800 accounts more (about 1,300 in all).
    const bucket = plus500["acme-artifacts-us-east-1-bucket-policy"];
    assert.ok((LIMITS.bucketPolicy - bucket) / 15 > 750);
  });
});
