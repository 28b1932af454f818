// Lambda functions fail per invocation, without any deployment failing: only an Errors alarm
// tells the team (and lets a pipeline roll back on it).
import { configSchema, type BaseConfig } from "../lib/config";
import { unwatched } from "../lib/alarms";
import { stackPolicy, type StackFinding } from "../lib/policy";
import { T } from "../lib/resources";
import type { StackResource } from "../lib/stack";

/** One finding per Lambda function without an AWS/Lambda Errors alarm on it. */
export function findFunctionsWithoutErrorsAlarm(
  resources: readonly StackResource[],
): StackFinding[] {
  return unwatched(resources, T.lambdaFunction, "AWS/Lambda", "Errors", "FunctionName").map(
    (f) => ({
      resource: f,
      message: `Lambda function "${f.name}" has no CloudWatch alarm on AWS/Lambda Errors with dimension FunctionName set to the function.`,
    }),
  );
}

export const alarmsLambdaErrors = stackPolicy<BaseConfig>({
  name: "alarms-lambda-errors",
  family: "alarms",
  description:
    "Flags Lambda functions with no metric alarm on namespace AWS/Lambda, metric Errors and a FunctionName dimension that refers to the function (directly or in a metric-math query).",
  severity: "medium",
  enforcementLevel: "mandatory",
  remediationSteps:
    'Add an aws.cloudwatch.MetricAlarm with namespace "AWS/Lambda", metricName "Errors", dimensions { FunctionName: fn.name }, statistic "Sum", threshold 1 and alarmActions set to the environment\'s alarm topic.',
  configSchema: configSchema(),
  check: (resources) => findFunctionsWithoutErrorsAlarm(resources),
});
