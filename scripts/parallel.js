#!/usr/bin/env node
// `node scripts/parallel.js a b …` runs the npm scripts a, b, … at once and prints each one's
// output whole when it ends, so `npm test` uses both cores of a small CI machine (the type check
// and the linter each build a TypeScript program on one core). An argument `a+b` is a lane: its
// scripts run one after another while the other lanes run beside it, so two lanes of about equal
// length keep both cores busy to the end. Exits with the first failure's code.
"use strict";
const { spawn } = require("node:child_process");

const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const scripts = process.argv.slice(2);
if (scripts.length === 0) {
  process.stderr.write("usage: node scripts/parallel.js <npm script>[+<npm script>...]...\n");
  process.exit(2);
}

function run(script) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(npm, ["run", "--silent", script], { stdio: ["ignore", "pipe", "pipe"] });
    const chunks = [];
    child.stdout.on("data", (d) => chunks.push(d));
    child.stderr.on("data", (d) => chunks.push(d));
    child.on("error", (e) => chunks.push(Buffer.from(`${e.message}\n`)));
    child.on("close", (code, signal) => {
      const status = code ?? (signal ? 1 : 0);
      process.stdout.write(Buffer.concat(chunks));
      process.stdout.write(
        `${status === 0 ? "ok" : "FAILED"}: npm run ${script} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`,
      );
      resolve(status);
    });
  });
}

/** Runs a lane's scripts in order, all of them, and resolves to their exit codes. */
async function lane(spec) {
  const codes = [];
  for (const script of spec.split("+").filter(Boolean)) codes.push(await run(script));
  return codes;
}

Promise.all(scripts.map(lane)).then((lanes) => {
  const codes = lanes.flat();
  process.exitCode = codes.find((c) => c !== 0) ?? 0;
});
