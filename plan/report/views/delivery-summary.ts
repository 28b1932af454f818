// View: the delivery metrics a stack sets up, read from its CloudWatch dashboards: the namespace
// of `<prefix>/Delivery` metrics they chart, the metric names (charted directly or found by a
// SEARCH expression) and the dashboards' names.
import type { RecordedResource } from "../../engine";
import { dicts, isDict, str } from "./known-values";

const DASHBOARD_TYPE = "aws:cloudwatch/dashboard:Dashboard";
const ALARM_TYPE = "aws:cloudwatch/metricAlarm:MetricAlarm";
const SEARCHED = /\{([^,{}'"]+\/Delivery)(?:,[^{}]*)?\}\s*MetricName="([^"]+)"/g;

/** The delivery metrics of a stack. */
export interface DeliverySummary {
  readonly namespace: string;
  readonly metrics: readonly string[];
  readonly dashboards: readonly string[];
  /** Metric alarms on the namespace (directly or in a metric-math query). */
  readonly alarms: number;
}

/** The delivery metrics of a stack, or undefined when no dashboard charts any. */
export function deliverySummary(
  resources: readonly RecordedResource[],
): DeliverySummary | undefined {
  const namespaces = new Set<string>();
  const metrics = new Set<string>();
  const dashboards: string[] = [];
  for (const r of resources) {
    if (r.type !== DASHBOARD_TYPE) continue;
    const body = str(r.inputs?.["dashboardBody"]);
    if (!body) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      continue;
    }
    let found = false;
    for (const w of dicts(isDict(parsed) ? parsed["widgets"] : undefined)) {
      const entries = isDict(w["properties"]) ? w["properties"]["metrics"] : undefined;
      for (const entry of Array.isArray(entries) ? entries : []) {
        if (!Array.isArray(entry)) continue;
        const [ns, name] = entry;
        if (typeof ns === "string" && ns.endsWith("/Delivery") && typeof name === "string") {
          namespaces.add(ns);
          metrics.add(name);
          found = true;
        }
        for (const e of entry)
          for (const m of isDict(e) && typeof e["expression"] === "string"
            ? e["expression"].matchAll(SEARCHED)
            : []) {
            namespaces.add(m[1]!);
            metrics.add(m[2]!);
            found = true;
          }
      }
    }
    if (found) dashboards.push(str(r.inputs?.["dashboardName"]) ?? r.name);
  }
  if (namespaces.size === 0) return undefined;
  const alarms = resources.filter(
    (r) =>
      r.type === ALARM_TYPE &&
      (namespaces.has(str(r.inputs?.["namespace"]) ?? "") ||
        dicts(r.inputs?.["metricQueries"]).some(
          (q) => isDict(q["metric"]) && namespaces.has(str(q["metric"]["namespace"]) ?? ""),
        )),
  ).length;
  return {
    namespace: [...namespaces].sort().join(", "),
    metrics: [...metrics].sort(),
    dashboards: dashboards.sort(),
    alarms,
  };
}

/** One line: `Delivery metrics: acme/Delivery (8 metrics), dashboard acme-delivery, 4 alarms`. */
export function renderDelivery(summary: DeliverySummary | undefined): string[] {
  if (!summary) return [];
  const { namespace, metrics, dashboards, alarms } = summary;
  return [
    `Delivery metrics: ${namespace} (${metrics.length} metrics), ` +
      `${dashboards.length === 1 ? "dashboard" : `${dashboards.length} dashboards`} ${dashboards.join(", ")}, ` +
      `${alarms} alarm${alarms === 1 ? "" : "s"}`,
    `  ${metrics.join(", ")}`,
  ];
}
