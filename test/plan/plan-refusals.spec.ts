// Smaller holes of #21: a reserved key (__proto__, constructor, prototype) inside any config map is
// unknown and pollutes nothing; provider keys (aws:profile) are scanned for secrets; two stacks of
// one account and region are refused, naming both; a stack that is not evaluated makes the plan
// exit 2, and the counts are resources actually planned.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import { ConfigError, validateStackConfig } from "../../model/config";
import type { Report } from "../../plan/report";
import { EXAMPLE_STACKS, PROJECT_DIR, runCli, stackConfig } from "../helpers";

function problemsOf(stack: string, edit: (config: Record<string, string>) => void): string {
  const base = stackConfig(stack);
  const config = { ...base.config };
  edit(config);
  try {
    validateStackConfig(base.project, stack, config, base.secretKeys);
  } catch (e) {
    assert.ok(e instanceof ConfigError);
    return e.message;
  }
  assert.fail("expected a ConfigError");
}

/** A copy of the project with its stack files, plus `extra` stack files. */
function projectWith(extra: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cicd-refusal-"));
  const project = parse(fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), "utf8")) as Record<
    string,
    unknown
  >;
  project["main"] = path.join(PROJECT_DIR, "index.ts");
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), stringify(project));
  fs.mkdirSync(path.join(dir, "policies"));
  fs.copyFileSync(
    path.join(PROJECT_DIR, "policies", "platform.policy-config.json"),
    path.join(dir, "policies", "platform.policy-config.json"),
  );
  for (const s of EXAMPLE_STACKS)
    fs.copyFileSync(path.join(PROJECT_DIR, `Pulumi.${s}.yaml`), path.join(dir, `Pulumi.${s}.yaml`));
  for (const [name, text] of Object.entries(extra))
    fs.writeFileSync(path.join(dir, `Pulumi.${name}.yaml`), text);
  return dir;
}

describe("config: reserved keys inside maps", () => {
  for (const key of ["__proto__", "constructor", "prototype"])
    it(`a ${key} key inside build.environment is reported as unknown and pollutes nothing`, () => {
      const message = problemsOf("tools", (config) => {
        const k = "cicd-platform:organization";
        const org = JSON.parse(config[k]!) as {
          applications: { build: { environment?: unknown } }[];
        };
        org.applications[0]!.build.environment = JSON.parse(
          `{"NODE_ENV": "production", "${key}": {"polluted": "yes"}}`,
        );
        config[k] = JSON.stringify(org);
      });
      assert.match(
        message,
        new RegExp(`applications\\[0\\]\\.build\\.environment: unknown key "${key}"`),
      );
      assert.equal(({} as Record<string, unknown>)["polluted"], undefined);
      assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, "polluted"), false);
    });
});

describe("config: provider namespaces are scanned for secrets", () => {
  it("a token as aws:profile is a secret in plain config", () => {
    const message = problemsOf("dev", (config) => {
      config["aws:profile"] = "ghp_Zq8Wm3Kx7Lp2Rt9Vn4Bc6Hd1Jf5Gs0Ya2Ue8";
    });
    assert.match(
      message,
      /aws:profile: looks like a GitHub token; never put secrets in plain config/,
    );
    assert.doesNotMatch(message, /Zq8Wm3Kx/);
  });
});

describe("plan: refused stacks", function () {
  this.timeout(60_000);

  it("two stack files of one account and region are refused before anything is evaluated, naming both (exit 2)", async () => {
    const dir = projectWith({
      dev2: fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.dev.yaml"), "utf8"),
    });
    const run = await runCli(
      ["plan", "--stack", "dev", "--stack", "dev2", "--json", "p.json"],
      dir,
    );
    assert.equal(run.code, 2, run.stdout);
    assert.match(
      run.stderr,
      /Pulumi\.dev2\.yaml: configures the same stack as Pulumi\.dev\.yaml \(workload account 222222222222 of dev\): keep one of them/,
    );
    assert.doesNotMatch(run.stderr, /evaluating/);
  });

  it("a stack that cannot be evaluated makes the plan exit 2 and counts no resource", async () => {
    // A hand-written override of staging's stack whose region the account does not deploy to.
    const dir = projectWith({
      qa: [
        "config:",
        "  cicd-platform:role: workload",
        "  cicd-platform:environment: staging",
        "  aws:region: eu-west-1",
        '  aws:allowedAccountIds: ["333333333333"]',
        "",
      ].join("\n"),
    });
    fs.rmSync(path.join(dir, "Pulumi.staging.yaml"));
    const run = await runCli(["plan", "--stack", "dev", "--stack", "qa", "--json", "p.json"], dir);
    assert.equal(run.code, 2, run.stdout);
    assert.match(run.stdout, /Stack qa · 0 resources/);
    const report = JSON.parse(fs.readFileSync(path.join(dir, "p.json"), "utf8")) as Report;
    const dev = report.stacks.find((s) => s.stack === "dev")!;
    const planned = dev.resources.filter(
      (r) => r.custom && !r.type.startsWith("pulumi:providers:"),
    ).length;
    assert.equal(report.summary.resources, planned);
    assert.equal(report.summary.stackErrors, 1);
    assert.match(run.stdout, new RegExp(`Plan: 2 stack\\(s\\), ${planned} resources;`));
  });
});
