// The artifact stores: the workload roles that read artifacts (the CloudFormation action roles),
// and the key and bucket policies that admit them (by organization id, or by listing the target
// accounts without one).
import { applicationNames, environmentNames, roleArn } from "../../naming";
import { doc, PolicyDocument, Statement, ToolsScope } from "./documents";
import { keyAdministration, toolsRolesUseKey } from "./key-administration";
import { denyInsecureTransport } from "./tls-only";

/**
 * Name patterns (any account) of the workload roles that read artifacts: the CloudFormation action
 * role of each environment, each application's CodeDeploy action role and host role of each
 * environment, and no other. CodePipeline's CloudFormation action reads its input
 * artifact (the template) with the action role it assumes; the execution role only receives the
 * template from CloudFormation, and the workload deploy role is assumed by a tools deploy build,
 * which reads the artifact with the tools deploy role. The blueprint's CloudFormation actions
 * declare no output artifact, so nothing in a workload account writes artifacts.
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-CloudFormation.html
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/pipelines-create-cross-account.html
 */
export function workloadArtifactReaders(scope: ToolsScope): string[] {
  const app = applicationNames(scope.prefix, "*");
  return scope.environments.flatMap((e) => [
    roleArn(scope.partition, "*", environmentNames(scope.prefix, e.name).cfnActionRole),
    // CodeDeploy: the CodeDeployToECS and CodeDeploy actions read the task definition, AppSpec
    // and revision with the action role; the agent on an EC2 or on-premises host downloads the
    // revision with the host role.
    roleArn(scope.partition, "*", app.codeDeployActionRole(e.name)),
    roleArn(scope.partition, "*", app.hostRole(e.name)),
  ]);
}

/** Every target account id of the organization, sorted, each once. */
export function targetAccounts(scope: ToolsScope): string[] {
  return [...new Set(scope.environments.flatMap((e) => e.accounts))].sort();
}

/**
 * The principal and condition that admit the CloudFormation action role of every environment,
 * and nobody else: `*` narrowed by
 * aws:PrincipalArn (the role names) and by aws:PrincipalOrgID (constant size) or, without an org
 * id, by aws:PrincipalAccount listing the target accounts (15 characters per account; root ARNs in
 * Principal would cost 33). Both keys name fixed principals, so S3 Block Public Access and the
 * policy pack see a non-public policy.
 */
export function workloadReaderPrincipal(
  scope: ToolsScope,
): Pick<Statement, "Principal" | "Condition"> {
  return {
    Principal: { AWS: "*" },
    Condition: {
      StringEquals: scope.orgId
        ? { "aws:PrincipalOrgID": scope.orgId }
        : { "aws:PrincipalAccount": targetAccounts(scope) },
      ArnLike: { "aws:PrincipalArn": workloadArtifactReaders(scope) },
    },
  };
}

/**
 * Key policy of an artifact key: the tools roles that move artifacts (pipeline and build roles by
 * name pattern, deploy roles by ARN) encrypt and decrypt; the workload cfn-action roles only
 * decrypt.
 */
export function artifactKeyPolicy(
  scope: ToolsScope,
  toolsRoleArns: readonly string[],
): PolicyDocument {
  return doc(keyAdministration(scope), toolsRolesUseKey(scope, toolsRoleArns), {
    Sid: "CfnActionRolesDecrypt",
    Effect: "Allow",
    ...workloadReaderPrincipal(scope),
    Action: ["kms:Decrypt", "kms:DescribeKey"],
    Resource: "*",
  });
}

/** Bucket policy of an artifact bucket: TLS only; the workload cfn-action roles read objects. */
export function artifactBucketPolicy(scope: ToolsScope, bucketArn: string): PolicyDocument {
  return doc(denyInsecureTransport(bucketArn), {
    Sid: "CfnActionRolesReadArtifacts",
    Effect: "Allow",
    ...workloadReaderPrincipal(scope),
    Action: ["s3:GetObject", "s3:GetObjectVersion"],
    Resource: `${bucketArn}/*`,
  });
}
