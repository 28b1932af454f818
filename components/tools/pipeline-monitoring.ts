// What tells people that a pipeline needs them: a CodeStar notification rule for failed and
// succeeded executions and for pending manual approvals; an EventBridge rule on failed executions
// with an alarm on its `AWS/Events TriggeredRules` metric; and an alarm on `AWS/CodeBuild
// FailedBuilds` for every CodeBuild project. Every alarm notifies the given topics.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { applicationNames } from "../../model/naming";

/** Pipeline events that notify subscribers. */
export const PIPELINE_EVENTS = [
  "codepipeline-pipeline-pipeline-execution-failed",
  "codepipeline-pipeline-pipeline-execution-succeeded",
  "codepipeline-pipeline-manual-approval-needed",
] as const;

export interface PipelineMonitoringArgs {
  /** Naming prefix. */
  readonly prefix: string;
  /** Application name. */
  readonly application: string;
  /** Pipeline name and ARN. */
  readonly pipelineName: pulumi.Input<string>;
  readonly pipelineArn: pulumi.Input<string>;
  /** The pipeline's CodeBuild projects by physical name (each gets a failed-builds alarm). */
  readonly projects: ReadonlyMap<string, { readonly name: pulumi.Output<string> }>;
  /** Topics that receive notifications and alarm actions (at least one). */
  readonly topicArns: readonly pulumi.Input<string>[];
  /** Resources to wait for (topic policies, so the services may publish). */
  readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/** Alarm settings that fire on any occurrence within five minutes and notify the topics. */
/** An alarm that fires on any occurrence in five minutes and notifies the topics. */
export function anyOccurrenceAlarm(topicArns: readonly pulumi.Input<string>[]) {
  return {
    statistic: "Sum",
    period: 300,
    evaluationPeriods: 1,
    threshold: 1,
    comparisonOperator: "GreaterThanOrEqualToThreshold",
    treatMissingData: "notBreaching",
    actionsEnabled: true,
    alarmActions: [...topicArns],
  };
}

/** Notifications and alarms of one pipeline. */
export class PipelineMonitoring extends pulumi.ComponentResource {
  constructor(name: string, args: PipelineMonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:tools:PipelineMonitoring", name, {}, opts);
    if (args.topicArns.length === 0)
      throw new pulumi.ResourceError(`${name}: topicArns is empty; give at least one topic`, this);
    const n = applicationNames(args.prefix, args.application);
    const child = { parent: this, dependsOn: args.dependsOn };
    new aws.codestarnotifications.NotificationRule(
      `${name}-events`,
      {
        name: n.notificationRule,
        resource: args.pipelineArn,
        detailType: "FULL",
        eventTypeIds: [...PIPELINE_EVENTS],
        targets: args.topicArns.map((address) => ({ address, type: "SNS" })),
      },
      child,
    );
    const rule = new aws.cloudwatch.EventRule(
      `${name}-failed`,
      {
        name: n.failedExecutionsRule,
        description: `Failed executions of ${args.application}'s pipeline`,
        eventPattern: pulumi.output(args.pipelineName).apply((pipeline) =>
          JSON.stringify({
            source: ["aws.codepipeline"],
            "detail-type": ["CodePipeline Pipeline Execution State Change"],
            detail: { pipeline: [pipeline], state: ["FAILED"] },
          }),
        ),
      },
      child,
    );
    args.topicArns.forEach((arn, i) => {
      new aws.cloudwatch.EventTarget(
        `${name}-failed-target-${i}`,
        { rule: rule.name, arn, targetId: `notify-${i}` },
        child,
      );
    });
    new aws.cloudwatch.MetricAlarm(
      `${name}-failed-alarm`,
      {
        name: n.failedExecutionsAlarm,
        alarmDescription: `A ${args.application} pipeline execution failed`,
        namespace: "AWS/Events",
        metricName: "TriggeredRules",
        dimensions: { RuleName: rule.name },
        ...anyOccurrenceAlarm(args.topicArns),
        okActions: [...args.topicArns],
      },
      child,
    );
    for (const [project, resource] of args.projects) {
      new aws.cloudwatch.MetricAlarm(
        `${name}-${project}-failed-builds`,
        {
          name: n.failedBuildsAlarm(project),
          alarmDescription: `A build of ${project} failed`,
          namespace: "AWS/CodeBuild",
          metricName: "FailedBuilds",
          dimensions: { ProjectName: resource.name },
          ...anyOccurrenceAlarm(args.topicArns),
        },
        child,
      );
    }
    this.registerOutputs({});
  }
}
