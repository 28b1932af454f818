// The delivery dashboards and alarms: every metric a widget or alarm reads is one the function
// emits (the shared list, with its dimensions), every dimension value is an application or
// environment of the config, every failed-builds widget reads the application's real projects,
// and a 100-application organization stays within CloudWatch's dashboard limits.
import { strict as assert } from "assert";
import {
  changeFailureQueries,
  DASHBOARD_LIMITS,
  DashboardApplication,
  deliveryDashboards,
  DeliveryDashboardInput,
} from "../../components/tools/delivery-dashboard";
import { deliveryMetric } from "../../model/delivery-metrics";
import { toolsNames } from "../../model/naming";
import { deliverySummary, renderDelivery } from "../../plan/report/views";
import { byName, ofType, runStackOk, StackRun } from "../helpers";

type Entry = (string | Record<string, unknown>)[];
interface Body {
  widgets: { type: string; properties: { metrics?: Entry[] } }[];
}

/** Every metric a body reads: [namespace, name, {dimension: value}] (SEARCHes included). */
function referencedMetrics(body: Body): [string, string, Record<string, string>][] {
  const out: [string, string, Record<string, string>][] = [];
  for (const w of body.widgets)
    for (const entry of w.properties.metrics ?? []) {
      const strings = entry.filter((e): e is string => typeof e === "string");
      if (strings.length > 0) {
        const [ns, name, ...pairs] = strings;
        const dims: Record<string, string> = {};
        for (let i = 0; i + 1 < pairs.length; i += 2) dims[pairs[i]!] = pairs[i + 1]!;
        out.push([ns!, name!, dims]);
      }
      for (const e of entry) {
        const expression = typeof e === "object" ? (e["expression"] as string | undefined) : "";
        for (const m of (expression ?? "").matchAll(/SEARCH\('\{([^}]*)\} ([^']*)'/g)) {
          const [ns, ...schema] = m[1]!.split(",");
          const filters = Object.fromEntries(
            [...m[2]!.matchAll(/(\w+)="([^"]*)"/g)].map((f) => [f[1]!, f[2]!]),
          );
          const { MetricName, ...dims } = filters;
          for (const d of Object.keys(dims)) assert.ok(schema.includes(d), `${d} not in ${m[1]}`);
          out.push([ns!, MetricName!, { ...dims, "(schema)": schema.join(",") }]);
        }
      }
    }
  return out;
}

function checkReferences(input: DeliveryDashboardInput, bodies: { body: string }[]) {
  const apps = new Map(input.applications.map((a) => [a.name, a]));
  let count = 0;
  for (const { body } of bodies)
    for (const [ns, name, dims] of referencedMetrics(JSON.parse(body))) {
      count++;
      if (ns === "AWS/CodeBuild") {
        assert.equal(name, "FailedBuilds");
        assert.ok(
          [...apps.values()].some((a) => a.projects.includes(dims["ProjectName"]!)),
          `${dims["ProjectName"]} is no project of the config`,
        );
        continue;
      }
      assert.equal(ns, `${input.prefix}/Delivery`);
      const metric = deliveryMetric(name);
      assert.ok(metric, `${name} is not a metric the function emits`);
      const schema = dims["(schema)"];
      const named = Object.keys(dims).filter((k) => k !== "(schema)");
      if (schema !== undefined) assert.equal(schema, metric.dimensions.join(","), name);
      else assert.deepEqual(named, [...metric.dimensions], name);
      const app = dims["Application"] === undefined ? undefined : apps.get(dims["Application"]);
      if (dims["Application"] !== undefined)
        assert.ok(app, `${dims["Application"]} is no application`);
      if (dims["Environment"] !== undefined)
        assert.ok(
          app
            ? app.environments.includes(dims["Environment"])
            : input.productionEnvironments.includes(dims["Environment"]),
          `${dims["Environment"]} is no environment of ${dims["Application"] ?? "production"}`,
        );
    }
  return count;
}

let run: StackRun;
before(async () => {
  run = await runStackOk("tools");
});

const exampleInput = (): DeliveryDashboardInput => {
  const dash = byName(run, "acme-delivery", "platform:tools:DeliveryDashboards");
  assert.ok(dash);
  return {
    prefix: "acme",
    region: "us-east-1",
    productionEnvironments: ["prod"],
    applications: [],
  };
};

describe("the delivery dashboard of the example organization", () => {
  const body = (): Body =>
    JSON.parse(
      byName(run, "acme-delivery-1", "aws:cloudwatch/dashboard:Dashboard").inputs[
        "dashboardBody"
      ] as string,
    );

  it("is one dashboard named from model/naming, in the tools account", () => {
    const dashboards = ofType(run, "aws:cloudwatch/dashboard:Dashboard");
    assert.deepEqual(
      dashboards.map((d) => [d.inputs["dashboardName"], d.account]),
      [[toolsNames("acme", "111111111111").deliveryDashboard(0), "111111111111"]],
    );
  });

  it("reads only metrics the function emits, for applications and environments of the config", () => {
    const projects = ofType(run, "aws:codebuild/project:Project").map((p) => p.inputs["name"]);
    const apps: DashboardApplication[] = [
      ["orders-api", ["dev", "staging", "prod"]],
      ["billing-worker", ["dev", "staging", "prod"]],
      ["web-frontend", ["dev", "staging", "prod"]],
    ].map(([name, environments]) => ({
      name: name as string,
      environments: environments as string[],
      projects: projects.filter((p): p is string => typeof p === "string"),
    }));
    const input = { ...exampleInput(), applications: apps };
    assert.ok(checkReferences(input, [{ body: JSON.stringify(body()) }]) > 50);
  });

  it("charts each application's real CodeBuild projects as failed builds", () => {
    const projects = new Set(
      ofType(run, "aws:codebuild/project:Project").map((p) => p.inputs["name"] as string),
    );
    const charted = referencedMetrics(body())
      .filter(([ns]) => ns === "AWS/CodeBuild")
      .map(([, , d]) => d["ProjectName"]!);
    // Delivery is the deploy pipelines': a pull request's failed check is feedback to its author,
    // so the pull-request projects (`<prefix>-<app>-pr-*`) are not charted.
    const own = [...projects].filter(
      (p) =>
        !p.startsWith("acme-alarm-gate-") &&
        !p.startsWith("acme-platform-") &&
        !/^acme-.+-pr-/.test(p),
    );
    assert.deepEqual([...charted].sort(), own.sort());
  });

  it("has the four DORA widgets, the slowest stages and actions and the approvals for each application", () => {
    const titles = body()
      .widgets.map((w) => (w.properties as { title?: string }).title)
      .filter((t) => t?.startsWith("orders-api"));
    assert.deepEqual(titles, [
      "orders-api: deployments per day",
      "orders-api: lead time p50 / p90 (minutes)",
      "orders-api: change failure rate (%)",
      "orders-api: time to restore (minutes)",
      "orders-api: slowest stages (seconds, max)",
      "orders-api: slowest actions (seconds, max)",
      "orders-api: failed builds",
      "orders-api: pending approvals",
    ]);
  });
});

describe("the delivery dashboards at 100 applications", () => {
  const environments = ["dev", "qa", "staging", "perf", "prod", "prodeu"];
  const input: DeliveryDashboardInput = {
    prefix: "acme",
    region: "us-east-1",
    productionEnvironments: ["prod", "prodeu"],
    applications: Array.from({ length: 100 }, (_, i) => ({
      name: `service-with-a-long-name-${String(i).padStart(3, "0")}`,
      environments,
      projects: [
        `acme-service-${i}-build`,
        ...["lint", "unit", "sast", "licence"].map((c) => `acme-service-${i}-check-${c}`),
        `acme-service-${i}-test`,
        ...environments.map((e) => `acme-service-${i}-deploy-${e}`),
      ],
    })),
  };
  const bodies = deliveryDashboards(input, toolsNames("acme", "111111111111").deliveryDashboard);

  it("splits into several dashboards, each within CloudWatch's limits", () => {
    assert.ok(bodies.length > 1, `${bodies.length} dashboard(s)`);
    for (const d of bodies) {
      const body = JSON.parse(d.body) as Body;
      assert.ok(d.body.length <= DASHBOARD_LIMITS.bodyCharacters, `${d.name}: ${d.body.length}`);
      assert.ok(body.widgets.length <= DASHBOARD_LIMITS.widgets);
      const metrics = body.widgets.reduce((n, w) => n + (w.properties.metrics?.length ?? 0), 0);
      assert.ok(metrics <= DASHBOARD_LIMITS.metrics, `${d.name}: ${metrics} metrics`);
    }
    assert.deepEqual(bodies.map((d) => d.name).slice(0, 2), ["acme-delivery", "acme-delivery-2"]);
  });

  it("shows every application once, in config order", () => {
    assert.deepEqual(
      bodies.flatMap((d) => d.applications),
      input.applications.map((a) => a.name),
    );
  });

  it("reads only emitted metrics with the config's dimension values", () => {
    assert.ok(checkReferences(input, bodies) > 3000);
  });

  it("lays widgets on the 24-column grid without overlap", () => {
    for (const d of bodies) {
      const cells = new Set<string>();
      for (const w of (JSON.parse(d.body) as { widgets: Record<string, number>[] }).widgets) {
        assert.ok(w["x"]! + w["width"]! <= 24);
        for (let x = w["x"]!; x < w["x"]! + w["width"]!; x++)
          for (let y = w["y"]!; y < w["y"]! + w["height"]!; y++) {
            assert.ok(!cells.has(`${x},${y}`), `${d.name}: overlap at ${x},${y}`);
            cells.add(`${x},${y}`);
          }
      }
    }
  });
});

describe("production delivery alarms", () => {
  const alarm = (name: string) => byName(run, name, "aws:cloudwatch/metricAlarm:MetricAlarm");

  it("one change failure rate and one lead time alarm per application in production, notifying the platform topic", () => {
    const names = ofType(run, "aws:cloudwatch/metricAlarm:MetricAlarm")
      .map((a) => a.inputs["name"] as string)
      .filter((n) => /-(change-failure-rate|lead-time)$/.test(n))
      .sort();
    assert.deepEqual(names, [
      "acme-billing-worker-prod-change-failure-rate",
      "acme-billing-worker-prod-lead-time",
      "acme-orders-api-prod-change-failure-rate",
      "acme-orders-api-prod-lead-time",
      "acme-web-frontend-prod-change-failure-rate",
      "acme-web-frontend-prod-lead-time",
    ]);
    for (const n of names)
      assert.deepEqual(
        ofType(run, "aws:cloudwatch/metricAlarm:MetricAlarm").find((a) => a.inputs["name"] === n)!
          .inputs["alarmActions"],
        ["arn:aws:sns:us-east-1:111111111111:acme-pipeline-events"],
      );
  });

  it("the change failure rate alarm divides failed changes by attempted ones over a day, at the config threshold", () => {
    const a = alarm("acme-delivery-orders-api-prod-change-failure-rate").inputs;
    assert.deepEqual(
      [a["threshold"], a["comparisonOperator"], a["evaluationPeriods"], a["treatMissingData"]],
      [0.15, "GreaterThanThreshold", 1, "notBreaching"],
    );
    assert.deepEqual(
      a["metricQueries"],
      JSON.parse(JSON.stringify(changeFailureQueries("acme", "orders-api", "prod"))),
    );
    const queries = a["metricQueries"] as {
      id: string;
      expression?: string;
      metric?: { metricName: string; period: number };
    }[];
    assert.equal(
      queries.find((q) => q.id === "rate")!.expression,
      "(FILL(failed, 0) + FILL(rolledback, 0)) / (FILL(deployed, 0) + FILL(failed, 0))",
    );
    for (const q of queries.filter((x) => x.metric)) {
      assert.ok(deliveryMetric(q.metric!.metricName));
      assert.equal(q.metric!.period, 86_400);
    }
  });

  it("thresholds come from organization.delivery", async () => {
    const custom = await runStackOk("tools", {
      editOrganization: (o) => {
        (o as unknown as Record<string, unknown>)["delivery"] = {
          thresholds: { changeFailureRate: 0.3, leadTimeMinutes: 240 },
        };
      },
    });
    const get = (n: string) => byName(custom, n, "aws:cloudwatch/metricAlarm:MetricAlarm").inputs;
    assert.equal(get("acme-delivery-web-frontend-prod-change-failure-rate")["threshold"], 0.3);
    const lead = get("acme-delivery-web-frontend-prod-lead-time");
    assert.deepEqual(
      [lead["threshold"], lead["extendedStatistic"], lead["metricName"], lead["dimensions"]],
      [240, "p90", "LeadTimeMinutes", { Application: "web-frontend", Environment: "prod" }],
    );
  });
});

describe("the plan's delivery metrics line", () => {
  it("names the namespace, the metrics the dashboards chart, the dashboards and the alarms", () => {
    const summary = deliverySummary(run.resources);
    assert.deepEqual(renderDelivery(summary), [
      "Delivery metrics: acme/Delivery (8 metrics), dashboard acme-delivery, 6 alarms",
      "  ActionDurationSeconds, Deployments, FailedDeployments, LeadTimeMinutes, PendingApprovals, RolledBackDeployments, StageDurationSeconds, TimeToRestoreMinutes",
    ]);
  });

  it("is the same in a preview, and absent from a stack without delivery dashboards", async () => {
    const preview = await runStackOk("tools", { preview: true });
    assert.deepEqual(deliverySummary(preview.resources), deliverySummary(run.resources));
    const dev = await runStackOk("dev", { preview: true });
    assert.deepEqual(renderDelivery(deliverySummary(dev.resources)), []);
  });

  it("skips a dashboard whose body is not JSON or charts no delivery metric", () => {
    const dashboard = byName(run, "acme-delivery-1", "aws:cloudwatch/dashboard:Dashboard");
    const odd = [
      { ...dashboard, inputs: { dashboardName: "broken", dashboardBody: "{not json" } },
      { ...dashboard, inputs: { dashboardName: "other", dashboardBody: '{"widgets":[{}]}' } },
    ];
    assert.equal(deliverySummary(odd), undefined);
  });
});
