// The AWS resource types the pack reads, by their Pulumi type tokens (checked against the
// `__pulumiType` strings of @pulumi/aws 7), and where each keeps its policy documents. The pack
// matches tokens instead of importing @pulumi/aws classes, so it loads fast and works with any
// 7.x provider SDK the program uses.
import { isUnknown, keysOf, read, type Unknown } from "./unknowns";
import type { DocumentSource } from "./iam";

export const T = {
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  policy: "aws:iam/policy:Policy",
  rolePolicyAttachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  rolePolicyAttachmentsExclusive:
    "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive",
  policyAttachment: "aws:iam/policyAttachment:PolicyAttachment",
  user: "aws:iam/user:User",
  userPolicy: "aws:iam/userPolicy:UserPolicy",
  userPolicyAttachment: "aws:iam/userPolicyAttachment:UserPolicyAttachment",
  group: "aws:iam/group:Group",
  groupPolicy: "aws:iam/groupPolicy:GroupPolicy",
  groupPolicyAttachment: "aws:iam/groupPolicyAttachment:GroupPolicyAttachment",
  bucket: "aws:s3/bucket:Bucket",
  bucketV2: "aws:s3/bucketV2:BucketV2",
  bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
  bucketSse:
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  bucketSseV2:
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
  bucketPublicAccessBlock: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  kmsKey: "aws:kms/key:Key",
  kmsKeyPolicy: "aws:kms/keyPolicy:KeyPolicy",
  snsTopic: "aws:sns/topic:Topic",
  snsTopicPolicy: "aws:sns/topicPolicy:TopicPolicy",
  snsTopicSubscription: "aws:sns/topicSubscription:TopicSubscription",
  sqsQueue: "aws:sqs/queue:Queue",
  sqsQueuePolicy: "aws:sqs/queuePolicy:QueuePolicy",
  lambdaFunction: "aws:lambda/function:Function",
  lambdaPermission: "aws:lambda/permission:Permission",
  ecrRepositoryPolicy: "aws:ecr/repositoryPolicy:RepositoryPolicy",
  secretPolicy: "aws:secretsmanager/secretPolicy:SecretPolicy",
  codebuildProject: "aws:codebuild/project:Project",
  pipeline: "aws:codepipeline/pipeline:Pipeline",
  ecsTaskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
  apiGatewayStage: "aws:apigateway/stage:Stage",
  ssmParameter: "aws:ssm/parameter:Parameter",
  ec2Instance: "aws:ec2/instance:Instance",
  ec2LaunchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
  notificationRule: "aws:codestarnotifications/notificationRule:NotificationRule",
  eventRule: "aws:cloudwatch/eventRule:EventRule",
  eventTarget: "aws:cloudwatch/eventTarget:EventTarget",
  metricAlarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  compositeAlarm: "aws:cloudwatch/compositeAlarm:CompositeAlarm",
  ec2LaunchConfiguration: "aws:ec2/launchConfiguration:LaunchConfiguration",
  batchJobDefinition: "aws:batch/jobDefinition:JobDefinition",
  sfnStateMachine: "aws:sfn/stateMachine:StateMachine",
  apprunnerService: "aws:apprunner/service:Service",
  beanstalkEnvironment: "aws:elasticbeanstalk/environment:Environment",
  beanstalkConfigurationTemplate:
    "aws:elasticbeanstalk/configurationTemplate:ConfigurationTemplate",
  apigatewayStage: "aws:apigateway/stage:Stage",
  apigatewayV2Stage: "aws:apigatewayv2/stage:Stage",
  glueJob: "aws:glue/job:Job",
  amplifyApp: "aws:amplify/app:App",
  amplifyBranch: "aws:amplify/branch:Branch",
  sagemakerModel: "aws:sagemaker/model:Model",
  lightsailContainerDeployment:
    "aws:lightsail/containerServiceDeploymentVersion:ContainerServiceDeploymentVersion",
  emrCluster: "aws:emr/cluster:Cluster",
  s3AccessPoint: "aws:s3/accessPoint:AccessPoint",
  s3ControlAccessPointPolicy: "aws:s3control/accessPointPolicy:AccessPointPolicy",
  s3ControlBucketPolicy: "aws:s3control/bucketPolicy:BucketPolicy",
  ecrPublicRepositoryPolicy: "aws:ecrpublic/repositoryPolicy:RepositoryPolicy",
  secret: "aws:secretsmanager/secret:Secret",
  codeartifactDomainPermissions: "aws:codeartifact/domainPermissions:DomainPermissions",
  codeartifactRepositoryPermissions:
    "aws:codeartifact/repositoryPermissionsPolicy:RepositoryPermissionsPolicy",
  eventBusPolicy: "aws:cloudwatch/eventBusPolicy:EventBusPolicy",
  eventPermission: "aws:cloudwatch/eventPermission:EventPermission",
  glacierVault: "aws:glacier/vault:Vault",
  efsFileSystemPolicy: "aws:efs/fileSystemPolicy:FileSystemPolicy",
  opensearchDomain: "aws:opensearch/domain:Domain",
  opensearchDomainPolicy: "aws:opensearch/domainPolicy:DomainPolicy",
  elasticsearchDomain: "aws:elasticsearch/domain:Domain",
  elasticsearchDomainPolicy: "aws:elasticsearch/domainPolicy:DomainPolicy",
  restApi: "aws:apigateway/restApi:RestApi",
  restApiPolicy: "aws:apigateway/restApiPolicy:RestApiPolicy",
  backupVaultPolicy: "aws:backup/vaultPolicy:VaultPolicy",
  dynamodbResourcePolicy: "aws:dynamodb/resourcePolicy:ResourcePolicy",
  lambdaFunctionUrl: "aws:lambda/functionUrl:FunctionUrl",
  lambdaLayerVersionPermission: "aws:lambda/layerVersionPermission:LayerVersionPermission",
} as const;

/** Types whose `policy` property is an identity-based policy document. */
const IDENTITY_POLICY_TYPES: readonly string[] = [
  T.rolePolicy,
  T.policy,
  T.userPolicy,
  T.groupPolicy,
];

/** Every type that carries an identity-based policy document. */
export const IDENTITY_DOCUMENT_TYPES: readonly string[] = [T.role, ...IDENTITY_POLICY_TYPES];

/**
 * The identity-based policy documents of a resource: a role's inline policies (all of them, so
 * checks can combine statements across them) or the `policy` of a role / user / group policy or a
 * managed policy.
 */
export function identityDocumentSources(type: string, props: unknown): DocumentSource[] {
  if (type === T.role) {
    const inline = read(props, "inlinePolicies");
    if (!Array.isArray(inline)) return [];
    const sources: DocumentSource[] = [];
    for (let i = 0; i < inline.length; i++) {
      const name = read(inline, i, "name");
      const label = `inlinePolicies[${i}]${typeof name === "string" ? ` ("${name}")` : ""}`;
      sources.push({ label, value: read(inline, i, "policy") });
    }
    return sources;
  }
  if (IDENTITY_POLICY_TYPES.includes(type))
    return [{ label: "policy", value: read(props, "policy") }];
  return [];
}

/**
 * Types that carry a resource-based policy (who may use the resource), and the property that holds
 * it (names checked against the `Args` of @pulumi/aws 7).
 */
export const RESOURCE_POLICY_PROPERTIES: Readonly<Record<string, string>> = {
  [T.bucket]: "policy",
  [T.bucketV2]: "policy",
  [T.bucketPolicy]: "policy",
  [T.s3AccessPoint]: "policy",
  [T.s3ControlAccessPointPolicy]: "policy",
  [T.s3ControlBucketPolicy]: "policy",
  [T.kmsKey]: "policy",
  [T.kmsKeyPolicy]: "policy",
  [T.snsTopic]: "policy",
  [T.snsTopicPolicy]: "policy",
  [T.sqsQueue]: "policy",
  [T.sqsQueuePolicy]: "policy",
  [T.ecrRepositoryPolicy]: "policy",
  [T.ecrPublicRepositoryPolicy]: "policy",
  [T.secret]: "policy",
  [T.secretPolicy]: "policy",
  [T.codeartifactDomainPermissions]: "policyDocument",
  [T.codeartifactRepositoryPermissions]: "policyDocument",
  [T.eventBusPolicy]: "policy",
  [T.glacierVault]: "accessPolicy",
  [T.efsFileSystemPolicy]: "policy",
  [T.opensearchDomain]: "accessPolicies",
  [T.opensearchDomainPolicy]: "accessPolicies",
  [T.elasticsearchDomain]: "accessPolicies",
  [T.elasticsearchDomainPolicy]: "accessPolicies",
  [T.restApi]: "policy",
  [T.restApiPolicy]: "policy",
  [T.backupVaultPolicy]: "policy",
  [T.dynamodbResourcePolicy]: "policy",
};

/** Every type that carries a resource-based policy document. */
export const RESOURCE_POLICY_TYPES: readonly string[] = Object.keys(RESOURCE_POLICY_PROPERTIES);

/** The resource-based policy document of a resource, when it has one. */
export function resourcePolicySources(type: string, props: unknown): DocumentSource[] {
  if (!Object.hasOwn(RESOURCE_POLICY_PROPERTIES, type)) return [];
  const property = RESOURCE_POLICY_PROPERTIES[type];
  const value = read(props, property);
  return value === undefined ? [] : [{ label: property, value }];
}

/** Every document-valued property of a resource: identity, trust and resource policies. */
export function allDocumentSources(type: string, props: unknown): DocumentSource[] {
  const sources = [...identityDocumentSources(type, props), ...resourcePolicySources(type, props)];
  if (type === T.role)
    sources.unshift({ label: "assumeRolePolicy", value: read(props, "assumeRolePolicy") });
  return sources;
}

/** Types that attach a managed policy by ARN, and the property that holds the ARN(s). */
export function attachedPolicyArns(type: string, props: unknown): (string | Unknown)[] {
  const collect = (value: unknown): (string | Unknown)[] => {
    if (typeof value === "string" || isUnknown(value)) return [value];
    if (!Array.isArray(value)) return [];
    const out: (string | Unknown)[] = [];
    for (let i = 0; i < value.length; i++) {
      const v = read(value, i);
      if (typeof v === "string" || isUnknown(v)) out.push(v);
    }
    return out;
  };
  switch (type) {
    case T.role:
      return collect(read(props, "managedPolicyArns"));
    case T.rolePolicyAttachment:
    case T.policyAttachment:
    case T.userPolicyAttachment:
    case T.groupPolicyAttachment:
      return collect(read(props, "policyArn"));
    case T.rolePolicyAttachmentsExclusive:
      return collect(read(props, "policyArns"));
    default:
      return [];
  }
}

/** The property that names a managed-policy attachment's ARN, for messages. */
export function attachmentProperty(type: string): string {
  if (type === T.role) return "managedPolicyArns";
  if (type === T.rolePolicyAttachmentsExclusive) return "policyArns";
  return "policyArn";
}

/** Physical names a resource may be known by (its `name` and a few type-specific ones). */
export function physicalNames(props: unknown): string[] {
  const out: string[] = [];
  for (const key of ["name", "bucket", "functionName", "alarmName", "arn"]) {
    if (!keysOf(props).includes(key)) continue;
    const v = read(props, key);
    if (typeof v === "string") out.push(v);
  }
  return out;
}
