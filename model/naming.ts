// Deterministic names shared by the tools and workload stacks. The tools stack computes the ARNs of
// workload roles and alarms from these names without waiting for the workload stacks, and the
// workload stacks create resources with exactly these names: one module, used from both sides.

/** The AWS partition of a region: "aws", "aws-cn", "aws-us-gov", ... */
export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  if (region.startsWith("us-isob-")) return "aws-iso-b";
  if (region.startsWith("us-isof-")) return "aws-iso-f";
  if (region.startsWith("us-iso-")) return "aws-iso";
  if (region.startsWith("eu-isoe-")) return "aws-iso-e";
  if (region.startsWith("eusc-")) return "aws-eusc";
  return "aws";
}

/** The kinds of AWS name the blueprint derives, with the limit AWS enforces on each. */
export const NAME_LIMITS = {
  iamRole: 64,
  iamPolicy: 128,
  codePipeline: 100,
  codeBuildProject: 255,
  eventRule: 64,
  alarm: 255,
  snsTopic: 256,
  s3Bucket: 63,
  kmsAlias: 256,
  cloudTrail: 128,
  codeDeployApplication: 100,
  codeDeployGroup: 100,
  codeBuildReportGroup: 128,
} as const;
export type NameKind = keyof typeof NAME_LIMITS;

/** A derived name together with its kind, so validation can check it against the AWS limit. */
export interface DerivedName {
  readonly kind: NameKind;
  readonly value: string;
}

/**
 * Names of the platform's own delivery: the organization-wide bootstrap, the platform pipeline and
 * drift detection. No application may be named `platform` or `platform-...` (config validation).
 */
export function platformNames(prefix: string) {
  return {
    /** Every workload account (created by the StackSet): the role the platform pipeline deploys with. */
    bootstrapRole: `${prefix}-platform-bootstrap`,
    /** Every workload account: the permissions boundary of the bootstrap role. */
    bootstrapBoundary: `${prefix}-platform-bootstrap-boundary`,
    /** Management (or delegated admin) account: the StackSet that creates the bootstrap role. */
    stackSet: `${prefix}-platform-bootstrap`,
    /** Tools account: the platform pipeline. */
    pipeline: `${prefix}-platform`,
    /** Tools account: the platform pipeline's service role. */
    pipelineRole: `${prefix}-platform-pipeline`,
    /** Tools account: the role the Validate build runs as (reads nothing of AWS but its logs). */
    validateRole: `${prefix}-platform-validate`,
    /** Tools account: the Validate project (npm ci, npm test, the offline plan). */
    validateProject: `${prefix}-platform-validate`,
    /** Tools account: the role that deploys the tools stack and assumes only bootstrap roles. */
    deployerRole: `${prefix}-platform-deployer`,
    /** Tools account: the project that previews and updates the tools stack. */
    toolsProject: `${prefix}-platform-tools`,
    /** Tools account: the project that updates one workload stack (per environment). */
    workloadProject: (env: string) => `${prefix}-platform-deploy-${env}`,
    /**
     * Tools account: the project the platform pipeline updates one environment's workload stacks
     * with. Not `-deploy-`: that would match the application deploy projects' pattern
     * (`<prefix>-*-deploy-<env>`), which the application deploy roles are granted.
     */
    workloadUpdateProject: (env: string) => `${prefix}-platform-update-${env}`,
    /** Tools account: the drift detection project, its role and its schedule. */
    driftProject: `${prefix}-platform-drift`,
    driftRole: `${prefix}-platform-drift`,
    driftSchedule: `${prefix}-platform-drift`,
    driftSchedulerRole: `${prefix}-platform-drift-scheduler`,
    /** Every workload account: the read-only role the drift role assumes (docs/drift-detection.md). */
    driftReaderRole: `${prefix}-platform-drift-reader`,
    /** Tools account: the drift project's alarm of drifted stacks. */
    driftAlarm: `${prefix}-platform-drift`,
    /** Tools account: the CloudWatch namespace of DriftedStacks. */
    driftNamespace: `${prefix}/Platform`,
    /** Tools account: the Pulumi state prefix of the platform's own stacks. */
    statePrefix: "platform",
  };
}

/** Names of the resources that exist once per environment (in workload and tools accounts). */
export function environmentNames(prefix: string, env: string) {
  return {
    /** Workload account: the role the tools account assumes to deploy this environment. */
    workloadDeployRole: `${prefix}-${env}-deploy`,
    /** Workload account: CloudFormation execution role (cloudformation mechanism). */
    cfnExecutionRole: `${prefix}-${env}-cfn-exec`,
    /** Workload account: read-only role the tools account's alarm gate assumes to read alarm state. */
    alarmReaderRole: `${prefix}-${env}-alarm-reader`,
    /** Workload account: permissions boundary every role the deploy role creates must carry. */
    permissionsBoundary: `${prefix}-${env}-boundary`,
    /** Workload account: the composite alarm that gates promotion. */
    deploymentHealthAlarm: `${prefix}-${env}-deployment-health`,
    /** Workload account: alarm notification topic. */
    alarmTopic: `${prefix}-${env}-alarms`,
    /** Tools account: the role the deploy projects of this environment run as. */
    toolsDeployRole: `${prefix}-tools-deploy-${env}`,
    /** Tools account: the role the alarm gate of this environment runs as (assumes the alarm readers). */
    alarmGateRole: `${prefix}-tools-alarm-gate-${env}`,
    /** Tools account: the CodeBuild project that reads this environment's deployment-health alarms. */
    alarmGateProject: `${prefix}-alarm-gate-${env}`,
    /** Workload account: the role CodeDeploy deploys this environment's CodeDeploy applications with. */
    codeDeployServiceRole: `${prefix}-${env}-codedeploy`,
    /** Workload account: role the tools pipelines' CloudFormation actions assume (cloudformation mechanism). */
    cfnActionRole: `${prefix}-${env}-cfn-action`,
    /** Workload account: managed policy granting the environment's services (deploy + CFN execution roles). */
    servicesPolicy: `${prefix}-${env}-deploy-services`,
    /** Workload account: managed policy granting IAM changes only under the boundary (deploy + CFN execution roles). */
    boundedIamPolicy: `${prefix}-${env}-deploy-iam`,
    /** Workload account: managed policy of explicit denies protecting the platform (deploy + CFN execution roles). */
    guardrailsPolicy: `${prefix}-${env}-deploy-guardrails`,
    /** Workload account: IAM path of every role, user, policy and instance profile deployments create. */
    applicationIamPath: "/app/",
    /** Workload account: alias of the KMS key that encrypts the alarm topic (one key per region). */
    alarmKeyAlias: `alias/${prefix}-${env}-alarms`,
    /** Workload account: child alarm of deployment health on the account-wide Lambda error rate. */
    lambdaErrorsAlarm: `${prefix}-${env}-lambda-errors`,
    /** Workload account: child alarm of deployment health on account-wide Lambda throttles. */
    lambdaThrottlesAlarm: `${prefix}-${env}-lambda-throttles`,
  };
}

/** ARN of a customer-managed IAM policy (IAM is global: no region). */
export function policyArn(partition: string, account: string, path: string, name: string): string {
  return `arn:${partition}:iam::${account}:policy${path}${name}`;
}

/** Names of the resources that exist once per application in the tools account. */
export function applicationNames(prefix: string, app: string) {
  return {
    pipeline: `${prefix}-${app}`,
    pipelineRole: `${prefix}-${app}-pipeline`,
    buildRole: `${prefix}-${app}-build`,
    buildProject: `${prefix}-${app}-build`,
    checkProject: (check: string) => `${prefix}-${app}-check-${check}`,
    deployProject: (env: string) => `${prefix}-${app}-deploy-${env}`,
    failedExecutionsRule: `${prefix}-${app}-failed`,
    failedExecutionsAlarm: `${prefix}-${app}-pipeline-failed`,
    failedBuildsAlarm: (project: string) => `${project}-failed-builds`,
    /** Tools account: the CodeBuild project of the post-deploy test stages. */
    testProject: `${prefix}-${app}-test`,
    /** Tools account: the application's own notification topic (only with app subscribers). */
    notificationTopic: `${prefix}-${app}-events`,
    /** Tools account: the notification rule of the pipeline's events. */
    notificationRule: `${prefix}-${app}-events`,
    /** Workload account: the CodeDeploy application (CodeDeploy mechanisms). */
    codeDeployApplication: `${prefix}-${app}`,
    /** Workload account: the application's deployment group in an environment. */
    deploymentGroup: (env: string) => `${prefix}-${app}-${env}`,
    /** Workload account: the custom deployment configuration (codedeploy-server minimumHealthyHosts). */
    deploymentConfig: `${prefix}-${app}-hosts`,
    /** Workload account: the role the pipeline's CodeDeploy action runs with in an environment. */
    codeDeployActionRole: (env: string) => `${prefix}-${app}-cd-${env}`,
    /** Workload account: the role the EC2 and on-premises hosts of codedeploy-server read artifacts with. */
    hostRole: (env: string) => `${prefix}-${app}-host-${env}`,
    /** Tools account: the role the codedeploy-lambda deploy projects run as (assumes the action roles). */
    codeDeployRunnerRole: `${prefix}-${app}-codedeploy`,
    /** Tools account: the pull-request pipeline (checks and a preview, never a deployment). */
    prPipeline: `${prefix}-${app}-pr`,
    /** Tools account: the role of the pull-request pipeline (starts only its own projects). */
    prPipelineRole: `${prefix}-${app}-pr-pipeline`,
    /** Tools account: the role of the pull-request projects (assumes only the preview roles). */
    prBuildRole: `${prefix}-${app}-pr-build`,
    /** Tools account: the pull-request build project. */
    prBuildProject: `${prefix}-${app}-pr-build`,
    /** Tools account: a pull-request check project. */
    prCheckProject: (check: string) => `${prefix}-${app}-pr-check-${check}`,
    /** Tools account: the pull-request preview project of an environment. */
    prPreviewProject: (env: string) => `${prefix}-${app}-pr-preview-${env}`,
    /** Workload account: the read-only role a pull-request preview runs with in an environment. */
    previewRole: (env: string) => `${prefix}-${app}-preview-${env}`,
  };
}

/** Tools account: the CodeBuild report group of one project and report kind. */
export function reportGroupName(project: string, kind: "tests" | "coverage"): string {
  return `${project}-${kind}`;
}

/** Names of the tools account's shared resources. */
export function toolsNames(prefix: string, toolsAccount: string) {
  return {
    artifactBucket: (region: string) => `${prefix}-artifacts-${toolsAccount}-${region}`,
    artifactKeyAlias: (region: string) => `alias/${prefix}-artifacts-${region}`,
    stateBucket: `${prefix}-pulumi-state-${toolsAccount}`,
    stateKeyAlias: `alias/${prefix}-pulumi-state`,
    trailBucket: `${prefix}-trail-${toolsAccount}`,
    trail: `${prefix}-tools-trail`,
    notificationTopic: `${prefix}-pipeline-events`,
    connection: (provider: string) => `${prefix}-${provider}`,
    /** KMS key alias of the notification topics. */
    notificationKeyAlias: `alias/${prefix}-notifications`,
    /** KMS key alias of the audit trail's logs. */
    trailKeyAlias: `alias/${prefix}-trail`,
    /** The Lambda function that turns pipeline events into delivery metrics. */
    deliveryMetricsFunction: `${prefix}-delivery-metrics`,
    /** Its role. */
    deliveryMetricsRole: `${prefix}-tools-delivery-metrics`,
    /** The EventBridge rule that sends the platform's pipeline events to it. */
    deliveryMetricsRule: `${prefix}-delivery-metrics`,
    /** The queue that keeps the events it could not handle after its retries. */
    deliveryMetricsDeadLetters: `${prefix}-delivery-metrics-dlq`,
    /** Its Errors alarm. */
    deliveryMetricsErrorsAlarm: `${prefix}-delivery-metrics-errors`,
    /** The delivery dashboards: `<prefix>-delivery`, then `<prefix>-delivery-2`, ... */
    deliveryDashboard: (index: number) =>
      index === 0 ? `${prefix}-delivery` : `${prefix}-delivery-${index + 1}`,
    /** Alarm of an application's change failure rate in a production environment. */
    changeFailureRateAlarm: (app: string, env: string) =>
      `${prefix}-${app}-${env}-change-failure-rate`,
    /** Alarm of an application's lead time to a production environment. */
    leadTimeAlarm: (app: string, env: string) => `${prefix}-${app}-${env}-lead-time`,
  };
}

/** The application of a platform pipeline name (`<prefix>-<app>`), or undefined for another pipeline. */
export function applicationOfPipeline(prefix: string, pipeline: string): string | undefined {
  const head = `${prefix}-`;
  if (!pipeline.startsWith(head) || pipeline.length === head.length) return undefined;
  return pipeline.slice(head.length);
}

/**
 * True for an application's pull-request pipeline (`<prefix>-<app>-pr`): it validates changes and
 * delivers nothing. No application name ends in `-pr` (config refuses one), so the suffix says it.
 */
export function isPullRequestPipeline(prefix: string, pipeline: string): boolean {
  return applicationOfPipeline(prefix, pipeline)?.endsWith("-pr") ?? false;
}

/** What a pipeline stage name says: its kind, environment, wave and part. */
export interface StageName {
  readonly kind: "source" | "build" | "approval" | "deploy" | "test";
  readonly environment?: string;
  readonly wave?: number;
  readonly part?: number;
}

/**
 * The name of a pipeline stage: `Source`, `Build`, `Approve-<env>`, `Deploy-<env>[-waveN][-partM]`
 * (the wave only when the environment deploys in several waves, the part only when a wave is
 * split over several stages) and `Test-<env>`. model/pipeline.ts names its stages with it and
 * the delivery metrics read the environment back with parseStageName.
 */
export function stageName(s: StageName): string {
  switch (s.kind) {
    case "source":
      return "Source";
    case "build":
      return "Build";
    case "approval":
      return `Approve-${s.environment}`;
    case "test":
      return `Test-${s.environment}`;
    case "deploy":
      return (
        `Deploy-${s.environment}` +
        (s.wave !== undefined ? `-wave${s.wave}` : "") +
        (s.part !== undefined ? `-part${s.part}` : "")
      );
  }
}

// Environment names are 2-12 lowercase letters and digits (model/config/schema.ts), so the first
// hyphen after the kind ends the environment.
const STAGE_NAME =
  /^(Approve|Deploy|Test)-([a-z][a-z0-9]{1,11})(?:-wave([1-9][0-9]*))?(?:-part([1-9][0-9]*))?$/;
const STAGE_KINDS = { Approve: "approval", Deploy: "deploy", Test: "test" } as const;

/** Reads a stage name written by stageName back; undefined for a name it does not write. */
export function parseStageName(name: string): StageName | undefined {
  if (name === "Source") return { kind: "source" };
  if (name === "Build") return { kind: "build" };
  const m = STAGE_NAME.exec(name);
  if (!m) return undefined;
  const kind = STAGE_KINDS[m[1] as keyof typeof STAGE_KINDS];
  if (kind !== "deploy" && (m[3] !== undefined || m[4] !== undefined)) return undefined;
  return {
    kind,
    environment: m[2]!,
    ...(m[3] !== undefined ? { wave: Number(m[3]) } : {}),
    ...(m[4] !== undefined ? { part: Number(m[4]) } : {}),
  };
}

/** Names of the AWS Config and X-Ray resources of one account (tools or workload). */
export function complianceNames(prefix: string, account: string) {
  return {
    /** The configuration recorder and the delivery channel of each region. */
    recorder: `${prefix}-config`,
    /** The delivery channel's bucket (home region of the account). */
    configBucket: `${prefix}-config-${account}`,
    /** KMS key alias of the delivery channel's bucket. */
    configKeyAlias: `alias/${prefix}-config`,
    /** The Config rule of a managed rule identifier: `<prefix>-<identifier in kebab case>`. */
    configRule: (identifier: string) => `${prefix}-${identifier.toLowerCase().replace(/_/g, "-")}`,
    /** EventBridge rule of every Config rule turning NON_COMPLIANT. */
    nonCompliantRule: `${prefix}-config-noncompliant`,
    /** Tools account: the aggregator of every account's Config data. */
    aggregator: `${prefix}-config`,
    /** Tools account: the role of an organization aggregator. */
    aggregatorRole: `${prefix}-tools-config-aggregator`,
  };
}

/** Names of the X-Ray resources of one environment's workload accounts. */
export function xrayNames(prefix: string, env: string) {
  return {
    /** The sampling rule (X-Ray allows 32 characters: prefix and environment take at most 25). */
    samplingRule: `${prefix}-${env}`,
    /** KMS key alias of the trace encryption key of each region. */
    keyAlias: `alias/${prefix}-${env}-xray`,
  };
}

/** ARN of an IAM role (IAM is global: no region). */
export function roleArn(partition: string, account: string, roleName: string): string {
  return `arn:${partition}:iam::${account}:role/${roleName}`;
}

/** ARN of a CloudWatch alarm. */
export function alarmArn(partition: string, region: string, account: string, name: string): string {
  return `arn:${partition}:cloudwatch:${region}:${account}:alarm:${name}`;
}

/**
 * Every name derived from one application, for length checks against NAME_LIMITS. With
 * `pullRequests`, the names of the pull-request pipeline too: its checks and the environment its
 * preview runs in.
 */
export function derivedApplicationNames(
  prefix: string,
  app: string,
  environments: readonly string[],
  checks: readonly string[],
  mechanism?: string,
  pullRequests?: { readonly checks: readonly string[]; readonly previewEnvironment?: string },
): DerivedName[] {
  const n = applicationNames(prefix, app);
  const prProjects = pullRequests
    ? [
        n.prBuildProject,
        ...pullRequests.checks.map((c) => n.prCheckProject(c)),
        ...(pullRequests.previewEnvironment
          ? [n.prPreviewProject(pullRequests.previewEnvironment)]
          : []),
      ]
    : [];
  const pr: DerivedName[] = pullRequests
    ? [
        { kind: "codePipeline", value: n.prPipeline },
        // Its monitoring is named as an application `<app>-pr` would be.
        { kind: "eventRule", value: applicationNames(prefix, `${app}-pr`).failedExecutionsRule },
        { kind: "alarm", value: applicationNames(prefix, `${app}-pr`).failedExecutionsAlarm },
        { kind: "iamRole", value: n.prPipelineRole },
        { kind: "iamRole", value: n.prBuildRole },
        ...(pullRequests.previewEnvironment
          ? [{ kind: "iamRole" as const, value: n.previewRole(pullRequests.previewEnvironment) }]
          : []),
        ...prProjects.map((p): DerivedName => ({ kind: "codeBuildProject", value: p })),
        ...prProjects.map((p): DerivedName => ({ kind: "alarm", value: n.failedBuildsAlarm(p) })),
      ]
    : [];
  const codeDeploy: DerivedName[] = mechanism?.startsWith("codedeploy-")
    ? [
        { kind: "codeDeployApplication", value: n.codeDeployApplication },
        { kind: "iamRole", value: n.codeDeployRunnerRole },
        ...environments.flatMap((e): DerivedName[] => [
          { kind: "codeDeployGroup", value: n.deploymentGroup(e) },
          { kind: "iamRole", value: n.codeDeployActionRole(e) },
          { kind: "iamRole", value: n.hostRole(e) },
        ]),
      ]
    : [];
  const projects = [
    n.buildProject,
    ...checks.map((c) => n.checkProject(c)),
    ...environments.map((e) => n.deployProject(e)),
  ];
  return [
    { kind: "codePipeline", value: n.pipeline },
    { kind: "iamRole", value: n.pipelineRole },
    { kind: "iamRole", value: n.buildRole },
    { kind: "eventRule", value: n.failedExecutionsRule },
    { kind: "alarm", value: n.failedExecutionsAlarm },
    ...projects.map((p): DerivedName => ({ kind: "codeBuildProject", value: p })),
    ...projects.map((p): DerivedName => ({ kind: "alarm", value: n.failedBuildsAlarm(p) })),
    // Report groups: `<project>-coverage` is the longer of the two kinds.
    ...[...checks.map((c) => n.checkProject(c)), n.testProject, ...prProjects].map(
      (p): DerivedName => ({ kind: "codeBuildReportGroup", value: reportGroupName(p, "coverage") }),
    ),
    ...codeDeploy,
    ...pr,
  ];
}

/** Every name derived from one environment. */
export function derivedEnvironmentNames(prefix: string, env: string): DerivedName[] {
  const n = environmentNames(prefix, env);
  return [
    { kind: "iamRole", value: n.workloadDeployRole },
    { kind: "iamRole", value: n.cfnExecutionRole },
    { kind: "iamRole", value: n.alarmReaderRole },
    { kind: "iamRole", value: n.toolsDeployRole },
    { kind: "iamRole", value: n.alarmGateRole },
    { kind: "codeBuildProject", value: n.alarmGateProject },
    { kind: "iamPolicy", value: n.permissionsBoundary },
    { kind: "alarm", value: n.deploymentHealthAlarm },
    { kind: "snsTopic", value: n.alarmTopic },
    { kind: "iamRole", value: n.cfnActionRole },
    { kind: "iamRole", value: n.codeDeployServiceRole },
    { kind: "iamPolicy", value: n.servicesPolicy },
    { kind: "iamPolicy", value: n.boundedIamPolicy },
    { kind: "iamPolicy", value: n.guardrailsPolicy },
    { kind: "kmsAlias", value: n.alarmKeyAlias },
    { kind: "alarm", value: n.lambdaErrorsAlarm },
    { kind: "alarm", value: n.lambdaThrottlesAlarm },
  ];
}

/**
 * The Pulumi stack of one target: `{env}`, `{account}`, `{label}` and `{region}` are replaced;
 * when an environment has several targets and the template names neither the account nor the
 * region, `-<label>-<region>` is appended so every target keeps its own stack. The pipeline's deploy
 * actions and the offline `plan --app` both name stacks with it.
 */
export function stackNameFor(
  template: string,
  env: string,
  target: { account: string; label: string; region: string },
  targetsInEnvironment: number,
): string {
  const distinct = /\{(account|label)\}/.test(template) && template.includes("{region}");
  const base = targetsInEnvironment > 1 && !distinct ? `${template}-{label}-{region}` : template;
  return base
    .replace(/\{env\}/g, env)
    .replace(/\{account\}/g, target.account)
    .replace(/\{label\}/g, target.label)
    .replace(/\{region\}/g, target.region);
}
