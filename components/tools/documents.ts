// The IAM documents of the tools account, built by pure functions from names and ARNs so each can
// be read, evaluated and measured without creating a resource.
//
// Size: a document must stay the same size however many accounts an environment holds (IAM caps a
// role's inline policies at 10,240 characters; CDK Pipelines hits it near 72 accounts by listing
// every account's role). So workload roles are matched by name pattern across accounts
// (`arn:<p>:iam::*:role/<prefix>-<env>-deploy`) and narrowed to the organization with
// `aws:ResourceOrgID` (what a tools role may assume) and `aws:PrincipalOrgID` (who may use the
// artifact key and bucket). Without an organization id the documents list the target account
// roots instead: they then grow with the accounts, and the blueprint says so in its plan.
import { environmentNames, roleArn } from "../../stacks/naming";
import { SecretRef } from "../../stacks/config/schema";

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

/**
 * The principal and condition that admit the workload deploy and CloudFormation execution roles
 * of every environment, and nobody else: with an org id, `*` narrowed by aws:PrincipalOrgID and
 * aws:PrincipalArn (constant size); without, each target account root narrowed by
 * aws:PrincipalArn (grows with the accounts).
 */
export function workloadReaderPrincipal(
  scope: ToolsScope,
): Pick<Statement, "Principal" | "Condition"> {
  const arns = workloadArtifactReaders(scope);
  if (scope.orgId)
    return {
      Principal: { AWS: "*" },
      Condition: {
        StringEquals: { "aws:PrincipalOrgID": scope.orgId },
        ArnLike: { "aws:PrincipalArn": arns },
      },
    };
  const accounts = [...new Set(scope.environments.flatMap((e) => e.accounts))].sort();
  return {
    Principal: { AWS: accounts.map((a) => root(scope.partition, a)) },
    Condition: { ArnLike: { "aws:PrincipalArn": arns } },
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

/** Lets exactly these tools-account roles encrypt and decrypt with the key. */
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
    Condition: { ArnEquals: { "aws:PrincipalArn": [...toolsRoleArns].sort() } },
  };
}

/**
 * Key policy of an artifact key: the tools roles that move artifacts (pipeline, build and deploy
 * roles, by exact ARN) encrypt and decrypt; the workload deploy and cfn-exec roles only decrypt.
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

/** Key policy of a key only tools roles use (the Pulumi state key). */
export function toolsOnlyKeyPolicy(
  scope: ToolsScope,
  toolsRoleArns: readonly string[],
): PolicyDocument {
  return doc(keyAdministration(scope), toolsRolesUseKey(scope, toolsRoleArns));
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
 * sts:AssumeRole on the named workload roles: by name pattern in any account of the organization
 * (aws:ResourceOrgID), or, without an org id, by exact ARN in each listed account.
 */
export function assumeWorkloadRoles(
  scope: ToolsScope,
  sid: string,
  roles: readonly { readonly env: string; readonly name: string }[],
): Statement {
  if (scope.orgId)
    return {
      Sid: sid,
      Effect: "Allow",
      Action: ["sts:AssumeRole", "sts:TagSession"],
      Resource: roles.map((r) => roleArn(scope.partition, "*", r.name)),
      Condition: { StringEquals: { "aws:ResourceOrgID": scope.orgId } },
    };
  return {
    Sid: sid,
    Effect: "Allow",
    Action: ["sts:AssumeRole", "sts:TagSession"],
    Resource: roles.flatMap((r) =>
      (scope.environments.find((e) => e.name === r.env)?.accounts ?? []).map((a) =>
        roleArn(scope.partition, a, r.name),
      ),
    ),
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
}

/**
 * A tools deploy role: runs the deploy projects of one environment. It may assume only that
 * environment's workload deploy role, reads the build output, and keeps the environment's
 * Pulumi state under its own prefix of the state bucket (`<env>/`).
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
  return doc(...statements);
}

/** Inputs of an application's pipeline role policy. */
export interface PipelineRoleInputs {
  readonly artifacts: ArtifactAccess;
  /** The source connection the pipeline uses. */
  readonly connectionArn: string;
  /** ARNs of the CodeBuild projects the pipeline starts. */
  readonly projectArns: readonly string[];
  /** Topics the manual approvals notify. */
  readonly topicArns: readonly string[];
  /** Environments whose alarm-reader role the stage conditions assume. */
  readonly gatedEnvironments: readonly string[];
  /** Environments whose CloudFormation action role (`<prefix>-<env>-cfn-action`) native actions assume. */
  readonly cloudFormationEnvironments: readonly string[];
}

/**
 * The pipeline role: moves artifacts, uses the source connection, starts its own projects and
 * notifies approvers. It assumes only alarm-reader roles of gated environments and, for native
 * CloudFormation actions, the CloudFormation action roles of the environments the application reaches.
 */
export function pipelineRolePolicy(scope: ToolsScope, i: PipelineRoleInputs): PolicyDocument {
  const statements: Statement[] = [
    ...artifactStatements(i.artifacts, true),
    {
      Sid: "UseSourceConnection",
      Effect: "Allow",
      Action: ["codestar-connections:UseConnection", "codeconnections:UseConnection"],
      Resource: i.connectionArn,
    },
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
      Condition: { ArnEquals: { "aws:PrincipalArn": [...toolsRoleArns].sort() } },
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

/** Key policy of the trail key: CloudTrail encrypts this trail's logs. */
export function trailKeyPolicy(
  scope: ToolsScope,
  region: string,
  trailName: string,
): PolicyDocument {
  const trailArn = `arn:${scope.partition}:cloudtrail:${region}:${scope.toolsAccount}:trail/${trailName}`;
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
  const trailArn = `arn:${scope.partition}:cloudtrail:${region}:${scope.toolsAccount}:trail/${trailName}`;
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
