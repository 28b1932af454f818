// Drift detection's roles: the scheduler role (starts the drift build, nothing else), the drift
// role the build runs as (reads state and the tools account, assumes the drift reader roles,
// publishes the DriftedStacks metric and the notification) and the read-only reader role every
// workload account holds for it. None of them may change a resource or a stack's state. Every
// document is a fixed set of statements with name patterns: the same size at 3 or 500 accounts.
import { platformNames, roleArn } from "../../naming";
import { doc, PolicyDocument, Statement, ToolsScope } from "./documents";
import { buildLogs } from "./role-statements";
import { viaSns } from "./notifications";

/** The ARN of the drift schedule (default schedule group). */
export function driftScheduleArn(scope: ToolsScope, region: string): string {
  const n = platformNames(scope.prefix);
  return `arn:${scope.partition}:scheduler:${region}:${scope.toolsAccount}:schedule/default/${n.driftSchedule}`;
}

/** The ARN of the drift CodeBuild project. */
export function driftProjectArn(scope: ToolsScope, region: string): string {
  const n = platformNames(scope.prefix);
  return `arn:${scope.partition}:codebuild:${region}:${scope.toolsAccount}:project/${n.driftProject}`;
}

/**
 * Trust of the scheduler role: EventBridge Scheduler, for this one schedule of the tools account
 * (aws:SourceAccount and aws:SourceArn, the confused-deputy conditions Scheduler documents:
 * https://docs.aws.amazon.com/scheduler/latest/UserGuide/setting-up.html#setting-up-execution-role).
 */
export function driftSchedulerTrust(scope: ToolsScope, region: string): PolicyDocument {
  return doc({
    Effect: "Allow",
    Principal: { Service: "scheduler.amazonaws.com" },
    Action: "sts:AssumeRole",
    Condition: {
      StringEquals: {
        "aws:SourceAccount": scope.toolsAccount,
        "aws:SourceArn": driftScheduleArn(scope, region),
      },
    },
  });
}

/** The scheduler role may start the drift build and nothing else. */
export function driftSchedulerPolicy(scope: ToolsScope, region: string): PolicyDocument {
  return doc({
    Sid: "StartDriftBuild",
    Effect: "Allow",
    Action: "codebuild:StartBuild",
    Resource: driftProjectArn(scope, region),
  });
}

/** Trust of the drift role: CodeBuild, for the drift project only. */
export function driftRoleTrust(scope: ToolsScope, region: string): PolicyDocument {
  return doc({
    Effect: "Allow",
    Principal: { Service: "codebuild.amazonaws.com" },
    Action: "sts:AssumeRole",
    Condition: {
      StringEquals: {
        "aws:SourceAccount": scope.toolsAccount,
        "aws:SourceArn": driftProjectArn(scope, region),
      },
    },
  });
}

/**
 * The read actions a refresh of the platform's resources needs in the tools account: the
 * Describe/Get/List calls of the services the tools stack creates. No object or secret value is
 * read: s3:GetObject is granted on the state and the drift plan only, secretsmanager not at all.
 */
export const TOOLS_READ_ACTIONS = [
  "cloudtrail:DescribeTrails",
  "cloudtrail:GetEventSelectors",
  "cloudtrail:GetTrail",
  "cloudtrail:GetTrailStatus",
  "cloudtrail:ListTags",
  "cloudwatch:DescribeAlarms",
  "cloudwatch:GetDashboard",
  "cloudwatch:ListTagsForResource",
  "codebuild:BatchGetProjects",
  "codebuild:BatchGetReportGroups",
  "codeconnections:GetConnection",
  "codeconnections:ListTagsForResource",
  "codepipeline:GetPipeline",
  "codepipeline:ListTagsForResource",
  "codestar-notifications:DescribeNotificationRule",
  "codestar-notifications:ListTagsForResource",
  "config:DescribeConfigRules",
  "config:DescribeConfigurationAggregators",
  "config:DescribeConfigurationRecorders",
  "config:DescribeDeliveryChannels",
  "config:ListTagsForResource",
  "events:DescribeRule",
  "events:ListTagsForResource",
  "events:ListTargetsByRule",
  "iam:GetPolicy",
  "iam:GetPolicyVersion",
  "iam:GetRole",
  "iam:GetRolePolicy",
  "iam:ListAttachedRolePolicies",
  "iam:ListRolePolicies",
  "iam:ListRoleTags",
  "kms:DescribeKey",
  "kms:GetKeyPolicy",
  "kms:GetKeyRotationStatus",
  "kms:ListAliases",
  "kms:ListResourceTags",
  "lambda:GetFunction",
  "lambda:GetFunctionCodeSigningConfig",
  "lambda:GetPolicy",
  "lambda:ListTags",
  "logs:DescribeLogGroups",
  "logs:ListTagsForResource",
  "s3:GetAccelerateConfiguration",
  "s3:GetBucketAcl",
  "s3:GetBucketCORS",
  "s3:GetBucketLogging",
  "s3:GetBucketObjectLockConfiguration",
  "s3:GetBucketOwnershipControls",
  "s3:GetBucketPolicy",
  "s3:GetBucketPublicAccessBlock",
  "s3:GetBucketRequestPayment",
  "s3:GetBucketTagging",
  "s3:GetBucketVersioning",
  "s3:GetBucketWebsite",
  "s3:GetEncryptionConfiguration",
  "s3:GetLifecycleConfiguration",
  "s3:GetReplicationConfiguration",
  "scheduler:GetSchedule",
  "sns:GetSubscriptionAttributes",
  "sns:GetTopicAttributes",
  "sns:ListTagsForResource",
  "sqs:GetQueueAttributes",
  "sqs:ListQueueTags",
] as const;

/** What the drift role's policy is built from. */
export interface DriftRoleInputs {
  readonly region: string;
  /** The tools state bucket and its key (the state of every stack, the drift plan object). */
  readonly state: { readonly bucketArn: string; readonly keyArn: string };
  /** The platform notification topic and its key. */
  readonly topicArn: string;
  readonly topicKeyArn: string;
  /** The CodeConnections connection the project checks the platform's repository out with. */
  readonly connectionArn: string;
}

/**
 * The drift role: writes its build logs, reads (never writes) every stack's state and decrypts
 * its secrets, reads the tools account's platform resources, assumes the drift reader role of
 * the organization's accounts, publishes DriftedStacks in the platform namespace only and
 * publishes to the platform topic.
 */
export function driftRolePolicy(scope: ToolsScope, i: DriftRoleInputs): PolicyDocument {
  const n = platformNames(scope.prefix);
  const statements: Statement[] = [
    buildLogs(scope, i.region, [n.driftProject]),
    {
      // CodeBuild fetches a CODECONNECTIONS source with the project's role
      // (https://docs.aws.amazon.com/codebuild/latest/userguide/connections-gitlab.html).
      Sid: "CheckOutPlatformSource",
      Effect: "Allow",
      Action: [
        "codeconnections:GetConnection",
        "codeconnections:GetConnectionToken",
        "codestar-connections:GetConnection",
        "codestar-connections:GetConnectionToken",
      ],
      Resource: i.connectionArn,
    },
    {
      Sid: "ReadState",
      Effect: "Allow",
      Action: "s3:GetObject",
      Resource: `${i.state.bucketArn}/*`,
    },
    { Sid: "ListState", Effect: "Allow", Action: "s3:ListBucket", Resource: i.state.bucketArn },
    {
      Sid: "DecryptState",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:DescribeKey"],
      Resource: i.state.keyArn,
    },
    {
      Sid: "ReadToolsResources",
      Effect: "Allow",
      Action: [...TOOLS_READ_ACTIONS],
      Resource: "*",
    },
    {
      Sid: "AssumeDriftReaders",
      Effect: "Allow",
      Action: "sts:AssumeRole",
      Resource: roleArn(scope.partition, "*", n.driftReaderRole),
      ...(scope.orgId ? { Condition: { StringEquals: { "aws:ResourceOrgID": scope.orgId } } } : {}),
    },
    {
      // PutMetricData has no resource: the namespace condition key narrows it
      // (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/iam-cw-condition-keys-namespace.html).
      Sid: "PublishDriftMetric",
      Effect: "Allow",
      Action: "cloudwatch:PutMetricData",
      Resource: "*",
      Condition: { StringEquals: { "cloudwatch:namespace": n.driftNamespace } },
    },
    { Sid: "NotifyDrift", Effect: "Allow", Action: "sns:Publish", Resource: i.topicArn },
    {
      // Publishing to an encrypted topic needs the key through SNS
      // (https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html).
      Sid: "EncryptNotification",
      Effect: "Allow",
      Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
      Resource: i.topicKeyArn,
      Condition: viaSns(i.region),
    },
  ];
  return doc(...statements);
}

/**
 * Trust of the drift reader role in a workload account: the tools account's drift role alone
 * (the tools root narrowed by aws:PrincipalArn, as every cross-account trust of the platform),
 * inside the organization when its id is known.
 */
export function driftReaderTrust(scope: ToolsScope): PolicyDocument {
  const n = platformNames(scope.prefix);
  return doc({
    Effect: "Allow",
    Principal: { AWS: `arn:${scope.partition}:iam::${scope.toolsAccount}:root` },
    Action: "sts:AssumeRole",
    Condition: {
      ArnEquals: { "aws:PrincipalArn": roleArn(scope.partition, scope.toolsAccount, n.driftRole) },
      ...(scope.orgId ? { StringEquals: { "aws:PrincipalOrgID": scope.orgId } } : {}),
    },
  });
}
