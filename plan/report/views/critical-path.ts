// The critical path of a pipeline: how long a change takes from its source to the last account it
// deploys to, estimated from the pipeline as recorded (its stages, runOrders and gates) and stated
// assumptions of how long each kind of action runs. Manual approvals are left out (people decide
// how long they take); bakes count as configured. Actions with one runOrder run in parallel, so a
// step takes as long as its longest action, and a stage the sum of its steps.
import type { ActionSummary, PipelineSummary } from "./pipeline-summary";

/** Minutes each kind of action is assumed to run. */
export interface DurationAssumptions {
  readonly source: number;
  readonly build: number;
  readonly deploy: number;
  readonly test: number;
  /** An alarm gate's entry check (a bake runs its configured minutes). */
  readonly gate: number;
}

export const DEFAULT_ASSUMPTIONS: DurationAssumptions = {
  source: 1,
  build: 10,
  deploy: 8,
  test: 5,
  gate: 1,
};

export interface CriticalPath {
  readonly pipeline: string;
  readonly stages: number;
  /** Stages that deploy into an account (a wave is one stage, or several parts). */
  readonly deployStages: number;
  /** Deploy waves over all environments: an environment deployed at once counts one. */
  readonly waves: number;
  /** Minutes from the source to the end of the last stage that deploys, approvals excluded. */
  readonly minutes: number;
  readonly assumptions: DurationAssumptions;
}

function actionMinutes(a: ActionSummary, x: DurationAssumptions): number {
  // A bake watches its configured minutes; an entry check, or a check once after a part of a
  // wave deploys (a bake of 0 minutes), takes the assumed gate time.
  if (a.gate) return a.gate.phase === "bake" && a.gate.minutes > 0 ? a.gate.minutes : x.gate;
  switch (a.category) {
    case "Source":
      return x.source;
    case "Approval":
      return 0;
    case "Test":
      return x.test;
    default:
      return a.deploys || a.category === "Deploy" ? x.deploy : x.build;
  }
}

/** The critical path of one pipeline under the assumptions; undefined when no stage deploys. */
export function criticalPath(
  p: PipelineSummary,
  assumptions: DurationAssumptions = DEFAULT_ASSUMPTIONS,
): CriticalPath | undefined {
  const lastDeploy = p.stages.reduce((last, s, i) => (s.deploysTo.length > 0 ? i : last), -1);
  if (lastDeploy < 0) return undefined;
  let minutes = 0;
  p.stages.slice(0, lastDeploy + 1).forEach((stage) => {
    for (const step of stage.steps)
      minutes += Math.max(0, ...step.actions.map((a) => actionMinutes(a, assumptions)));
  });
  return {
    pipeline: p.name,
    stages: p.stages.length,
    deployStages: p.stages.filter((s) => s.deploysTo.length > 0).length,
    waves: deployWaveCount(p),
    minutes,
    assumptions,
  };
}

/**
 * Deploy waves of a pipeline: each deploying stage that is not a wave's later part counts once
 * (`Deploy-prod-wave3-part2` continues wave 3), so an environment deployed at once is one wave.
 */
function deployWaveCount(p: PipelineSummary): number {
  return p.stages.filter((s) => s.deploysTo.length > 0 && (s.wave?.part ?? 1) === 1).length;
}

/** The critical paths of the pipelines that deploy. */
export function criticalPaths(
  pipelines: readonly PipelineSummary[],
  assumptions: DurationAssumptions = DEFAULT_ASSUMPTIONS,
): CriticalPath[] {
  return pipelines
    .map((p) => criticalPath(p, assumptions))
    .filter((c): c is CriticalPath => c !== undefined);
}

/** `2 h 05 min`, or `45 min` under an hour. */
export function formatMinutes(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = Math.round(minutes - h * 60);
  return h > 0 ? `${h} h ${String(m).padStart(2, "0")} min` : `${m} min`;
}

/** The one line the plan prints under a pipeline's header. */
export function describeCriticalPath(c: CriticalPath): string {
  const a = c.assumptions;
  return `critical path: ${c.stages} stages, ${c.deployStages} of them deploy in ${c.waves} wave${c.waves === 1 ? "" : "s"}; about ${formatMinutes(c.minutes)} from source to the last deployment (assumed minutes: build ${a.build}, deploy ${a.deploy}, test ${a.test}, gate check ${a.gate}, source ${a.source}; approvals excluded, bakes as configured)`;
}

/**
 * Reads `--assume build=12,deploy=6`: the keys of DurationAssumptions with minutes from 0 to
 * 1,440. Returns the assumptions, or a message saying what is wrong.
 */
export function parseAssumptions(text: string): DurationAssumptions | string {
  const out: Record<string, number> = { ...DEFAULT_ASSUMPTIONS };
  for (const part of text.split(",")) {
    const m = /^\s*([a-z]+)\s*=\s*(\d+(?:\.\d+)?)\s*$/.exec(part);
    if (!m || !(m[1]! in DEFAULT_ASSUMPTIONS))
      return `--assume takes key=minutes pairs separated by commas, with keys ${Object.keys(DEFAULT_ASSUMPTIONS).join(", ")} (for example --assume build=12,deploy=6)`;
    const minutes = Number(m[2]);
    if (minutes > 1_440) return `--assume ${m[1]}=${m[2]}: at most 1440 minutes`;
    out[m[1]!] = minutes;
  }
  return out as unknown as DurationAssumptions;
}
