// The preview role of one application in one workload account: what a pull request's preview
// runs with. Read-only: a `pulumi preview` reads (Describe, List, Get) the environment's services
// but no data (object contents, secret values, parameters, decryption, table items, logs); a
// CloudFormation preview creates, reads and deletes change sets of the application's stacks and
// never executes one. Only the application's pull-request build role in the tools account may
// assume it, so nothing on the pull-request path reaches a role that deploys.
import { applicationNames, roleArn } from "../../naming";
import {
  doc,
  orgCondition,
  PolicyDocument,
  PolicyStatement,
  WorkloadPolicyInputs,
} from "./documents";

/**
 * Reads that return data rather than configuration, denied even where `<service>:Get*` would
 * allow them: code under review must not read what the environment stores.
 */
export const PREVIEW_DENIED_DATA_READS: readonly string[] = [
  "s3:GetObject*",
  "secretsmanager:GetSecretValue",
  "secretsmanager:BatchGetSecretValue",
  "ssm:GetParameter*",
  "ssm:GetDocument",
  "kms:Decrypt",
  "kms:GenerateDataKey*",
  "dynamodb:GetItem",
  "dynamodb:BatchGetItem",
  "dynamodb:Query",
  "dynamodb:Scan",
  "dynamodb:GetRecords",
  "lambda:GetFunction",
  "lambda:GetLayerVersion",
  "ecr:GetAuthorizationToken",
  "ecr:BatchGetImage",
  "ecr:GetDownloadUrlForLayer",
  "logs:GetLogEvents",
  "logs:GetLogRecord",
  "logs:GetQueryResults",
  "logs:FilterLogEvents",
  "ec2:GetPasswordData",
  "ec2:GetConsoleOutput",
  "ec2:GetConsoleScreenshot",
  "states:GetExecutionHistory",
  "rds:DownloadDBLogFilePortion",
];

/**
 * Services whose `Get*` actions include a write, read with Describe* and List* only: Step
 * Functions' GetActivityTask takes a task off an activity (the IAM catalogue calls it a write).
 */
export const PREVIEW_NO_GET_SERVICES: readonly string[] = ["states"];

/** The read patterns of one service in a preview role. */
export function previewReadPatterns(service: string): string[] {
  const verbs = PREVIEW_NO_GET_SERVICES.includes(service)
    ? ["Describe*", "List*"]
    : ["Describe*", "List*", "Get*"];
  return verbs.map((v) => `${service}:${v}`);
}

/** What one application's preview needs in this account. */
export interface PreviewRoleInputs extends WorkloadPolicyInputs {
  /** The application. */
  readonly application: string;
  /** pulumi: read-only service access; cloudformation: change sets of `stackNames`. */
  readonly mechanism: "pulumi" | "cloudformation";
  /** Services the environment allows (the deploy role's), read-only here (pulumi). */
  readonly services: readonly string[];
  /** The application's CloudFormation stack names in this account (cloudformation). */
  readonly stackNames?: readonly string[];
}

/** The stack a CloudFormation preview creates its change set in when the real stack does not exist yet. */
export function previewStackName(stackName: string): string {
  return `${stackName}-pr-preview`;
}

/** Trust of the preview role: only the application's pull-request build role in the tools account. */
export function previewTrustPolicy(i: PreviewRoleInputs): PolicyDocument {
  const n = applicationNames(i.prefix, i.application);
  return doc({
    Sid: "PullRequestBuildOfThisApplication",
    Effect: "Allow",
    Principal: { AWS: `arn:${i.partition}:iam::${i.toolsAccount}:root` },
    Action: "sts:AssumeRole",
    Condition: {
      ArnEquals: { "aws:PrincipalArn": roleArn(i.partition, i.toolsAccount, n.prBuildRole) },
      ...orgCondition(i.orgId),
    },
  });
}

/** The preview role's permissions: read-only, and never a change set execution. */
export function previewPolicy(i: PreviewRoleInputs): PolicyDocument {
  const statements: PolicyStatement[] = [];
  if (i.mechanism === "pulumi") {
    statements.push({
      Sid: "ReadEnvironmentServices",
      Effect: "Allow",
      Action: [...new Set(i.services)].sort().flatMap((s) => previewReadPatterns(s)),
      Resource: "*",
    });
  } else {
    const stacks = `arn:${i.partition}:cloudformation:*:${i.account}:stack`;
    const names = [...new Set(i.stackNames ?? [])].sort();
    statements.push(
      {
        Sid: "PreviewChangeSetsOfApplicationStacks",
        Effect: "Allow",
        Action: [
          "cloudformation:CreateChangeSet",
          "cloudformation:DescribeChangeSet",
          "cloudformation:DeleteChangeSet",
          "cloudformation:DescribeStacks",
          "cloudformation:GetTemplateSummary",
        ],
        Resource: names.flatMap((s) => [`${stacks}/${s}/*`, `${stacks}/${previewStackName(s)}/*`]),
      },
      {
        // A change set for a stack that does not exist yet creates the stack, empty, in
        // REVIEW_IN_PROGRESS; the preview deletes it. Only the preview's own stacks.
        Sid: "DeletePreviewStacks",
        Effect: "Allow",
        Action: "cloudformation:DeleteStack",
        Resource: names.map((s) => `${stacks}/${previewStackName(s)}/*`),
      },
      {
        Sid: "ValidateTemplates",
        Effect: "Allow",
        Action: "cloudformation:ValidateTemplate",
        Resource: "*",
      },
      {
        Sid: "NeverExecute",
        Effect: "Deny",
        Action: [
          "cloudformation:ExecuteChangeSet",
          "cloudformation:CreateStack",
          "cloudformation:UpdateStack",
          "iam:PassRole",
        ],
        Resource: "*",
      },
    );
  }
  statements.push({
    Sid: "NoDataReads",
    Effect: "Deny",
    Action: [...PREVIEW_DENIED_DATA_READS],
    Resource: "*",
  });
  return doc(...statements);
}
