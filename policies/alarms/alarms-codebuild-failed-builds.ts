// A build project whose failures nobody hears about breaks pipelines and scheduled jobs quietly.
import { configSchema, type BaseConfig } from "../lib/config";
import { unwatched } from "../lib/alarms";
import { stackPolicy, type StackFinding } from "../lib/policy";
import { T } from "../lib/resources";
import type { StackResource } from "../lib/stack";

/** One finding per CodeBuild project without an AWS/CodeBuild FailedBuilds alarm on it. */
export function findProjectsWithoutFailedBuildsAlarm(
  resources: readonly StackResource[],
): StackFinding[] {
  return unwatched(
    resources,
    T.codebuildProject,
    "AWS/CodeBuild",
    "FailedBuilds",
    "ProjectName",
  ).map((p) => ({
    resource: p,
    message: `CodeBuild project "${p.name}" has no CloudWatch alarm on AWS/CodeBuild FailedBuilds with dimension ProjectName set to the project.`,
  }));
}

export const alarmsCodeBuildFailedBuilds = stackPolicy<BaseConfig>({
  name: "alarms-codebuild-failed-builds",
  family: "alarms",
  description:
    "Flags CodeBuild projects with no metric alarm on namespace AWS/CodeBuild, metric FailedBuilds and a ProjectName dimension that refers to the project (directly or in a metric-math query).",
  severity: "medium",
  enforcementLevel: "mandatory",
  remediationSteps:
    'Add an aws.cloudwatch.MetricAlarm with namespace "AWS/CodeBuild", metricName "FailedBuilds", dimensions { ProjectName: project.name }, statistic "Sum", threshold 1 and alarmActions set to the platform notifications topic.',
  configSchema: configSchema(),
  check: (resources) => findProjectsWithoutFailedBuildsAlarm(resources),
});
