// The delivery metrics function: turns the platform pipelines' EventBridge events into the
// delivery metrics of model/delivery-metrics.ts (the four DORA metrics and what explains them).
//
// It keeps no state. CodePipeline delivers its events at least once and not in order
// (https://docs.aws.amazon.com/codepipeline/latest/userguide/detect-state-changes-cloudwatch-events.html),
// so an event only says "look at this execution": the metrics come from the API's view of the
// execution (GetPipelineExecution, ListActionExecutions and, for time to restore,
// ListPipelineExecutions), each datapoint stamped with the time the API gives for what it
// measures (a stage's end, an environment's last deploy stage's end). A terminal event emits only
// when its state is the execution's status in the API: an event about an execution that is still
// running (a failed stage being retried) or that has moved on since (failed, then retried and
// succeeded) emits nothing, and the one event of each terminal status emits. A redelivered copy
// of that event emits the same datapoints again (docs/delivery-metrics.md says what CloudWatch
// does with them).
//
// Runtime: Lambda's Node.js 20 runtime, which ships the AWS SDK for JavaScript v3
// (https://docs.aws.amazon.com/lambda/latest/dg/lambda-nodejs.html); the component packages this
// file with model/delivery-metrics.ts and model/naming.ts, nothing else.
import {
  CodePipelineClient,
  GetPipelineExecutionCommand,
  ListActionExecutionsCommand,
  ListPipelineExecutionsCommand,
  type ActionExecutionDetail,
  type GetPipelineExecutionCommandOutput,
  type ListActionExecutionsCommandOutput,
  type ListPipelineExecutionsCommandOutput,
  type PipelineExecution,
  type PipelineExecutionSummary,
} from "@aws-sdk/client-codepipeline";
import {
  CloudWatchClient,
  PutMetricDataCommand,
  type MetricDatum,
} from "@aws-sdk/client-cloudwatch";
import {
  DELIVERY_EVENT_TYPES,
  DELIVERY_METRICS,
  DeliveryDimension,
  DeliveryMetric,
  deliveryNamespace,
} from "../../model/delivery-metrics";
import { applicationOfPipeline, isPullRequestPipeline, parseStageName } from "../../model/naming";

/** The API calls the function makes, as the SDK's clients take them (tests pass fakes). */
export interface DeliveryClients {
  readonly codepipeline: {
    send(
      command:
        GetPipelineExecutionCommand | ListActionExecutionsCommand | ListPipelineExecutionsCommand,
    ): Promise<unknown>;
  };
  readonly cloudwatch: { send(command: PutMetricDataCommand): Promise<unknown> };
}

/** What the function knows about the platform (its environment variables). */
export interface DeliverySettings {
  /** The naming prefix: pipelines are `<prefix>-<app>`. */
  readonly prefix: string;
  /** Environments that are production (time to restore is measured for them). */
  readonly productionEnvironments: readonly string[];
}

/** One datapoint before it becomes a MetricDatum. */
export interface Datapoint {
  readonly metric: string;
  readonly value: number;
  readonly unit: string;
  readonly timestamp: string;
  readonly dimensions: Readonly<Record<string, string>>;
}

/** What one event came to. */
export interface HandlerResult {
  readonly outcome: "emitted" | "ignored";
  readonly reason: string;
  readonly datapoints: readonly Datapoint[];
}

/** Terminal states of a pipeline execution event and the API status each stands for. */
const TERMINAL: Readonly<Record<string, string>> = {
  SUCCEEDED: "Succeeded",
  FAILED: "Failed",
  STOPPED: "Stopped",
  SUPERSEDED: "Superseded",
  CANCELED: "Cancelled",
};

/** PutMetricData takes at most 1,000 datapoints per call; 20 was the limit before 2023. */
const BATCH = 20;
/** How many earlier executions a time-to-restore walk reads at most. */
const MAX_EARLIER_EXECUTIONS = 100;
/** How many earlier failed executions a time-to-restore walk opens at most. */
const MAX_FAILED_LOOKUPS = 20;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const text = (v: unknown): string | undefined =>
  typeof v === "string" && v.length > 0 ? v : undefined;
/** A time as the SDK returns it (a Date) or as JSON carries it (an ISO string), in ms. */
function millis(v: unknown): number | undefined {
  const t = v instanceof Date ? v.getTime() : typeof v === "string" ? Date.parse(v) : NaN;
  return Number.isFinite(t) ? t : undefined;
}
const round = (x: number) => Math.round(x * 1000) / 1000;

const ignored = (reason: string): HandlerResult => ({ outcome: "ignored", reason, datapoints: [] });

/** The latest attempt of each action, with the stage it ran in. */
interface Attempt {
  readonly stage: string;
  readonly action: string;
  readonly status: string;
  readonly start: number;
  readonly end: number;
  readonly category?: string;
}

function attemptsOf(details: readonly ActionExecutionDetail[]): Attempt[] {
  const out: Attempt[] = [];
  for (const d of details) {
    const stage = text(d.stageName);
    const action = text(d.actionName);
    const start = millis(d.startTime);
    const end = millis(d.lastUpdateTime) ?? start;
    if (!stage || !action || start === undefined || end === undefined) continue;
    out.push({
      stage,
      action,
      status: text(d.status) ?? "Unknown",
      start,
      end,
      category: text(d.input?.actionTypeId?.category),
    });
  }
  return out;
}

/**
 * Splits the attempts into each action's last one and the time of the last failure a retry
 * replaced: the terminal event of that failure emitted everything that had ended by then.
 */
function latestAttempts(all: readonly Attempt[]): {
  latest: Attempt[];
  retriedFailureAt: number;
  retriedFailures: Attempt[];
} {
  const byAction = new Map<string, Attempt[]>();
  for (const a of all) {
    const k = `${a.stage}\u0000${a.action}`;
    byAction.set(k, [...(byAction.get(k) ?? []), a]);
  }
  const latest: Attempt[] = [];
  const retriedFailures: Attempt[] = [];
  for (const list of byAction.values()) {
    const sorted = [...list].sort((a, b) => a.start - b.start || a.end - b.end);
    latest.push(sorted[sorted.length - 1]!);
    retriedFailures.push(...sorted.slice(0, -1).filter((a) => a.status === "Failed"));
  }
  const retriedFailureAt = Math.max(-Infinity, ...retriedFailures.map((a) => a.end));
  return { latest, retriedFailureAt, retriedFailures };
}

/** One stage of an execution, from its actions' last attempts. */
interface StageRun {
  readonly name: string;
  readonly status: "Succeeded" | "Failed" | "Incomplete";
  readonly start: number;
  readonly end: number;
}

function stageRuns(latest: readonly Attempt[]): StageRun[] {
  const byStage = new Map<string, Attempt[]>();
  for (const a of latest) byStage.set(a.stage, [...(byStage.get(a.stage) ?? []), a]);
  return [...byStage].map(([name, acts]) => ({
    name,
    status: acts.some((a) => a.status === "Failed")
      ? "Failed"
      : acts.every((a) => a.status === "Succeeded")
        ? "Succeeded"
        : "Incomplete",
    start: Math.min(...acts.map((a) => a.start)),
    end: Math.max(...acts.map((a) => a.end)),
  }));
}

/** How an environment's deployment went in one execution. */
interface EnvironmentRun {
  readonly environment: string;
  readonly status: "deployed" | "failed" | "incomplete";
  /** When it was deployed (the last deploy stage's end) or failed (the failed stage's end). */
  readonly at: number;
}

/**
 * Each environment the execution deployed to. An environment is deployed when every deploy stage
 * of it that ran succeeded and none is missing: it deploys in one stage (`Deploy-<env>`, no wave
 * or part), or the execution went past its stages: it succeeded, or a stage after them ran (the
 * environment's test stage, or any stage of another environment that started once its deploy
 * stages had ended: CodePipeline starts a stage only when every stage before it succeeded).
 */
function environmentRuns(stages: readonly StageRun[], succeeded: boolean): EnvironmentRun[] {
  const byEnv = new Map<string, StageRun[]>();
  const tested = new Set<string>();
  const others: { environment: string; start: number }[] = [];
  for (const s of stages) {
    const parsed = parseStageName(s.name);
    if (!parsed?.environment) continue;
    if (parsed.kind === "test") tested.add(parsed.environment);
    others.push({ environment: parsed.environment, start: s.start });
    if (parsed.kind !== "deploy") continue;
    byEnv.set(parsed.environment, [...(byEnv.get(parsed.environment) ?? []), s]);
  }
  const passed = (environment: string, list: readonly StageRun[]) => {
    const end = Math.max(...list.map((s) => s.end));
    return others.some((o) => o.environment !== environment && o.start >= end);
  };
  return [...byEnv].map(([environment, list]): EnvironmentRun => {
    const failed = list.filter((s) => s.status === "Failed");
    if (failed.length > 0)
      return { environment, status: "failed", at: Math.max(...failed.map((s) => s.end)) };
    const only = list.length === 1 ? parseStageName(list[0]!.name) : undefined;
    const whole = only !== undefined && only.wave === undefined && only.part === undefined;
    const done =
      list.every((s) => s.status === "Succeeded") &&
      (succeeded || tested.has(environment) || whole || passed(environment, list));
    return {
      environment,
      status: done ? "deployed" : "incomplete",
      at: Math.max(...list.map((s) => s.end)),
    };
  });
}

/** Builds datapoints of the shared metric list, dimensions in the list's order. */
function point(
  metric: DeliveryMetric,
  value: number,
  at: number,
  dims: Partial<Record<DeliveryDimension, string>>,
): Datapoint {
  const dimensions: Record<string, string> = {};
  for (const d of metric.dimensions) {
    const v = dims[d];
    if (v === undefined) throw new Error(`${metric.name} needs the ${d} dimension`);
    dimensions[d] = v;
  }
  return {
    metric: metric.name,
    value: round(value),
    unit: metric.unit,
    timestamp: new Date(at).toISOString(),
    dimensions,
  };
}

/** Every page of an execution's action executions. */
async function actionExecutions(
  clients: DeliveryClients,
  pipelineName: string,
  pipelineExecutionId: string,
): Promise<ActionExecutionDetail[]> {
  const out: ActionExecutionDetail[] = [];
  let nextToken: string | undefined;
  do {
    const page = (await clients.codepipeline.send(
      new ListActionExecutionsCommand({
        pipelineName,
        filter: { pipelineExecutionId },
        ...(nextToken ? { nextToken } : {}),
      }),
    )) as ListActionExecutionsCommandOutput;
    out.push(...(page.actionExecutionDetails ?? []));
    nextToken = text(page.nextToken);
  } while (nextToken);
  return out;
}

/** Earlier executions of the pipeline, newest first, up to MAX_EARLIER_EXECUTIONS. */
async function earlierExecutions(
  clients: DeliveryClients,
  pipelineName: string,
): Promise<PipelineExecutionSummary[]> {
  const out: PipelineExecutionSummary[] = [];
  let nextToken: string | undefined;
  do {
    const page = (await clients.codepipeline.send(
      new ListPipelineExecutionsCommand({
        pipelineName,
        maxResults: 100,
        ...(nextToken ? { nextToken } : {}),
      }),
    )) as ListPipelineExecutionsCommandOutput;
    out.push(...(page.pipelineExecutionSummaries ?? []));
    nextToken = text(page.nextToken);
  } while (nextToken && out.length < MAX_EARLIER_EXECUTIONS);
  return out;
}

/**
 * When the environment's outage began, for an execution that restored it: walking back from the
 * execution through the pipeline's earlier executions, the earliest failed deployment of the
 * environment since the last execution that succeeded. Undefined when the one before succeeded.
 */
async function outageStart(
  clients: DeliveryClients,
  pipelineName: string,
  executionId: string,
  startedAt: number,
  environment: string,
): Promise<number | undefined> {
  const earlier = (await earlierExecutions(clients, pipelineName))
    .filter((s) => s.pipelineExecutionId !== executionId)
    .map((s) => ({ s, start: millis(s.startTime) }))
    .filter((x): x is { s: PipelineExecutionSummary; start: number } => x.start !== undefined)
    .filter((x) => x.start < startedAt)
    .sort((a, b) => b.start - a.start);
  let since: number | undefined;
  let lookups = 0;
  for (const { s } of earlier) {
    if (s.status === "Succeeded") break;
    if (s.status !== "Failed" || !s.pipelineExecutionId) continue;
    if (++lookups > MAX_FAILED_LOOKUPS) break;
    const { latest } = latestAttempts(
      attemptsOf(await actionExecutions(clients, pipelineName, s.pipelineExecutionId)),
    );
    const failed = environmentRuns(stageRuns(latest), false).find(
      (e) => e.environment === environment && e.status === "failed",
    );
    if (failed) since = Math.min(since ?? Infinity, failed.at);
  }
  return since;
}

/** The metrics of one execution whose terminal event matches its status. */
async function executionMetrics(
  clients: DeliveryClients,
  settings: DeliverySettings,
  application: string,
  execution: PipelineExecution,
  details: readonly ActionExecutionDetail[],
): Promise<Datapoint[]> {
  const M = DELIVERY_METRICS;
  const pipelineName = execution.pipelineName!;
  const executionId = execution.pipelineExecutionId!;
  const succeeded = execution.status === "Succeeded";
  const rollback = execution.executionType === "ROLLBACK";
  const { latest, retriedFailureAt, retriedFailures } = latestAttempts(attemptsOf(details));
  if (latest.length === 0) return [];
  const startedAt = Math.min(...latest.map((a) => a.start));
  const stages = stageRuns(latest);
  const envs = environmentRuns(stages, succeeded);
  const points: Datapoint[] = [];
  // What ended before a failure that a retry replaced was emitted by that failure's event.
  const fresh = (at: number) => at > retriedFailureAt;
  const Application = application;

  if (!rollback) {
    for (const s of stages)
      if (s.status !== "Incomplete" && fresh(s.end))
        points.push(
          point(M.stageDurationSeconds, (s.end - s.start) / 1000, s.end, {
            Application,
            Stage: s.name,
          }),
        );
    for (const a of latest)
      if ((a.status === "Succeeded" || a.status === "Failed") && fresh(a.end))
        points.push(
          point(M.actionDurationSeconds, (a.end - a.start) / 1000, a.end, {
            Application,
            Stage: a.stage,
            Action: a.action,
          }),
        );
    const commits = (execution.artifactRevisions ?? [])
      .map((r) => millis(r.created))
      .filter((t): t is number => t !== undefined);
    const changeAt = commits.length > 0 ? Math.max(...commits) : startedAt;
    for (const e of envs) {
      if (!fresh(e.at)) continue;
      const dims = { Application, Environment: e.environment };
      if (e.status === "deployed") {
        points.push(point(M.deployments, 1, e.at, dims));
        points.push(point(M.leadTimeMinutes, (e.at - changeAt) / 60_000, e.at, dims));
      } else if (e.status === "failed") points.push(point(M.failedDeployments, 1, e.at, dims));
    }
  } else if (succeeded && execution.trigger?.triggerType === "ManualRollback") {
    for (const e of envs)
      if (e.status === "deployed")
        points.push(
          point(M.rolledBackDeployments, 1, e.at, { Application, Environment: e.environment }),
        );
  }

  // Time to restore: a production environment this execution deployed (or rolled back) after
  // failed deployments of it.
  for (const e of envs) {
    if (e.status !== "deployed" || !settings.productionEnvironments.includes(e.environment))
      continue;
    if (!fresh(e.at)) continue;
    let since = await outageStart(clients, pipelineName, executionId, startedAt, e.environment);
    // A rollback started by hand rolls back a deployment that had passed its stage: the outage
    // is known to have begun when the rollback started at the latest.
    if (rollback && execution.trigger?.triggerType === "ManualRollback")
      since = Math.min(since ?? Infinity, startedAt);
    // A deploy stage of the environment that failed in this execution and was retried.
    for (const f of retriedFailures) {
      const parsed = parseStageName(f.stage);
      if (parsed?.kind === "deploy" && parsed.environment === e.environment)
        since = Math.min(since ?? Infinity, f.end);
    }
    if (since !== undefined)
      points.push(
        point(M.timeToRestoreMinutes, (e.at - since) / 60_000, e.at, {
          Application,
          Environment: e.environment,
        }),
      );
  }
  return points;
}

/** Manual approvals of the event's environment waiting in the execution. */
function pendingApprovals(
  application: string,
  stage: string,
  details: readonly ActionExecutionDetail[],
): Datapoint[] {
  const environment = parseStageName(stage)?.environment;
  if (!environment) return [];
  const approvals = latestAttempts(attemptsOf(details)).latest.filter(
    (a) => a.category === "Approval" && parseStageName(a.stage)?.environment === environment,
  );
  if (approvals.length === 0) return [];
  const waiting = approvals.filter((a) => a.status === "InProgress").length;
  const at = Math.max(...approvals.map((a) => a.end));
  return [
    point(DELIVERY_METRICS.pendingApprovals, waiting, at, {
      Application: application,
      Environment: environment,
    }),
  ];
}

/** Handles one EventBridge event: reads the execution, computes and emits its metrics. */
export async function handle(
  event: unknown,
  clients: DeliveryClients,
  settings: DeliverySettings,
): Promise<HandlerResult> {
  if (!isRecord(event) || event["source"] !== "aws.codepipeline")
    return ignored("not a CodePipeline event");
  const type = event["detail-type"];
  if (!(DELIVERY_EVENT_TYPES as readonly unknown[]).includes(type))
    return ignored(`detail-type ${JSON.stringify(type)} is not read`);
  const detail = isRecord(event["detail"]) ? event["detail"] : {};
  const pipelineName = text(detail["pipeline"]);
  const executionId = text(detail["execution-id"]);
  const state = text(detail["state"]);
  if (!pipelineName || !executionId || !state)
    return ignored("the event has no pipeline, execution-id or state");
  const application = applicationOfPipeline(settings.prefix, pipelineName);
  if (!application) return ignored(`${pipelineName} is not a pipeline of the platform`);
  if (isPullRequestPipeline(settings.prefix, pipelineName))
    return ignored(`${pipelineName} validates pull requests; it delivers nothing`);

  let points: Datapoint[];
  if (type === "CodePipeline Pipeline Execution State Change") {
    const status = TERMINAL[state];
    if (!status) return ignored(`${state} is not a terminal state`);
    const got = (await clients.codepipeline.send(
      new GetPipelineExecutionCommand({ pipelineName, pipelineExecutionId: executionId }),
    )) as GetPipelineExecutionCommandOutput;
    const execution = got.pipelineExecution;
    if (!execution?.status) return ignored(`the API returned no status for ${executionId}`);
    if (execution.status === "InProgress" || execution.status === "Stopping")
      return ignored(`execution ${executionId} is still ${execution.status}`);
    if (execution.status !== status)
      return ignored(`the ${state} event is older than the execution's status ${execution.status}`);
    const details = await actionExecutions(clients, pipelineName, executionId);
    points = await executionMetrics(
      clients,
      settings,
      application,
      { ...execution, pipelineName, pipelineExecutionId: executionId },
      details,
    );
  } else if (type === "CodePipeline Action Execution State Change") {
    const category = isRecord(detail["type"]) ? detail["type"]["category"] : undefined;
    const stage = text(detail["stage"]);
    if (category !== "Approval" || !stage) return ignored("not a manual approval action");
    points = pendingApprovals(
      application,
      stage,
      await actionExecutions(clients, pipelineName, executionId),
    );
  } else return ignored("stage events add nothing to the execution's terminal event");

  if (points.length === 0) return ignored("nothing to emit");
  await emit(clients, deliveryNamespace(settings.prefix), points);
  return { outcome: "emitted", reason: `${points.length} datapoints`, datapoints: points };
}

/** The datapoints as PutMetricData calls of at most BATCH datapoints. */
async function emit(clients: DeliveryClients, namespace: string, points: readonly Datapoint[]) {
  for (let i = 0; i < points.length; i += BATCH) {
    const MetricData: MetricDatum[] = points.slice(i, i + BATCH).map((p) => ({
      MetricName: p.metric,
      Dimensions: Object.entries(p.dimensions).map(([Name, Value]) => ({ Name, Value })),
      Timestamp: new Date(p.timestamp),
      Value: p.value,
      Unit: p.unit as MetricDatum["Unit"],
    }));
    await clients.cloudwatch.send(new PutMetricDataCommand({ Namespace: namespace, MetricData }));
  }
}

/** The settings from the function's environment variables. */
export function settingsFromEnvironment(env: NodeJS.ProcessEnv): DeliverySettings {
  const prefix = env["PLATFORM_PREFIX"];
  if (!prefix) throw new Error("PLATFORM_PREFIX is not set");
  return {
    prefix,
    productionEnvironments: (env["PRODUCTION_ENVIRONMENTS"] ?? "")
      .split(",")
      .map((e) => e.trim())
      .filter((e) => e.length > 0),
  };
}

let defaultClients: DeliveryClients | undefined;

/** The Lambda entry point. */
export async function handler(event: unknown): Promise<HandlerResult> {
  defaultClients ??= {
    codepipeline: new CodePipelineClient({}),
    cloudwatch: new CloudWatchClient({}),
  };
  const result = await handle(event, defaultClients, settingsFromEnvironment(process.env));
  console.log(JSON.stringify({ outcome: result.outcome, reason: result.reason }));
  return result;
}
