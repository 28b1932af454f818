// Mocha's config: every spec by default; only the named ones when spec files are given on the
// command line (`npx mocha test/policies/secrets.spec.ts`), instead of those plus all the others.
// The end-to-end and generated suites (property tests, fuzzing, the published-catalogue sweeps,
// the CLI run as a process, the example application's plan, organizations planned at scale) are `npm run test:slow`, which CI
// runs beside `npm test`, so that `npm test` stays fast.
"use strict";
const SLOW = [
  "test/**/*.property.spec.ts",
  "test/policies/fuzz.spec.ts",
  "test/policies/escalation-catalogue.spec.ts",
  "test/policies/escalation-equivalence.spec.ts",
  "test/policies/escalation-tool-testing.spec.ts",
  "test/plan/cli.spec.ts",
  "test/plan/node-args.spec.ts",
  "test/detection/*.spec.ts",
  "test/examples/*.spec.ts",
  // Whole organizations planned at scale (the full sweep is npm run test:conformance).
  "test/conformance/conformance.spec.ts",
  "test/plan/critical-path.spec.ts",
  "test/plan/stack-export.spec.ts",
  "test/tools/quotas.spec.ts",
  "test/tools/no-organization-id.spec.ts",
  "test/tools/config-aggregator.spec.ts",
];
const named = process.argv
  .slice(2)
  .some((a) => !a.startsWith("-") && /\.spec\.[cm]?[jt]s$/.test(a));
const slow = process.env.MOCHA_SLOW === "1";
module.exports = {
  require: ["ts-node/register/transpile-only"],
  extension: ["ts"],
  ...(named ? {} : slow ? { spec: SLOW } : { spec: ["test/**/*.spec.ts"], ignore: SLOW }),
  timeout: 20000,
  reporter: "spec",
};
