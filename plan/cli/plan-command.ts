// `cicd-plan plan`: evaluates the project's stacks offline through the mock engine, runs the policy
// pack over each and prints the plan; optionally writes the JSON report and the Mermaid diagram.
import { parseArgs } from "node:util";
import type { StackRun } from "../engine";
import type { PackResult } from "../pack";
import { reportStack, type ReportStack } from "../report";
import { ConfigError } from "../../model/config";
import { errorText, isConfigError, UsageError } from "./cli-errors";
import { type CliIO, writeFile } from "./cli-io";
import { EXIT_OK, exitCodeFor } from "./exit-codes";
import { loadSettings } from "./policy-settings";
import { loadProgram } from "./program-loader";
import { plannedResources, planVerdict, report, summarize } from "./report-document";
import { safeJson, safeText, scrubSecrets, secretValues } from "./safe-output";
import { renderStackBody } from "./stack-text";
import { colourWanted, palette, seconds } from "./terminal";

/**
 * Runs `work` with one-frame stack traces. The Pulumi runtime captures a stack trace for every
 * promise and resource (leak diagnostics, source positions) that the offline plan never shows;
 * formatting ten frames each was a third of a large stack's evaluation. Error messages are kept.
 */
async function withShortStacks<T>(work: () => Promise<T>): Promise<T> {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 1;
  try {
    return await work();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/**
 * The account and region a stack deploys, from the config it was evaluated with (validation makes
 * aws:allowedAccountIds the stack's one account and aws:region its home region).
 */
function deployTarget(
  config: Readonly<Record<string, string>>,
): { key: string; account: string; region: string } | undefined {
  const region = config["aws:region"];
  let account: unknown;
  try {
    account = (JSON.parse(config["aws:allowedAccountIds"] ?? "null") as unknown[] | null)?.[0];
  } catch {
    return undefined;
  }
  if (typeof account !== "string" || region === undefined) return undefined;
  return { key: `${account}/${region}`, account, region };
}

export async function planCommand(argv: string[], io: CliIO): Promise<number> {
  // `--app DIR`: an application's own program, planned as the platform's deploy build runs it.
  if (argv.some((a) => a === "--app" || a.startsWith("--app=")))
    return (await import("./app-command")).appCommand(argv, io);
  const { values } = parseArgs({
    args: argv,
    options: {
      stack: { type: "string", multiple: true },
      json: { type: "string" },
      diagram: { type: "string" },
      "policy-config": { type: "string" },
      "no-policy-config": { type: "boolean" },
      update: { type: "boolean" },
      assume: { type: "string" },
    },
    allowPositionals: false,
    strict: true,
  });
  const out = palette(colourWanted(io.stdoutIsTTY, io.env));
  const err = palette(colourWanted(io.stderrIsTTY, io.env));
  const project = await import("../engine/project");
  // The organization's stacks (model/stacks.ts); a stack file that configures none of them, or a
  // stale generated one, stops the plan before anything is evaluated.
  const resolved = project.projectStacks(io.cwd);
  if (resolved.problems.length > 0) throw new ConfigError(resolved.problems);
  const available = resolved.names;
  const selected = values.stack ?? available;
  const unknown = selected.filter((s) => !available.includes(s));
  if (available.length === 0)
    throw new UsageError(
      `no Pulumi.<stack>.yaml beside Pulumi.yaml in ${io.cwd}; run the plan from the project directory`,
    );
  if (unknown.length > 0)
    throw new UsageError(
      `no such stack: ${unknown.join(", ")}; the project's stacks are ${available.join(", ")}`,
    );
  const preview = !values.update;
  const views = await import("../report/views");
  const assumptions =
    values.assume === undefined ? views.DEFAULT_ASSUMPTIONS : views.parseAssumptions(values.assume);
  if (typeof assumptions === "string") throw new UsageError(assumptions);

  const started = Date.now();
  io.stderr(err.dim(`Loading the program and the policy pack…\n`));
  const { settings, file: policyConfig } = await loadSettings(
    io,
    values["policy-config"],
    values["no-policy-config"] ?? false,
  );
  const [{ evaluate }, pack] = await Promise.all([import("../engine"), import("../pack")]);
  const program = loadProgram(project.programEntry(io.cwd));

  const stacks: ReportStack[] = [];
  const targets = new Map<string, string>();
  const configs = new Map<string, Readonly<Record<string, string>>>();
  const cfgOf = (stack: string) => configs.get(stack) ?? {};
  const secretSet = new Set<string>();
  let configFailures = 0;
  for (const [i, name] of selected.entries()) {
    const t0 = Date.now();
    io.stderr(`[${i + 1}/${selected.length}] ${safeText(name)}: evaluating… `);
    let run: StackRun;
    try {
      const cfg = project.loadStackConfig(
        io.cwd,
        name,
        resolved.stacks?.find((s) => s.name === name),
      );
      configs.set(name, cfg.config);
      run = await withShortStacks(() =>
        evaluate({
          project: cfg.project,
          stack: name,
          config: cfg.config,
          secretKeys: cfg.secretKeys,
          preview,
          program,
        }),
      );
    } catch (e) {
      run = {
        project: "",
        stack: name,
        preview,
        resources: [],
        invokes: [],
        outputs: {},
        error: e,
      };
    }
    let result: PackResult = { findings: [], exemptions: [], errors: [] };
    if (run.error === undefined) {
      io.stderr(`${run.resources.length} resources (${seconds(Date.now() - t0)}); policies… `);
      const t1 = Date.now();
      result = await withShortStacks(() => pack.runPack(run.resources, settings));
      io.stderr(`(${seconds(Date.now() - t1)}) `);
    } else if (isConfigError(run.error)) {
      configFailures++;
    }
    io.stderr(`total ${seconds(Date.now() - t0)}\n`);
    let error = run.error === undefined ? undefined : errorText(run.error);
    // Two stacks of one account and region (a copied stack file) would create the same roles,
    // buckets and keys: AWS refuses the second, so the plan does too, naming both.
    const target = error === undefined ? deployTarget(cfgOf(run.stack)) : undefined;
    const first = target ? targets.get(target.key) : undefined;
    if (target && first !== undefined) {
      configFailures++;
      error = `stacks ${first} and ${name} both deploy account ${target.account} in region ${target.region} (Pulumi.${first}.yaml, Pulumi.${name}.yaml); their role, bucket and key names would collide in AWS: give each stack its own account or region, or remove the copy`;
      result = { findings: [], exemptions: [], errors: [] };
      run = { ...run, resources: [] };
    } else if (target) targets.set(target.key, name);
    for (const s of secretValues(run.resources)) secretSet.add(s);
    stacks.push(reportStack(run, result, { error }));
  }

  // A marked secret repeated unmarked elsewhere is scrubbed from every output.
  const secrets = [...secretSet].sort((a, b) => b.length - a.length);
  // The plan itself, on stdout.
  const lines: string[] = [];
  lines.push(
    out.bold(
      `Offline plan of ${selected.length} stack(s) (${preview ? "as pulumi preview" : "as after pulumi up"}; nothing is deployed)`,
    ),
  );
  lines.push(
    `Policy pack: ${pack.packName()} · config: ${policyConfig ?? "(none: the pack's defaults)"}`,
  );
  // The JSON report carries each pipeline's critical path, as the text prints it.
  const withCriticalPaths = (s: ReportStack): ReportStack => {
    if (s.error !== undefined) return s;
    const recorded = s.resources as unknown as Parameters<typeof views.pipelineSummaries>[0];
    const pipelines = views.criticalPaths(views.pipelineSummaries(recorded), assumptions);
    return pipelines.length > 0 ? { ...s, pipelines } : s;
  };
  const firstWithError = new Map<string, string>();
  for (const s of stacks) {
    lines.push("");
    const res = plannedResources(s);
    const where = res[0] ? safeText(`${res[0].account} · ${res[0].region}`) : "";
    lines.push(
      out.bold(`Stack ${safeText(s.stack)}`) +
        (where ? ` · ${where}` : "") +
        ` · ${res.length} resources` +
        (s.preview ? " (preview)" : ""),
    );
    if (s.error !== undefined) {
      const earlier = firstWithError.get(s.error);
      if (earlier) {
        lines.push(out.red(`  The same errors as stack ${safeText(earlier)}.`));
      } else {
        firstWithError.set(s.error, s.stack);
        lines.push(out.red("  Not evaluated:"));
        for (const l of s.error.split("\n")) lines.push(`  ${safeText(l)}`);
      }
      continue;
    }
    for (const l of await renderStackBody(s, s.resources, out, assumptions)) lines.push(`  ${l}`);
  }
  // Which stack must exist before which: CodePipeline, IAM, KMS and S3 check named roles exist.
  const { applyOrder, renderApplyOrder } = await import("../report/views/apply-order");
  const evaluated = stacks.filter((s) => s.error === undefined);
  const order = evaluated.length > 1 ? applyOrder(evaluated) : undefined;
  if (order) {
    lines.push("");
    for (const l of renderApplyOrder(order)) lines.push(safeText(l));
  }
  const summary = summarize(stacks);
  lines.push("");
  const verdict = planVerdict("Plan", summary);
  const code = exitCodeFor(stacks, configFailures);
  lines.push(code === EXIT_OK ? out.green(verdict) : out.red(verdict));
  io.stdout(scrubSecrets(lines.join("\n") + "\n", secrets));

  if (values.json) {
    writeFile(
      io,
      values.json,
      scrubSecrets(
        safeJson(report(stacks.map(withCriticalPaths), policyConfig, order)) + "\n",
        secrets,
      ),
    );
    io.stderr(`Wrote ${safeText(values.json)}\n`);
  }
  if (values.diagram) {
    const { mermaidDiagram } = await import("../report/diagram");
    // The report form (unknowns marked, secrets masked) draws the same diagram as the raw run,
    // and the raw runs are not kept: a large organization's plan holds one copy of each stack.
    const diagram = mermaidDiagram(
      stacks
        .filter((s) => s.error === undefined)
        .map((s) => ({
          stack: s.stack,
          resources: s.resources as unknown as Parameters<
            typeof mermaidDiagram
          >[0][number]["resources"],
        })),
    );
    writeFile(io, values.diagram, scrubSecrets(safeText(diagram), secrets));
    io.stderr(`Wrote ${safeText(values.diagram)}\n`);
  }
  io.stderr(err.dim(`Done in ${seconds(Date.now() - started)}.\n`));
  return code;
}
