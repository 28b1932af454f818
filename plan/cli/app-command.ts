// `cicd-plan plan --app DIR`: plans an application's own Pulumi program offline, once for every
// stack the platform's deploy build would run it as. For each target (account and region) of each
// environment the application promotes through, the build selects the stack named by
// deploy.stackName, sets aws:region and aws:allowedAccountIds[0] to the target and runs
// `pulumi preview` in deploy.workingDirectory with TARGET_ENV, STACK_NAME, TARGET_ACCOUNT,
// TARGET_REGION and WORKING_DIRECTORY in its environment (buildspecs/deploy-pulumi.yml,
// components/tools/pipeline-stages.ts). The plan does the same through the offline engine and runs
// the policy pack as the build runs it: the pack's defaults, never the platform's own exemptions.
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import type { Application, Organization } from "../../model/config/schema";
import { stackNameFor } from "../../model/naming";
import { applicationEnvironments, environmentTargets } from "../../model/pipeline";
import type { StackRun } from "../engine";
import type { PackResult } from "../pack";
import { reportStack, type ReportStack } from "../report";
import { errorText, isConfigError, UsageError } from "./cli-errors";
import { type CliIO, writeFile } from "./cli-io";
import { EXIT_OK, exitCodeFor } from "./exit-codes";
import { loadSettings } from "./policy-settings";
import { loadProgram } from "./program-loader";
import { plannedResources, planVerdict, report, summarize } from "./report-document";
import { safeJson, safeText, scrubSecrets, secretValues } from "./safe-output";
import { renderStackBody } from "./stack-text";
import { colourWanted, palette, seconds } from "./terminal";

/** One stack the deploy build runs: its name, environment, target and build variables. */
export interface AppStack {
  readonly stack: string;
  readonly environment: string;
  readonly account: string;
  readonly region: string;
  /** The variables the deploy build's shell has (the deploy project's and the action's). */
  readonly variables: Readonly<Record<string, string>>;
}

/**
 * The stacks the platform's deploy builds run an application as, in promotion order: one per
 * target of each of its environments, named as the pipeline names them (model/naming.ts stackNameFor).
 */
export function deployStacks(org: Organization, app: Application): AppStack[] {
  if (app.deploy.mechanism !== "pulumi") return [];
  const deploy = app.deploy;
  return applicationEnvironments(org, app).flatMap((env) => {
    const targets = environmentTargets(env);
    return targets.map((t): AppStack => {
      const stack = stackNameFor(deploy.stackName, env.name, t, targets.length);
      return {
        stack,
        environment: env.name,
        account: t.account,
        region: t.region,
        variables: {
          TARGET_ENV: env.name,
          STACK_NAME: stack,
          TARGET_ACCOUNT: t.account,
          TARGET_REGION: t.region,
          WORKING_DIRECTORY: deploy.workingDirectory,
        },
      };
    });
  });
}

/**
 * The application a directory holds: the one named with --application, else the pulumi
 * application whose name is the directory's name (the directory is its repository's root).
 */
export function findApplication(
  org: Organization,
  appDir: string,
  name: string | undefined,
): Application {
  const pulumiApps = org.applications.filter((a) => a.deploy.mechanism === "pulumi");
  const wanted = name ?? path.basename(appDir);
  const app = org.applications.find((a) => a.name === wanted);
  const names = pulumiApps.map((a) => a.name).join(", ") || "(none)";
  if (!app)
    throw new UsageError(
      `no application named ${wanted} in the organization${name ? "" : ` (the name of ${appDir})`}; name it with --application (applications deployed with pulumi: ${names})`,
    );
  if (app.deploy.mechanism !== "pulumi")
    throw new UsageError(
      `application ${app.name} deploys with ${app.deploy.mechanism}; --app plans applications deployed with pulumi (${names})`,
    );
  return app;
}

/** Runs `work` with the given variables in process.env, then puts the old values back. */
async function withVariables<T>(
  variables: Readonly<Record<string, string>>,
  work: () => Promise<T>,
): Promise<T> {
  const saved = Object.keys(variables).map((k) => [k, process.env[k]] as const);
  Object.assign(process.env, variables);
  try {
    return await work();
  } finally {
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

export async function appCommand(argv: string[], io: CliIO): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      app: { type: "string" },
      application: { type: "string" },
      stack: { type: "string", multiple: true },
      json: { type: "string" },
      "policy-config": { type: "string" },
      update: { type: "boolean" },
    },
    allowPositionals: false,
    strict: true,
  });
  const out = palette(colourWanted(io.stdoutIsTTY, io.env));
  const err = palette(colourWanted(io.stderrIsTTY, io.env));
  const started = Date.now();
  const project = await import("../engine/project");
  const { validateOrganization } = await import("../../model/config/organization");

  // The organization, from the platform project in the current directory.
  const platform = project.readProject(io.cwd);
  const rawOrg = platform.config[`${platform.project}:organization`];
  if (rawOrg === undefined)
    throw new UsageError(
      `${path.join(io.cwd, "Pulumi.yaml")} defines no ${platform.project}:organization; run the plan from the platform project's directory`,
    );
  const org = validateOrganization(rawOrg);
  const appDir = path.resolve(io.cwd, values.app ?? "");
  if (!fs.existsSync(appDir) || !fs.statSync(appDir).isDirectory())
    throw new UsageError(`--app ${values.app}: no such directory`);
  const app = findApplication(org, appDir, values.application);
  const all = deployStacks(org, app);
  const unknown = (values.stack ?? []).filter((s) => !all.some((a) => a.stack === s));
  if (unknown.length > 0)
    throw new UsageError(
      `no such stack of ${app.name}: ${unknown.join(", ")}; its stacks are ${all.map((s) => s.stack).join(", ")}`,
    );
  const selected = values.stack ? all.filter((s) => values.stack?.includes(s.stack)) : all;
  const workingDirectory = app.deploy.mechanism === "pulumi" ? app.deploy.workingDirectory : ".";
  const projectDir = path.resolve(appDir, workingDirectory);
  const preview = !values.update;

  io.stderr(err.dim(`Loading ${safeText(app.name)}'s program and the policy pack…\n`));
  // The deploy build runs the pack with its defaults: the platform's own policy config (its
  // exemptions for the platform's roles) never applies to an application.
  const { settings, file: policyConfig } = await loadSettings(
    io,
    values["policy-config"],
    values["policy-config"] === undefined,
  );
  const [{ evaluate }, pack] = await Promise.all([import("../engine"), import("../pack")]);
  if (!fs.existsSync(path.join(projectDir, "Pulumi.yaml")))
    throw new UsageError(
      `no Pulumi.yaml in ${projectDir}: ${app.name}'s deploy.workingDirectory is "${workingDirectory}", where the deploy build runs pulumi; point it at the application's Pulumi project`,
    );
  const program = loadProgram(project.programEntry(projectDir));

  const stacks: ReportStack[] = [];
  const targets = new Map<string, AppStack>();
  const secretSet = new Set<string>();
  let configFailures = 0;
  for (const [i, target] of selected.entries()) {
    targets.set(target.stack, target);
    const t0 = Date.now();
    io.stderr(`[${i + 1}/${selected.length}] ${safeText(target.stack)}: evaluating… `);
    let run: StackRun;
    try {
      // The stack's own file when the project has one, as `pulumi stack select` would read it;
      // then the two keys the build sets.
      const base = fs.existsSync(path.join(projectDir, `Pulumi.${target.stack}.yaml`))
        ? project.loadStackConfig(projectDir, target.stack)
        : (() => {
            const p = project.readProject(projectDir);
            return { project: p.project, config: stringConfig(p.config), secretKeys: [] };
          })();
      const config = {
        ...base.config,
        "aws:region": target.region,
        "aws:allowedAccountIds": JSON.stringify([target.account]),
      };
      run = await withVariables(target.variables, () =>
        evaluate({
          project: base.project,
          stack: target.stack,
          config,
          secretKeys: base.secretKeys,
          preview,
          program,
        }),
      );
    } catch (e) {
      run = {
        project: "",
        stack: target.stack,
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
      result = await pack.runPack(run.resources, settings);
    } else if (isConfigError(run.error)) configFailures++;
    io.stderr(`total ${seconds(Date.now() - t0)}\n`);
    for (const s of secretValues(run.resources)) secretSet.add(s);
    const error = run.error === undefined ? undefined : errorText(run.error);
    stacks.push(reportStack(run, result, { error }));
  }

  const secrets = [...secretSet].sort((a, b) => b.length - a.length);
  const lines: string[] = [];
  lines.push(
    out.bold(
      `Offline plan of application ${safeText(app.name)} (${safeText(path.relative(io.cwd, projectDir) || ".")}): ${selected.length} stack(s) as the deploy build runs them (${preview ? "as pulumi preview" : "as after pulumi up"}; nothing is deployed)`,
    ),
  );
  lines.push(
    `Policy pack: ${pack.packName()} · config: ${policyConfig ?? "(none: the pack's defaults, as the deploy build runs it)"}`,
  );
  for (const s of stacks) {
    const t = targets.get(s.stack);
    lines.push("");
    lines.push(
      out.bold(`Stack ${safeText(s.stack)}`) +
        (t ? ` · ${safeText(`${t.environment} · ${t.account} · ${t.region}`)}` : "") +
        ` · ${plannedResources(s).length} resources` +
        (s.preview ? " (preview)" : ""),
    );
    if (s.error !== undefined) {
      lines.push(out.red("  Not evaluated:"));
      for (const l of s.error.split("\n")) lines.push(`  ${safeText(l)}`);
      continue;
    }
    for (const l of await renderStackBody(s, s.resources, out)) lines.push(`  ${l}`);
  }
  const summary = summarize(stacks);
  lines.push("");
  const verdict = planVerdict(`Plan of ${safeText(app.name)}`, summary);
  const code = exitCodeFor(stacks, configFailures);
  lines.push(code === EXIT_OK ? out.green(verdict) : out.red(verdict));
  io.stdout(scrubSecrets(lines.join("\n") + "\n", secrets));
  if (values.json) {
    writeFile(
      io,
      values.json,
      scrubSecrets(safeJson(report(stacks, policyConfig)) + "\n", secrets),
    );
    io.stderr(`Wrote ${safeText(values.json)}\n`);
  }
  io.stderr(err.dim(`Done in ${seconds(Date.now() - started)}.\n`));
  return code;
}

/** Project-level config as the CLI hands it to a program: every value a string. */
function stringConfig(config: Readonly<Record<string, unknown>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(config))
    if (v !== null && v !== undefined) out[k] = typeof v === "string" ? v : JSON.stringify(v);
  return out;
}
