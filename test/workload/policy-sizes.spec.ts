// IAM size limits: the workload documents stay well under them, and do not grow with the number
// of accounts or applications (CDK Pipelines hits the role limit near 72 accounts).
import { strict as assert } from "assert";
import {
  alarmReaderTrustPolicy,
  boundedIamPolicy,
  cfnActionPolicy,
  cfnActionTrustPolicy,
  cfnExecutionTrustPolicy,
  DEFAULT_ALLOWED_SERVICES,
  deployTrustPolicy,
  guardrailsPolicy,
  IAM_INLINE_POLICIES_LIMIT,
  IAM_MANAGED_POLICY_LIMIT,
  IAM_TRUST_POLICY_LIMIT,
  permissionsBoundaryPolicy,
  policySize,
  servicesPolicy,
  WorkloadPolicyInputs,
} from "../../model/iam/workload";
import { environmentNames } from "../../model/naming";
import { deployedRole, exampleRun, ofType, runStackOk } from "../helpers";

/** The longest names the config allows, in the partition with the longest name. */
const WORST: WorkloadPolicyInputs = {
  partition: "aws-us-gov",
  prefix: "abcdefghijkl",
  environment: "abcdefghijkl",
  account: "123456789012",
  toolsAccount: "210987654321",
  orgId: `o-${"a".repeat(32)}`,
};

describe("IAM size limits", () => {
  it("every managed policy fits 6,144 characters with room to spare, for the longest names", () => {
    const managed = {
      boundary: permissionsBoundaryPolicy(WORST, DEFAULT_ALLOWED_SERVICES),
      services: servicesPolicy(DEFAULT_ALLOWED_SERVICES),
      iam: boundedIamPolicy(WORST),
      guardrails: guardrailsPolicy(WORST),
    };
    for (const [name, document] of Object.entries(managed))
      assert.ok(
        policySize(document) < IAM_MANAGED_POLICY_LIMIT * 0.9,
        `${name}: ${policySize(document)}`,
      );
  });

  it("inline policies and trust policies fit their limits", () => {
    assert.ok(policySize(cfnActionPolicy(WORST)) < IAM_INLINE_POLICIES_LIMIT / 4);
    for (const trust of [
      deployTrustPolicy(WORST),
      alarmReaderTrustPolicy(WORST),
      cfnActionTrustPolicy(WORST),
      cfnExecutionTrustPolicy(WORST),
    ])
      assert.ok(policySize(trust) < IAM_TRUST_POLICY_LIMIT / 3, JSON.stringify(trust));
  });

  it("the deploy role's documents are the same size with 40 accounts and 30 applications", async () => {
    const sizes = async (grow: boolean) => {
      const run = await runStackOk("prod", {
        editOrganization: (o) => {
          if (!grow) return;
          const prod = o.environments.find((e) => e.name === "prod");
          for (let k = 0; k < 40; k++)
            prod?.accounts.push({ id: String(600000000000 + k), regions: ["us-west-2"] });
          const template = o.applications[2];
          for (let k = 0; k < 30; k++) o.applications.push({ ...template, name: `extra-app-${k}` });
        },
      });
      const r = deployedRole(run, environmentNames("acme", "prod").workloadDeployRole);
      return [r.trust, ...r.identity, r.boundary].map((d) => String(d).length);
    };
    assert.deepEqual(await sizes(true), await sizes(false));
  });

  it("no role of a workload stack exceeds a limit as deployed", async () => {
    const run = await exampleRun("prod-eu");
    for (const policy of ofType(run, "aws:iam/policy:Policy"))
      assert.ok(String(policy.inputs["policy"]).length < IAM_MANAGED_POLICY_LIMIT, policy.name);
    for (const role of ofType(run, "aws:iam/role:Role"))
      assert.ok(String(role.inputs["assumeRolePolicy"]).length < IAM_TRUST_POLICY_LIMIT, role.name);
  });
});
