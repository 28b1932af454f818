// The IAM, KMS and SNS policy documents of a workload account, as small pure functions of plain
// values (no resources), so they can be evaluated and measured without deploying anything.
//
// How the deploy role is contained:
// - it may use only the services the environment allows (DEFAULT_ALLOWED_SERVICES unless config
//   says otherwise), never iam:*, organizations:* or sts:* wholesale;
// - it may create and change IAM roles, users, policies and instance profiles only under the
//   application path (`/app/`), and roles and users only with the platform permissions boundary
//   attached; it may pass only `/app/` roles, which therefore always carry the boundary;
// - explicit denies (the guardrails, repeated in the boundary) stop it from removing or editing the
//   boundary, attaching AdministratorAccess / PowerUserAccess / IAMFullAccess, touching any role,
//   user or policy whose name starts with `<prefix>-` (its own role and policies included) and
//   changing the alarms, topic and key that gate promotion.
// Every document is independent of the number of accounts and applications.
import { environmentNames, policyArn, roleArn, toolsNames } from "../../naming";

/** One IAM policy statement, as AWS reads it. */
export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  readonly Principal?: "*" | Readonly<Record<string, string | readonly string[]>>;
  readonly Action: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly Condition?: Readonly<
    Record<string, Readonly<Record<string, string | readonly string[]>>>
  >;
}

/** An IAM policy document. */
export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: readonly PolicyStatement[];
}

const doc = (...statements: PolicyStatement[]): PolicyDocument => ({
  Version: "2012-10-17",
  Statement: statements,
});

/**
 * Services a deploy role may use when the environment lists none: what typical serverless,
 * container and database applications deploy. Never iam, organizations or sts (IAM is granted
 * separately, only under the permissions boundary).
 */
export const DEFAULT_ALLOWED_SERVICES: readonly string[] = [
  "acm",
  "apigateway",
  "application-autoscaling",
  "cloudformation",
  "cloudwatch",
  "dynamodb",
  "ec2",
  "ecr",
  "ecs",
  "elasticloadbalancing",
  "events",
  "kms",
  "lambda",
  "logs",
  "rds",
  "route53",
  "s3",
  "scheduler",
  "secretsmanager",
  "sns",
  "sqs",
  "ssm",
  "states",
  "tag",
  "xray",
];

/** Service prefixes an environment may never allow wholesale; validate.ts refuses them. */
export const FORBIDDEN_SERVICES: Readonly<Record<string, string>> = {
  "*": "grants every action of every service: the deploy role would be an administrator",
  iam: "IAM is granted separately and only under the permissions boundary",
  organizations: "a workload deploy role must never manage the AWS organization",
  sts: "a workload deploy role must not assume other roles or mint credentials",
};

/** Why a service entry is refused (`*`, any wildcard, iam, organizations, sts), or undefined. */
export function forbiddenServiceReason(service: string): string | undefined {
  const key = service.toLowerCase();
  if (key.includes("*")) return FORBIDDEN_SERVICES["*"];
  return Object.prototype.hasOwnProperty.call(FORBIDDEN_SERVICES, key)
    ? FORBIDDEN_SERVICES[key]
    : undefined;
}

/**
 * Actions granted for one allowed service. Most services get `<service>:*`; SSM is narrowed to
 * Parameter Store, because ssm:SendCommand and ssm:StartSession run commands on hosts.
 */
export function serviceActions(service: string): string[] {
  if (service === "ssm")
    return [
      "ssm:DescribeParameters",
      "ssm:GetParameter*",
      "ssm:PutParameter",
      "ssm:DeleteParameter*",
      "ssm:LabelParameterVersion",
      "ssm:UnlabelParameterVersion",
      "ssm:AddTagsToResource",
      "ssm:RemoveTagsFromResource",
      "ssm:ListTagsForResource",
    ];
  return [`${service}:*`];
}

/** What every workload document is built from. */
export interface WorkloadPolicyInputs {
  /** AWS partition: aws, aws-cn, aws-us-gov ... */
  readonly partition: string;
  /** Naming prefix of the organization. */
  readonly prefix: string;
  /** Environment name. */
  readonly environment: string;
  /** The workload account these documents live in. */
  readonly account: string;
  /** The tools account that deploys. */
  readonly toolsAccount: string;
  /** AWS Organizations id; narrows every cross-account trust when set. */
  readonly orgId?: string;
}

/** The permissions boundary's ARN (deterministic: the tools stack and tests compute it too). */
export function boundaryArn(i: WorkloadPolicyInputs): string {
  const n = environmentNames(i.prefix, i.environment);
  return policyArn(i.partition, i.account, "/", n.permissionsBoundary);
}

function iamArn(i: WorkloadPolicyInputs, kind: string, pattern: string): string {
  return `arn:${i.partition}:iam::${i.account}:${kind}${pattern}`;
}

/** Condition narrowing a trust to principals of the organization, when one is configured. */
function orgCondition(orgId?: string): Record<string, Record<string, string>> {
  return orgId ? { StringEquals: { "aws:PrincipalOrgID": orgId } } : {};
}

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

/** The tools pipeline roles (`<prefix>-<app>-pipeline`), as an ARN pattern. */
function pipelineRolesPattern(i: WorkloadPolicyInputs): string {
  return `arn:${i.partition}:iam::${i.toolsAccount}:role/${i.prefix}-*-pipeline`;
}

/** Trust of the alarm reader: the tools pipeline roles and this environment's tools deploy role. */
export function alarmReaderTrustPolicy(i: WorkloadPolicyInputs): PolicyDocument {
  const n = environmentNames(i.prefix, i.environment);
  return doc({
    Sid: "ToolsPipelinesReadAlarmState",
    Effect: "Allow",
    Principal: { AWS: `arn:${i.partition}:iam::${i.toolsAccount}:root` },
    Action: "sts:AssumeRole",
    Condition: {
      ArnLike: {
        "aws:PrincipalArn": [
          pipelineRolesPattern(i),
          roleArn(i.partition, i.toolsAccount, n.toolsDeployRole),
        ],
      },
      ...orgCondition(i.orgId),
    },
  });
}

/** What the alarm reader may do: read alarm state and history, nothing else. */
export function alarmReaderPolicy(): PolicyDocument {
  return doc({
    Sid: "ReadAlarmState",
    Effect: "Allow",
    Action: [
      "cloudwatch:DescribeAlarms",
      "cloudwatch:DescribeAlarmHistory",
      "cloudwatch:DescribeAlarmsForMetric",
      "cloudwatch:GetMetricData",
    ],
    Resource: "*",
  });
}

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
 * CloudFormation execution role (to CloudFormation), and read/write pipeline artifacts in the tools
 * account. The artifact key's id is random, so it is matched by account and alias instead.
 */
export function cfnActionPolicy(i: WorkloadPolicyInputs): PolicyDocument {
  const n = environmentNames(i.prefix, i.environment);
  const t = toolsNames(i.prefix, i.toolsAccount);
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
    {
      Sid: "PipelineArtifacts",
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"],
      Resource: `arn:${i.partition}:s3:::${t.artifactBucket("*")}/*`,
    },
    {
      Sid: "PipelineArtifactKey",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKey"],
      Resource: `arn:${i.partition}:kms:*:${i.toolsAccount}:key/*`,
      Condition: {
        "ForAnyValue:StringLike": { "kms:ResourceAliases": t.artifactKeyAlias("*") },
      },
    },
  );
}

/** Trust of the CloudFormation execution role: CloudFormation, acting for this account only. */
export function cfnExecutionTrustPolicy(i: WorkloadPolicyInputs): PolicyDocument {
  return doc({
    Sid: "CloudFormationInThisAccount",
    Effect: "Allow",
    Principal: { Service: "cloudformation.amazonaws.com" },
    Action: "sts:AssumeRole",
    Condition: { StringEquals: { "aws:SourceAccount": i.account } },
  });
}

/** The allow statement of the environment's services. */
function servicesStatement(services: readonly string[]): PolicyStatement {
  return {
    Sid: "EnvironmentServices",
    Effect: "Allow",
    Action: [...new Set(services.flatMap(serviceActions))],
    Resource: "*",
  };
}

/** Deploy and CloudFormation execution roles: the services the environment allows. */
export function servicesPolicy(services: readonly string[]): PolicyDocument {
  return doc(servicesStatement(services));
}

/** IAM actions on an existing principal that AWS checks against `iam:PermissionsBoundary`. */
const BOUNDED_ROLE_ACTIONS = [
  "iam:CreateRole",
  "iam:PutRolePolicy",
  "iam:AttachRolePolicy",
  "iam:DeleteRolePolicy",
  "iam:DetachRolePolicy",
  "iam:PutRolePermissionsBoundary",
];
const BOUNDED_USER_ACTIONS = [
  "iam:CreateUser",
  "iam:PutUserPolicy",
  "iam:AttachUserPolicy",
  "iam:DeleteUserPolicy",
  "iam:DetachUserPolicy",
  "iam:PutUserPermissionsBoundary",
];

/** IAM a deployment may use: everything under the application path, principals only with the boundary. */
function boundedIamStatements(i: WorkloadPolicyInputs): PolicyStatement[] {
  const path = environmentNames(i.prefix, i.environment).applicationIamPath;
  const boundary = { StringEquals: { "iam:PermissionsBoundary": boundaryArn(i) } };
  return [
    {
      Sid: "ReadIam",
      Effect: "Allow",
      Action: ["iam:Get*", "iam:List*"],
      Resource: "*",
    },
    {
      Sid: "ApplicationRolesOnlyWithBoundary",
      Effect: "Allow",
      Action: [...BOUNDED_ROLE_ACTIONS, ...BOUNDED_USER_ACTIONS],
      Resource: [iamArn(i, "role", `${path}*`), iamArn(i, "user", `${path}*`)],
      Condition: boundary,
    },
    {
      Sid: "ManageApplicationIam",
      Effect: "Allow",
      Action: [
        "iam:DeleteRole",
        "iam:UpdateRole",
        "iam:UpdateRoleDescription",
        "iam:UpdateAssumeRolePolicy",
        "iam:TagRole",
        "iam:UntagRole",
        "iam:DeleteUser",
        "iam:TagUser",
        "iam:UntagUser",
        "iam:CreatePolicy",
        "iam:CreatePolicyVersion",
        "iam:DeletePolicy",
        "iam:DeletePolicyVersion",
        "iam:TagPolicy",
        "iam:UntagPolicy",
        "iam:CreateInstanceProfile",
        "iam:DeleteInstanceProfile",
        "iam:AddRoleToInstanceProfile",
        "iam:RemoveRoleFromInstanceProfile",
        "iam:TagInstanceProfile",
        "iam:UntagInstanceProfile",
      ],
      Resource: [
        iamArn(i, "role", `${path}*`),
        iamArn(i, "user", `${path}*`),
        iamArn(i, "policy", `${path}*`),
        iamArn(i, "instance-profile", `${path}*`),
      ],
    },
    {
      Sid: "PassOnlyApplicationRoles",
      Effect: "Allow",
      Action: "iam:PassRole",
      Resource: iamArn(i, "role", `${path}*`),
    },
    {
      Sid: "ServiceLinkedRoles",
      Effect: "Allow",
      Action: [
        "iam:CreateServiceLinkedRole",
        "iam:DeleteServiceLinkedRole",
        "iam:GetServiceLinkedRoleDeletionStatus",
      ],
      Resource: iamArn(i, "role", "/aws-service-role/*"),
    },
  ];
}

/** Deploy and CloudFormation execution roles: IAM only under the application path and boundary. */
export function boundedIamPolicy(i: WorkloadPolicyInputs): PolicyDocument {
  return doc(...boundedIamStatements(i));
}

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
  return doc(...guardrailStatements(i));
}

/**
 * The permissions boundary: the most any bounded role (the deploy role, the CloudFormation
 * execution role and every role they create) can ever do. It allows the environment's services and
 * IAM under the boundary, and denies the same escalations as the guardrails.
 */
export function permissionsBoundaryPolicy(
  i: WorkloadPolicyInputs,
  services: readonly string[],
): PolicyDocument {
  return doc(servicesStatement(services), ...boundedIamStatements(i), ...guardrailStatements(i));
}

/** Key policy of an alarm topic's key: the account administers it, CloudWatch alarms use it. */
export function alarmKeyPolicy(i: WorkloadPolicyInputs, region: string): PolicyDocument {
  return doc(
    {
      Sid: "AccountAdministersKey",
      Effect: "Allow",
      Principal: { AWS: `arn:${i.partition}:iam::${i.account}:root` },
      Action: "kms:*",
      Resource: "*",
    },
    {
      Sid: "CloudWatchAlarmsPublish",
      Effect: "Allow",
      Principal: { Service: "cloudwatch.amazonaws.com" },
      Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
      Resource: "*",
      Condition: {
        StringEquals: { "aws:SourceAccount": i.account },
        ArnLike: {
          "aws:SourceArn": `arn:${i.partition}:cloudwatch:${region}:${i.account}:alarm:*`,
        },
      },
    },
  );
}

/** Topic policy of an alarm topic: the account and this account's CloudWatch alarms, over TLS. */
export function alarmTopicPolicy(
  i: WorkloadPolicyInputs,
  region: string,
  topicArn: string,
): PolicyDocument {
  return doc(
    {
      Sid: "AccountManagesTopic",
      Effect: "Allow",
      Principal: { AWS: `arn:${i.partition}:iam::${i.account}:root` },
      Action: [
        "sns:GetTopicAttributes",
        "sns:ListSubscriptionsByTopic",
        "sns:Publish",
        "sns:Subscribe",
      ],
      Resource: topicArn,
    },
    {
      Sid: "CloudWatchAlarmsPublish",
      Effect: "Allow",
      Principal: { Service: "cloudwatch.amazonaws.com" },
      Action: "sns:Publish",
      Resource: topicArn,
      Condition: {
        StringEquals: { "aws:SourceAccount": i.account },
        ArnLike: {
          "aws:SourceArn": `arn:${i.partition}:cloudwatch:${region}:${i.account}:alarm:*`,
        },
      },
    },
    {
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: "sns:Publish",
      Resource: topicArn,
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    },
  );
}

/** Size of a policy as IAM counts it against its limits (JSON without whitespace). */
export function policySize(document: PolicyDocument): number {
  return JSON.stringify(document).length;
}

/** IAM's limits, in characters (whitespace not counted). */
export const IAM_MANAGED_POLICY_LIMIT = 6144;
export const IAM_INLINE_POLICIES_LIMIT = 10240;
export const IAM_TRUST_POLICY_LIMIT = 2048;
