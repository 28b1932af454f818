// The CloudFormation roles of a workload account: the action role native CodePipeline
// CloudFormation actions assume, and the execution role CloudFormation deploys with.
import { environmentNames, roleArn } from "../../naming";
import { artifactReadStatements } from "./codedeploy";
import {
  doc,
  orgCondition,
  pipelineRolesPattern,
  PolicyDocument,
  serviceInThisAccount,
  WorkloadPolicyInputs,
} from "./documents";

/** Trust of the CloudFormation action role: the tools pipeline roles that run CloudFormation actions. */
export function cfnActionTrustPolicy(i: WorkloadPolicyInputs): PolicyDocument {
  return doc({
    Sid: "ToolsPipelinesRunCloudFormationActions",
    Effect: "Allow",
    Principal: { AWS: `arn:${i.partition}:iam::${i.toolsAccount}:root` },
    Action: "sts:AssumeRole",
    Condition: {
      ArnLike: { "aws:PrincipalArn": pipelineRolesPattern(i) },
      ...orgCondition(i.orgId),
    },
  });
}

/**
 * What a CodePipeline CloudFormation action in this account needs: manage stacks, pass only the
 * CloudFormation execution role (to CloudFormation), and read its input artifacts in the tools
 * account. The artifact key's id is random, so it is matched by account and alias instead.
 */
export function cfnActionPolicy(i: WorkloadPolicyInputs): PolicyDocument {
  const n = environmentNames(i.prefix, i.environment);
  const stacks = `arn:${i.partition}:cloudformation:*:${i.account}`;
  return doc(
    {
      Sid: "ManageApplicationStacks",
      Effect: "Allow",
      Action: [
        "cloudformation:CreateStack",
        "cloudformation:UpdateStack",
        "cloudformation:DeleteStack",
        "cloudformation:DescribeStack*",
        "cloudformation:GetTemplate",
        "cloudformation:CreateChangeSet",
        "cloudformation:DescribeChangeSet",
        "cloudformation:ExecuteChangeSet",
        "cloudformation:DeleteChangeSet",
        "cloudformation:SetStackPolicy",
      ],
      Resource: [`${stacks}:stack/*`, `${stacks}:changeSet/*`],
    },
    {
      Sid: "ValidateTemplates",
      Effect: "Allow",
      Action: "cloudformation:ValidateTemplate",
      Resource: "*",
    },
    {
      Sid: "PassOnlyTheExecutionRoleToCloudFormation",
      Effect: "Allow",
      Action: "iam:PassRole",
      Resource: roleArn(i.partition, i.account, n.cfnExecutionRole),
      Condition: { StringEquals: { "iam:PassedToService": "cloudformation.amazonaws.com" } },
    },
    // The action reads its input artifact (the template); it writes none, since the blueprint's
    // CloudFormation actions declare no output artifact (components/tools/pipeline-stages.ts).
    // https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-CloudFormation.html
    ...artifactReadStatements(i),
  );
}

/** Trust of the CloudFormation execution role: CloudFormation, acting for this account only. */
export function cfnExecutionTrustPolicy(i: WorkloadPolicyInputs): PolicyDocument {
  return doc(
    serviceInThisAccount(i, "CloudFormationInThisAccount", "cloudformation.amazonaws.com"),
  );
}
