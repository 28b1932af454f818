// The documents of the organization-wide bootstrap role (`<prefix>-platform-bootstrap`), the role
// the platform pipeline assumes in every workload account to apply that account's workload stack.
// They are pure functions of plain values: called with concrete values they are what AWS evaluates
// in one account (the tests judge them so); called with CloudFormation tokens (`${AWS::AccountId}`,
// `${Prefix}` ...) they become the StackSet template (template.ts), one text for every account.
//
// How the role is contained:
// - trust: the tools account root, narrowed to the platform deployer role by aws:PrincipalArn and
//   to the organization by aws:PrincipalOrgID;
// - permissions: create, change and delete only what a workload stack creates, named
//   `<prefix>-...` where AWS lets a name scope an ARN; the reads Pulumi needs to refresh;
// - the boundary repeats those allows, and both documents deny changing the role itself, its
//   boundary, attaching elevated AWS managed policies, IAM users and keys, and Organizations.
// Every document is the same size for 3 or 500 accounts: no account list appears in it.
import { platformNames } from "../../naming";
import { doc, PolicyDocument, PolicyStatement } from "../workload/documents";
import { elevatedManagedPolicies } from "../workload/guardrails";

/** What the bootstrap role's documents are built from. */
export interface BootstrapRoleInputs {
  /** AWS partition (aws, aws-cn ...), or `${AWS::Partition}` in the template. */
  readonly partition: string;
  /** The workload account the role lives in, or `${AWS::AccountId}` in the template. */
  readonly account: string;
  /** The organization's naming prefix, or `${Prefix}`. */
  readonly prefix: string;
  /** The tools account whose deployer role assumes this one, or `${ToolsAccount}`. */
  readonly toolsAccount: string;
  /** The AWS Organizations id (required: the trust is narrowed with aws:PrincipalOrgID). */
  readonly orgId: string;
}

/** The trust policy: only the platform deployer role of the tools account, inside the organization. */
export function bootstrapTrustPolicy(i: BootstrapRoleInputs): PolicyDocument {
  const n = platformNames(i.prefix);
  return doc({
    Sid: "PlatformDeployer",
    Effect: "Allow",
    // The root, not the role ARN: a trust naming a role that does not exist yet is refused
    // ("Invalid principal in policy"), and the StackSet may reach an account before the tools
    // stack exists. The conditions narrow it to one role of one organization.
    Principal: { AWS: `arn:${i.partition}:iam::${i.toolsAccount}:root` },
    Action: ["sts:AssumeRole", "sts:TagSession"],
    Condition: {
      ArnEquals: {
        "aws:PrincipalArn": `arn:${i.partition}:iam::${i.toolsAccount}:role/${n.deployerRole}`,
      },
      StringEquals: { "aws:PrincipalOrgID": i.orgId },
    },
  });
}

const arn = (i: BootstrapRoleInputs, service: string, rest: string, region = "*") =>
  `arn:${i.partition}:${service}:${service === "iam" || service === "s3" ? "" : region}:${
    service === "s3" ? "" : i.account
  }:${rest}`;

/** What a workload stack creates, changes and deletes (components/workload, components/shared). */
export function bootstrapAllowStatements(i: BootstrapRoleInputs): PolicyStatement[] {
  const p = i.prefix;
  return [
    {
      Sid: "Read",
      Effect: "Allow",
      // Pulumi reads every resource it manages on refresh and after each change. Get, List and
      // Describe only: none of these reads data (no s3:GetObject, no secrets).
      Action: [
        "sts:GetCallerIdentity",
        "iam:Get*",
        "iam:List*",
        "kms:Describe*",
        "kms:GetKeyPolicy",
        "kms:GetKeyRotationStatus",
        "kms:List*",
        "sns:GetTopicAttributes",
        "sns:GetSubscriptionAttributes",
        "sns:List*",
        "cloudwatch:Describe*",
        "cloudwatch:ListTagsForResource",
        "events:Describe*",
        "events:List*",
        "config:Describe*",
        "config:ListTagsForResource",
        "xray:GetEncryptionConfig",
        "xray:GetSamplingRules",
        "xray:ListTagsForResource",
        "codedeploy:Get*",
        "codedeploy:List*",
        // The ECS blue/green deployment group looks its load balancer up by name.
        "elasticloadbalancing:DescribeLoadBalancers",
        "elasticloadbalancing:DescribeListeners",
        "elasticloadbalancing:DescribeTargetGroups",
      ],
      Resource: "*",
    },
    {
      Sid: "Roles",
      Effect: "Allow",
      Action: [
        "iam:CreateRole",
        "iam:DeleteRole",
        "iam:UpdateRole",
        "iam:UpdateRoleDescription",
        "iam:UpdateAssumeRolePolicy",
        "iam:TagRole",
        "iam:UntagRole",
        "iam:PutRolePolicy",
        "iam:DeleteRolePolicy",
        "iam:AttachRolePolicy",
        "iam:DetachRolePolicy",
        "iam:PutRolePermissionsBoundary",
        "iam:DeleteRolePermissionsBoundary",
        "iam:CreatePolicy",
        "iam:DeletePolicy",
        "iam:CreatePolicyVersion",
        "iam:DeletePolicyVersion",
        "iam:SetDefaultPolicyVersion",
        "iam:TagPolicy",
        "iam:UntagPolicy",
        "iam:CreateInstanceProfile",
        "iam:DeleteInstanceProfile",
        "iam:AddRoleToInstanceProfile",
        "iam:RemoveRoleFromInstanceProfile",
        "iam:TagInstanceProfile",
      ],
      Resource: [
        arn(i, "iam", `role/${p}-*`),
        arn(i, "iam", `policy/${p}-*`),
        arn(i, "iam", `instance-profile/${p}-*`),
      ],
    },
    {
      Sid: "ConfigServiceLinkedRole",
      Effect: "Allow",
      Action: ["iam:CreateServiceLinkedRole", "iam:DeleteServiceLinkedRole"],
      Resource: arn(i, "iam", "role/aws-service-role/config.amazonaws.com/*"),
    },
    {
      Sid: "PassPlatformRoles",
      Effect: "Allow",
      // The Config recorder's role and the CodeDeploy service role, to those services only.
      Action: "iam:PassRole",
      Resource: [
        arn(i, "iam", `role/${p}-*`),
        arn(i, "iam", "role/aws-service-role/config.amazonaws.com/*"),
      ],
      Condition: {
        StringEquals: {
          "iam:PassedToService": ["config.amazonaws.com", "codedeploy.amazonaws.com"],
        },
      },
    },
    {
      Sid: "CreateKeys",
      Effect: "Allow",
      // kms:CreateKey has no resource ARN: its Resource can only be "*"
      // (https://docs.aws.amazon.com/kms/latest/developerguide/iam-policies.html).
      Action: "kms:CreateKey",
      Resource: "*",
    },
    {
      Sid: "Keys",
      Effect: "Allow",
      // Keys have no name: scoped to this account's keys and the prefix's aliases.
      Action: [
        "kms:PutKeyPolicy",
        "kms:EnableKeyRotation",
        "kms:UpdateKeyDescription",
        "kms:ScheduleKeyDeletion",
        "kms:TagResource",
        "kms:UntagResource",
        "kms:CreateAlias",
        "kms:UpdateAlias",
        "kms:DeleteAlias",
      ],
      Resource: [arn(i, "kms", "key/*"), arn(i, "kms", `alias/${p}-*`)],
    },
    {
      Sid: "TopicsAlarmsRules",
      Effect: "Allow",
      Action: [
        "sns:CreateTopic",
        "sns:DeleteTopic",
        "sns:SetTopicAttributes",
        "sns:Subscribe",
        "sns:Unsubscribe",
        "sns:SetSubscriptionAttributes",
        "sns:TagResource",
        "sns:UntagResource",
        "cloudwatch:PutMetricAlarm",
        "cloudwatch:PutCompositeAlarm",
        "cloudwatch:DeleteAlarms",
        "cloudwatch:TagResource",
        "cloudwatch:UntagResource",
        "events:PutRule",
        "events:DeleteRule",
        "events:PutTargets",
        "events:RemoveTargets",
        "events:TagResource",
        "events:UntagResource",
      ],
      Resource: [
        arn(i, "sns", `${p}-*`),
        arn(i, "cloudwatch", `alarm:${p}-*`),
        arn(i, "events", `rule/${p}-*`),
      ],
    },
    {
      Sid: "ConfigBucket",
      Effect: "Allow",
      Action: [
        "s3:CreateBucket",
        "s3:DeleteBucket",
        "s3:ListBucket",
        "s3:GetBucket*",
        "s3:Get*Configuration",
        "s3:PutBucket*",
        "s3:DeleteBucketPolicy",
        "s3:PutEncryptionConfiguration",
        "s3:PutLifecycleConfiguration",
      ],
      Resource: arn(i, "s3", `${p}-*`),
    },
    {
      Sid: "Config",
      Effect: "Allow",
      // Recorders and delivery channels have no resource ARN; rules are named by id, not name.
      Action: [
        "config:PutConfigurationRecorder",
        "config:DeleteConfigurationRecorder",
        "config:StartConfigurationRecorder",
        "config:StopConfigurationRecorder",
        "config:PutDeliveryChannel",
        "config:DeleteDeliveryChannel",
        "config:PutConfigRule",
        "config:DeleteConfigRule",
        "config:PutAggregationAuthorization",
        "config:DeleteAggregationAuthorization",
        "config:TagResource",
        "config:UntagResource",
        "xray:PutEncryptionConfig",
      ],
      Resource: "*",
    },
    {
      Sid: "TracingAndDeployments",
      Effect: "Allow",
      Action: [
        "xray:CreateSamplingRule",
        "xray:UpdateSamplingRule",
        "xray:DeleteSamplingRule",
        "xray:TagResource",
        "xray:UntagResource",
        "codedeploy:CreateApplication",
        "codedeploy:DeleteApplication",
        "codedeploy:CreateDeploymentGroup",
        "codedeploy:UpdateDeploymentGroup",
        "codedeploy:DeleteDeploymentGroup",
        "codedeploy:CreateDeploymentConfig",
        "codedeploy:DeleteDeploymentConfig",
        "codedeploy:TagResource",
        "codedeploy:UntagResource",
      ],
      Resource: [
        arn(i, "xray", `sampling-rule/${p}-*`),
        arn(i, "codedeploy", `application:${p}-*`),
        arn(i, "codedeploy", `deploymentgroup:${p}-*`),
        arn(i, "codedeploy", `deploymentconfig:${p}-*`),
      ],
    },
  ];
}

/** Denies that hold whatever the allows say: in the role's policy and again in its boundary. */
export function bootstrapDenyStatements(i: BootstrapRoleInputs): PolicyStatement[] {
  const n = platformNames(i.prefix);
  return [
    {
      Sid: "DenyChangingItself",
      Effect: "Deny",
      // The role and its boundary are the StackSet's, never a workload stack's.
      Action: [
        "iam:Add*",
        "iam:Attach*",
        "iam:Create*",
        "iam:Delete*",
        "iam:Detach*",
        "iam:Put*",
        "iam:Remove*",
        "iam:SetDefaultPolicyVersion",
        "iam:Tag*",
        "iam:Untag*",
        "iam:Update*",
      ],
      Resource: [
        arn(i, "iam", `role/${n.bootstrapRole}`),
        arn(i, "iam", `policy/${n.bootstrapBoundary}`),
      ],
    },
    {
      Sid: "DenyElevatedManagedPolicies",
      Effect: "Deny",
      Action: ["iam:AttachRolePolicy", "iam:PutRolePermissionsBoundary"],
      Resource: "*",
      Condition: { ArnEquals: { "iam:PolicyARN": elevatedManagedPolicies(i.partition) } },
    },
    {
      Sid: "DenyUsersKeysAndOrganization",
      Effect: "Deny",
      Action: [
        "iam:CreateUser",
        "iam:CreateAccessKey",
        "iam:CreateLoginProfile",
        "organizations:*",
        "account:*",
      ],
      Resource: "*",
    },
  ];
}

/** The bootstrap role's permissions (its inline policy). */
export function bootstrapPermissionsPolicy(i: BootstrapRoleInputs): PolicyDocument {
  return doc(...bootstrapAllowStatements(i), ...bootstrapDenyStatements(i));
}

/**
 * The bootstrap role's permissions boundary (`<prefix>-platform-bootstrap-boundary`): the same
 * allows and denies, so a policy attached to the role by any other means grants nothing more.
 */
export function bootstrapBoundaryPolicy(i: BootstrapRoleInputs): PolicyDocument {
  return doc(...bootstrapAllowStatements(i), ...bootstrapDenyStatements(i));
}

/**
 * The drift reader role's trust: only the tools account's drift role (platformNames.driftRole),
 * inside the organization. Drift detection (docs/drift-detection.md) previews each workload stack
 * through it and never through the bootstrap role, which can write.
 */
export function driftReaderTrustPolicy(i: BootstrapRoleInputs): PolicyDocument {
  const n = platformNames(i.prefix);
  return doc({
    Sid: "PlatformDrift",
    Effect: "Allow",
    Principal: { AWS: `arn:${i.partition}:iam::${i.toolsAccount}:root` },
    Action: "sts:AssumeRole",
    Condition: {
      ArnEquals: {
        "aws:PrincipalArn": `arn:${i.partition}:iam::${i.toolsAccount}:role/${n.driftRole}`,
      },
      StringEquals: { "aws:PrincipalOrgID": i.orgId },
    },
  });
}

/** The drift reader's permissions: the bootstrap role's reads (Get, List, Describe; no data). */
export function driftReaderPolicy(i: BootstrapRoleInputs): PolicyDocument {
  const read = bootstrapAllowStatements(i).find((s) => s.Sid === "Read");
  if (!read) throw new Error("the bootstrap documents have no Read statement");
  return doc({ ...read, Sid: "ReadWorkloadStack" });
}
