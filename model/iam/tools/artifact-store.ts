// The artifact stores: the workload roles that read artifacts, and the key and bucket policies
// that admit them (by organization id, or by listing the target accounts without one).
import { environmentNames, roleArn } from "../../naming";
import { doc, PolicyDocument, Statement, ToolsScope } from "./documents";
import { keyAdministration, toolsRolesUseKey } from "./key-administration";
import { denyInsecureTransport } from "./tls-only";

/** Name patterns (any account) of the workload roles that read artifacts: deploy, cfn-action, cfn-exec. */
export function workloadArtifactReaders(scope: ToolsScope): string[] {
  return scope.environments.flatMap((e) => {
    const n = environmentNames(scope.prefix, e.name);
    return [
      roleArn(scope.partition, "*", n.workloadDeployRole),
      roleArn(scope.partition, "*", n.cfnActionRole),
      roleArn(scope.partition, "*", n.cfnExecutionRole),
    ];
  });
}

/** Every target account id of the organization, sorted, each once. */
export function targetAccounts(scope: ToolsScope): string[] {
  return [...new Set(scope.environments.flatMap((e) => e.accounts))].sort();
}

/**
 * The principal and condition that admit the workload deploy, CloudFormation action and
 * CloudFormation execution roles of every environment, and nobody else: `*` narrowed by
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
 * name pattern, deploy roles by ARN) encrypt and decrypt; the workload deploy and cfn-exec roles
 * only decrypt.
 */
export function artifactKeyPolicy(
  scope: ToolsScope,
  toolsRoleArns: readonly string[],
): PolicyDocument {
  return doc(keyAdministration(scope), toolsRolesUseKey(scope, toolsRoleArns), {
    Sid: "WorkloadRolesDecrypt",
    Effect: "Allow",
    ...workloadReaderPrincipal(scope),
    Action: ["kms:Decrypt", "kms:DescribeKey"],
    Resource: "*",
  });
}

/** Bucket policy of an artifact bucket: TLS only; workload deploy/cfn-exec roles read objects. */
export function artifactBucketPolicy(scope: ToolsScope, bucketArn: string): PolicyDocument {
  return doc(denyInsecureTransport(bucketArn), {
    Sid: "WorkloadRolesReadArtifacts",
    Effect: "Allow",
    ...workloadReaderPrincipal(scope),
    Action: ["s3:GetObject", "s3:GetObjectVersion"],
    Resource: `${bucketArn}/*`,
  });
}
