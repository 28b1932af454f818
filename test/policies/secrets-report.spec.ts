import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import Ajv from "ajv";
import type { Report } from "../../plan/report";
import { PROJECT_DIR, runCli } from "../helpers";
import { samples } from "./fixtures/secrets";

const URN = "urn:pulumi:prod::payments::";
const schema = JSON.parse(
  fs.readFileSync(path.join(PROJECT_DIR, "docs", "plan-report.schema.json"), "utf8"),
) as object;
const validateReport = new Ajv({ allErrors: true, strict: true }).compile(schema);

const lambda = (variables: Record<string, string>) => ({
  urn: `${URN}aws:lambda/function:Function::orders`,
  custom: true,
  type: "aws:lambda/function:Function",
  inputs: { runtime: "nodejs20.x", environment: { variables } },
  outputs: { runtime: "nodejs20.x", environment: { variables } },
});
const project = (location: string) => ({
  urn: `${URN}aws:codebuild/project:Project::build`,
  custom: true,
  type: "aws:codebuild/project:Project",
  inputs: { source: { type: "GITHUB", location } },
  outputs: { source: { type: "GITHUB", location } },
});

async function check(...resources: unknown[]) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cicd-secrets-report-"));
  const doc = {
    version: 3,
    deployment: {
      manifest: { time: "2025-01-01T00:00:00Z", magic: "", version: "v3.248.0" },
      resources: [
        {
          urn: `${URN}pulumi:pulumi:Stack::payments-prod`,
          custom: false,
          type: "pulumi:pulumi:Stack",
        },
        ...resources,
      ],
    },
  };
  fs.writeFileSync(path.join(dir, "stack.json"), JSON.stringify(doc));
  const run = await runCli(
    ["check", "stack.json", "--json", "report.json", "--no-policy-config"],
    dir,
  );
  const text = fs.readFileSync(path.join(dir, "report.json"), "utf8");
  const report = JSON.parse(text) as Report;
  assert.ok(validateReport(report), JSON.stringify(validateReport.errors, null, 2));
  return { ...run, text, report };
}

describe("suppressions in the report", function () {
  this.timeout(60_000);

  it("lists per resource the suppressions that fired: policy, rule, suppression and path, never the value", async () => {
    const run = await check(
      lambda({ TABLE: "orders", DB_PASSWORD: "${DB_PASSWORD}" }),
      project("https://deploy:${GIT_PASSWORD}@git.example.com/acme/app.git"),
    );
    assert.deepEqual(
      run.report.stacks[0]!.findings.filter((f) => f.family === "secrets"),
      [],
    );
    const [, fn, build] = run.report.stacks[0]!.resources;
    assert.deepEqual(fn!.suppressions, [
      {
        policy: "secrets-no-plaintext-lambda-environment",
        rule: "secret-like-value",
        suppression: "runtime-reference",
        path: "environment.variables.DB_PASSWORD",
      },
    ]);
    assert.deepEqual(build!.suppressions, [
      {
        policy: "secrets-no-credentials-in-urls",
        rule: "url-credentials",
        suppression: "runtime-reference",
        path: "source.location",
      },
    ]);
    assert.doesNotMatch(run.stdout + run.stderr, /suppress/i);
  });

  it("leaves the field out where nothing was suppressed, and keeps the text output as it was", async () => {
    const clean = await check(lambda({ TABLE: "orders" }));
    assert.equal(clean.report.stacks[0]!.resources[1]!.suppressions, undefined);
    const withPlaceholder = await check(lambda({ TABLE: "orders", DB_PASSWORD: "${DB_PASSWORD}" }));
    assert.equal(withPlaceholder.stdout, clean.stdout);
  });

  it("reports the finding beside the suppression when a real secret sits next to a placeholder", async () => {
    const run = await check(lambda({ DB_PASSWORD: "${DB_PASSWORD}", API_KEY: samples.dbPassword }));
    const fn = run.report.stacks[0]!.resources[1]!;
    assert.deepEqual(
      fn.suppressions?.map((s) => s.path),
      ["environment.variables.DB_PASSWORD"],
    );
    assert.deepEqual(
      run.report.stacks[0]!.findings.filter((f) => f.family === "secrets").map((f) => f.policy),
      ["secrets-no-plaintext-lambda-environment"],
    );
    assert.ok(!run.text.includes(samples.dbPassword));
  });
});
