// `npm run bench:detection`: runs every case of the detection corpus (test/detection) through the
// `check` command and prints, per family and overall, how many violations the pack caught (any
// finding), how many the expected policy caught, and how many clean cases passed with no finding
// at all; then every miss, wrong policy and false positive with its source and findings. Exits 1
// when a target is missed. A sample of cases (one of each expectation per family) also goes through
// the real CLI binary (`node bin/cicd-plan.js check FILE --json OUT --no-policy-config`), whose
// findings must be the in-process ones. Options: `--family X` (one family), `--json FILE` (the
// figures and every case's outcome), `--cli-sample N` (how many cases the binary checks; 0: none).
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { corpus } from "../test/detection/corpus";
import { FAMILIES, type DetectionCase } from "../test/detection/corpus-types";
import {
  type CaseFinding,
  type CaseResult,
  reportResult,
  runCase,
  workDir,
  writeCaseExport,
} from "../test/detection/loader";

const ROOT = path.join(__dirname, "..");

/** The targets a run must meet (fractions). */
export const TARGETS = { caught: 0.99, caughtByPolicy: 0.97, cleanPassed: 0.98 } as const;

type Outcome = "caught" | "wrong-policy" | "missed" | "clean" | "false-positive";

interface CaseOutcome {
  readonly id: string;
  readonly family: string;
  readonly source: string;
  readonly expected: string;
  readonly outcome: Outcome;
  readonly findings: readonly CaseFinding[];
  readonly policyErrors: CaseResult["policyErrors"];
}

function outcomeOf(c: DetectionCase, r: CaseResult): Outcome {
  const any = r.findings.length > 0 || r.policyErrors.length > 0;
  if (!c.expect.violation) return any ? "false-positive" : "clean";
  if (!any) return "missed";
  const policy = c.expect.policy;
  return r.findings.some((f) => f.policy === policy) ? "caught" : "wrong-policy";
}

interface Figures {
  readonly cases: number;
  readonly violations: number;
  readonly caught: number;
  readonly caughtByPolicy: number;
  readonly clean: number;
  readonly cleanPassed: number;
}

function figures(outcomes: readonly CaseOutcome[]): Figures {
  const n = (o: Outcome) => outcomes.filter((x) => x.outcome === o).length;
  const violations = n("caught") + n("wrong-policy") + n("missed");
  return {
    cases: outcomes.length,
    violations,
    caught: n("caught") + n("wrong-policy"),
    caughtByPolicy: n("caught"),
    clean: n("clean") + n("false-positive"),
    cleanPassed: n("clean"),
  };
}

const pct = (a: number, b: number): string =>
  b === 0 ? "  -  " : `${((100 * a) / b).toFixed(1)}%`;

function row(label: string, f: Figures): string {
  const cols = [
    label.padEnd(26),
    String(f.cases).padStart(5),
    `${f.caught}/${f.violations}`.padStart(9),
    pct(f.caught, f.violations).padStart(7),
    `${f.caughtByPolicy}/${f.violations}`.padStart(9),
    pct(f.caughtByPolicy, f.violations).padStart(7),
    `${f.cleanPassed}/${f.clean}`.padStart(9),
    pct(f.cleanPassed, f.clean).padStart(7),
    pct(f.clean - f.cleanPassed, f.clean).padStart(7),
  ];
  return cols.join(" ");
}

function findingText(f: CaseFinding): string {
  const resource = f.urn ? f.urn.slice(f.urn.lastIndexOf("::") + 2) : "(stack)";
  const first = f.message.split("\n")[0]!;
  return `${f.policy} [${f.level}] on ${resource}: ${first.length > 160 ? `${first.slice(0, 157)}...` : first}`;
}

/** Runs the CLI binary on a case's export; resolves with its result. */
function runCli(c: DetectionCase, dir: string): Promise<CaseResult> {
  const file = writeCaseExport(c, dir);
  const out = path.join(dir, `${c.id}.cli.json`);
  const bin = path.join(ROOT, "bin", "cicd-plan.js");
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [bin, "check", file, "--json", out, "--no-policy-config"],
      { cwd: ROOT, env: { ...process.env, NO_COLOR: "1" } },
      (error) => {
        const code = error ? Number((error as { code?: unknown }).code ?? 1) : 0;
        try {
          resolve(reportResult(code, out));
        } catch (e) {
          reject(e instanceof Error ? e : new Error(String(e)));
        }
      },
    );
  });
}

/** The findings of a result as comparable text. */
const findingKeys = (r: CaseResult): string =>
  r.findings
    .map((f) => `${f.policy}|${f.level}|${f.urn ?? ""}|${f.message}`)
    .sort()
    .join("\n");

/** The cases the binary checks: a violation and a clean case of each family, in turn. */
function cliSample(cases: readonly DetectionCase[], n: number): DetectionCase[] {
  const picks: DetectionCase[] = [];
  for (const violation of [true, false])
    for (const fam of FAMILIES) {
      const c = cases.find((x) => x.family === fam && x.expect.violation === violation);
      if (c) picks.push(c);
    }
  return picks.slice(0, n);
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      family: { type: "string" },
      json: { type: "string" },
      "cli-sample": { type: "string", default: "2" },
    },
    strict: true,
  });
  const family = values.family;
  if (family !== undefined && !(FAMILIES as readonly string[]).includes(family)) {
    process.stderr.write(`--family must be one of ${FAMILIES.join(", ")}, not ${family}\n`);
    return 2;
  }
  const cases = corpus().filter((c) => family === undefined || c.family === family);
  const dir = workDir();
  const started = Date.now();
  const outcomes: CaseOutcome[] = [];
  const results = new Map<string, CaseResult>();
  const sampleSize = Number(values["cli-sample"]);
  if (!Number.isInteger(sampleSize) || sampleSize < 0) {
    process.stderr.write(`--cli-sample must be a whole number, not ${values["cli-sample"]}\n`);
    return 2;
  }
  const cliDiffs: string[] = [];
  let cliChecked = 0;
  let inProcess = 0;
  try {
    for (const c of cases) {
      const r = await runCase(c, dir);
      results.set(c.id, r);
      outcomes.push({
        id: c.id,
        family: c.family,
        source: c.source,
        expected: c.expect.violation ? c.expect.policy : "(clean)",
        outcome: outcomeOf(c, r),
        findings: r.findings,
        policyErrors: r.policyErrors,
      });
    }
    inProcess = (Date.now() - started) / 1000;
    const sample = cliSample(cases, sampleSize);
    // Two at a time: each binary run compiles the sources when there is no fresh build in dist/.
    const viaCli: CaseResult[] = [];
    for (let i = 0; i < sample.length; i += 2)
      viaCli.push(...(await Promise.all(sample.slice(i, i + 2).map((c) => runCli(c, dir)))));
    sample.forEach((c, i) => {
      cliChecked++;
      if (findingKeys(viaCli[i]!) !== findingKeys(results.get(c.id)!))
        cliDiffs.push(`${c.id}: the CLI binary reported other findings than the in-process check`);
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const elapsed = (Date.now() - started) / 1000;
  const lines: string[] = [];
  lines.push(
    `Detection corpus: ${cases.length} cases through \`check\` in process in ${inProcess.toFixed(1)} s (${elapsed.toFixed(1)} s with the CLI sample)`,
    "",
    [
      "family".padEnd(26),
      "cases".padStart(5),
      "caught".padStart(9),
      "recall".padStart(7),
      "by policy".padStart(9),
      "".padStart(7),
      "clean ok".padStart(9),
      "".padStart(7),
      "FP rate".padStart(7),
    ].join(" "),
  );
  const perFamily: Record<string, Figures> = {};
  for (const fam of FAMILIES) {
    const of = outcomes.filter((o) => o.family === fam);
    if (of.length === 0) continue;
    perFamily[fam] = figures(of);
    lines.push(row(fam, perFamily[fam]));
  }
  const overall = figures(outcomes);
  lines.push(row("overall", overall));
  const problems = outcomes.filter((o) => o.outcome !== "caught" && o.outcome !== "clean");
  for (const kind of ["missed", "wrong-policy", "false-positive"] as const) {
    const of = problems.filter((o) => o.outcome === kind);
    lines.push("", `${kind} (${of.length}):`);
    for (const o of of) {
      lines.push(`  ${o.id}  [${o.family}]  expected ${o.expected}  — source: ${o.source}`);
      for (const f of o.findings) lines.push(`      ${findingText(f)}`);
      for (const e of o.policyErrors)
        lines.push(`      policy error ${e.policy}: ${e.message.split("\n")[0]}`);
    }
  }
  lines.push(
    "",
    `CLI binary: ${cliChecked - cliDiffs.length}/${cliChecked} sampled cases gave the in-process findings`,
    ...cliDiffs.map((d) => `  ${d}`),
  );
  const met = {
    caught: overall.violations === 0 || overall.caught / overall.violations >= TARGETS.caught,
    caughtByPolicy:
      overall.violations === 0 ||
      overall.caughtByPolicy / overall.violations >= TARGETS.caughtByPolicy,
    cleanPassed: overall.clean === 0 || overall.cleanPassed / overall.clean >= TARGETS.cleanPassed,
  };
  lines.push(
    "",
    `Targets: caught >= ${TARGETS.caught * 100}% ${met.caught ? "met" : "MISSED"}; ` +
      `caught by the expected policy >= ${TARGETS.caughtByPolicy * 100}% ${met.caughtByPolicy ? "met" : "MISSED"}; ` +
      `clean cases passed >= ${TARGETS.cleanPassed * 100}% ${met.cleanPassed ? "met" : "MISSED"}`,
  );
  process.stdout.write(lines.join("\n") + "\n");
  if (values.json) {
    const file = path.resolve(values.json);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(
      file,
      JSON.stringify(
        { targets: TARGETS, met, overall, perFamily, seconds: elapsed, cases: outcomes },
        null,
        2,
      ) + "\n",
    );
  }
  return met.caught && met.caughtByPolicy && met.cleanPassed && cliDiffs.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(2);
  },
);
