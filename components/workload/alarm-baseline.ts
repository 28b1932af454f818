// The alarms that gate promotion in one region of a workload account: a KMS-encrypted SNS topic
// with the configured subscribers, child alarms every account can evaluate (account-wide Lambda
// error rate and throttles) plus any existing alarms named in config, and the composite
// "deployment health" alarm the tools pipelines consult before and after promoting.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Subscriber } from "../../model/config/schema";
import { environmentNames } from "../../model/naming";
import { alarmKeyPolicy, alarmTopicPolicy, WorkloadPolicyInputs } from "../../model/iam/workload";

export interface AlarmBaselineArgs {
  /** Account, environment and naming facts the key and topic policies are built from. Required. */
  readonly policy: WorkloadPolicyInputs;
  /** Region of this baseline (one baseline per region of the account). Required. */
  readonly region: string;
  /** Provider of that region. Required. */
  readonly provider: aws.Provider;
  /** Who is notified; must not be empty (validation guarantees it). Required. */
  readonly subscribers: readonly Subscriber[];
  /** Names of existing alarms in this region that also count against deployment health. Default: none. */
  readonly existingAlarmNames?: readonly string[];
  /** Account-wide Lambda error rate (percent) that counts as unhealthy. Default: 5. */
  readonly lambdaErrorRatePercent?: number;
  /** Lambda throttles in five minutes that count as unhealthy. Default: 10. */
  readonly lambdaThrottles?: number;
  /** ARN of the account's AWS Config non-compliance rule that publishes here. Default: none. */
  readonly configRuleArn?: string;
}

/** Checks the baseline's arguments; returns every problem, each naming the argument and the fix. */
export function alarmBaselineProblems(args: AlarmBaselineArgs): string[] {
  const problems: string[] = [];
  if (args.subscribers.length === 0)
    problems.push("subscribers is empty; alarms would notify nobody: give at least one subscriber");
  const rate = args.lambdaErrorRatePercent ?? 5;
  if (!(rate > 0 && rate <= 100))
    problems.push(`lambdaErrorRatePercent ${rate} is not a percentage; use a value in (0, 100]`);
  for (const alarm of args.existingAlarmNames ?? [])
    if (alarm.length === 0 || alarm.length > 255 || alarm.includes('"'))
      problems.push(
        `existingAlarmNames: '${alarm}' is not an alarm name; use the alarm's exact name`,
      );
  return problems;
}

/** One region's alarm topic, child alarms and deployment-health composite alarm. */
export class AlarmBaseline extends pulumi.ComponentResource {
  /** ARN of the alarm topic. */
  readonly topicArn: pulumi.Output<string>;
  /** ARN of the deployment-health composite alarm. */
  readonly deploymentHealthAlarmArn: pulumi.Output<string>;
  /** The topic policy (publishers wait for it). */
  readonly topicPolicy: aws.sns.TopicPolicy;

  constructor(name: string, args: AlarmBaselineArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:workload:AlarmBaseline", name, {}, opts);
    const problems = alarmBaselineProblems(args);
    if (problems.length > 0)
      throw new pulumi.ResourceError(`${name}: ${problems.join("; ")}`, this);
    const errorRate = args.lambdaErrorRatePercent ?? 5;
    const throttles = args.lambdaThrottles ?? 10;
    const existing = args.existingAlarmNames ?? [];
    const n = environmentNames(args.policy.prefix, args.policy.environment);
    const env = args.policy.environment;
    const child = { parent: this, provider: args.provider };

    const key = new aws.kms.Key(
      `${name}-key`,
      {
        description: `Encrypts the ${env} alarm topic in ${args.region}`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        policy: JSON.stringify(alarmKeyPolicy(args.policy, args.region, args.configRuleArn)),
      },
      child,
    );
    new aws.kms.Alias(
      `${name}-key-alias`,
      { name: n.alarmKeyAlias, targetKeyId: key.keyId },
      child,
    );

    const topic = new aws.sns.Topic(
      `${name}-topic`,
      { name: n.alarmTopic, kmsMasterKeyId: key.arn },
      child,
    );
    this.topicPolicy = new aws.sns.TopicPolicy(
      `${name}-topic-policy`,
      {
        arn: topic.arn,
        policy: topic.arn.apply((arn) =>
          JSON.stringify(alarmTopicPolicy(args.policy, args.region, arn, args.configRuleArn)),
        ),
      },
      child,
    );
    args.subscribers.forEach(
      (s, k) =>
        new aws.sns.TopicSubscription(
          `${name}-subscriber-${k}`,
          { topic: topic.arn, protocol: s.protocol, endpoint: s.endpoint },
          child,
        ),
    );

    const actions = {
      actionsEnabled: true,
      alarmActions: [topic.arn],
      okActions: [topic.arn],
    };
    const lambda = (metricName: string) => ({
      metric: { namespace: "AWS/Lambda", metricName, period: 60, stat: "Sum" },
    });
    const errors = new aws.cloudwatch.MetricAlarm(
      `${name}-lambda-errors`,
      {
        name: n.lambdaErrorsAlarm,
        alarmDescription: `More than ${errorRate}% of Lambda invocations in ${env} (${args.region}) fail`,
        comparisonOperator: "GreaterThanThreshold",
        threshold: errorRate,
        evaluationPeriods: 5,
        datapointsToAlarm: 3,
        treatMissingData: "notBreaching",
        metricQueries: [
          { id: "errors", ...lambda("Errors") },
          { id: "invocations", ...lambda("Invocations") },
          {
            id: "rate",
            label: "Lambda error rate (%)",
            // Errors divided by Invocations, 0 when nothing ran, with the metric math IF function:
            // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html
            expression: "IF(invocations > 0, 100 * errors / invocations, 0)",
            returnData: true,
          },
        ],
        ...actions,
      },
      child,
    );
    const throttled = new aws.cloudwatch.MetricAlarm(
      `${name}-lambda-throttles`,
      {
        name: n.lambdaThrottlesAlarm,
        alarmDescription: `Lambda throttles more than ${throttles} invocations in five minutes in ${env} (${args.region})`,
        namespace: "AWS/Lambda",
        metricName: "Throttles",
        statistic: "Sum",
        period: 300,
        comparisonOperator: "GreaterThanThreshold",
        threshold: throttles,
        evaluationPeriods: 1,
        treatMissingData: "notBreaching",
        ...actions,
      },
      child,
    );

    const health = new aws.cloudwatch.CompositeAlarm(
      `${name}-deployment-health`,
      {
        alarmName: n.deploymentHealthAlarm,
        alarmDescription: `Deployment health of ${env} (${args.region}): the tools pipelines hold or roll back promotion while it is in ALARM`,
        alarmRule: pulumi
          .all([errors.name, throttled.name])
          .apply((names) =>
            [...names, ...existing].map((alarm) => `ALARM("${alarm}")`).join(" OR "),
          ),
        ...actions,
      },
      child,
    );
    this.topicArn = topic.arn;
    this.deploymentHealthAlarmArn = health.arn;
    this.registerOutputs({
      topicArn: this.topicArn,
      deploymentHealthAlarmArn: this.deploymentHealthAlarmArn,
    });
  }
}
