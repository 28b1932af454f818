// The blueprint's offline CLI. `plan` evaluates every stack of the project in-process through the
// shared mock engine (as `pulumi preview` would, outputs computed the way AWS computes them), runs
// the policy pack over the recorded resources and prints the platform per stack; `check` runs the
// same pack over a `pulumi stack export` file. Nothing is deployed and no AWS call is made.
//
// Exit codes: 0 clean, 1 a mandatory violation (or a policy error), 2 bad config or usage, or a
// stack that could not be evaluated.
//
// This file parses the command line and runs a command (plan/cli/<command>-command.ts).
import { checkCommand } from "./cli/check-command";
import { errorText, isConfigError, UsageError } from "./cli/cli-errors";
import type { CliIO } from "./cli/cli-io";
import { EXIT_OK, EXIT_USAGE, EXIT_VIOLATIONS } from "./cli/exit-codes";
import { planCommand } from "./cli/plan-command";
import { safeText } from "./cli/safe-output";
import { DEFAULT_POLICY_CONFIG } from "./cli/policy-settings";
import { colourWanted, palette } from "./cli/terminal";

export type { CliIO };
export { DEFAULT_POLICY_CONFIG, EXIT_OK, EXIT_USAGE, EXIT_VIOLATIONS };

const USAGE = `Usage:
  cicd-plan plan [--stack NAME ...] [--json FILE] [--diagram FILE] [--policy-config FILE | --no-policy-config] [--update]
  cicd-plan plan --app DIR [--application NAME] [--stack NAME ...] [--json FILE] [--policy-config FILE] [--update]
  cicd-plan check FILE [--json FILE] [--policy-config FILE | --no-policy-config]
  cicd-plan stacks [--write | --check]

plan   evaluates each stack (default: every stack of the organization) offline, as \`pulumi preview\`
       would, and runs the policy pack over it. --update evaluates as after \`pulumi up\` (ids and
       ARNs known) instead of as a preview.
       --app plans an application's own Pulumi program (DIR, its repository's root; the
       application named like DIR unless --application) once per stack its deploy builds run,
       with their stack names, config and variables, and the pack's defaults.
check  runs the policy pack over a \`pulumi stack export\` file (deployment version 3).
stacks lists the organization's stacks (bootstrap, tools, one per workload account) and their
       Pulumi.<stack>.yaml files; --write writes the missing and stale generated ones, --check
       fails when one is missing, stale or names an account the organization does not list.

--policy-config defaults to ${DEFAULT_POLICY_CONFIG} when that file exists.
Exit codes: 0 clean, 1 mandatory violation, 2 bad config, usage or a stack not evaluated.
Nothing is ever deployed.`;

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
      case "stacks":
        return await (await import("./cli/stacks-command")).stacksCommand(rest, io);
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
      io.stderr(err.red(`error: ${safeText(errorText(e))}\n`) + USAGE + "\n");
      return EXIT_USAGE;
    }
    if (isConfigError(e)) {
      io.stderr(err.red(`error: ${safeText(errorText(e))}\n`));
      return EXIT_USAGE;
    }
    io.stderr(
      err.red(`error: ${safeText(e instanceof Error ? (e.stack ?? e.message) : String(e))}\n`),
    );
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
