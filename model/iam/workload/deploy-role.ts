// The workload deploy role's trust: only the tools deploy role of the same environment (and of the
// organization, when one is configured) may assume it.
import { environmentNames, roleArn } from "../../naming";
import { doc, orgCondition, PolicyDocument, WorkloadPolicyInputs } from "./documents";

/**
 * Trust of the deploy role: the tools account, narrowed to the tools deploy role of this
 * environment (and to the organization). Trusting the account root with `aws:PrincipalArn`
 * keeps the policy valid before the tools role exists.
 */
export function deployTrustPolicy(i: WorkloadPolicyInputs): PolicyDocument {
  const n = environmentNames(i.prefix, i.environment);
  return doc({
    Sid: "ToolsDeployRoleOfThisEnvironment",
    Effect: "Allow",
    Principal: { AWS: `arn:${i.partition}:iam::${i.toolsAccount}:root` },
    Action: ["sts:AssumeRole", "sts:TagSession"],
    Condition: {
      ArnEquals: { "aws:PrincipalArn": roleArn(i.partition, i.toolsAccount, n.toolsDeployRole) },
      ...orgCondition(i.orgId),
    },
  });
}
