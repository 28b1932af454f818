// View 2 as text: each pipeline's header, source and trigger, then each stage (approvals, gates)
// with its actions by runOrder.
import {
  criticalPath,
  DEFAULT_ASSUMPTIONS,
  describeCriticalPath,
  type DurationAssumptions,
} from "./critical-path";
import type {
  ActionSummary,
  ConditionSummary,
  PipelineSummary,
  SourceSummary,
  StageSummary,
  TriggerSummary,
} from "./pipeline-summary";
import { list, plural, uniqueSorted } from "./wording";

function describeTrigger(t: TriggerSummary): string {
  const parts: string[] = [t.event];
  if (t.branches.includes.length) parts.push(`to ${list(t.branches.includes)}`);
  if (t.branches.excludes.length) parts.push(`not ${list(t.branches.excludes)}`);
  if (t.tags.includes.length) parts.push(`tags ${list(t.tags.includes)}`);
  if (t.tags.excludes.length) parts.push(`not tags ${list(t.tags.excludes)}`);
  if (t.events.length) parts.push(`(${list(t.events)})`);
  if (t.filePaths.includes.length) parts.push(`touching ${list(t.filePaths.includes)}`);
  if (t.filePaths.excludes.length) parts.push(`ignoring ${list(t.filePaths.excludes)}`);
  return parts.join(" ");
}

function describeSource(s: SourceSummary): string {
  const where = [s.host, s.repository].filter(Boolean).join(" ") || s.connection || "?";
  const branch = s.branch ? `, branch ${s.branch}` : "";
  const start =
    s.triggers.length > 0
      ? ` · trigger: ${s.triggers.map(describeTrigger).join("; ")}`
      : s.detectChanges
        ? " · starts on every change"
        : " · starts manually";
  return `Source ${s.action}: ${where}${branch} (${s.provider})${start}`;
}

function describeAction(a: ActionSummary, p: PipelineSummary): string {
  const elsewhere = a.account !== p.account || a.region !== p.region;
  const target = a.deploys || elsewhere ? ` → ${a.account} ${a.region}` : "";
  const extra = [a.project ? `project ${a.project}` : "", a.actionMode ?? ""].filter(Boolean);
  return `${a.name} (${a.category}, ${a.provider}${target})${extra.length ? ` ${list(extra)}` : ""}`;
}

function describeRules(c: ConditionSummary): string {
  const parts: string[] = [];
  if (c.alarmCount > 0) {
    const names = uniqueSorted(
      c.rules.filter((r) => r.provider === "CloudWatchAlarm").flatMap((r) => r.alarms),
    );
    parts.push(`${plural(c.alarmCount, "alarm")} ${list(names)} (${list(c.alarmAccounts)})`);
  }
  for (const r of c.rules.filter((r) => r.provider !== "CloudWatchAlarm")) {
    const config = Object.entries(r.configuration)
      .map(([k, v]) => `${k}=${v}`)
      .join(" ");
    parts.push(config ? `${r.provider} ${config}` : r.provider);
  }
  return parts.join(" + ") || "no rules";
}

/** The header of a stage: name, wave, approvals and gates. */
export function describeStage(s: StageSummary): string {
  const parts = [
    `Stage ${s.name}${s.wave ? ` (wave ${s.wave.index} of ${s.wave.of}${s.wave.part ? `, part ${s.wave.part} of ${s.wave.parts}` : ""})` : ""}`,
  ];
  if (s.approvals.length) parts.push(`manual approval: ${list(s.approvals)}`);
  if (s.beforeEntry) {
    const result = s.beforeEntry.result && s.beforeEntry.result !== "FAIL";
    parts.push(
      `gate: before entry ${describeRules(s.beforeEntry)}${result ? `, else ${s.beforeEntry.result}` : ""}`,
    );
  }
  if (s.onSuccess) {
    const wait = s.onSuccess.waitMinutes ? ` for ${s.onSuccess.waitMinutes} min` : "";
    const result = s.onSuccess.result ? `, else ${s.onSuccess.result}` : "";
    const rules = describeRules(s.onSuccess);
    const same = s.beforeEntry && describeRules(s.beforeEntry) === rules;
    parts.push(
      `on success watch ${same ? `the same ${plural(s.onSuccess.alarmCount, "alarm")}` : rules}${wait}${result}`,
    );
  }
  for (const g of s.gates) {
    const watched = `${plural(g.targets.length, "deployment-health alarm")} (${list(g.accounts)})`;
    parts.push(
      g.phase === "bake"
        ? `alarm gate ${g.action}: watch ${watched} for ${g.minutes} min`
        : `alarm gate ${g.action}: check ${watched} first`,
    );
  }
  if (s.onFailure) {
    const retry = s.onFailure.retryMode ? ` (${s.onFailure.retryMode})` : "";
    const cond = s.onFailure.condition ? ` if ${describeRules(s.onFailure.condition)}` : "";
    parts.push(`on failure ${s.onFailure.result ?? "FAIL"}${retry}${cond}`);
  }
  return parts.join(" · ");
}

/** The pipelines as text: header, source and trigger, then each stage with its runOrders. */
export function renderPipelines(
  pipelines: readonly PipelineSummary[],
  assumptions: DurationAssumptions = DEFAULT_ASSUMPTIONS,
): string[] {
  const lines: string[] = [];
  for (const p of pipelines) {
    lines.push(
      `Pipeline ${p.name} · ${p.pipelineType} · ${p.executionMode} · ${p.account} ${p.region} · ${plural(p.stages.length, "stage")}`,
    );
    lines.push(`  role ${p.roleArn}`);
    const path = criticalPath(p, assumptions);
    if (path) lines.push(`  ${describeCriticalPath(path)}`);
    for (const s of p.sources) lines.push(`  ${describeSource(s)}`);
    if (p.stages.some((s) => s.onFailure?.result === "ROLLBACK"))
      lines.push(
        "  rollback needs an earlier successful run of the same pipeline structure: the first run, and the first run after any change to the pipeline's shape, cannot roll back",
      );
    for (const stage of p.stages) {
      lines.push(`  ${describeStage(stage)}`);
      for (const step of stage.steps) {
        if (step.actions.length === 1) {
          lines.push(`    run ${step.runOrder}: ${describeAction(step.actions[0], p)}`);
          continue;
        }
        lines.push(`    run ${step.runOrder}, ${step.actions.length} in parallel:`);
        for (const a of step.actions) lines.push(`      ${describeAction(a, p)}`);
      }
    }
  }
  return lines;
}
