// `cicd-plan stacks [--write | --check]`: the organization's stacks (model/stacks.ts) and their
// stack files. Without a flag it prints the list; --write writes the Pulumi.<stack>.yaml of every
// stack that has none and rewrites the stale generated ones (a hand-written override is never
// touched); --check exits non-zero when a file is missing, stale or configures no stack of the
// organization, so CI keeps the files the stock Pulumi CLI reads equal to the organization.
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { ConfigError, formatProblems, validateOrganization } from "../../model/config";
import { readStackFiles } from "../../model/stack-files";
import { renderStackFile, resolveStacks } from "../../model/stacks";
import { UsageError } from "./cli-errors";
import type { CliIO } from "./cli-io";
import { EXIT_OK, EXIT_USAGE } from "./exit-codes";
import { safeText } from "./safe-output";

export async function stacksCommand(argv: string[], io: CliIO): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { write: { type: "boolean" }, check: { type: "boolean" } },
    allowPositionals: false,
    strict: true,
  });
  if (values.write && values.check) throw new UsageError("give --write or --check, not both");
  const { readProject } = await import("../engine/project");
  const { project, config } = readProject(io.cwd);
  const raw = config[`${project}:organization`];
  if (raw === undefined)
    throw new UsageError(
      `${path.join(io.cwd, "Pulumi.yaml")} defines no ${project}:organization; run from the platform project's directory`,
    );
  const org = validateOrganization(raw);
  const { stacks, problems } = resolveStacks(org, project, readStackFiles(io.cwd));
  const rows = stacks.map((s) => {
    const d = s.derived;
    const where = `${d.account} ${d.region}`;
    const what = d.role === "workload" ? `workload ${d.environment}` : d.role;
    return `${s.name.padEnd(24)} ${what.padEnd(20)} ${where.padEnd(24)} ${s.status === "missing" ? "(no file)" : `Pulumi.${s.name}.yaml (${s.status})`}`;
  });
  io.stdout(
    `${stacks.length} stack(s) of organization ${org.prefix}:\n${rows.map((r) => `  ${safeText(r)}`).join("\n")}\n`,
  );
  if (values.write) {
    // Only generated files are ever rewritten: a stale one, a missing one. Problems that a write
    // cannot fix (a file for an account the organization does not list) still fail.
    const written: string[] = [];
    for (const s of stacks) {
      if (s.status === "override") continue;
      const text = renderStackFile(project, { ...s.derived, name: s.name });
      if (s.file?.text === text) continue;
      const file = s.file?.path ?? `Pulumi.${s.name}.yaml`;
      fs.writeFileSync(path.join(io.cwd, file), text);
      written.push(file);
    }
    io.stdout(
      written.length > 0 ? `wrote ${written.join(", ")}\n` : "every stack file is current\n",
    );
    const left = problems.filter((p) => !p.stale);
    if (left.length > 0) throw new ConfigError(left);
    return EXIT_OK;
  }
  if (values.check) {
    const missing = stacks
      .filter((s) => s.status === "missing")
      .map((s) => ({
        path: `Pulumi.${s.name}.yaml`,
        message:
          "is missing: the stock Pulumi CLI would run this stack without its settings; run `npm run stacks -- --write`",
      }));
    const all = [...problems, ...missing];
    if (all.length > 0) {
      io.stderr(`${safeText(formatProblems(all))}\n`);
      return EXIT_USAGE;
    }
    io.stdout("every stack file is current\n");
    return EXIT_OK;
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return EXIT_OK;
}
