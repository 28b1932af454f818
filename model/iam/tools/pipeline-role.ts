// An application's pipeline role: moves artifacts, reads its source (a connection or a CodeCommit
// repository), starts its own projects and its environments' alarm gates, notifies approvers and
// assumes only CloudFormation action roles and its own CodeDeploy action roles.
import { environmentNames } from "../../naming";
import { doc, PolicyDocument, Statement, ToolsScope } from "./documents";
import { viaSns } from "./notifications";
import { ArtifactAccess, artifactStatements } from "./role-statements";
import { assumeWorkloadRoles } from "./workload-roles";

/** Inputs of an application's pipeline role policy. */
export interface PipelineRoleInputs {
  readonly artifacts: ArtifactAccess;
  /** The source connection the pipeline uses (GitHub, GitLab, Bitbucket). */
  readonly connectionArn?: string;
  /** The CodeCommit repository the pipeline reads, instead of a connection. */
  readonly codeCommitRepositoryArn?: string;
  /** ARNs of the CodeBuild projects the pipeline starts (its own, and its alarm gates). */
  readonly projectArns: readonly string[];
  /** Topics the manual approvals notify. */
  readonly topicArns: readonly string[];
  /** The KMS key the topics are encrypted with. */
  readonly notificationKeyArn: string;
  /** Region of the topics (the SNS endpoint that uses the key). */
  readonly region: string;
  /** Environments whose CloudFormation action role (`<prefix>-<env>-cfn-action`) native actions assume. */
  readonly cloudFormationEnvironments: readonly string[];
  /** Workload roles (by name, any account) native CodeDeploy actions assume: the application's own action roles. */
  readonly codeDeployActionRoles?: readonly { readonly env: string; readonly name: string }[];
}

/** What CodePipeline's CodeCommit source action does with the repository. */
export const CODECOMMIT_SOURCE_ACTIONS = [
  "codecommit:GetBranch",
  "codecommit:GetCommit",
  "codecommit:UploadArchive",
  "codecommit:GetUploadArchiveStatus",
  "codecommit:CancelUploadArchive",
] as const;

/** ARN of a CodeCommit repository. */
export function codeCommitRepositoryArn(
  partition: string,
  region: string,
  account: string,
  repository: string,
): string {
  return `arn:${partition}:codecommit:${region}:${account}:${repository}`;
}

/**
 * The pipeline role: moves artifacts, reads its source (the connection, or the CodeCommit
 * repository), starts its own projects and the alarm gates of its environments, and notifies
 * approvers. It reads no alarm itself (the gate projects do, with their own roles) and assumes
 * only, for native CloudFormation actions, the CloudFormation action roles of the environments
 * the application reaches.
 */
export function pipelineRolePolicy(scope: ToolsScope, i: PipelineRoleInputs): PolicyDocument {
  const statements: Statement[] = [
    ...artifactStatements(i.artifacts, true),
    ...(i.connectionArn
      ? [
          {
            Sid: "UseSourceConnection",
            Effect: "Allow" as const,
            Action: ["codestar-connections:UseConnection", "codeconnections:UseConnection"],
            Resource: i.connectionArn,
          },
        ]
      : []),
    ...(i.codeCommitRepositoryArn
      ? [
          {
            Sid: "ReadCodeCommitSource",
            Effect: "Allow" as const,
            Action: [...CODECOMMIT_SOURCE_ACTIONS],
            Resource: i.codeCommitRepositoryArn,
          },
        ]
      : []),
    {
      Sid: "RunOwnProjects",
      Effect: "Allow",
      Action: ["codebuild:StartBuild", "codebuild:BatchGetBuilds"],
      Resource: [...i.projectArns],
    },
  ];
  if (i.topicArns.length > 0)
    statements.push(
      {
        Sid: "NotifyApprovers",
        Effect: "Allow",
        Action: "sns:Publish",
        Resource: [...i.topicArns],
      },
      // A manual approval publishes as the pipeline role (CodePipeline is one of the SNS event
      // sources that need an IAM role rather than the service principal), and a publisher to an
      // encrypted topic needs kms:GenerateDataKey and kms:Decrypt on its key. The key policy admits
      // the pipeline roles only as tools-account principals, so IAM must grant it here.
      // https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html
      {
        Sid: "EncryptApprovalNotifications",
        Effect: "Allow",
        Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
        Resource: i.notificationKeyArn,
        Condition: viaSns(i.region),
      },
    );
  const assumable = [
    ...i.cloudFormationEnvironments.map((env) => ({
      env,
      name: environmentNames(scope.prefix, env).cfnActionRole,
    })),
    ...(i.codeDeployActionRoles ?? []),
  ];
  if (assumable.length > 0)
    statements.push(assumeWorkloadRoles(scope, "AssumeWorkloadRoles", assumable));
  return doc(...statements);
}
