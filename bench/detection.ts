// `npm run bench:detection`: runs every case of the detection corpus (test/detection) through the
// `check` command and prints, per family and overall, how many violations the pack caught (any
// finding), how many the expected policy caught, and how many clean cases passed with no finding
// at all; then every miss, wrong policy and false positive with its source and findings. Exits 1
// when a target is missed. Options: `--family X` (one family), `--json FILE` (the figures and
// every case's outcome).
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { corpus } from "../test/detection/corpus";
import { FAMILIES, type DetectionCase } from "../test/detection/corpus-types";
import { type CaseFinding, type CaseResult, runCase, workDir } from "../test/detection/loader";

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

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: { family: { type: "string" }, json: { type: "string" } },
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
  try {
    for (const c of cases) {
      const r = await runCase(c, dir);
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
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const elapsed = (Date.now() - started) / 1000;
  const lines: string[] = [];
  lines.push(
    `Detection corpus: ${cases.length} cases through \`check\` in ${elapsed.toFixed(1)} s`,
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
  return met.caught && met.caughtByPolicy && met.cleanPassed ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(2);
  },
);
