// The blueprint's offline CLI. `plan` evaluates every stack of the project in-process through the
// shared mock engine (as `pulumi preview` would, outputs computed the way AWS computes them), runs
// the policy pack over the recorded resources and prints the platform per stack; `check` runs the
// same pack over a `pulumi stack export` file. Nothing is deployed and no AWS call is made.
//
// Exit codes: 0 clean, 1 a mandatory violation (or a policy or program error), 2 bad config or usage.
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import type { StackRun } from "./engine";
import type { PackResult, PackSettings } from "./pack";
import {
  REPORT_VERSION,
  reportStack,
  type Report,
  type ReportResource,
  type ReportStack,
} from "./report";
import { REPO_ROOT } from "../model/paths";

/** Where the CLI writes, and what it knows about its terminal. */
export interface CliIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly stdoutIsTTY: boolean;
  readonly stderrIsTTY: boolean;
  /** The project directory (where Pulumi.yaml lives). */
  readonly cwd: string;
  /** NO_COLOR and friends. */
  readonly env: Readonly<Record<string, string | undefined>>;
}

export const EXIT_OK = 0;
export const EXIT_VIOLATIONS = 1;
export const EXIT_USAGE = 2;

/** The policy config the plan uses when none is given (exempts the platform's own broad roles). */
export const DEFAULT_POLICY_CONFIG = path.join("policies", "platform.policy-config.json");

const USAGE = `Usage:
  cicd-plan plan [--stack NAME ...] [--json FILE] [--diagram FILE] [--policy-config FILE | --no-policy-config] [--update]
  cicd-plan check FILE [--json FILE] [--policy-config FILE | --no-policy-config]

plan   evaluates each stack (default: every Pulumi.<stack>.yaml) offline, as \`pulumi preview\`
       would, and runs the policy pack over it. --update evaluates as after \`pulumi up\` (ids and
       ARNs known) instead of as a preview.
check  runs the policy pack over a \`pulumi stack export\` file (deployment version 3).

--policy-config defaults to ${DEFAULT_POLICY_CONFIG} when that file exists.
Exit codes: 0 clean, 1 mandatory violation, 2 bad config or usage. Nothing is ever deployed.`;

class UsageError extends Error {}

interface Palette {
  readonly bold: (s: string) => string;
  readonly red: (s: string) => string;
  readonly yellow: (s: string) => string;
  readonly green: (s: string) => string;
  readonly dim: (s: string) => string;
}

function palette(enabled: boolean): Palette {
  const wrap = (open: number, close: number) => (s: string) =>
    enabled ? `\u001b[${open}m${s}\u001b[${close}m` : s;
  return {
    bold: wrap(1, 22),
    red: wrap(31, 39),
    yellow: wrap(33, 39),
    green: wrap(32, 39),
    dim: wrap(2, 22),
  };
}

function colourWanted(isTTY: boolean, env: CliIO["env"]): boolean {
  if (env["NO_COLOR"] !== undefined && env["NO_COLOR"] !== "") return false;
  if (env["FORCE_COLOR"] !== undefined && env["FORCE_COLOR"] !== "0") return true;
  return isTTY;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** Reads the policy settings: the given file, the default file if present, or the pack's defaults. */
async function loadSettings(
  io: CliIO,
  option: string | undefined,
  disabled: boolean,
): Promise<{ settings: PackSettings; file?: string }> {
  const pack = await import("./pack");
  if (disabled) return { settings: pack.resolvePackSettings() };
  const file = option ?? DEFAULT_POLICY_CONFIG;
  const full = path.resolve(io.cwd, file);
  if (option === undefined && !fs.existsSync(full)) return { settings: pack.resolvePackSettings() };
  return {
    settings: pack.resolvePackSettings(pack.readPolicyConfigFile(full), file),
    file,
  };
}

/**
 * The file to load for a program entry. Running compiled (from dist/), a blueprint source has its
 * compiled twin there; any other TypeScript file is loaded through ts-node.
 */
function compiledOrSource(entry: string): string {
  if (!__filename.endsWith(".js") || !entry.endsWith(".ts")) return entry;
  const relative = path.relative(REPO_ROOT, entry);
  const twin = path.join(REPO_ROOT, "dist", relative.replace(/\.ts$/, ".js"));
  if (!relative.startsWith("..") && fs.existsSync(twin)) return twin;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require("ts-node").register({
    transpileOnly: true,
    project: path.join(REPO_ROOT, "tsconfig.json"),
  });
  return entry;
}

/**
 * The program as the Pulumi Node.js runtime runs it: a module exporting a function (`export =`
 * or default) is called and its result becomes the stack outputs.
 */
function loadProgram(entry: string): () => unknown {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(compiledOrSource(entry)) as unknown;
  const fn =
    typeof mod === "function"
      ? mod
      : typeof (mod as { default?: unknown })?.default === "function"
        ? (mod as { default: () => unknown }).default
        : undefined;
  if (!fn)
    throw new UsageError(
      `${entry} does not export a program function; the offline plan evaluates programs written as \`export = async () => { ... }\``,
    );
  return fn as () => unknown;
}

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

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** True for errors that mean "the config is wrong" (exit 2), not "the program is broken". */
function isConfigError(e: unknown): boolean {
  const name = (e as { name?: string } | undefined)?.name;
  return (
    name === "ConfigError" ||
    name === "ProjectFileError" ||
    name === "PolicyConfigError" ||
    name === "StackExportError"
  );
}

function shortUrn(urn: string): string {
  const parts = urn.split("::");
  return parts[parts.length - 1] ?? urn;
}

/** Text lines of a stack's findings, most severe first. */
function renderFindings(stack: ReportStack, c: Palette): string[] {
  const lines: string[] = [];
  const mandatory = stack.findings.filter((f) => f.level === "mandatory");
  const advisory = stack.findings.filter((f) => f.level === "advisory");
  const head = `Policy findings: ${mandatory.length} mandatory, ${advisory.length} advisory`;
  const exempt = stack.exemptions.length
    ? `, ${stack.exemptions.length} exemption(s) applied from the policy config`
    : "";
  lines.push(
    mandatory.length || stack.policyErrors.length ? c.red(head + exempt) : c.green(head + exempt),
  );
  for (const f of [...mandatory, ...advisory]) {
    const level = f.level === "mandatory" ? c.red("mandatory") : c.yellow("advisory");
    lines.push(`  [${level}] ${f.policy} (${f.severity})${f.urn ? ` on ${shortUrn(f.urn)}` : ""}`);
    lines.push(`    ${f.message}`);
  }
  for (const e of stack.exemptions)
    lines.push(c.dim(`  [exempt] ${e.policy} on ${shortUrn(e.urn)}: ${e.reason}`));
  for (const e of stack.policyErrors)
    lines.push(
      c.red(`  [policy error] ${e.policy}${e.urn ? ` on ${shortUrn(e.urn)}` : ""}: ${e.message}`),
    );
  return lines;
}

async function renderStackBody(
  stack: ReportStack,
  resources: readonly ReportResource[],
  c: Palette,
): Promise<string[]> {
  const views = await import("./report/views");
  const recorded = resources as unknown as Parameters<typeof views.resourceGroups>[0];
  const lines: string[] = [];
  const section = (title: string, body: string[]) => {
    if (body.length === 0) return;
    lines.push(c.bold(title));
    lines.push(...body.map((l) => `  ${l}`));
  };
  section("Resources", views.renderGroups(views.resourceGroups(recorded)));
  section("Pipelines", views.renderPipelines(views.pipelineSummaries(recorded)));
  section("Cross-account trust", views.renderTrust(views.trustEdges(recorded)));
  lines.push(...renderFindings(stack, c));
  return lines;
}

function summarize(stacks: readonly ReportStack[]): Report["summary"] {
  const count = (level: string) =>
    stacks.reduce((n, s) => n + s.findings.filter((f) => f.level === level).length, 0);
  return {
    stacks: stacks.length,
    resources: stacks.reduce((n, s) => n + s.resources.length, 0),
    mandatory: count("mandatory"),
    advisory: count("advisory"),
    policyErrors: stacks.reduce((n, s) => n + s.policyErrors.length, 0),
    stackErrors: stacks.filter((s) => s.error !== undefined).length,
  };
}

function toolInfo(): Report["tool"] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pkg = require(path.join(REPO_ROOT, "package.json")) as { name: string; version: string };
  return { name: pkg.name, version: pkg.version };
}

function exitCodeFor(stacks: readonly ReportStack[], configFailures: number): number {
  if (configFailures > 0) return EXIT_USAGE;
  const s = summarize(stacks);
  return s.mandatory > 0 || s.policyErrors > 0 || s.stackErrors > 0 ? EXIT_VIOLATIONS : EXIT_OK;
}

function writeFile(io: CliIO, file: string, text: string): void {
  const full = path.resolve(io.cwd, file);
  fs.mkdirSync(path.dirname(full), { recursive: true });
  fs.writeFileSync(full, text);
}

function report(stacks: readonly ReportStack[], policyConfig?: string): Report {
  return {
    reportVersion: REPORT_VERSION,
    tool: toolInfo(),
    ...(policyConfig ? { policyConfig } : {}),
    stacks,
    summary: summarize(stacks),
  };
}

async function planCommand(argv: string[], io: CliIO): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      stack: { type: "string", multiple: true },
      json: { type: "string" },
      diagram: { type: "string" },
      "policy-config": { type: "string" },
      "no-policy-config": { type: "boolean" },
      update: { type: "boolean" },
    },
    allowPositionals: false,
    strict: true,
  });
  const out = palette(colourWanted(io.stdoutIsTTY, io.env));
  const err = palette(colourWanted(io.stderrIsTTY, io.env));
  const project = await import("./engine/project");
  const available = project.listStacks(io.cwd);
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

  const started = Date.now();
  io.stderr(err.dim(`Loading the program and the policy pack…\n`));
  const { settings, file: policyConfig } = await loadSettings(
    io,
    values["policy-config"],
    values["no-policy-config"] ?? false,
  );
  const [{ evaluate }, pack] = await Promise.all([import("./engine"), import("./pack")]);
  const program = loadProgram(project.programEntry(io.cwd));

  const stacks: ReportStack[] = [];
  let configFailures = 0;
  for (const [i, name] of selected.entries()) {
    const t0 = Date.now();
    io.stderr(`[${i + 1}/${selected.length}] ${name}: evaluating… `);
    let run: StackRun;
    try {
      const cfg = project.loadStackConfig(io.cwd, name);
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
    const error = run.error === undefined ? undefined : errorText(run.error);
    stacks.push(reportStack(run, result, { error }));
  }

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
  const firstWithError = new Map<string, string>();
  for (const s of stacks) {
    lines.push("");
    const res = s.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"));
    const where = res[0] ? `${res[0].account} · ${res[0].region}` : "";
    lines.push(
      out.bold(`Stack ${s.stack}`) +
        (where ? ` · ${where}` : "") +
        ` · ${res.length} resources` +
        (s.preview ? " (preview)" : ""),
    );
    if (s.error !== undefined) {
      const earlier = firstWithError.get(s.error);
      if (earlier) {
        lines.push(out.red(`  The same errors as stack ${earlier}.`));
      } else {
        firstWithError.set(s.error, s.stack);
        lines.push(out.red("  Not evaluated:"));
        lines.push(...s.error.split("\n").map((l) => `  ${l}`));
      }
      continue;
    }
    lines.push(...(await renderStackBody(s, s.resources, out)).map((l) => `  ${l}`));
  }
  const summary = summarize(stacks);
  lines.push("");
  const verdict =
    `Plan: ${summary.stacks} stack(s), ${summary.resources} resources; ` +
    `${summary.mandatory} mandatory and ${summary.advisory} advisory finding(s)` +
    (summary.policyErrors ? `, ${summary.policyErrors} policy error(s)` : "") +
    (summary.stackErrors ? `, ${summary.stackErrors} stack(s) not evaluated` : "") +
    `. Nothing was deployed.`;
  const code = exitCodeFor(stacks, configFailures);
  lines.push(code === EXIT_OK ? out.green(verdict) : out.red(verdict));
  io.stdout(lines.join("\n") + "\n");

  if (values.json) {
    writeFile(io, values.json, JSON.stringify(report(stacks, policyConfig), null, 2) + "\n");
    io.stderr(`Wrote ${values.json}\n`);
  }
  if (values.diagram) {
    const { mermaidDiagram } = await import("./report/diagram");
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
    writeFile(io, values.diagram, diagram);
    io.stderr(`Wrote ${values.diagram}\n`);
  }
  io.stderr(err.dim(`Done in ${seconds(Date.now() - started)}.\n`));
  return code;
}

async function checkCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      json: { type: "string" },
      "policy-config": { type: "string" },
      "no-policy-config": { type: "boolean" },
    },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length !== 1)
    throw new UsageError(
      "check takes exactly one file: the output of `pulumi stack export --file FILE`",
    );
  const file = positionals[0]!;
  const out = palette(colourWanted(io.stdoutIsTTY, io.env));
  const started = Date.now();
  const { settings, file: policyConfig } = await loadSettings(
    io,
    values["policy-config"],
    values["no-policy-config"] ?? false,
  );
  const [exportModule, pack] = await Promise.all([import("./export"), import("./pack")]);
  let text: string;
  try {
    text = fs.readFileSync(path.resolve(io.cwd, file), "utf8");
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${errorText(e)}`);
  }
  io.stderr(`Reading ${file}… `);
  const parsed = exportModule.parseStackExport(text, file);
  io.stderr(`${parsed.resources.length} resources; policies… `);
  const result = await pack.runPack(parsed.resources, settings);
  io.stderr(`${seconds(Date.now() - started)}\n`);
  const stack = reportStack({ ...parsed, preview: false }, result, { source: "check" });
  const lines: string[] = [];
  lines.push(out.bold(`Check of ${file}: stack ${parsed.stack} of project ${parsed.project}`));
  lines.push(
    `Policy pack: ${pack.packName()} · config: ${policyConfig ?? "(none: the pack's defaults)"}`,
  );
  lines.push(
    `${stack.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:")).length} resources`,
  );
  lines.push(...(await renderStackBody(stack, stack.resources, out)).map((l) => `  ${l}`));
  const code = exitCodeFor([stack], 0);
  const summary = summarize([stack]);
  const verdict = `Check: ${summary.resources} resources; ${summary.mandatory} mandatory and ${summary.advisory} advisory finding(s)${summary.policyErrors ? `, ${summary.policyErrors} policy error(s)` : ""}.`;
  lines.push(code === EXIT_OK ? out.green(verdict) : out.red(verdict));
  io.stdout(lines.join("\n") + "\n");
  if (values.json) {
    writeFile(io, values.json, JSON.stringify(report([stack], policyConfig), null, 2) + "\n");
    io.stderr(`Wrote ${values.json}\n`);
  }
  return code;
}

/** Runs the CLI; returns the exit code. Never throws. */
export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  const [command, ...rest] = argv;
  const err = palette(colourWanted(io.stderrIsTTY, io.env));
  try {
    switch (command) {
      case "plan":
        return await planCommand(rest, io);
      case "check":
        return await checkCommand(rest, io);
      case "help":
      case "--help":
      case "-h":
        io.stdout(USAGE + "\n");
        return EXIT_OK;
      default:
        throw new UsageError(
          command === undefined ? "no command given" : `unknown command "${command}"`,
        );
    }
  } catch (e) {
    const usage =
      e instanceof UsageError || (e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
    if (usage) {
      io.stderr(err.red(`error: ${errorText(e)}\n`) + USAGE + "\n");
      return EXIT_USAGE;
    }
    if (isConfigError(e)) {
      io.stderr(err.red(`error: ${errorText(e)}\n`));
      return EXIT_USAGE;
    }
    io.stderr(err.red(`error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`));
    return EXIT_VIOLATIONS;
  }
}

/** The process's own IO. */
export function processIO(): CliIO {
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    stdoutIsTTY: process.stdout.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
    cwd: process.cwd(),
    env: process.env,
  };
}

if (require.main === module) {
  void main(process.argv.slice(2), processIO()).then((code) => {
    process.exitCode = code;
  });
}
