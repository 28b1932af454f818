// Runs the project's program through the SDK's real entry point, `@pulumi/pulumi/cmd/run`, with the
// argv and environment pulumi-language-nodejs gives it (sdk/nodejs/cmd/pulumi-language-nodejs/
// main.go at pulumi/pulumi 1b5949891b3c: constructArguments l.1086-1116, execRuntime l.896-925,
// constructConfig l.1120-1146), against an engine of ./engine-server.
import { spawn } from "node:child_process";
import { loadStackConfig, readProject } from "../../plan/engine/project";
import { startEngine, type EngineOptions, type Registration } from "./engine-server";

export interface ProgramRun {
  readonly registrations: Registration[];
  readonly exitCode: number | null;
  readonly stderr: string;
  readonly errors: string[];
  readonly ms: number;
}

/** Runs one stack of the project in `projectDir` (preview: `--dry-run`). */
export async function runProgram(
  projectDir: string,
  stack: string,
  options: { preview: boolean } & Pick<EngineOptions, "answer" | "invoke">,
): Promise<ProgramRun> {
  const { project } = readProject(projectDir);
  const { config, secretKeys } = loadStackConfig(projectDir, stack);
  const engine = await startEngine({
    ...{ project, stack, config, secretKeys, workingDirectory: projectDir },
    ...{ answer: options.answer, invoke: options.invoke },
  });
  // --monitor is required by cmd/run (index.js l.218-222); values are separate argv words.
  const argv = [require.resolve("@pulumi/pulumi/cmd/run", { paths: [projectDir] })];
  argv.push("--monitor", engine.monitorAddr, "--engine", engine.engineAddr);
  argv.push("--organization", "organization", "--project", project);
  argv.push("--root-directory", projectDir, "--stack", stack, "--pwd", projectDir);
  if (options.preview) argv.push("--dry-run");
  argv.push("--parallel", "16", ".");
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // Keys reach the program as `<ns>:config:<key>`; secret keys keep `<ns>:<key>`.
    PULUMI_CONFIG: JSON.stringify(
      Object.fromEntries(
        Object.entries(config).map(([k, v]) => [k.replace(/^([^:]+):/, "$1:config:"), v]),
      ),
    ),
    PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(secretKeys),
    // Pulumi.yaml's runtime option `typescript` defaults to true (main.go l.291-295).
    PULUMI_NODEJS_TYPESCRIPT: "true",
    // Not set by the language host; without it ts-node type-checks (about 10 s more per stack).
    PULUMI_NODEJS_TRANSPILE_ONLY: "true",
  };
  const started = Date.now();
  const child = spawn(process.execPath, ["--max-old-space-size=4096", ...argv], {
    cwd: projectDir,
    env,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const exitCode = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  const ms = Date.now() - started;
  await engine.stop();
  return { registrations: engine.registrations, exitCode, stderr, errors: engine.errors, ms };
}
