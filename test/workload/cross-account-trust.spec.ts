// Who may assume the roles of a workload account: the deploy role only by the tools deploy role
// of the same environment, inside the organization; the alarm reader by the tools pipelines; the
// CloudFormation roles by CloudFormation (this account) and the tools pipelines.
import { strict as assert } from "assert";
import {
  parsePolicy,
  PolicyDocument,
  PrincipalInfo,
  trustAllows,
} from "../../plan/report/iam-eval";
import { applicationNames, environmentNames, roleArn } from "../../model/naming";
import { deployedRole, exampleOrganization, exampleRun, runStackOk, StackRun } from "../helpers";

const ORG = exampleOrganization();
const TOOLS = ORG.tools.account;
const ORG_ID = ORG.id as string;
const WORKLOAD_STACKS = [
  { stack: "dev", env: "dev", account: "222222222222" },
  { stack: "staging", env: "staging", account: "333333333333" },
  { stack: "prod", env: "prod", account: "444444444444" },
  { stack: "prod-eu", env: "prod", account: "555555555555" },
] as const;

/** A role session in an account, as AWS presents it to a trust policy (`null`: no organization). */
const role = (account: string, name: string, orgId: string | null = ORG_ID): PrincipalInfo => ({
  arn: roleArn("aws", account, name),
  account,
  orgId: orgId ?? undefined,
});

const runs = new Map<string, StackRun>();
before(async () => {
  for (const { stack } of WORKLOAD_STACKS) runs.set(stack, await exampleRun(stack));
});

const trustOf = (stack: string, name: string): PolicyDocument =>
  parsePolicy(deployedRole(runs.get(stack) as StackRun, name).trust);

describe("cross-account trust: deploy roles", () => {
  for (const { stack, env, account } of WORKLOAD_STACKS) {
    describe(`${stack} (${env}, account ${account})`, () => {
      const n = environmentNames(ORG.prefix, env);
      const trust = () => trustOf(stack, n.workloadDeployRole);

      it(`${n.toolsDeployRole} in the tools account may assume it and tag the session`, () => {
        const tools = role(TOOLS, n.toolsDeployRole);
        assert.equal(trustAllows(trust(), tools, "sts:AssumeRole"), true);
        assert.equal(trustAllows(trust(), tools, "sts:TagSession"), true);
      });

      it("grants no other STS action (web identity, SAML, source identity)", () => {
        const tools = role(TOOLS, n.toolsDeployRole);
        for (const action of [
          "sts:AssumeRoleWithWebIdentity",
          "sts:AssumeRoleWithSAML",
          "sts:SetSourceIdentity",
        ])
          assert.equal(trustAllows(trust(), tools, action), false, action);
      });

      it("the tools build and pipeline roles may not assume it", () => {
        for (const app of ORG.applications) {
          const a = applicationNames(ORG.prefix, app.name);
          assert.equal(trustAllows(trust(), role(TOOLS, a.buildRole)), false, a.buildRole);
          assert.equal(trustAllows(trust(), role(TOOLS, a.pipelineRole)), false, a.pipelineRole);
        }
      });

      it("another environment's tools deploy role may not assume it", () => {
        for (const other of ORG.environments.filter((e) => e.name !== env)) {
          const otherRole = environmentNames(ORG.prefix, other.name).toolsDeployRole;
          assert.equal(trustAllows(trust(), role(TOOLS, otherRole)), false, otherRole);
        }
      });

      it("a role of the same name outside the tools account or outside the organization may not", () => {
        assert.equal(trustAllows(trust(), role("999999999999", n.toolsDeployRole)), false);
        assert.equal(trustAllows(trust(), role(account, n.toolsDeployRole)), false);
        assert.equal(trustAllows(trust(), role(TOOLS, n.toolsDeployRole, "o-otherorg000")), false);
        assert.equal(trustAllows(trust(), role(TOOLS, n.toolsDeployRole, null)), false);
      });

      it("keeps sessions to one hour, the most role chaining from a build allows", () => {
        const r = deployedRole(runs.get(stack) as StackRun, n.workloadDeployRole);
        assert.equal(r.resource.inputs["maxSessionDuration"], 3600);
      });
    });
  }
});

describe("cross-account trust: alarm reader and CloudFormation roles", () => {
  const n = environmentNames(ORG.prefix, "prod");
  const pipelines = ORG.applications.map((a) => applicationNames(ORG.prefix, a.name));

  it("only prod's alarm gate may read prod's alarms: the pipelines and the tools deploy role never assume the reader", () => {
    const trust = trustOf("prod", n.alarmReaderRole);
    assert.equal(trustAllows(trust, role(TOOLS, n.alarmGateRole)), true);
    for (const p of pipelines) assert.equal(trustAllows(trust, role(TOOLS, p.pipelineRole)), false);
    assert.equal(trustAllows(trust, role(TOOLS, n.toolsDeployRole)), false);
    const dev = environmentNames(ORG.prefix, "dev");
    assert.equal(trustAllows(trust, role(TOOLS, dev.alarmGateRole)), false);
  });

  it("build roles, outside accounts and other organizations may not read alarms", () => {
    const trust = trustOf("prod", n.alarmReaderRole);
    for (const p of pipelines) assert.equal(trustAllows(trust, role(TOOLS, p.buildRole)), false);
    assert.equal(trustAllows(trust, role("999999999999", n.alarmGateRole)), false);
    assert.equal(trustAllows(trust, role(TOOLS, n.alarmGateRole, "o-otherorg000")), false);
  });

  it("CloudFormation may assume the execution role only on behalf of this account", () => {
    const trust = trustOf("prod-eu", n.cfnExecutionRole);
    const cfn = { arn: "cloudformation.amazonaws.com", service: "cloudformation.amazonaws.com" };
    assert.equal(
      trustAllows(trust, cfn, "sts:AssumeRole", { "aws:SourceAccount": "555555555555" }),
      true,
    );
    assert.equal(
      trustAllows(trust, cfn, "sts:AssumeRole", { "aws:SourceAccount": "999999999999" }),
      false,
    );
    assert.equal(trustAllows(trust, role(TOOLS, n.toolsDeployRole)), false);
  });

  it("only tools pipeline roles may assume the CloudFormation action role", () => {
    const trust = trustOf("staging", environmentNames(ORG.prefix, "staging").cfnActionRole);
    const billing = applicationNames(ORG.prefix, "billing-worker");
    assert.equal(trustAllows(trust, role(TOOLS, billing.pipelineRole)), true);
    assert.equal(trustAllows(trust, role(TOOLS, billing.buildRole)), false);
    assert.equal(
      trustAllows(trust, role(TOOLS, environmentNames(ORG.prefix, "staging").toolsDeployRole)),
      false,
    );
    assert.equal(trustAllows(trust, role("999999999999", billing.pipelineRole)), false);
  });

  it("without an organization id the trust still names the one tools deploy role", async () => {
    const run = await runStackOk("dev", {
      editOrganization: (o) => {
        delete o.id;
        delete o.platform;
      },
    });
    const dev = environmentNames(ORG.prefix, "dev");
    const trust = parsePolicy(deployedRole(run, dev.workloadDeployRole).trust);
    assert.equal(trustAllows(trust, role(TOOLS, dev.toolsDeployRole, null)), true);
    assert.equal(trustAllows(trust, role(TOOLS, n.toolsDeployRole, null)), false);
    assert.equal(trustAllows(trust, role("999999999999", dev.toolsDeployRole, null)), false);
  });
});
