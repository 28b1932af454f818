#!/usr/bin/env node
// The offline plan CLI: `cicd-plan plan` evaluates the project's stacks without AWS and runs the
// policy pack over them; `cicd-plan check FILE` audits a `pulumi stack export`. The TypeScript
// sources are loaded through ts-node without type-checking (tsc --noEmit does that in the tests).
"use strict";
const path = require("node:path");
require("ts-node").register({
  transpileOnly: true,
  project: path.join(__dirname, "..", "tsconfig.json"),
});
const { main, processIO } = require("../plan/cli");
main(process.argv.slice(2), processIO()).then((code) => {
  process.exitCode = code;
});
