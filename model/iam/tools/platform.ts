// The roles of the platform pipeline (`<prefix>-platform`), the pipeline that deploys the
// blueprint itself:
// - the pipeline role starts only the platform's projects (pipeline-role.ts, with their ARNs);
// - the Validate role runs `npm ci`, `npm test` and the offline plan: its logs and the source
//   artifact, nothing else (no deploy right, no role to assume);
// - the deployer role runs the Tools and Deploy projects: it manages the tools stack's resources
//   (the tools account's `<prefix>-*` resources), keeps the platform's state under `platform/` of
//   the state bucket and may assume only the bootstrap role of a workload account.
// Every document is the same size for 3 or 500 accounts: accounts appear as `*` narrowed by
// aws:ResourceOrgID, never as a list (a list only without an organization id).
import { platformNames } from "../../naming";
import { doc, PolicyDocument, Statement, ToolsScope } from "./documents";
import { ArtifactAccess, artifactStatements, buildLogs } from "./role-statements";
import { PolicyPackAccess } from "./state-store";

/** The IAM services whose resources the tools stack creates (test/tools/platform-pipeline.spec.ts derives them from a tools stack run). */
export const TOOLS_STACK_SERVICES = [
  "cloudtrail",
  "cloudwatch",
  "codebuild",
  "codeconnections",
  "codepipeline",
  "codestar-connections",
  "codestar-notifications",
  "config",
  "events",
  "iam",
  "kms",
  "lambda",
  "logs",
  "s3",
  "scheduler",
  "sns",
  "sqs",
] as const;

/**
 * Trust of a role that only the named CodeBuild projects of the tools account run as. CodeBuild
 * sets aws:SourceArn (the project) and aws:SourceAccount when it assumes a service role
 * (https://docs.aws.amazon.com/codebuild/latest/userguide/cross-service-confused-deputy-prevention.html),
 * so an application's project, whose role is another, cannot run as this one.
 */
export function projectTrust(
  scope: ToolsScope,
  region: string,
  projects: readonly string[],
): PolicyDocument {
  return doc({
    Effect: "Allow",
    Principal: { Service: "codebuild.amazonaws.com" },
    Action: "sts:AssumeRole",
    Condition: {
      StringEquals: { "aws:SourceAccount": scope.toolsAccount },
      ArnLike: {
        "aws:SourceArn": projects.map(
          (p) => `arn:${scope.partition}:codebuild:${region}:${scope.toolsAccount}:project/${p}`,
        ),
      },
    },
  });
}

/** Inputs of the Validate role's policy. */
export interface ValidateRoleInputs {
  readonly region: string;
  readonly artifacts: ArtifactAccess;
}

/** The Validate build: its logs and the source artifact. No deploy right, no role to assume. */
export function validateRolePolicy(scope: ToolsScope, i: ValidateRoleInputs): PolicyDocument {
  return doc(
    buildLogs(scope, i.region, [platformNames(scope.prefix).validateProject]),
    ...artifactStatements(i.artifacts, false),
  );
}

/** Inputs of the platform deployer's policy. */
export interface DeployerRoleInputs {
  readonly region: string;
  readonly artifacts: ArtifactAccess;
  /** The state bucket and key (the platform's stacks live under `platform/`). */
  readonly state: { readonly bucketArn: string; readonly keyArn: string };
  /** The published policy pack (read only). */
  readonly policyPack?: PolicyPackAccess;
}

const toolsArn = (scope: ToolsScope, service: string, rest: string) =>
  `arn:${scope.partition}:${service}:${service === "iam" ? "" : "*"}:${scope.toolsAccount}:${rest}`;

/** Manage what the tools stack creates: the tools account's `<prefix>-*` resources. */
function manageTools(scope: ToolsScope): Statement[] {
  const p = scope.prefix;
  const verbs = (svc: string, extra: string[] = []) => [
    `${svc}:Create*`,
    `${svc}:Delete*`,
    `${svc}:Update*`,
    `${svc}:Put*`,
    `${svc}:Tag*`,
    `${svc}:Untag*`,
    ...extra,
  ];
  const n = platformNames(p);
  return [
    {
      Sid: "ReadTools",
      Effect: "Allow",
      // Pulumi reads what it manages on refresh and after each change.
      Action: [
        "sts:GetCallerIdentity",
        ...TOOLS_STACK_SERVICES.flatMap((s) => [`${s}:Describe*`, `${s}:List*`]),
        "codebuild:BatchGet*",
        "codepipeline:GetPipeline",
        "codepipeline:GetPipelineExecution",
        "codepipeline:GetPipelineState",
        "iam:GetRole",
        "iam:GetRolePolicy",
        "kms:GetKeyPolicy",
        "kms:GetKeyRotationStatus",
        "lambda:GetFunction*",
        "lambda:GetPolicy",
        "logs:ListTagsForResource",
        "s3:GetBucket*",
        "s3:Get*Configuration",
        "sns:GetTopicAttributes",
        "sns:GetSubscriptionAttributes",
        "sqs:GetQueueAttributes",
        "cloudtrail:GetTrail*",
        "codestar-notifications:DescribeNotificationRule",
        "codeconnections:GetConnection",
        "codestar-connections:GetConnection",
        "cloudwatch:GetDashboard",
      ],
      Resource: "*",
    },
    {
      Sid: "ManageToolsResources",
      Effect: "Allow",
      Action: [
        ...verbs("codebuild", ["codebuild:BatchDeleteBuilds"]),
        ...verbs("codepipeline", ["codepipeline:StartPipelineExecution"]),
        ...verbs("codeconnections"),
        ...verbs("codestar-connections"),
        ...verbs("codestar-notifications", ["codestar-notifications:Subscribe"]),
        ...verbs("events", ["events:RemoveTargets"]),
        ...verbs("cloudwatch"),
        ...verbs("logs"),
        ...verbs("sns", ["sns:SetTopicAttributes", "sns:Subscribe", "sns:Unsubscribe"]),
        ...verbs("sqs", ["sqs:SetQueueAttributes"]),
        ...verbs("cloudtrail", ["cloudtrail:StartLogging", "cloudtrail:AddTags"]),
        ...verbs("config"),
        ...verbs("lambda", ["lambda:AddPermission", "lambda:RemovePermission"]),
        ...verbs("scheduler"),
      ],
      Resource: [
        toolsArn(scope, "codebuild", `project/${p}-*`),
        toolsArn(scope, "codebuild", `report-group/${p}-*`),
        toolsArn(scope, "codepipeline", `${p}-*`),
        toolsArn(scope, "codeconnections", "connection/*"),
        toolsArn(scope, "codestar-connections", "connection/*"),
        toolsArn(scope, "codestar-notifications", "notificationrule/*"),
        toolsArn(scope, "events", `rule/${p}-*`),
        toolsArn(scope, "cloudwatch", `alarm:${p}-*`),
        toolsArn(scope, "cloudwatch", `dashboard/${p}-*`),
        toolsArn(scope, "logs", `log-group:/aws/*/${p}-*`),
        toolsArn(scope, "sns", `${p}-*`),
        toolsArn(scope, "sqs", `${p}-*`),
        toolsArn(scope, "cloudtrail", `trail/${p}-*`),
        toolsArn(scope, "config", "*"),
        toolsArn(scope, "lambda", `function:${p}-*`),
        toolsArn(scope, "scheduler", `schedule/*/${p}-*`),
      ],
    },
    {
      Sid: "ManageToolsBuckets",
      Effect: "Allow",
      Action: [
        "s3:CreateBucket",
        "s3:DeleteBucket",
        "s3:ListBucket",
        "s3:PutBucket*",
        "s3:DeleteBucketPolicy",
        "s3:PutEncryptionConfiguration",
        "s3:PutLifecycleConfiguration",
        "s3:PutObject",
      ],
      Resource: [`arn:${scope.partition}:s3:::${p}-*`],
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
      Sid: "ManageToolsKeys",
      Effect: "Allow",
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
      Resource: [toolsArn(scope, "kms", "key/*"), toolsArn(scope, "kms", `alias/${p}-*`)],
    },
    {
      Sid: "ManageToolsRoles",
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
      ],
      Resource: [toolsArn(scope, "iam", `role/${p}-*`)],
    },
    {
      Sid: "PassToolsRoles",
      Effect: "Allow",
      Action: "iam:PassRole",
      Resource: [toolsArn(scope, "iam", `role/${p}-*`)],
      Condition: {
        StringEquals: {
          "iam:PassedToService": [
            "codebuild.amazonaws.com",
            "codepipeline.amazonaws.com",
            "lambda.amazonaws.com",
            "events.amazonaws.com",
            "config.amazonaws.com",
          ],
        },
      },
    },
    {
      Sid: "DenyChangingItself",
      Effect: "Deny",
      // The deployer never widens its own grant: a change to this role is applied by a person
      // running `pulumi up` of the tools stack (docs/platform-pipeline.md).
      Action: ["iam:*"],
      Resource: [toolsArn(scope, "iam", `role/${n.deployerRole}`)],
    },
  ];
}

/**
 * The platform deployer: updates the tools stack and, through the bootstrap role of each
 * workload account, the workload stacks. It may assume no role but `<prefix>-platform-bootstrap`.
 */
export function deployerRolePolicy(scope: ToolsScope, i: DeployerRoleInputs): PolicyDocument {
  const n = platformNames(scope.prefix);
  const accounts = [...new Set(scope.environments.flatMap((e) => e.accounts))].sort();
  const statements: Statement[] = [
    buildLogs(scope, i.region, [n.toolsProject, n.workloadUpdateProject("*")]),
    ...artifactStatements(i.artifacts, false),
    {
      Sid: "AssumeBootstrapRoles",
      Effect: "Allow",
      Action: ["sts:AssumeRole", "sts:TagSession"],
      // One pattern, narrowed to the organization or, without an organization id, to the listed
      // accounts by aws:ResourceAccount (15 characters an account, like the artifact policies;
      // an ARN an account would be about 50 and fill the role's 10,240 characters near 200).
      Resource: `arn:${scope.partition}:iam::*:role/${n.bootstrapRole}`,
      Condition: scope.orgId
        ? { StringEquals: { "aws:ResourceOrgID": scope.orgId } }
        : { StringEquals: { "aws:ResourceAccount": accounts } },
    },
    {
      Sid: "PlatformState",
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
      Resource: `${i.state.bucketArn}/${n.statePrefix}/*`,
    },
    {
      Sid: "PlatformStateListing",
      Effect: "Allow",
      Action: "s3:ListBucket",
      Resource: i.state.bucketArn,
      Condition: { StringLike: { "s3:prefix": [`${n.statePrefix}/*`, n.statePrefix] } },
    },
    {
      Sid: "PlatformSecretsProvider",
      Effect: "Allow",
      Action: ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey*", "kms:DescribeKey"],
      Resource: i.state.keyArn,
    },
    ...(i.policyPack
      ? [
          {
            Sid: "ReadPolicyPack",
            Effect: "Allow" as const,
            Action: "s3:GetObject",
            Resource: `${i.policyPack.bucketArn}/${i.policyPack.prefix}*`,
          },
        ]
      : []),
    ...manageTools(scope),
  ];
  return doc(...statements);
}
