// The role of the delivery metrics function: it reads the platform's pipeline executions and
// puts metrics in the delivery namespace only, and writes its own log group. PutMetricData has no
// resource type, so it is granted on "*" and narrowed with the cloudwatch:namespace condition key
// (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/iam-cw-condition-keys-namespace.html).
// The CodePipeline reads are granted on the pipeline resource, `<prefix>-*` in the tools account
// and region (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awscodepipeline.html).
import { doc, PolicyDocument, ToolsScope } from "./documents";

export interface DeliveryMetricsRoleInputs {
  /** The tools account's home region (where the pipelines run). */
  readonly region: string;
  /** The metrics' namespace (`<prefix>/Delivery`). */
  readonly namespace: string;
  /** The function's log group name (`/aws/lambda/<function>`). */
  readonly logGroup: string;
  /** The dead-letter queue's ARN (Lambda sends the events it gave up on). */
  readonly deadLetterQueueArn: string;
}

/** The pipelines of the platform, as one ARN pattern. */
export function platformPipelineArns(scope: ToolsScope, region: string): string {
  return `arn:${scope.partition}:codepipeline:${region}:${scope.toolsAccount}:${scope.prefix}-*`;
}

/** What the delivery metrics function may do. */
export function deliveryMetricsPolicy(
  scope: ToolsScope,
  i: DeliveryMetricsRoleInputs,
): PolicyDocument {
  const logGroupArn = `arn:${scope.partition}:logs:${i.region}:${scope.toolsAccount}:log-group:${i.logGroup}`;
  return doc(
    {
      Sid: "PutDeliveryMetrics",
      Effect: "Allow",
      Action: "cloudwatch:PutMetricData",
      Resource: "*",
      Condition: { StringEquals: { "cloudwatch:namespace": i.namespace } },
    },
    {
      Sid: "ReadPlatformExecutions",
      Effect: "Allow",
      Action: [
        "codepipeline:GetPipelineExecution",
        "codepipeline:ListActionExecutions",
        "codepipeline:ListPipelineExecutions",
      ],
      Resource: platformPipelineArns(scope, i.region),
    },
    {
      Sid: "OwnLogs",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: `${logGroupArn}:*`,
    },
    {
      Sid: "DeadLetters",
      Effect: "Allow",
      Action: "sqs:SendMessage",
      Resource: i.deadLetterQueueArn,
    },
    // X-Ray (tracing Active) takes no resource either.
    {
      Sid: "Traces",
      Effect: "Allow",
      Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
      Resource: "*",
    },
  );
}
