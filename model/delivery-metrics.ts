// The delivery metrics (the four DORA metrics and what explains them): one list of names, units
// and dimensions, read by the Lambda handler that emits them (functions/delivery-metrics) and by
// the dashboard and alarms that read them (components/tools/delivery-*.ts), so the two sides
// cannot drift apart. Pure data: the handler is packaged with this file, so it imports nothing
// but model/naming.ts.

/** The namespace of the platform's delivery metrics. */
export function deliveryNamespace(prefix: string): string {
  return `${prefix}/Delivery`;
}

/** A dimension of a delivery metric. */
export type DeliveryDimension = "Application" | "Environment" | "Stage" | "Action";

/**
 * CloudWatch units the metrics use. CloudWatch has no minutes unit
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricDatum.html), so
 * the metrics in minutes say so in their name and carry `None`.
 */
export type DeliveryUnit = "Count" | "Seconds" | "None";

/** One metric the handler emits. */
export interface DeliveryMetric {
  readonly name: string;
  readonly unit: DeliveryUnit;
  /** Every datapoint carries exactly these dimensions, in this order. */
  readonly dimensions: readonly DeliveryDimension[];
  /** What one datapoint stands for. */
  readonly description: string;
}

const APP_ENV = ["Application", "Environment"] as const;

/** Every delivery metric, by key. */
export const DELIVERY_METRICS = {
  deployments: {
    name: "Deployments",
    unit: "Count",
    dimensions: APP_ENV,
    description:
      "1 per environment a standard execution deployed successfully (every deploy stage of the environment succeeded)",
  },
  failedDeployments: {
    name: "FailedDeployments",
    unit: "Count",
    dimensions: APP_ENV,
    description: "1 per environment where a deploy stage of a standard execution failed",
  },
  rolledBackDeployments: {
    name: "RolledBackDeployments",
    unit: "Count",
    dimensions: APP_ENV,
    description:
      "1 per environment a rollback started by hand rolled back (a deployment that had passed its stage); an automated rollback follows a failed deployment, which FailedDeployments already counts",
  },
  leadTimeMinutes: {
    name: "LeadTimeMinutes",
    unit: "None",
    dimensions: APP_ENV,
    description:
      "minutes from the newest source revision's commit time (artifactRevisions[].created; the execution's start when no revision has one) to the end of the environment's deployment",
  },
  timeToRestoreMinutes: {
    name: "TimeToRestoreMinutes",
    unit: "None",
    dimensions: APP_ENV,
    description:
      "production only: minutes from the first failed (or rolled-back) production deployment since the last good one to the deployment that succeeded next",
  },
  stageDurationSeconds: {
    name: "StageDurationSeconds",
    unit: "Seconds",
    dimensions: ["Application", "Stage"],
    description: "seconds from a stage's first action start to its last action's end",
  },
  actionDurationSeconds: {
    name: "ActionDurationSeconds",
    unit: "Seconds",
    dimensions: ["Application", "Stage", "Action"],
    description: "seconds one action ran (its last attempt)",
  },
  pendingApprovals: {
    name: "PendingApprovals",
    unit: "Count",
    dimensions: APP_ENV,
    description:
      "manual approvals of the environment waiting (InProgress) in the execution, each time one starts or ends",
  },
} as const satisfies Record<string, DeliveryMetric>;

export type DeliveryMetricKey = keyof typeof DELIVERY_METRICS;

/** The metrics as a list. */
export const DELIVERY_METRIC_LIST: readonly DeliveryMetric[] = Object.values(DELIVERY_METRICS);

/** The metric of a name, or undefined. */
export function deliveryMetric(name: string): DeliveryMetric | undefined {
  return DELIVERY_METRIC_LIST.find((m) => m.name === name);
}

/** The CodePipeline EventBridge event types the handler reads. */
export const DELIVERY_EVENT_TYPES = [
  "CodePipeline Pipeline Execution State Change",
  "CodePipeline Stage Execution State Change",
  "CodePipeline Action Execution State Change",
] as const;
