// Drift detection in the tools account: an EventBridge Scheduler schedule starts a CodeBuild
// project that checks every stack of the drift plan (model/drift.ts) against the cloud, publishes
// DriftedStacks per stack and for the organization, and notifies the platform topic with the
// drifted stacks and their diff summary (buildspecs/platform-drift.yml). An alarm fires when the
// organization total is above zero; another when the build itself fails.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DriftPlan } from "../../model/drift";
import {
  driftRolePolicy,
  driftRoleTrust,
  driftSchedulerPolicy,
  driftSchedulerTrust,
} from "../../model/iam/tools/drift";
import { ToolsScope } from "../../model/iam/tools";
import { platformNames } from "../../model/naming";
import { DEFAULT_IMAGE, readBuildspec } from "./build-variables";
import { DutyRole } from "./duty-role";
import { anyOccurrenceAlarm } from "./pipeline-monitoring";

/** The source providers CodeBuild checks out through a CodeConnections connection. */
const SOURCE_TYPES = { github: "GITHUB", gitlab: "GITLAB", bitbucket: "BITBUCKET" } as const;
const SOURCE_HOSTS = {
  github: "https://github.com",
  gitlab: "https://gitlab.com",
  bitbucket: "https://bitbucket.org",
} as const;

/** The key of the drift plan object in the state bucket (under the platform's state prefix). */
export const DRIFT_PLAN_KEY = "platform/drift/plan.json";

export interface DriftDetectionArgs {
  readonly scope: ToolsScope;
  /** The tools account's home region. */
  readonly region: string;
  /** EventBridge Scheduler expression. Default: rate(1 day). */
  readonly schedule?: string;
  /** What the build checks. */
  readonly plan: DriftPlan;
  /** The platform's own repository and the connection the project checks it out with. */
  readonly source: {
    readonly provider: keyof typeof SOURCE_TYPES;
    readonly repository: string;
    readonly branch: string;
    readonly connectionArn: pulumi.Input<string>;
  };
  /** The tools state bucket (name, ARN), its KMS key ARN and alias. */
  readonly state: {
    readonly bucket: pulumi.Input<string>;
    readonly bucketArn: pulumi.Input<string>;
    readonly keyArn: pulumi.Input<string>;
    readonly keyAlias: string;
  };
  /** The platform notification topic and its KMS key. */
  readonly topicArn: pulumi.Input<string>;
  readonly topicKeyArn: pulumi.Input<string>;
  /** Key that encrypts the project's build output (the home artifact key, as every project). */
  readonly encryptionKey: pulumi.Input<string>;
}

/** The schedule, the project, its roles, the plan object and the alarms. */
export class DriftDetection extends pulumi.ComponentResource {
  readonly projectName: pulumi.Output<string>;
  readonly scheduleName: pulumi.Output<string>;
  readonly alarmName: pulumi.Output<string>;

  constructor(name: string, args: DriftDetectionArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:tools:DriftDetection", name, {}, opts);
    const { scope, region } = args;
    const schedule = args.schedule ?? "rate(1 day)";
    const n = platformNames(scope.prefix);
    const child = { parent: this };

    const role = new DutyRole(
      `${name}-role`,
      {
        roleName: n.driftRole,
        description: "Runs the drift build: reads state and the cloud, changes nothing",
        trust: driftRoleTrust(scope, region),
        policy: pulumi
          .all([
            args.state.bucketArn,
            args.state.keyArn,
            args.topicArn,
            args.topicKeyArn,
            args.source.connectionArn,
          ])
          .apply(([bucketArn, keyArn, topicArn, topicKeyArn, connectionArn]) =>
            driftRolePolicy(scope, {
              region,
              state: { bucketArn, keyArn },
              topicArn,
              topicKeyArn,
              connectionArn,
            }),
          ),
      },
      child,
    );

    const planObject = new aws.s3.BucketObject(
      `${name}-plan`,
      {
        bucket: args.state.bucket,
        key: DRIFT_PLAN_KEY,
        content: JSON.stringify(args.plan),
        contentType: "application/json",
        serverSideEncryption: "aws:kms",
        kmsKeyId: args.state.keyArn,
      },
      child,
    );

    const project = new aws.codebuild.Project(
      name,
      {
        name: n.driftProject,
        description: "Checks every platform and application stack for drift (changes nothing)",
        serviceRole: role.arn,
        source: {
          type: SOURCE_TYPES[args.source.provider],
          location: `${SOURCE_HOSTS[args.source.provider]}/${args.source.repository}.git`,
          auth: { type: "CODECONNECTIONS", resource: args.source.connectionArn },
          buildspec: readBuildspec("platform-drift.yml"),
        },
        sourceVersion: args.source.branch,
        artifacts: { type: "NO_ARTIFACTS" },
        encryptionKey: args.encryptionKey,
        buildTimeout: 120,
        environment: {
          type: "LINUX_CONTAINER",
          image: DEFAULT_IMAGE,
          computeType: "BUILD_GENERAL1_SMALL",
          privilegedMode: false,
          environmentVariables: pulumi
            .all([args.state.bucket, args.topicArn])
            .apply(([bucket, topicArn]) =>
              driftVariables(scope, region, bucket, args.state.keyAlias, topicArn),
            ),
        },
      },
      { parent: this, dependsOn: [role.policy, planObject] },
    );

    const schedulerRole = new DutyRole(
      `${name}-scheduler-role`,
      {
        roleName: n.driftSchedulerRole,
        description: "Starts the drift build on its schedule, nothing else",
        trust: driftSchedulerTrust(scope, region),
        policy: driftSchedulerPolicy(scope, region),
      },
      child,
    );
    const sched = new aws.scheduler.Schedule(
      name,
      {
        name: n.driftSchedule,
        description: "Starts the platform drift build",
        scheduleExpression: schedule,
        flexibleTimeWindow: { mode: "OFF" },
        target: {
          // A universal target: arn:<partition>:scheduler:::aws-sdk:<service>:<apiAction>, the
          // request as its JSON Input
          // (https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-targets-universal.html).
          arn: startBuildTargetArn(scope.partition),
          roleArn: schedulerRole.arn,
          input: JSON.stringify({ ProjectName: n.driftProject }),
        },
      },
      { parent: this, dependsOn: [schedulerRole.policy, project] },
    );

    // The organization total: above zero while any stack drifts. The build publishes it on every
    // run; between runs (or when a run fails, which the failed-builds alarm reports) there is no
    // data point, and `ignore` keeps the alarm in the state the last run left it in
    // (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarms-and-missing-data).
    const alarm = new aws.cloudwatch.MetricAlarm(
      `${name}-drifted`,
      {
        name: n.driftAlarm,
        alarmDescription: "A platform or application stack differs from the cloud (drift build)",
        namespace: n.driftNamespace,
        metricName: DRIFT_METRIC,
        statistic: "Maximum",
        period: 86400,
        evaluationPeriods: 1,
        threshold: 0,
        comparisonOperator: "GreaterThanThreshold",
        treatMissingData: "ignore",
        actionsEnabled: true,
        alarmActions: [args.topicArn],
        okActions: [args.topicArn],
      },
      child,
    );
    new aws.cloudwatch.MetricAlarm(
      `${name}-failed-builds`,
      {
        name: `${n.driftProject}-failed-builds`,
        alarmDescription: "The drift build could not check every stack",
        namespace: "AWS/CodeBuild",
        metricName: "FailedBuilds",
        dimensions: { ProjectName: project.name },
        ...anyOccurrenceAlarm([args.topicArn]),
      },
      child,
    );
    this.projectName = project.name;
    this.scheduleName = sched.name;
    this.alarmName = alarm.name;
    this.registerOutputs({
      projectName: this.projectName,
      scheduleName: this.scheduleName,
      alarmName: this.alarmName,
    });
  }
}

/** The metric the build publishes: per stack (dimension Stack) and for the organization (none). */
export const DRIFT_METRIC = "DriftedStacks";

/** The universal target that calls CodeBuild StartBuild. */
export function startBuildTargetArn(partition: string): string {
  return `arn:${partition}:scheduler:::aws-sdk:codebuild:startBuild`;
}

/** The drift project's environment variables (a fixed set: the plan itself is the S3 object). */
export function driftVariables(
  scope: ToolsScope,
  region: string,
  bucket: string,
  keyAlias: string,
  topicArn: string,
) {
  const n = platformNames(scope.prefix);
  const v = (name: string, value: string) => ({ name, value, type: "PLAINTEXT" });
  return [
    v("STATE_BUCKET", bucket),
    v("STATE_REGION", region),
    v("DRIFT_PLAN_KEY", DRIFT_PLAN_KEY),
    v("PULUMI_SECRETS_PROVIDER", `awskms://${keyAlias}?region=${region}`),
    v("DRIFT_NAMESPACE", n.driftNamespace),
    v("DRIFT_METRIC", DRIFT_METRIC),
    v("TOPIC_ARN", topicArn),
    v("READER_ROLE_NAME", n.driftReaderRole),
    v("TOOLS_ACCOUNT", scope.toolsAccount),
    v("AWS_PARTITION", scope.partition),
  ];
}
