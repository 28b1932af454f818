#!/usr/bin/env node
// The offline plan CLI: `cicd-plan plan` evaluates the project's stacks without AWS and runs the
// policy pack over them; `cicd-plan check FILE` audits a `pulumi stack export`.
//
// Start-up is most of a small plan's time, and compiling TypeScript is most of start-up, so the
// CLI runs the JavaScript that `npm run build` (run by `npm ci` through `prepare`) writes to dist/.
// When a TypeScript source is newer than that build, it runs the sources through ts-node instead
// (slower, never stale) and says so.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const root = path.join(__dirname, "..");

// `runtime.options.nodeargs` in Pulumi.yaml: the Node.js language host starts the program with
// these arguments (https://www.pulumi.com/docs/iac/concepts/projects/project-file/, added in
// pulumi/pulumi#8655), and a large tools stack needs them for its heap
// (`--max-old-space-size=8192`, as pulumi/pulumi#17040 advises). `plan` evaluates the same program,
// so it runs under the same arguments: it starts itself again with them, once.
function projectNodeArgs(dir) {
  let text;
  try {
    text = fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8");
  } catch {
    return [];
  }
  if (!text.includes("nodeargs")) return [];
  let project;
  try {
    project = require("yaml").parse(text);
  } catch {
    return []; // the plan itself reports a Pulumi.yaml it cannot read
  }
  const nodeargs = project?.runtime?.options?.nodeargs;
  return typeof nodeargs === "string" ? nodeargs.split(/\s+/).filter((a) => a !== "") : [];
}

if (process.argv[2] === "plan" && process.env.CICD_PLAN_NODEARGS !== "applied") {
  const nodeArgs = projectNodeArgs(process.cwd());
  if (nodeArgs.length > 0) {
    const { spawnSync } = require("node:child_process");
    const child = spawnSync(process.execPath, [...nodeArgs, __filename, ...process.argv.slice(2)], {
      stdio: "inherit",
      env: { ...process.env, CICD_PLAN_NODEARGS: "applied" },
    });
    if (child.error) {
      process.stderr.write(
        // The arguments are not echoed: they are project text, printed only through the CLI's
        // escaping.
        `cicd-plan: cannot start node with Pulumi.yaml runtime.options.nodeargs: ${child.error.message}\n`,
      );
      process.exit(2);
    }
    process.exit(child.status ?? 2);
  }
}
const SOURCES = ["index.ts", "model", "stacks", "components", "policies", "plan"];
const SKIP = new Set(["node_modules", "scripts"]);

function newestMtime(entry) {
  let stat;
  try {
    stat = fs.statSync(entry);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return entry.endsWith(".ts") ? stat.mtimeMs : 0;
  let newest = 0;
  for (const name of fs.readdirSync(entry)) {
    if (SKIP.has(name)) continue;
    newest = Math.max(newest, newestMtime(path.join(entry, name)));
  }
  return newest;
}

function builtAt() {
  try {
    return fs.statSync(path.join(root, "dist", ".tsbuildinfo")).mtimeMs;
  } catch {
    return -1;
  }
}

const built = builtAt();
const fresh =
  built > 0 &&
  fs.existsSync(path.join(root, "dist", "plan", "cli.js")) &&
  SOURCES.every((s) => newestMtime(path.join(root, s)) <= built);

let cli;
if (fresh) {
  cli = require("../dist/plan/cli");
} else {
  process.stderr.write(
    built > 0
      ? "note: TypeScript sources changed since the last `npm run build`; running them through ts-node (slower).\n"
      : "note: no build in dist/ (run `npm run build`); running the TypeScript sources through ts-node (slower).\n",
  );
  require("ts-node").register({ transpileOnly: true, project: path.join(root, "tsconfig.json") });
  cli = require("../plan/cli");
}
cli.main(process.argv.slice(2), cli.processIO()).then((code) => {
  process.exitCode = code;
});
