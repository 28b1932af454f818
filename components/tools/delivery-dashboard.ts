// The delivery dashboards of the tools account, as pure functions from the applications to
// dashboard bodies: an organization summary row, then per application the four DORA metrics for
// each of its environments (deployment frequency, lead time p50/p90, change failure rate, time to
// restore), its slowest stages and actions, its failed builds and its pending approvals. Every
// metric comes from the shared list of model/delivery-metrics.ts. Applications are packed into as
// many dashboards as CloudWatch's limits need.
//
// Limits (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_limits.html):
// 500 widgets per dashboard and 500 metrics per widget; the same page gives a cap on the metrics
// of a whole dashboard (2,500, across all widgets) that we read in an excerpt cut short, and we
// found no page giving the largest dashboard body: both are kept as unconfirmed budgets below.
// Body structure:
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DELIVERY_METRICS, DeliveryMetric, deliveryNamespace } from "../../model/delivery-metrics";
import { applicationNames, toolsNames } from "../../model/naming";

/** What CloudWatch accepts in one dashboard, with the budgets this module keeps under. */
export const DASHBOARD_LIMITS = {
  /** Widgets per dashboard (cloudwatch_limits.html). */
  widgets: 500,
  /** Metrics and expressions per widget (cloudwatch_limits.html). */
  metricsPerWidget: 500,
  /** Metrics across all widgets of a dashboard (unconfirmed: read in a cut-short excerpt). */
  metrics: 2_500,
  /** Characters of a dashboard body (unconfirmed: no page found; a budget well under 1 MB). */
  bodyCharacters: 500_000,
} as const;

/** One application as its dashboard section needs it. */
export interface DashboardApplication {
  readonly name: string;
  /** Its environments in promotion order. */
  readonly environments: readonly string[];
  /** Its CodeBuild projects (their AWS/CodeBuild FailedBuilds). */
  readonly projects: readonly string[];
}

export interface DeliveryDashboardInput {
  readonly prefix: string;
  /** The tools account's home region (where the metrics are). */
  readonly region: string;
  /** Environments that are production (time to restore and the summary read them). */
  readonly productionEnvironments: readonly string[];
  readonly applications: readonly DashboardApplication[];
}

/** One dashboard: its name and body. */
export interface DashboardBody {
  readonly name: string;
  readonly body: string;
  /** The applications it shows. */
  readonly applications: readonly string[];
}

type MetricEntry = (string | Record<string, unknown>)[];
type Widget = Record<string, unknown> & { properties: Record<string, unknown> };

const DAY = 86_400;

/** A metric of the shared list with its dimensions, in a widget's metrics array. */
function metricEntry(
  namespace: string,
  metric: DeliveryMetric,
  dims: Readonly<Record<string, string>>,
  options: Record<string, unknown>,
): MetricEntry {
  return [
    namespace,
    metric.name,
    ...metric.dimensions.flatMap((d) => {
      const v = dims[d];
      if (v === undefined) throw new Error(`${metric.name} needs the ${d} dimension`);
      return [d, v];
    }),
    options,
  ];
}

/** A SEARCH of one shared metric, narrowed by dimension values (names from the shared list). */
function search(
  namespace: string,
  metric: DeliveryMetric,
  where: Readonly<Record<string, string>>,
  stat: string,
): string {
  const schema = [namespace, ...metric.dimensions].join(",");
  const filters = Object.entries(where).map(([k, v]) => ` ${k}="${v}"`);
  return `SEARCH('{${schema}} MetricName="${metric.name}"${filters.join("")}', '${stat}', ${DAY})`;
}

function widget(
  title: string,
  metrics: MetricEntry[],
  region: string,
  extra: Record<string, unknown> = {},
): Widget {
  return {
    type: "metric",
    width: 6,
    height: 6,
    properties: { title, region, view: "timeSeries", period: DAY, metrics, ...extra },
  };
}

const text = (markdown: string): Widget => ({
  type: "text",
  width: 24,
  height: 1,
  properties: { markdown },
});

/** The organization summary row: production across all applications. */
function summaryRow(input: DeliveryDashboardInput): Widget[] {
  const ns = deliveryNamespace(input.prefix);
  const M = DELIVERY_METRICS;
  const { region } = input;
  const prod = input.productionEnvironments;
  const expr = (o: Record<string, unknown>): MetricEntry => [o];
  const total = (metric: DeliveryMetric, env: string) =>
    `SUM(${search(ns, metric, { Environment: env }, "Sum")})`;
  return [
    text(`# Delivery: all applications, production`),
    widget(
      "Deployments per day",
      prod.map((env, i) =>
        expr({ expression: total(M.deployments, env), label: env, id: `d${i}` }),
      ),
      region,
    ),
    widget(
      "Lead time p90 (minutes)",
      prod.map((env, i) =>
        expr({
          expression: search(ns, M.leadTimeMinutes, { Environment: env }, "p90"),
          id: `l${i}`,
        }),
      ),
      region,
    ),
    widget(
      "Change failure rate (%)",
      prod.flatMap((env, i) => [
        expr({ expression: total(M.failedDeployments, env), id: `f${i}`, visible: false }),
        expr({ expression: total(M.rolledBackDeployments, env), id: `r${i}`, visible: false }),
        expr({ expression: total(M.deployments, env), id: `d${i}`, visible: false }),
        expr({
          expression: changeFailureExpression(`f${i}`, `r${i}`, `d${i}`),
          label: env,
          id: `c${i}`,
        }),
      ]),
      region,
    ),
    widget(
      "Time to restore (minutes, max)",
      prod.map((env, i) =>
        expr({
          expression: search(ns, M.timeToRestoreMinutes, { Environment: env }, "Maximum"),
          id: `t${i}`,
        }),
      ),
      region,
    ),
  ].filter((w) => w.type === "text" || (w.properties["metrics"] as []).length > 0);
}

/**
 * Change failure rate in percent: failed changes (failed deployments and deployments rolled back
 * by hand) over attempted ones (successful and failed deployments). FILL keeps a day without
 * failures at 0 and a day without deployments empty.
 */
export function changeFailureExpression(failed: string, rolledBack: string, deployed: string) {
  return `100 * (FILL(${failed}, 0) + FILL(${rolledBack}, 0)) / (FILL(${deployed}, 0) + FILL(${failed}, 0))`;
}

/** The widgets of one application. */
function applicationRows(input: DeliveryDashboardInput, app: DashboardApplication): Widget[] {
  const ns = deliveryNamespace(input.prefix);
  const M = DELIVERY_METRICS;
  const { region } = input;
  const Application = app.name;
  const envs = app.environments;
  const prodEnvs = envs.filter((e) => input.productionEnvironments.includes(e));
  const dims = (Environment: string) => ({ Application, Environment });
  const n = applicationNames(input.prefix, app.name);
  const widgets: Widget[] = [text(`## ${app.name} (pipeline ${n.pipeline})`)];
  widgets.push(
    widget(
      `${app.name}: deployments per day`,
      envs.map((e) => metricEntry(ns, M.deployments, dims(e), { stat: "Sum", label: e })),
      region,
    ),
    widget(
      `${app.name}: lead time p50 / p90 (minutes)`,
      envs.flatMap((e) => [
        metricEntry(ns, M.leadTimeMinutes, dims(e), { stat: "p50", label: `${e} p50` }),
        metricEntry(ns, M.leadTimeMinutes, dims(e), { stat: "p90", label: `${e} p90` }),
      ]),
      region,
    ),
    widget(
      `${app.name}: change failure rate (%)`,
      envs.flatMap((e, i) => [
        metricEntry(ns, M.failedDeployments, dims(e), { stat: "Sum", id: `f${i}`, visible: false }),
        metricEntry(ns, M.rolledBackDeployments, dims(e), {
          stat: "Sum",
          id: `r${i}`,
          visible: false,
        }),
        metricEntry(ns, M.deployments, dims(e), { stat: "Sum", id: `d${i}`, visible: false }),
        [{ expression: changeFailureExpression(`f${i}`, `r${i}`, `d${i}`), label: e, id: `c${i}` }],
      ]),
      region,
    ),
    widget(
      `${app.name}: time to restore (minutes)`,
      prodEnvs.map((e) =>
        metricEntry(ns, M.timeToRestoreMinutes, dims(e), { stat: "Maximum", label: e }),
      ),
      region,
    ),
    widget(
      `${app.name}: slowest stages (seconds, max)`,
      [
        [
          {
            expression: search(ns, M.stageDurationSeconds, { Application }, "Maximum"),
            id: "s",
            visible: false,
          },
        ],
        [{ expression: "SORT(s, MAX, DESC, 10)", id: "top", label: "" }],
      ],
      region,
    ),
    widget(
      `${app.name}: slowest actions (seconds, max)`,
      [
        [
          {
            expression: search(ns, M.actionDurationSeconds, { Application }, "Maximum"),
            id: "a",
            visible: false,
          },
        ],
        [{ expression: "SORT(a, MAX, DESC, 10)", id: "top", label: "" }],
      ],
      region,
    ),
    widget(
      `${app.name}: failed builds`,
      app.projects.map((p) => [
        "AWS/CodeBuild",
        "FailedBuilds",
        "ProjectName",
        p,
        { stat: "Sum", label: p },
      ]),
      region,
    ),
    widget(
      `${app.name}: pending approvals`,
      envs.map((e) => metricEntry(ns, M.pendingApprovals, dims(e), { stat: "Maximum", label: e })),
      region,
      { period: 300 },
    ),
  );
  return widgets.filter((w) => w.type === "text" || (w.properties["metrics"] as []).length > 0);
}

/** Metrics and expressions of a set of widgets. */
export function metricCount(widgets: readonly Widget[]): number {
  return widgets.reduce(
    (sum, w) => sum + ((w.properties["metrics"] as unknown[] | undefined)?.length ?? 0),
    0,
  );
}

/** Lays widgets out on the 24-column grid, left to right, a text widget starting a new row. */
function layout(widgets: readonly Widget[]): Widget[] {
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  return widgets.map((w) => {
    const width = w["width"] as number;
    const height = w["height"] as number;
    if (w.type === "text" || x + width > 24) {
      y += rowHeight;
      x = 0;
      rowHeight = 0;
    }
    const placed = { ...w, x, y };
    x += width;
    rowHeight = Math.max(rowHeight, height);
    return placed;
  });
}

const bodyOf = (widgets: readonly Widget[]) =>
  JSON.stringify({ start: "-P30D", periodOverride: "inherit", widgets: layout(widgets) });

/**
 * The dashboards: each starts with the organization summary row and takes applications in config
 * order while it stays within DASHBOARD_LIMITS. Names come from model/naming (toolsNames).
 */
export function deliveryDashboards(
  input: DeliveryDashboardInput,
  name: (index: number) => string,
): DashboardBody[] {
  const summary = summaryRow(input);
  const fits = (widgets: readonly Widget[]) =>
    widgets.length <= DASHBOARD_LIMITS.widgets &&
    metricCount(widgets) <= DASHBOARD_LIMITS.metrics &&
    widgets.every(
      (w) =>
        ((w.properties["metrics"] as unknown[]) ?? []).length <= DASHBOARD_LIMITS.metricsPerWidget,
    ) &&
    bodyOf(widgets).length <= DASHBOARD_LIMITS.bodyCharacters;
  const out: { widgets: Widget[]; applications: string[] }[] = [];
  let current = { widgets: [...summary], applications: [] as string[] };
  for (const app of input.applications) {
    const rows = applicationRows(input, app);
    if (!fits([...summary, ...rows]))
      throw new Error(
        `the delivery dashboard section of ${app.name} alone exceeds CloudWatch's dashboard limits`,
      );
    if (!fits([...current.widgets, ...rows])) {
      out.push(current);
      current = { widgets: [...summary], applications: [] };
    }
    current.widgets.push(...rows);
    current.applications.push(app.name);
  }
  out.push(current);
  return out.map((d, i) => ({
    name: name(i),
    body: bodyOf(d.widgets),
    applications: d.applications,
  }));
}

export interface DeliveryDashboardsArgs extends DeliveryDashboardInput {
  /** The tools account id (dashboard names). */
  readonly toolsAccount: string;
  /** Production alarm thresholds (organization.delivery.thresholds). */
  readonly thresholds: { readonly changeFailureRate: number; readonly leadTimeMinutes: number };
  /** Topic the alarms notify. */
  readonly topicArn: pulumi.Input<string>;
}

/** One production alarm of the change failure rate, as a metric-math alarm's queries. */
export function changeFailureQueries(
  prefix: string,
  app: string,
  env: string,
): aws.types.input.cloudwatch.MetricAlarmMetricQuery[] {
  const M = DELIVERY_METRICS;
  const query = (id: string, metric: DeliveryMetric) => ({
    id,
    returnData: false,
    metric: {
      namespace: deliveryNamespace(prefix),
      metricName: metric.name,
      dimensions: { Application: app, Environment: env },
      stat: "Sum",
      period: DAY,
    },
  });
  return [
    query("failed", M.failedDeployments),
    query("rolledback", M.rolledBackDeployments),
    query("deployed", M.deployments),
    {
      id: "rate",
      label: `${app} ${env} change failure rate`,
      returnData: true,
      expression: changeFailureExpression("failed", "rolledback", "deployed").replace(
        /^100 \* /,
        "",
      ),
    },
  ];
}

/** The delivery dashboards and the production alarms of every application. */
export class DeliveryDashboards extends pulumi.ComponentResource {
  /** The dashboards' names. */
  readonly dashboardNames: string[];

  constructor(name: string, args: DeliveryDashboardsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:tools:DeliveryDashboards", name, {}, opts);
    const tn = toolsNames(args.prefix, args.toolsAccount);
    const child = { parent: this };
    const bodies = deliveryDashboards(args, tn.deliveryDashboard);
    bodies.forEach((d, i) => {
      new aws.cloudwatch.Dashboard(
        `${name}-${i + 1}`,
        { dashboardName: d.name, dashboardBody: d.body },
        child,
      );
    });
    this.dashboardNames = bodies.map((d) => d.name);
    const ns = deliveryNamespace(args.prefix);
    for (const app of args.applications)
      for (const env of app.environments.filter((e) => args.productionEnvironments.includes(e))) {
        // A day is the longest an alarm may look back (period x evaluation periods, cloudwatch_limits.html).
        new aws.cloudwatch.MetricAlarm(
          `${name}-${app.name}-${env}-change-failure-rate`,
          {
            name: tn.changeFailureRateAlarm(app.name, env),
            alarmDescription: `More than ${args.thresholds.changeFailureRate * 100}% of a day's ${app.name} deployments to ${env} failed or were rolled back`,
            metricQueries: changeFailureQueries(args.prefix, app.name, env),
            comparisonOperator: "GreaterThanThreshold",
            threshold: args.thresholds.changeFailureRate,
            evaluationPeriods: 1,
            treatMissingData: "notBreaching",
            actionsEnabled: true,
            alarmActions: [args.topicArn],
          },
          child,
        );
        new aws.cloudwatch.MetricAlarm(
          `${name}-${app.name}-${env}-lead-time`,
          {
            name: tn.leadTimeAlarm(app.name, env),
            alarmDescription: `The p90 lead time of a day's ${app.name} deployments to ${env} is above ${args.thresholds.leadTimeMinutes} minutes`,
            namespace: ns,
            metricName: DELIVERY_METRICS.leadTimeMinutes.name,
            dimensions: { Application: app.name, Environment: env },
            extendedStatistic: "p90",
            period: DAY,
            evaluationPeriods: 1,
            comparisonOperator: "GreaterThanThreshold",
            threshold: args.thresholds.leadTimeMinutes,
            treatMissingData: "notBreaching",
            actionsEnabled: true,
            alarmActions: [args.topicArn],
          },
          child,
        );
      }
    this.registerOutputs({ dashboardNames: this.dashboardNames });
  }
}
