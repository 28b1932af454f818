// The IAM documents of the tools account, built by pure functions from names and ARNs so each can
// be read, evaluated and measured without creating a resource.
//
// Size: IAM caps a role's inline policies at 10,240 characters (CDK Pipelines hits it near 72
// accounts by listing every account's role), an S3 bucket policy at 20 KB and a KMS key policy at
// 32 KB. So workload roles are matched by name pattern across accounts
// (`arn:<p>:iam::*:role/<prefix>-<env>-deploy`) and every identity policy stays the same size
// however many accounts there are. With an organization id, `aws:ResourceOrgID` keeps what a tools
// role may assume inside the organization and `aws:PrincipalOrgID` keeps who may use the artifact
// key and bucket inside it: nothing grows. Without one, the artifact key and bucket policies list
// the target account ids in `aws:PrincipalAccount` (15 characters per account, the least a list
// can cost) and the identity policies match role names in any account (see assumeWorkloadRoles).
// docs/tools-account.md states the numbers.
import { environmentNames, roleArn } from "../../naming";
import { SecretRef } from "../../config/schema";

/** One IAM statement. */
export interface Statement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Principal?: "*" | Record<string, string | string[]>;
  Action: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

/** An IAM policy document. */
export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: Statement[];
}

/** What every tools document needs to know about the organization. */
export interface ToolsScope {
  /** AWS partition of the tools account. */
  readonly partition: string;
  /** Naming prefix. */
  readonly prefix: string;
  /** The tools account id. */
  readonly toolsAccount: string;
  /** AWS Organizations id; when absent, documents list target accounts instead. */
  readonly orgId?: string;
  /** Every environment with its account ids (used for account lists only without orgId). */
  readonly environments: readonly { readonly name: string; readonly accounts: readonly string[] }[];
}

/** Wraps statements into a document. */
export function doc(...statements: Statement[]): PolicyDocument {
  return { Version: "2012-10-17", Statement: statements };
}

const root = (partition: string, account: string) => `arn:${partition}:iam::${account}:root`;

/** Trust policy of a role assumed by an AWS service of the tools account. */
export function serviceTrust(scope: ToolsScope, service: string): PolicyDocument {
  return doc({
    Effect: "Allow",
    Principal: { Service: service },
    Action: "sts:AssumeRole",
    Condition: { StringEquals: { "aws:SourceAccount": scope.toolsAccount } },
  });
}

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
function toolsRolesUseKey(scope: ToolsScope, toolsRoleArns: readonly string[]): Statement {
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

/** Denies any request to the bucket that does not use TLS. */
export function denyInsecureTransport(bucketArn: string): Statement {
  return {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: [bucketArn, `${bucketArn}/*`],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
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

/** Where the published policy pack lives: the state bucket and key, and its key prefix. */
export interface PolicyPackAccess {
  readonly bucketArn: string;
  readonly keyArn: string;
  /** Key prefix of every published pack version (ends with "/"). */
  readonly prefix: string;
}

/**
 * Key policy of the Pulumi state key: the tools deploy roles use it (state, secrets provider, the
 * policy pack), and principals of the tools account whose own IAM policies allow it may encrypt
 * and decrypt through S3 for this bucket only. The second statement is what lets the person or CI
 * role running `pulumi up` on the tools stack upload the policy pack: key administration alone
 * does not include kms:GenerateDataKey, and SSE-KMS uploads need it. The build and pipeline roles'
 * IAM policies grant nothing on this key, so they gain nothing from it.
 */
export function stateKeyPolicy(
  scope: ToolsScope,
  deployRoleArns: readonly string[],
  bucket: { readonly region: string; readonly bucketName: string },
): PolicyDocument {
  return doc(keyAdministration(scope), toolsRolesUseKey(scope, deployRoleArns), {
    Sid: "ToolsAccountThroughS3",
    Effect: "Allow",
    Principal: { AWS: root(scope.partition, scope.toolsAccount) },
    Action: ["kms:GenerateDataKey", "kms:Decrypt"],
    Resource: "*",
    Condition: {
      StringEquals: {
        "kms:ViaService": `s3.${bucket.region}.amazonaws.com`,
        "kms:CallerAccount": scope.toolsAccount,
        "kms:EncryptionContext:aws:s3:arn": `arn:${scope.partition}:s3:::${bucket.bucketName}`,
      },
    },
  });
}

/** Bucket policy of a bucket only the tools account uses: TLS only. */
export function tlsOnlyBucketPolicy(bucketArn: string): PolicyDocument {
  return doc(denyInsecureTransport(bucketArn));
}

/** Where artifacts live: bucket and key ARNs of every region's store. */
export interface ArtifactAccess {
  readonly bucketArns: readonly string[];
  readonly keyArns: readonly string[];
}

function artifactStatements(a: ArtifactAccess, write: boolean): Statement[] {
  return [
    {
      Sid: write ? "ReadWriteArtifacts" : "ReadArtifacts",
      Effect: "Allow",
      Action: write
        ? ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"]
        : ["s3:GetObject", "s3:GetObjectVersion"],
      Resource: a.bucketArns.map((b) => `${b}/*`),
    },
    {
      Sid: "ArtifactBuckets",
      Effect: "Allow",
      Action: ["s3:GetBucketVersioning", "s3:GetBucketLocation"],
      Resource: [...a.bucketArns],
    },
    {
      Sid: "ArtifactKeys",
      Effect: "Allow",
      Action: write
        ? ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*", "kms:DescribeKey"]
        : ["kms:Decrypt", "kms:DescribeKey"],
      Resource: [...a.keyArns],
    },
  ];
}

/** CloudWatch Logs of a set of CodeBuild projects. */
function buildLogs(scope: ToolsScope, region: string, projects: readonly string[]): Statement {
  return {
    Sid: "BuildLogs",
    Effect: "Allow",
    Action: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
    Resource: projects.flatMap((p) => [
      `arn:${scope.partition}:logs:${region}:${scope.toolsAccount}:log-group:/aws/codebuild/${p}`,
      `arn:${scope.partition}:logs:${region}:${scope.toolsAccount}:log-group:/aws/codebuild/${p}:*`,
    ]),
  };
}

/** The IAM resource ARN of a secret reference, in the tools account and region. */
export function secretResourceArn(ref: SecretRef, scope: ToolsScope, region: string): string {
  if (ref.source === "secrets-manager") {
    // A json-key / version suffix (":key:stage:version") is not part of the secret's ARN.
    return ref.ref.split(":").slice(0, 7).join(":");
  }
  const name = ref.ref.startsWith("/") ? ref.ref.slice(1) : ref.ref;
  return `arn:${scope.partition}:ssm:${region}:${scope.toolsAccount}:parameter/${name}`;
}

/** Statements that read exactly these secrets; none when there are none. */
export function secretReads(
  scope: ToolsScope,
  region: string,
  refs: readonly SecretRef[],
): Statement[] {
  const sm = [
    ...new Set(
      refs
        .filter((r) => r.source === "secrets-manager")
        .map((r) => secretResourceArn(r, scope, region)),
    ),
  ];
  const ssm = [
    ...new Set(
      refs.filter((r) => r.source === "ssm").map((r) => secretResourceArn(r, scope, region)),
    ),
  ];
  const out: Statement[] = [];
  if (sm.length > 0)
    out.push({
      Sid: "ReadSecrets",
      Effect: "Allow",
      Action: "secretsmanager:GetSecretValue",
      Resource: sm,
    });
  if (ssm.length > 0)
    out.push({
      Sid: "ReadParameters",
      Effect: "Allow",
      Action: "ssm:GetParameters",
      Resource: ssm,
    });
  return out;
}

/** Inputs of the build role's policy. */
export interface BuildRoleInputs {
  readonly region: string;
  /** The projects the role runs (build, checks, tests). */
  readonly projects: readonly string[];
  readonly artifacts: ArtifactAccess;
  /** The application's secrets. */
  readonly secrets: readonly SecretRef[];
}

/**
 * The build role: runs the build, checks and tests. It reads the source and writes the build
 * output, reads exactly the application's secrets, and may assume no role at all.
 */
export function buildRolePolicy(scope: ToolsScope, i: BuildRoleInputs): PolicyDocument {
  return doc(
    buildLogs(scope, i.region, i.projects),
    ...artifactStatements(i.artifacts, true),
    ...secretReads(scope, i.region, i.secrets),
  );
}

/** How deployments keep Pulumi state. */
export type StateAccess =
  | { readonly backend: "s3"; readonly bucketArn: string; readonly keyArn: string }
  | { readonly backend: "pulumi-cloud"; readonly tokenSecretArn: string }
  | { readonly backend: "none" };

/** The ARN pattern of one environment's workload deploy role in any account. */
export function workloadDeployRolePattern(scope: ToolsScope, env: string): string {
  return roleArn(scope.partition, "*", environmentNames(scope.prefix, env).workloadDeployRole);
}

/** The ARN pattern of one environment's alarm-reader role in any account. */
export function alarmReaderPattern(scope: ToolsScope, env: string): string {
  return roleArn(scope.partition, "*", environmentNames(scope.prefix, env).alarmReaderRole);
}

/**
 * sts:AssumeRole on the named workload roles, by name pattern in any account: inside the
 * organization (aws:ResourceOrgID) when an org id is configured. Without one the statement is the
 * name pattern alone. Listing every account's role ARN instead costs about 50 characters per
 * account and outgrows the 10,240-character role limit near 165 accounts (about 72 for a
 * CloudFormation pipeline role, which lists two roles per account); a 15-character
 * aws:ResourceAccount list still reaches 93% of it at 500 accounts. What the name pattern gives
 * up: a tools role could assume a same-named role in an account outside the organization if that
 * account's owner trusts it, which grants nothing in the organization's accounts. Which accounts
 * a deployment reaches is still fixed by the pipeline (DEPLOY_ROLE_ARN, roleArn), and every
 * workload role trusts only the one tools role of its environment.
 */
export function assumeWorkloadRoles(
  scope: ToolsScope,
  sid: string,
  roles: readonly { readonly env: string; readonly name: string }[],
): Statement {
  return {
    Sid: sid,
    Effect: "Allow",
    Action: ["sts:AssumeRole", "sts:TagSession"],
    Resource: roles.map((r) => roleArn(scope.partition, "*", r.name)),
    ...(scope.orgId ? { Condition: { StringEquals: { "aws:ResourceOrgID": scope.orgId } } } : {}),
  };
}

/** Inputs of one environment's tools deploy role policy. */
export interface DeployRoleInputs {
  readonly region: string;
  /** The environment this role deploys. */
  readonly environment: string;
  /** The deploy projects of this environment (one per pulumi application). */
  readonly projects: readonly string[];
  readonly artifacts: ArtifactAccess;
  readonly state: StateAccess;
  /** The published policy pack the deploy projects download; none without pulumi applications. */
  readonly policyPack?: PolicyPackAccess;
}

/**
 * A tools deploy role: runs the deploy projects of one environment. It may assume only that
 * environment's workload deploy role, reads the build output, keeps the environment's Pulumi
 * state under its own prefix of the state bucket (`<env>/`) and reads (never writes) the
 * platform's policy pack under its prefix of the same bucket.
 */
export function deployRolePolicy(scope: ToolsScope, i: DeployRoleInputs): PolicyDocument {
  const statements: Statement[] = [
    buildLogs(scope, i.region, i.projects),
    ...artifactStatements(i.artifacts, false),
    assumeWorkloadRoles(scope, "AssumeEnvironmentDeployRole", [
      {
        env: i.environment,
        name: environmentNames(scope.prefix, i.environment).workloadDeployRole,
      },
    ]),
  ];
  if (i.state.backend === "s3") {
    statements.push(
      {
        Sid: "StateObjects",
        Effect: "Allow",
        Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
        Resource: `${i.state.bucketArn}/${i.environment}/*`,
      },
      {
        Sid: "StateListing",
        Effect: "Allow",
        Action: "s3:ListBucket",
        Resource: i.state.bucketArn,
        Condition: { StringLike: { "s3:prefix": [`${i.environment}/*`, i.environment] } },
      },
      {
        Sid: "StateSecretsProvider",
        Effect: "Allow",
        Action: ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey*", "kms:DescribeKey"],
        Resource: i.state.keyArn,
      },
    );
  } else if (i.state.backend === "pulumi-cloud") {
    statements.push({
      Sid: "ReadPulumiToken",
      Effect: "Allow",
      Action: "secretsmanager:GetSecretValue",
      Resource: i.state.tokenSecretArn.split(":").slice(0, 7).join(":"),
    });
  }
  if (i.policyPack) {
    statements.push({
      Sid: "ReadPolicyPack",
      Effect: "Allow",
      Action: "s3:GetObject",
      Resource: `${i.policyPack.bucketArn}/${i.policyPack.prefix}*`,
    });
    // With the S3 backend the pack's key is the state key, already granted above.
    if (i.state.backend !== "s3" || i.state.keyArn !== i.policyPack.keyArn)
      statements.push({
        Sid: "DecryptPolicyPack",
        Effect: "Allow",
        Action: "kms:Decrypt",
        Resource: i.policyPack.keyArn,
      });
  }
  return doc(...statements);
}

/** Inputs of an application's pipeline role policy. */
export interface PipelineRoleInputs {
  readonly artifacts: ArtifactAccess;
  /** The source connection the pipeline uses (GitHub, GitLab, Bitbucket). */
  readonly connectionArn?: string;
  /** The CodeCommit repository the pipeline reads, instead of a connection. */
  readonly codeCommitRepositoryArn?: string;
  /** ARNs of the CodeBuild projects the pipeline starts. */
  readonly projectArns: readonly string[];
  /** Topics the manual approvals notify. */
  readonly topicArns: readonly string[];
  /** Environments whose alarm-reader role the stage conditions assume. */
  readonly gatedEnvironments: readonly string[];
  /** Environments whose CloudFormation action role (`<prefix>-<env>-cfn-action`) native actions assume. */
  readonly cloudFormationEnvironments: readonly string[];
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
 * repository), starts its own projects and notifies approvers. It assumes only alarm-reader roles
 * of gated environments and, for native CloudFormation actions, the CloudFormation action roles of
 * the environments the application reaches.
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
    statements.push({
      Sid: "NotifyApprovers",
      Effect: "Allow",
      Action: "sns:Publish",
      Resource: [...i.topicArns],
    });
  const assumable = [
    ...i.gatedEnvironments.map((env) => ({
      env,
      name: environmentNames(scope.prefix, env).alarmReaderRole,
    })),
    ...i.cloudFormationEnvironments.map((env) => ({
      env,
      name: environmentNames(scope.prefix, env).cfnActionRole,
    })),
  ];
  if (assumable.length > 0)
    statements.push(assumeWorkloadRoles(scope, "AssumeWorkloadRoles", assumable));
  return doc(...statements);
}

/** Trust policy of the role EventBridge uses for exactly this rule of the tools account. */
export function eventRuleTrust(scope: ToolsScope, ruleArn: string): PolicyDocument {
  return doc({
    Effect: "Allow",
    Principal: { Service: "events.amazonaws.com" },
    Action: "sts:AssumeRole",
    Condition: {
      StringEquals: { "aws:SourceAccount": scope.toolsAccount, "aws:SourceArn": ruleArn },
    },
  });
}

/** What an EventBridge rule's role may do: start this one pipeline. */
export function startPipelinePolicy(pipelineArn: string): PolicyDocument {
  return doc({
    Sid: "StartPipeline",
    Effect: "Allow",
    Action: "codepipeline:StartPipelineExecution",
    Resource: pipelineArn,
  });
}

/** Key policy of the notification key: CodeStar Notifications, EventBridge and CloudWatch publish. */
export function notificationKeyPolicy(
  scope: ToolsScope,
  toolsRoleArns: readonly string[],
): PolicyDocument {
  return doc(
    keyAdministration(scope),
    {
      Sid: "ServicesPublishEncrypted",
      Effect: "Allow",
      Principal: {
        Service: [
          "codestar-notifications.amazonaws.com",
          "events.amazonaws.com",
          "cloudwatch.amazonaws.com",
        ],
      },
      Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
      Resource: "*",
      Condition: { StringEquals: { "aws:SourceAccount": scope.toolsAccount } },
    },
    {
      Sid: "PipelinesPublishApprovals",
      Effect: "Allow",
      Principal: { AWS: root(scope.partition, scope.toolsAccount) },
      Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
      Resource: "*",
      Condition: { ArnLike: { "aws:PrincipalArn": [...toolsRoleArns].sort() } },
    },
  );
}

/** Topic policy: CodeStar Notifications, EventBridge and CloudWatch alarms of the tools account publish. */
export function topicPolicy(scope: ToolsScope, topicArn: string): PolicyDocument {
  return doc(
    {
      Sid: "ServicesPublish",
      Effect: "Allow",
      Principal: {
        Service: [
          "codestar-notifications.amazonaws.com",
          "events.amazonaws.com",
          "cloudwatch.amazonaws.com",
        ],
      },
      Action: "sns:Publish",
      Resource: topicArn,
      Condition: { StringEquals: { "aws:SourceAccount": scope.toolsAccount } },
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

/** The ARN of the tools account's trail. */
function trailArnOf(scope: ToolsScope, region: string, trailName: string): string {
  return `arn:${scope.partition}:cloudtrail:${region}:${scope.toolsAccount}:trail/${trailName}`;
}

/** Key policy of the trail key: CloudTrail encrypts this trail's logs. */
export function trailKeyPolicy(
  scope: ToolsScope,
  region: string,
  trailName: string,
): PolicyDocument {
  const trailArn = trailArnOf(scope, region, trailName);
  return doc(
    keyAdministration(scope),
    {
      Sid: "CloudTrailEncryptsLogs",
      Effect: "Allow",
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: "kms:GenerateDataKey*",
      Resource: "*",
      Condition: {
        StringEquals: { "aws:SourceArn": trailArn },
        StringLike: {
          "kms:EncryptionContext:aws:cloudtrail:arn": `arn:${scope.partition}:cloudtrail:*:${scope.toolsAccount}:trail/*`,
        },
      },
    },
    {
      Sid: "CloudTrailDescribesKey",
      Effect: "Allow",
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: "kms:DescribeKey",
      Resource: "*",
    },
  );
}

/** Bucket policy of the trail bucket: TLS only; CloudTrail writes this trail's logs. */
export function trailBucketPolicy(
  scope: ToolsScope,
  bucketArn: string,
  region: string,
  trailName: string,
): PolicyDocument {
  const trailArn = trailArnOf(scope, region, trailName);
  return doc(
    denyInsecureTransport(bucketArn),
    {
      Sid: "CloudTrailAclCheck",
      Effect: "Allow",
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: "s3:GetBucketAcl",
      Resource: bucketArn,
      Condition: { StringEquals: { "aws:SourceArn": trailArn } },
    },
    {
      Sid: "CloudTrailWrite",
      Effect: "Allow",
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: "s3:PutObject",
      Resource: `${bucketArn}/AWSLogs/${scope.toolsAccount}/*`,
      Condition: {
        StringEquals: { "aws:SourceArn": trailArn, "s3:x-amz-acl": "bucket-owner-full-control" },
      },
    },
  );
}
