// `cicd-plan plan --app`: the example application planned as the platform's deploy build runs it
// (its four stacks, their accounts and regions, the pack's defaults), clean; a copy of it with a
// wildcard IAM statement or a plaintext secret in the function's environment fails with the
// policy's message; applications it cannot plan are refused with the reason.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { validateOrganization } from "../../model/config";
import fc from "fast-check";
import { deployStacks, findApplication } from "../../plan/cli/app-command";
import { stackNameFor } from "../../model/naming";
import { main, type CliIO } from "../../plan/cli";
import { allPolicies } from "../../policies/all";
import { byName, exampleOrganization, exampleRun, PROJECT_DIR } from "../helpers";
import { expected } from "../helpers/policy";

const EXAMPLE = path.join(PROJECT_DIR, "examples", "orders-api");

async function cli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const io: CliIO = {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    stdoutIsTTY: false,
    stderrIsTTY: false,
    cwd: PROJECT_DIR,
    env: {},
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

const temporary: string[] = [];
const removeTemporary = () => {
  for (const dir of temporary.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
};

/** A copy of the example whose infra/orders-api.ts is edited; it resolves the repo's packages. */
function seededCopy(edit: (source: string) => string): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "orders-api-"));
  temporary.push(root);
  const dir = path.join(root, "orders-api");
  fs.cpSync(EXAMPLE, dir, {
    recursive: true,
    filter: (src) => !/[/\\](node_modules|dist)$/.test(src),
  });
  fs.symlinkSync(path.join(PROJECT_DIR, "node_modules"), path.join(dir, "node_modules"), "dir");
  const file = path.join(dir, "infra", "orders-api.ts");
  const before = fs.readFileSync(file, "utf8");
  const after = edit(before);
  assert.notEqual(after, before, "the seeded change must apply");
  fs.writeFileSync(file, after);
  return dir;
}

const policy = (name: string) => {
  const p = allPolicies.find((q) => q.name === name);
  assert.ok(p, name);
  return p;
};

describe("planning an application as its deploy build runs it", () => {
  after(removeTemporary);

  it("names one stack per target of each environment, with the build's variables", () => {
    const org = validateOrganization(exampleOrganization());
    const stacks = deployStacks(org, findApplication(org, EXAMPLE, undefined));
    assert.deepEqual(
      stacks.map((s) => [s.stack, s.environment, s.account, s.region]),
      [
        ["dev", "dev", "222222222222", "us-east-1"],
        ["staging", "staging", "333333333333", "us-east-1"],
        ["prod-prod-us-us-east-1", "prod", "444444444444", "us-east-1"],
        ["prod-prod-eu-eu-west-1", "prod", "555555555555", "eu-west-1"],
      ],
    );
    assert.deepEqual(stacks[2].variables, {
      TARGET_ENV: "prod",
      STACK_NAME: "prod-prod-us-us-east-1",
      TARGET_ACCOUNT: "444444444444",
      TARGET_REGION: "us-east-1",
      WORKING_DIRECTORY: ".",
    });
  });

  it("names the stacks as the tools stack's deploy actions do", async () => {
    const tools = await exampleRun("tools");
    const pipeline = byName(tools, "acme-orders-api", "aws:codepipeline/pipeline:Pipeline");
    const stages = pipeline.inputs["stages"] as {
      actions: { configuration?: Record<string, string> }[];
    }[];
    const fromPipeline = stages
      .flatMap((s) => s.actions)
      .map((a) => a.configuration?.["EnvironmentVariables"])
      .filter((v): v is string => v !== undefined && v.includes("STACK_NAME"))
      .map((v) => {
        const vars = Object.fromEntries(
          (JSON.parse(v) as { name: string; value: string }[]).map((e) => [e.name, e.value]),
        );
        return [vars["STACK_NAME"], vars["TARGET_ACCOUNT"], vars["TARGET_REGION"]];
      });
    const org = validateOrganization(exampleOrganization());
    const planned = deployStacks(org, findApplication(org, EXAMPLE, undefined));
    assert.deepEqual(
      planned.map((s) => [s.stack, s.account, s.region]),
      fromPipeline,
    );
  });

  it("gives every target of an environment its own stack, whatever the template", () => {
    // One stack name for two targets would make their deploys overwrite each other's state.
    const part = fc.constantFrom("{env}", "{account}", "{label}", "{region}", "app", "-", "x{");
    const targets = [
      { account: "444444444444", label: "prod-us", region: "us-east-1" },
      { account: "555555555555", label: "prod-eu", region: "eu-west-1" },
      { account: "555555555555", label: "prod-eu", region: "eu-central-1" },
    ];
    fc.assert(
      fc.property(
        fc.array(part, { minLength: 1, maxLength: 6 }).map((p) => p.join("")),
        (template) => {
          const names = targets.map((t) => stackNameFor(template, "prod", t, targets.length));
          assert.equal(new Set(names).size, targets.length, names.join(", "));
          assert.equal(
            stackNameFor(template, "prod", targets[0]!, 1),
            template
              .replace(/\{env\}/g, "prod")
              .replace(/\{account\}/g, "444444444444")
              .replace(/\{label\}/g, "prod-us")
              .replace(/\{region\}/g, "us-east-1"),
          );
        },
      ),
    );
  });

  it("plans the example clean on every stack, with the pack's defaults", async () => {
    const before = process.env.TARGET_ENV;
    const { code, stdout } = await cli(["plan", "--app", "examples/orders-api"]);
    assert.equal(code, 0, stdout);
    assert.equal(process.env.TARGET_ENV, before, "the build's variables are put back");
    assert.match(stdout, /config: \(none: the pack's defaults, as the deploy build runs it\)/);
    for (const line of [
      "Stack dev · dev · 222222222222 · us-east-1 · 19 resources (preview)",
      "Stack staging · staging · 333333333333 · us-east-1 · 19 resources (preview)",
      "Stack prod-prod-us-us-east-1 · prod · 444444444444 · us-east-1 · 19 resources (preview)",
      "Stack prod-prod-eu-eu-west-1 · prod · 555555555555 · eu-west-1 · 19 resources (preview)",
    ])
      assert.ok(stdout.includes(line), `missing: ${line}\n${stdout}`);
    assert.ok(stdout.includes("role/app/orders-function-"), "the role is under /app/");
    assert.match(
      stdout,
      /Plan of orders-api: 4 stack\(s\), 76 resources; 0 mandatory and 0 advisory finding\(s\)\./,
    );
  });

  it("fails a copy whose function role allows every action on every resource", async () => {
    const dir = seededCopy((s) =>
      s
        .replace('Action: ["dynamodb:GetItem", "dynamodb:PutItem"],', 'Action: "*",')
        .replace('Resource: arn("dynamodb", `table/${tableName}`),', 'Resource: "*",'),
    );
    const { code, stdout } = await cli(["plan", "--app", dir, "--stack", "dev"]);
    assert.equal(code, 1, stdout);
    assert.ok(stdout.includes("[mandatory] iam-no-admin-statements (critical) on orders-function"));
    const message = expected(
      policy("iam-no-admin-statements"),
      'policy statement 0 ("OrdersTable") allows every action ("*") on every resource.',
    );
    assert.ok(stdout.includes(message), stdout);
  });

  it("fails a copy that puts a key in the function's environment", async () => {
    const dir = seededCopy((s) =>
      s.replace(
        'NODE_OPTIONS: "--enable-source-maps",',
        'NODE_OPTIONS: "--enable-source-maps",\n            PAYMENT_API_KEY: "sk9Qv2LmX7pR4tW8zN3bH6yJ1cF5gD0a",',
      ),
    );
    const { code, stdout } = await cli(["plan", "--app", dir, "--stack", "dev"]);
    assert.equal(code, 1, stdout);
    const message = expected(
      policy("secrets-no-plaintext-lambda-environment"),
      "environment.variables.PAYMENT_API_KEY holds a high-entropy value under the secret-like name 'PAYMENT_API_KEY'.",
    );
    assert.ok(stdout.includes(message), stdout);
    assert.ok(!stdout.includes("sk9Qv2LmX7pR4tW8zN3bH6yJ1cF5gD0a"), "the value is not printed");
  });
});

describe("applications the app plan refuses", () => {
  after(removeTemporary);

  it("a directory named after no application", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "not-an-app-"));
    temporary.push(dir);
    const { code, stderr } = await cli(["plan", "--app", dir]);
    assert.equal(code, 2);
    assert.ok(
      stderr.includes(
        `error: no application named ${path.basename(dir)} in the organization (the name of ${dir}); name it with --application (applications deployed with pulumi: orders-api, web-frontend)`,
      ),
      stderr,
    );
  });

  it("an application that does not deploy with pulumi", async () => {
    const { code, stderr } = await cli([
      "plan",
      "--app",
      "examples/orders-api",
      "--application",
      "billing-worker",
    ]);
    assert.equal(code, 2);
    assert.ok(
      stderr.includes(
        "error: application billing-worker deploys with cloudformation; --app plans applications deployed with pulumi (orders-api, web-frontend)",
      ),
      stderr,
    );
  });

  it("an application whose working directory holds no Pulumi project", async () => {
    const { code, stderr } = await cli([
      "plan",
      "--app",
      "examples/orders-api",
      "--application",
      "web-frontend",
    ]);
    assert.equal(code, 2);
    assert.ok(
      stderr.includes(
        `error: no Pulumi.yaml in ${path.join(EXAMPLE, "infra")}: web-frontend's deploy.workingDirectory is "infra", where the deploy build runs pulumi; point it at the application's Pulumi project`,
      ),
      stderr,
    );
  });

  it("a stack the application does not have", async () => {
    const { code, stderr } = await cli(["plan", "--app", "examples/orders-api", "--stack", "qa"]);
    assert.equal(code, 2);
    assert.ok(
      stderr.includes(
        "error: no such stack of orders-api: qa; its stacks are dev, staging, prod-prod-us-us-east-1, prod-prod-eu-eu-west-1",
      ),
      stderr,
    );
  });
});
