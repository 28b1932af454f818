// Building blocks of the corpus' stacks: the companions a compliant resource needs in this pack
// (an Errors alarm for a function, a FailedBuilds alarm for a project, a failure notification and
// an encrypted artifact store for a pipeline, the public access block, encryption and TLS-only
// policy of a bucket), each alarm sending to a topic that has a subscription.
import type { CaseResource } from "./corpus-types";
import { CASE_ACCOUNT as ACCOUNT, CASE_REGION as REGION } from "./loader";

export { ACCOUNT, REGION };

export const T = {
  alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  apiStage: "aws:apigateway/stage:Stage",
  appRunner: "aws:apprunner/service:Service",
  batchJob: "aws:batch/jobDefinition:JobDefinition",
  beanstalkEnv: "aws:elasticbeanstalk/environment:Environment",
  bucket: "aws:s3/bucket:Bucket",
  bucketV2: "aws:s3/bucketV2:BucketV2",
  bucketPab: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
  bucketSse:
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  codeArtifactPolicy: "aws:codeartifact/repositoryPermissionsPolicy:RepositoryPermissionsPolicy",
  codebuild: "aws:codebuild/project:Project",
  ecrPolicy: "aws:ecr/repositoryPolicy:RepositoryPolicy",
  ecsTask: "aws:ecs/taskDefinition:TaskDefinition",
  eventBusPolicy: "aws:cloudwatch/eventBusPolicy:EventBusPolicy",
  group: "aws:iam/group:Group",
  groupPolicy: "aws:iam/groupPolicy:GroupPolicy",
  instance: "aws:ec2/instance:Instance",
  kmsKey: "aws:kms/key:Key",
  kmsKeyPolicy: "aws:kms/keyPolicy:KeyPolicy",
  lambda: "aws:lambda/function:Function",
  lambdaPermission: "aws:lambda/permission:Permission",
  launchConfiguration: "aws:ec2/launchConfiguration:LaunchConfiguration",
  launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
  managedPolicy: "aws:iam/policy:Policy",
  notificationRule: "aws:codestarnotifications/notificationRule:NotificationRule",
  pipeline: "aws:codepipeline/pipeline:Pipeline",
  queue: "aws:sqs/queue:Queue",
  queuePolicy: "aws:sqs/queuePolicy:QueuePolicy",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  rolePolicyAttachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  secretPolicy: "aws:secretsmanager/secretPolicy:SecretPolicy",
  ssmParameter: "aws:ssm/parameter:Parameter",
  stateMachine: "aws:sfn/stateMachine:StateMachine",
  topic: "aws:sns/topic:Topic",
  topicPolicy: "aws:sns/topicPolicy:TopicPolicy",
  topicSubscription: "aws:sns/topicSubscription:TopicSubscription",
  user: "aws:iam/user:User",
  userPolicy: "aws:iam/userPolicy:UserPolicy",
} as const;

/** An ARN in the case's account and region. */
export const arn = (service: string, resource: string, region: string = REGION): string =>
  `arn:aws:${service}:${region}:${ACCOUNT}:${resource}`;

/** An IAM ARN (global) in the case's account. */
export const iamArn = (resource: string): string => `arn:aws:iam::${ACCOUNT}:${resource}`;

/** A policy document as the JSON string the resources take. */
export const doc = (...statements: readonly Record<string, unknown>[]): string =>
  JSON.stringify({ Version: "2012-10-17", Statement: statements });

const TOPIC = "ops-alerts";
const TOPIC_ARN = arn("sns", TOPIC);

/** The alert topic and its e-mail subscription (alarms' actions go there). */
export function alerting(): CaseResource[] {
  return [
    { type: T.topic, name: TOPIC, inputs: { name: TOPIC }, outputs: { arn: TOPIC_ARN } },
    {
      type: T.topicSubscription,
      name: `${TOPIC}-email`,
      inputs: { topic: TOPIC_ARN, protocol: "email", endpoint: "oncall@example.com" },
      links: { topic: [TOPIC] },
    },
  ];
}

function alarm(
  name: string,
  namespace: string,
  metricName: string,
  dimensions: Record<string, string>,
  target: string,
): CaseResource {
  return {
    type: T.alarm,
    name,
    inputs: {
      name,
      namespace,
      metricName,
      dimensions,
      statistic: "Sum",
      period: 300,
      evaluationPeriods: 1,
      threshold: 1,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      alarmActions: [TOPIC_ARN],
    },
    links: { dimensions: [target], alarmActions: [TOPIC] },
  };
}

/** A Lambda function with its Errors alarm. */
export function lambdaFunction(name: string, inputs: Record<string, unknown>): CaseResource[] {
  return [
    {
      type: T.lambda,
      name,
      inputs: {
        name,
        role: iamArn(`role/${name}-exec`),
        runtime: "nodejs20.x",
        handler: "index.handler",
        s3Bucket: "deploy-artifacts-111122223333",
        s3Key: `${name}/bundle.zip`,
        ...inputs,
      },
      outputs: { arn: arn("lambda", `function:${name}`) },
    },
    alarm(`${name}-errors`, "AWS/Lambda", "Errors", { FunctionName: name }, name),
    ...alerting(),
  ];
}

/** A CodeBuild project (not privileged) with its FailedBuilds alarm. */
export function codebuildProject(
  name: string,
  environment: Record<string, unknown>,
  source: Record<string, unknown> = { type: "CODEPIPELINE" },
): CaseResource[] {
  return [
    {
      type: T.codebuild,
      name,
      inputs: {
        name,
        serviceRole: iamArn(`role/${name}-build`),
        artifacts: { type: "CODEPIPELINE" },
        environment: {
          computeType: "BUILD_GENERAL1_SMALL",
          image: "aws/codebuild/amazonlinux2-x86_64-standard:5.0",
          type: "LINUX_CONTAINER",
          privilegedMode: false,
          ...environment,
        },
        source,
      },
      outputs: { arn: arn("codebuild", `project/${name}`) },
    },
    alarm(`${name}-failed`, "AWS/CodeBuild", "FailedBuilds", { ProjectName: name }, name),
    ...alerting(),
  ];
}

/** A pipeline with an encrypted artifact store and a failure notification rule. */
export function pipeline(
  name: string,
  stages: readonly Record<string, unknown>[],
  artifactStore: Record<string, unknown> = {
    encryptionKey: { id: arn("kms", "alias/pipeline-artifacts"), type: "KMS" },
  },
): CaseResource[] {
  const pipelineArn = arn("codepipeline", name);
  return [
    {
      type: T.pipeline,
      name,
      inputs: {
        name,
        roleArn: iamArn(`role/${name}-pipeline`),
        pipelineType: "V2",
        artifactStores: [
          { location: "pipeline-artifacts-111122223333", type: "S3", ...artifactStore },
        ],
        stages,
      },
      outputs: { arn: pipelineArn },
    },
    {
      type: T.notificationRule,
      name: `${name}-failed`,
      inputs: {
        name: `${name}-failed`,
        resource: pipelineArn,
        detailType: "FULL",
        eventTypeIds: ["codepipeline-pipeline-pipeline-execution-failed"],
        targets: [{ address: TOPIC_ARN, type: "SNS" }],
      },
      links: { resource: [name], targets: [TOPIC] },
    },
    ...alerting(),
  ];
}

/** The source stage every pipeline of the corpus starts with (CodeStar connection). */
export function sourceStage(): Record<string, unknown> {
  return {
    name: "Source",
    actions: [
      {
        name: "Source",
        category: "Source",
        owner: "AWS",
        provider: "CodeStarSourceConnection",
        version: "1",
        outputArtifacts: ["source"],
        configuration: {
          ConnectionArn: arn("codeconnections", "connection/5d2c7a61-8a1e-4f0b-9c3d-2e7f6a1b4c90"),
          FullRepositoryId: "acme/orders",
          BranchName: "main",
        },
      },
    ],
  };
}

/** The deny-insecure-transport statement of a bucket. */
export function tlsOnlyStatement(bucket: string): Record<string, unknown> {
  return {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
}

/** What a bucket of the corpus may leave out or change. */
export interface BucketOptions {
  /** Statements added to the bucket policy after the TLS-only statement. */
  readonly statements?: readonly Record<string, unknown>[];
  /** Put the policy inline on the bucket instead of a BucketPolicy resource. */
  readonly inlinePolicy?: boolean;
  /** Leave out the encryption configuration. */
  readonly noEncryption?: boolean;
  /** Put the encryption inline on the bucket (`serverSideEncryptionConfiguration`). */
  readonly inlineEncryption?: boolean;
  /** Leave out the TLS-only statement. */
  readonly noTls?: boolean;
  /** Leave out the public access block, or change its settings. */
  readonly publicAccessBlock?: false | Partial<Record<string, boolean>>;
  /** The bucket's type token (default aws:s3/bucket:Bucket). */
  readonly type?: string;
}

/** An S3 bucket with its public access block, encryption and TLS-only policy. */
export function bucket(name: string, options: BucketOptions = {}): CaseResource[] {
  const statements = [
    ...(options.noTls ? [] : [tlsOnlyStatement(name)]),
    ...(options.statements ?? []),
  ];
  const policy = statements.length > 0 ? doc(...statements) : undefined;
  const sse = {
    rules: [
      { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" }, bucketKeyEnabled: true },
    ],
  };
  const out: CaseResource[] = [
    {
      type: options.type ?? T.bucket,
      name,
      inputs: {
        bucket: name,
        ...(options.inlinePolicy && policy ? { policy } : {}),
        ...(options.inlineEncryption
          ? { serverSideEncryptionConfiguration: { rule: sse.rules[0] } }
          : {}),
      },
      outputs: { arn: `arn:aws:s3:::${name}` },
    },
  ];
  const onBucket = (
    suffix: string,
    type: string,
    inputs: Record<string, unknown>,
  ): CaseResource => ({
    type,
    name: `${name}-${suffix}`,
    inputs: { bucket: name, ...inputs },
    links: { bucket: [name] },
  });
  if (!options.noEncryption && !options.inlineEncryption)
    out.push(onBucket("sse", T.bucketSse, sse));
  if (options.publicAccessBlock !== false)
    out.push(
      onBucket("pab", T.bucketPab, {
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
        ...(options.publicAccessBlock ?? {}),
      }),
    );
  if (!options.inlinePolicy && policy) out.push(onBucket("policy", T.bucketPolicy, { policy }));
  return out;
}

/** The trust policy of a role a service assumes. */
export const serviceTrust = (service: string): string =>
  doc({ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" });

/** A role assumed by a service. */
export function role(
  name: string,
  extra: Record<string, unknown> = {},
  service = "lambda.amazonaws.com",
): CaseResource {
  return {
    type: T.role,
    name,
    inputs: { name, assumeRolePolicy: serviceTrust(service), ...extra },
    outputs: { arn: iamArn(`role/${name}`) },
  };
}
