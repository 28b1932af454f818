// Statements every tools key policy shares: the tools account administers the key, and named
// tools roles encrypt and decrypt with it.
import { root, Statement, ToolsScope } from "./documents";

/** Key administration without any cryptographic use: the tools account manages the key. */
export function keyAdministration(scope: ToolsScope): Statement {
  return {
    Sid: "KeyAdministration",
    Effect: "Allow",
    Principal: { AWS: root(scope.partition, scope.toolsAccount) },
    Action: [
      "kms:CreateAlias",
      "kms:DeleteAlias",
      "kms:UpdateAlias",
      "kms:Describe*",
      "kms:List*",
      "kms:Get*",
      "kms:Enable*",
      "kms:Disable*",
      "kms:PutKeyPolicy",
      "kms:UpdateKeyDescription",
      "kms:RevokeGrant",
      "kms:TagResource",
      "kms:UntagResource",
      "kms:ScheduleKeyDeletion",
      "kms:CancelKeyDeletion",
      "kms:RotateKeyOnDemand",
    ],
    Resource: "*",
  };
}

/** Lets these tools-account roles (ARNs or `*` name patterns) encrypt and decrypt with the key. */
export function toolsRolesUseKey(scope: ToolsScope, toolsRoleArns: readonly string[]): Statement {
  return {
    Sid: "ToolsRolesUseKey",
    Effect: "Allow",
    Principal: { AWS: root(scope.partition, scope.toolsAccount) },
    Action: [
      "kms:Encrypt",
      "kms:Decrypt",
      "kms:ReEncrypt*",
      "kms:GenerateDataKey*",
      "kms:DescribeKey",
    ],
    Resource: "*",
    Condition: { ArnLike: { "aws:PrincipalArn": [...toolsRoleArns].sort() } },
  };
}
