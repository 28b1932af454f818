// Mocha's config: every spec by default; only the named ones when spec files are given on the
// command line (`npx mocha test/policies/secrets.spec.ts`), instead of those plus all the others.
"use strict";
const named = process.argv
  .slice(2)
  .some((a) => !a.startsWith("-") && /\.spec\.[cm]?[jt]s$/.test(a));
module.exports = {
  require: ["ts-node/register/transpile-only"],
  extension: ["ts"],
  ...(named ? {} : { spec: ["test/**/*.spec.ts"] }),
  timeout: 20000,
  reporter: "spec",
};
