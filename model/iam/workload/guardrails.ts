// The guardrails: explicit denies that hold whatever else a deployment is allowed, as their own
// managed policy and repeated in the permissions boundary.
import { complianceGuardrails } from "./config";
import { environmentNames } from "../../naming";
import {
  boundaryArn,
  doc,
  iamArn,
  PolicyDocument,
  PolicyStatement,
  WorkloadPolicyInputs,
} from "./documents";

/** Managed policies no deployment may attach to anything. */
export function elevatedManagedPolicies(partition: string): string[] {
  return ["AdministratorAccess", "PowerUserAccess", "IAMFullAccess"].map(
    (p) => `arn:${partition}:iam::aws:policy/${p}`,
  );
}

/** Explicit denies that hold whatever else a deployment is allowed (guardrails and boundary). */
export function guardrailStatements(i: WorkloadPolicyInputs): PolicyStatement[] {
  const n = environmentNames(i.prefix, i.environment);
  const p = i.partition;
  const platform = `${i.prefix}-`;
  const gate = `${i.prefix}-${i.environment}-`;
  return [
    {
      Sid: "DenyPrincipalsWithoutBoundary",
      Effect: "Deny",
      Action: [
        "iam:CreateRole",
        "iam:PutRolePermissionsBoundary",
        "iam:PutRolePolicy",
        "iam:AttachRolePolicy",
        "iam:CreateUser",
        "iam:PutUserPermissionsBoundary",
        "iam:PutUserPolicy",
        "iam:AttachUserPolicy",
      ],
      Resource: "*",
      Condition: { StringNotEquals: { "iam:PermissionsBoundary": boundaryArn(i) } },
    },
    {
      Sid: "DenyBoundaryRemoval",
      Effect: "Deny",
      Action: ["iam:DeleteRolePermissionsBoundary", "iam:DeleteUserPermissionsBoundary"],
      Resource: "*",
    },
    {
      Sid: "DenyBoundaryChange",
      Effect: "Deny",
      Action: [
        "iam:CreatePolicyVersion",
        "iam:DeletePolicy",
        "iam:DeletePolicyVersion",
        "iam:SetDefaultPolicyVersion",
      ],
      Resource: boundaryArn(i),
    },
    {
      Sid: "DenyElevatedManagedPolicies",
      Effect: "Deny",
      Action: ["iam:AttachRolePolicy", "iam:AttachUserPolicy", "iam:AttachGroupPolicy"],
      Resource: "*",
      Condition: { ArnLike: { "iam:PolicyARN": elevatedManagedPolicies(p) } },
    },
    {
      Sid: "DenyChangesToPlatformIam",
      Effect: "Deny",
      Action: [
        "iam:Add*",
        "iam:Attach*",
        "iam:Create*",
        "iam:Delete*",
        "iam:Detach*",
        "iam:Put*",
        "iam:Remove*",
        "iam:Set*",
        "iam:Tag*",
        "iam:Untag*",
        "iam:Update*",
      ],
      Resource: ["role", "user", "policy", "instance-profile"].map((k) =>
        iamArn(i, k, `/${platform}*`),
      ),
    },
    {
      Sid: "DenyChangesToPromotionAlarms",
      Effect: "Deny",
      Action: [
        "cloudwatch:DeleteAlarms",
        "cloudwatch:PutMetricAlarm",
        "cloudwatch:PutCompositeAlarm",
        "cloudwatch:DisableAlarmActions",
        "cloudwatch:SetAlarmState",
        "cloudwatch:TagResource",
        "cloudwatch:UntagResource",
      ],
      Resource: `arn:${p}:cloudwatch:*:${i.account}:alarm:${gate}*`,
    },
    {
      Sid: "DenyChangesToAlarmTopic",
      Effect: "Deny",
      Action: [
        "sns:DeleteTopic",
        "sns:SetTopicAttributes",
        "sns:AddPermission",
        "sns:RemovePermission",
        "sns:Unsubscribe",
        "sns:PutDataProtectionPolicy",
        "sns:TagResource",
        "sns:UntagResource",
      ],
      Resource: `arn:${p}:sns:*:${i.account}:${n.alarmTopic}*`,
    },
    {
      Sid: "DenyChangesToPlatformKeys",
      Effect: "Deny",
      Action: [
        "kms:ScheduleKeyDeletion",
        "kms:DisableKey",
        "kms:DisableKeyRotation",
        "kms:PutKeyPolicy",
        "kms:CreateAlias",
        "kms:UpdateAlias",
        "kms:DeleteAlias",
        "kms:TagResource",
        "kms:UntagResource",
      ],
      Resource: "*",
      Condition: { "ForAnyValue:StringLike": { "kms:ResourceAliases": `alias/${platform}*` } },
    },
    {
      Sid: "DenyChangesToPlatformAliases",
      Effect: "Deny",
      Action: ["kms:CreateAlias", "kms:UpdateAlias", "kms:DeleteAlias"],
      Resource: `arn:${p}:kms:*:${i.account}:alias/${platform}*`,
    },
  ];
}

/** Deploy and CloudFormation execution roles: the guardrails as their own managed policy. */
export function guardrailsPolicy(i: WorkloadPolicyInputs): PolicyDocument {
  // AWS Config and X-Ray (docs/compliance.md); the boundary carries the account-wide part only.
  return doc(...guardrailStatements(i), ...complianceGuardrails(i));
}
