// One naming module, used from both sides: the ARNs the tools stack computes for each
// environment are exactly those the workload stacks create, and the tools deploy role a workload
// trusts is the one the shared names give the tools account.
import { strict as assert } from "assert";
import { parsePolicy } from "../../plan/report/iam-eval";
import { alarmArn, environmentNames, roleArn } from "../../model/naming";
import { deployedRole, exampleOrganization, exampleRun, ofType } from "../helpers";

const ORG = exampleOrganization();

describe("names shared by the tools and workload stacks", () => {
  it("the deploy role ARNs the tools stack computes are the roles the workload stacks create", async () => {
    const tools = await exampleRun("tools");
    const computed = tools.outputs["workloadDeployRoles"] as Record<string, string[]>;
    const created: Record<string, string[]> = {};
    for (const stack of ["dev", "staging", "prod", "prod-eu"]) {
      const run = await exampleRun(stack);
      const env = run.outputs["environment"] as string;
      const role = deployedRole(run, environmentNames(ORG.prefix, env).workloadDeployRole);
      (created[env] ??= []).push(role.arn);
      assert.equal(run.outputs["deployRoleArn"], role.arn);
    }
    for (const env of Object.keys(created)) created[env].sort();
    for (const env of Object.keys(computed)) computed[env] = [...computed[env]].sort();
    assert.deepEqual(created, computed);
  });

  it("the deployment-health alarm and alarm reader are where the shared names put them", async () => {
    const run = await exampleRun("prod-eu");
    const n = environmentNames(ORG.prefix, "prod");
    const composite = ofType(run, "aws:cloudwatch/compositeAlarm:CompositeAlarm");
    assert.deepEqual(
      composite.map((a) => a.outputs["arn"]),
      [alarmArn("aws", "eu-west-1", "555555555555", n.deploymentHealthAlarm)],
    );
    assert.equal(
      run.outputs["alarmReaderRoleArn"],
      roleArn("aws", "555555555555", n.alarmReaderRole),
    );
  });

  it("each workload trusts the tools deploy role the shared names give its environment", async () => {
    for (const stack of ["dev", "staging", "prod"]) {
      const run = await exampleRun(stack);
      const n = environmentNames(ORG.prefix, stack);
      const trust = parsePolicy(deployedRole(run, n.workloadDeployRole).trust);
      const condition = trust.Statement[0].Condition ?? {};
      assert.equal(
        condition["ArnEquals"]?.["aws:PrincipalArn"],
        roleArn("aws", ORG.tools.account, n.toolsDeployRole),
      );
    }
  });
});
