// The offline plan CLI end to end, in-process: the example organization plans clean, its JSON
// matches the documented schema, a seeded bad program and a bad stack export fail with exit 1, bad
// config and bad usage exit 2 with every error, and `check` on an export of the plan's own
// resources gives the plan's findings.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import Ajv from "ajv";
import { parse, stringify } from "yaml";
import { main, type CliIO } from "../../plan/cli";
import type { Report } from "../../plan/report";
import { toStackExport } from "../../plan/export";
import { EXAMPLE_STACKS, PROJECT_DIR, runStackOk } from "../helpers";

interface Captured {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function cli(argv: string[], cwd = PROJECT_DIR, tty = false): Promise<Captured> {
  let stdout = "";
  let stderr = "";
  const io: CliIO = {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    stdoutIsTTY: tty,
    stderrIsTTY: tty,
    cwd,
    env: {},
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "cicd-plan-"));
}

/** A copy of the project (Pulumi.yaml and stack files) whose program is the repo's, or `main`. */
function copyProject(edit: (project: Record<string, unknown>) => void = () => {}): string {
  const dir = tmpDir();
  const project = parse(fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), "utf8")) as Record<
    string,
    unknown
  >;
  project["main"] = path.join(PROJECT_DIR, "index.ts");
  edit(project);
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), stringify(project));
  for (const stack of EXAMPLE_STACKS)
    fs.copyFileSync(
      path.join(PROJECT_DIR, `Pulumi.${stack}.yaml`),
      path.join(dir, `Pulumi.${stack}.yaml`),
    );
  return dir;
}

function organizationOf(project: Record<string, unknown>): Record<string, unknown> {
  const config = project["config"] as Record<string, { value: Record<string, unknown> }>;
  return config["organization"]!.value;
}

const schema = JSON.parse(
  fs.readFileSync(path.join(PROJECT_DIR, "docs", "plan-report.schema.json"), "utf8"),
) as object;
const validateReport = new Ajv({ allErrors: true, strict: true }).compile(schema);

function readReport(file: string): Report {
  const report = JSON.parse(fs.readFileSync(file, "utf8")) as Report;
  assert.ok(validateReport(report), JSON.stringify(validateReport.errors, null, 2));
  return report;
}

describe("plan CLI: the example organization", function () {
  this.timeout(120_000);
  const out = tmpDir();
  let plan: Captured;
  let report: Report;

  before(async () => {
    plan = await cli([
      "plan",
      "--json",
      path.join(out, "plan.json"),
      "--diagram",
      path.join(out, "plan.mmd"),
    ]);
    report = readReport(path.join(out, "plan.json"));
  });

  it("plans every stack with zero mandatory findings and exits 0", () => {
    assert.equal(plan.code, 0, plan.stdout + plan.stderr);
    assert.deepEqual(
      report.stacks.map((s) => s.stack),
      [...EXAMPLE_STACKS],
    );
    assert.equal(report.summary.mandatory, 0);
    assert.equal(report.summary.policyErrors, 0);
    assert.equal(report.summary.stackErrors, 0);
    assert.match(plan.stdout, /Plan: 6 stack\(s\), \d+ resources; 0 mandatory and \d+ advisory/);
    assert.match(plan.stdout, /Nothing was deployed\./);
  });

  it("CreatePipeline refuses an action role that does not exist (InvalidStructureException): the plan applies every stack that creates a pipeline's action or rule role before the tools stack", () => {
    const order = report.applyOrder!.steps.map((s) => s.stack);
    assert.deepEqual([...order].sort(), [...EXAMPLE_STACKS].sort());
    const tools = report.stacks.find((s) => s.stack === "tools")!;
    const roleArns = tools.resources
      .filter((r) => r.type === "aws:codepipeline/pipeline:Pipeline")
      .flatMap((r) =>
        (r.inputs["stages"] as { actions: { roleArn?: string }[] }[]).flatMap((st) =>
          st.actions.map((a) => a.roleArn),
        ),
      )
      .filter((a): a is string => a !== undefined);
    assert.ok(roleArns.length > 0, "the CloudFormation application's actions name workload roles");
    for (const arn of roleArns) {
      const [, , , , account, resource] = arn.split(":");
      const creator = report.stacks.find((s) =>
        s.resources.some(
          (r) =>
            r.type === "aws:iam/role:Role" &&
            r.account === account &&
            r.inputs["name"] === resource!.split("/").pop(),
        ),
      );
      assert.ok(creator, `${arn} is created by a stack of the plan`);
      assert.ok(
        order.indexOf(creator.stack) < order.indexOf("tools"),
        `${creator.stack} creates ${arn} and goes before tools`,
      );
    }
    assert.match(
      plan.stdout,
      /Apply order[^\n]*\n  1\. bootstrap\n(?:  \d\. (?:dev|staging|prod|prod-eu)\n){4}  6\. tools — after /,
    );
  });

  it("the runbook bootstraps the workload accounts before the tools account", () => {
    const readme = fs.readFileSync(path.join(PROJECT_DIR, "README.md"), "utf8");
    const workload = readme.indexOf("**Bootstrap each environment account first**");
    const tools = readme.indexOf("**Bootstrap the tools account**");
    assert.ok(workload > 0 && tools > 0, "both runbook steps exist");
    assert.ok(workload < tools, "workload stacks first: they need nothing from the tools stack");
  });

  it("evaluates as a preview by default: new resources have no ids", () => {
    for (const s of report.stacks) {
      assert.equal(s.preview, true);
      const roles = s.resources.filter((r) => r.type === "aws:iam/role:Role");
      // The bootstrap stack's role is inside its StackSet's template.
      assert.ok(roles.length > 0 || s.stack === "bootstrap", s.stack);
      for (const r of roles) {
        assert.equal(r.id, undefined);
        assert.equal(r.outputs["arn"], "[unknown]");
      }
    }
  });

  it("records, per stack, what the engine registered: counts by type match a direct run", async () => {
    for (const stack of EXAMPLE_STACKS) {
      const run = await runStackOk(stack, { preview: true });
      const count = (types: readonly string[]) => {
        const m = new Map<string, number>();
        for (const t of types) m.set(t, (m.get(t) ?? 0) + 1);
        return Object.fromEntries([...m].sort());
      };
      const planned = report.stacks.find((s) => s.stack === stack)!;
      assert.deepEqual(
        count(planned.resources.map((r) => r.type)),
        count(run.resources.map((r) => r.type)),
        stack,
      );
    }
  });

  it("prints resources by account, the pipelines with gates, the trust edges and the findings", () => {
    assert.match(plan.stdout, /Stack tools · 111111111111 · us-east-1/);
    assert.match(plan.stdout, /Stack prod-eu · 555555555555 · eu-west-1/);
    assert.match(plan.stdout, /Pipelines/);
    assert.match(plan.stdout, /Cross-account trust/);
    assert.match(plan.stdout, /Policy findings: 0 mandatory/);
    assert.doesNotMatch(plan.stdout, /\u001b\[/, "no colour when stdout is not a terminal");
  });

  it("uses the platform's policy config, and needs every entry of it", async () => {
    assert.equal(report.policyConfig, path.join("policies", "platform.policy-config.json"));
    assert.match(plan.stdout, /config: policies\/platform\.policy-config\.json/);
    const bare = await cli(["plan", "--no-policy-config", "--json", path.join(out, "bare.json")]);
    assert.equal(bare.code, 1, "without the config the platform's broad roles are findings");
    const findings = readReport(path.join(out, "bare.json")).stacks.flatMap((s) => s.findings);
    const config = JSON.parse(
      fs.readFileSync(path.join(PROJECT_DIR, "policies", "platform.policy-config.json"), "utf8"),
    ) as Record<string, Record<string, { resources: string[] }[]>>;
    // Every finding the config silences is on a platform resource its entries name ...
    const { exemptionMatches } = await import("../../policies/lib/config");
    for (const f of findings) {
      const entries = Object.values(config[f.policy] ?? {}).flat();
      assert.ok(
        entries.some((e) => e.resources.some((p) => exemptionMatches(p, f.urn!))),
        `${f.policy} on ${f.urn} is not covered by the config`,
      );
    }
    // ... and every policy the config tunes has findings without it.
    for (const policy of Object.keys(config))
      assert.ok(
        findings.some((f) => f.policy === policy),
        `${policy} needs no entry in the config`,
      );
    // Only workload stacks carry these roles; the tools stack is clean either way.
    assert.deepEqual([...new Set(findings.map((f) => f.urn!.split("::")[0]))].sort(), [
      "urn:pulumi:dev",
      "urn:pulumi:prod",
      "urn:pulumi:prod-eu",
      "urn:pulumi:staging",
    ]);
  });

  it("reports progress on stderr", () => {
    assert.match(
      plan.stderr,
      /\[3\/6\] dev: evaluating… \d+ resources \(\d+\.\d s\); policies… \(\d+\.\d s\) total \d+\.\d s/,
    );
    assert.match(plan.stderr, /Wrote .*plan\.json/);
  });

  it("writes the Mermaid diagram", () => {
    const diagram = fs.readFileSync(path.join(out, "plan.mmd"), "utf8");
    assert.match(diagram, /^flowchart LR/m);
    for (const account of ["111111111111", "222222222222", "444444444444", "555555555555"])
      assert.ok(diagram.includes(account), account);
  });

  it("colours output only on a terminal", async () => {
    const tty = await cli(["plan", "--stack", "dev"], PROJECT_DIR, true);
    assert.match(tty.stdout, /\u001b\[1m/);
    assert.equal(tty.code, 0);
  });

  it("check on an export of the plan's own resources gives the plan's findings", async () => {
    const updated = await cli(["plan", "--update", "--json", path.join(out, "update.json")]);
    assert.equal(updated.code, 0, updated.stdout);
    const full = readReport(path.join(out, "update.json"));
    for (const stack of full.stacks) {
      const file = path.join(out, `${stack.stack}.export.json`);
      fs.writeFileSync(file, JSON.stringify(toStackExport(stack)));
      const checked = await cli([
        "check",
        file,
        "--json",
        path.join(out, `${stack.stack}.check.json`),
      ]);
      assert.equal(checked.code, 0, checked.stdout);
      const result = readReport(path.join(out, `${stack.stack}.check.json`)).stacks[0]!;
      assert.equal(result.source, "check");
      assert.deepEqual(result.findings, stack.findings, stack.stack);
      assert.deepEqual(result.exemptions, stack.exemptions, stack.stack);
      assert.equal(result.resources.length, stack.resources.length);
    }
  });
});

describe("plan CLI: failures", function () {
  this.timeout(120_000);

  it("a seeded bad program gives its findings, family by family, and exits 1", async () => {
    const dir = copyProject((project) => {
      project["main"] = path.join(PROJECT_DIR, "test", "plan", "fixtures", "bad-program.ts");
    });
    const run = await cli(["plan", "--stack", "dev", "--json", path.join(dir, "bad.json")], dir);
    assert.equal(run.code, 1, run.stdout + run.stderr);
    const report = readReport(path.join(dir, "bad.json"));
    const policies = new Set(
      report.stacks[0]!.findings.filter((f) => f.level === "mandatory").map((f) => f.policy),
    );
    for (const policy of [
      "iam-no-admin-statements",
      "secrets-no-known-tokens",
      "alarms-codebuild-failed-builds",
      "baseline-s3-public-access-block",
    ])
      assert.ok(policies.has(policy), `${policy} in ${[...policies].join(", ")}`);
    assert.match(run.stdout, /\[mandatory\] iam-no-admin-statements \(critical\) on wide-open/);
  });

  it("a bad stack export gives findings and exits 1", async () => {
    const dir = tmpDir();
    const run = await runStackOk("dev");
    const { reportResource } = await import("../../plan/report");
    const resources = run.resources.map(reportResource);
    const role = resources.find((r) => r.type === "aws:iam/rolePolicy:RolePolicy")!;
    const admin = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
    });
    const bad = resources.map((r) =>
      r === role
        ? {
            ...r,
            inputs: { ...r.inputs, policy: admin },
            outputs: { ...r.outputs, policy: admin },
          }
        : r,
    );
    const file = path.join(dir, "dev.export.json");
    fs.writeFileSync(
      file,
      JSON.stringify(toStackExport({ project: run.project, stack: "dev", resources: bad })),
    );
    const checked = await cli(["check", file]);
    assert.equal(checked.code, 1, checked.stdout);
    assert.match(
      checked.stdout,
      new RegExp(`\\[mandatory\\] iam-no-admin-statements \\(critical\\) on ${role.name}`),
    );
  });

  it("bad organization config exits 2 and lists every error once", async () => {
    const dir = copyProject((project) => {
      const org = organizationOf(project);
      org["prefix"] = "Not A Prefix";
      (org["tools"] as Record<string, unknown>)["account"] = "12345";
    });
    const run = await cli(["plan"], dir);
    assert.equal(run.code, 2, run.stdout + run.stderr);
    assert.match(run.stdout, /organization\.prefix: /);
    assert.match(run.stdout, /organization\.tools\.account: /);
    assert.equal(run.stdout.match(/organization\.prefix: /g)?.length, 1, "printed once");
    assert.match(run.stdout, /The same errors as stack bootstrap\./);
  });

  it("a malformed policy config exits 2 naming each problem", async () => {
    const dir = tmpDir();
    const file = path.join(dir, "policy.json");
    fs.writeFileSync(
      file,
      JSON.stringify({
        "iam-no-such-policy": "mandatory",
        "iam-no-admin-statements": { enforcementLevel: "sometimes" },
        "iam-no-service-wildcards": { exemptions: [{ resource: "x" }] },
      }),
    );
    const run = await cli(["plan", "--stack", "dev", "--policy-config", file]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /iam-no-such-policy: no policy of this name in the pack/);
    assert.match(run.stderr, /iam-no-admin-statements\.enforcementLevel: "sometimes" is not/);
    assert.match(
      run.stderr,
      /iam-no-service-wildcards\.exemptions\.0: must have required property 'reason'/,
    );
  });

  it("a malformed stack export exits 2 naming the problem", async () => {
    const dir = tmpDir();
    const file = path.join(dir, "broken.json");
    fs.writeFileSync(file, JSON.stringify({ version: 2, deployment: {} }));
    const run = await cli(["check", file]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /version/);
  });

  it("usage errors exit 2 with the usage text", async () => {
    for (const argv of [
      [],
      ["deploy"],
      ["plan", "--stack", "nope"],
      ["plan", "--frobnicate"],
      ["check"],
    ]) {
      const run = await cli(argv);
      assert.equal(run.code, 2, argv.join(" "));
      assert.match(run.stderr, /^error: /m, argv.join(" "));
    }
  });
});
