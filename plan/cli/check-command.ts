// `cicd-plan check FILE`: runs the policy pack over a `pulumi stack export` file and prints the
// stack as the plan would; optionally writes the JSON report.
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { reportStack } from "../report";
import { errorText, UsageError } from "./cli-errors";
import { type CliIO, writeFile } from "./cli-io";
import { EXIT_OK, exitCodeFor } from "./exit-codes";
import { loadSettings } from "./policy-settings";
import { report, summarize } from "./report-document";
import { safeJson, safeText, scrubSecrets, secretValues } from "./safe-output";
import { renderStackBody } from "./stack-text";
import { colourWanted, palette, seconds } from "./terminal";

export async function checkCommand(argv: string[], io: CliIO): Promise<number> {
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
  const [exportModule, pack] = await Promise.all([import("../export"), import("../pack")]);
  let text: string;
  try {
    text = fs.readFileSync(path.resolve(io.cwd, file), "utf8");
  } catch (e) {
    throw new UsageError(`cannot read ${safeText(file)}: ${errorText(e)}`);
  }
  io.stderr(`Reading ${safeText(file)}… `);
  const parsed = exportModule.parseStackExport(text, file);
  io.stderr(`${parsed.resources.length} resources; policies… `);
  const result = await pack.runPack(parsed.resources, settings);
  io.stderr(`${seconds(Date.now() - started)}\n`);
  const stack = reportStack({ ...parsed, preview: false }, result, { source: "check" });
  // A marked secret repeated unmarked elsewhere (an id, a name) is scrubbed from every output.
  const secrets = secretValues(parsed.resources);
  const lines: string[] = [];
  lines.push(
    out.bold(
      `Check of ${safeText(file)}: stack ${safeText(parsed.stack)} of project ${safeText(parsed.project)}`,
    ),
  );
  lines.push(
    `Policy pack: ${pack.packName()} · config: ${policyConfig ?? "(none: the pack's defaults)"}`,
  );
  lines.push(
    `${stack.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:")).length} resources`,
  );
  for (const l of await renderStackBody(stack, stack.resources, out)) lines.push(`  ${l}`);
  const code = exitCodeFor([stack], 0);
  const summary = summarize([stack]);
  const verdict = `Check: ${summary.resources} resources; ${summary.mandatory} mandatory and ${summary.advisory} advisory finding(s)${summary.policyErrors ? `, ${summary.policyErrors} policy error(s)` : ""}.`;
  lines.push(code === EXIT_OK ? out.green(verdict) : out.red(verdict));
  io.stdout(scrubSecrets(lines.join("\n") + "\n", secrets));
  if (values.json) {
    writeFile(
      io,
      values.json,
      scrubSecrets(safeJson(report([stack], policyConfig)) + "\n", secrets),
    );
    io.stderr(`Wrote ${safeText(values.json)}\n`);
  }
  return code;
}
