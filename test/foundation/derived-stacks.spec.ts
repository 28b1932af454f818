// The organization's stacks, derived from its config (model/stacks.ts), and the stack files that
// configure them: the list for the example and for a generated organization of 100 prod accounts,
// every generated file accepted by the stack validation as the stack it names, and a stale, foreign
// or doubled stack file refused with its path. `npm run stacks -- --write/--check` keeps the files
// the stock Pulumi CLI reads equal to the organization.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import { validateStackConfig } from "../../model/config";
import { Organization } from "../../model/config/schema";
import { readStackFiles } from "../../model/stack-files";
import {
  derivedStacks,
  GENERATED_MARKER,
  renderStackFile,
  resolveStacks,
  type StackFile,
} from "../../model/stacks";
import { exampleOrganization, PROJECT_DIR, runCli } from "../helpers";

const PROJECT = "cicd-platform";

/** A generated organization: the example with `count` unlabelled prod accounts. */
function withProdAccounts(count: number): Organization {
  const org = exampleOrganization();
  org.environments[2]!.accounts = Array.from({ length: count }, (_, i) => ({
    id: String(600000000000 + i),
    regions: [i % 2 === 0 ? "us-east-1" : "eu-west-1"],
  })) as Organization["environments"][number]["accounts"];
  return org;
}

/** The flat config the CLI would hand the program for a generated stack file. */
function configOf(org: Organization, text: string): Record<string, string> {
  const config: Record<string, string> = { [`${PROJECT}:organization`]: JSON.stringify(org) };
  for (const [k, v] of Object.entries((parse(text) as { config: Record<string, unknown> }).config))
    config[k] = typeof v === "string" ? v : JSON.stringify(v);
  return config;
}

const fileOf = (name: string, text: string): StackFile => ({
  name,
  path: `Pulumi.${name}.yaml`,
  text,
  config: (parse(text) as { config?: Record<string, unknown> } | null)?.config,
});

describe("stacks derived from the organization", () => {
  it("the example: bootstrap, tools, then one stack per workload account in promotion order; the hand-written Pulumi.prod.yaml keeps its name", () => {
    const { stacks, problems } = resolveStacks(
      exampleOrganization(),
      PROJECT,
      readStackFiles(PROJECT_DIR),
    );
    assert.deepEqual(problems, []);
    assert.deepEqual(
      stacks.map((s) => [s.name, s.derived.role, s.derived.account, s.derived.region, s.status]),
      [
        ["bootstrap", "bootstrap", "999999999999", "us-east-1", "generated"],
        ["tools", "tools", "111111111111", "us-east-1", "generated"],
        ["dev", "workload", "222222222222", "us-east-1", "generated"],
        ["staging", "workload", "333333333333", "us-east-1", "generated"],
        ["prod", "workload", "444444444444", "us-east-1", "override"],
        ["prod-eu", "workload", "555555555555", "eu-west-1", "generated"],
      ],
    );
    // Without the override, the account's stack is named after its label.
    assert.equal(derivedStacks(exampleOrganization())[4]!.name, "prod-us");
  });

  it("100 prod accounts: 105 stacks with stable names (<env>-<account id>), each file accepted as the stack it names", () => {
    const org = withProdAccounts(100);
    const stacks = derivedStacks(org);
    assert.equal(stacks.length, 2 + 2 + 100);
    const prod = stacks.filter((s) => s.environment === "prod");
    assert.deepEqual(
      prod.slice(0, 2).map((s) => s.name),
      ["prod-600000000000", "prod-600000000001"],
    );
    assert.equal(new Set(stacks.map((s) => s.name)).size, stacks.length);
    // Names do not depend on position: removing the first account renames no other stack.
    const fewer = withProdAccounts(100);
    fewer.environments[2]!.accounts.shift();
    assert.deepEqual(
      derivedStacks(fewer).map((s) => s.name),
      stacks.filter((s) => s.account !== "600000000000").map((s) => s.name),
    );
    for (const s of stacks) {
      const ctx = validateStackConfig(PROJECT, s.name, configOf(org, renderStackFile(PROJECT, s)));
      assert.equal(ctx.role, s.role, s.name);
      const account = ctx.role === "workload" ? ctx.account.id : ctx.account;
      assert.deepEqual([account, ctx.region], [s.account, s.region], s.name);
    }
  });

  it("a stack file for an account the organization does not list is an error naming the file and the fix", () => {
    const text = [
      "config:",
      `  ${PROJECT}:role: workload`,
      `  ${PROJECT}:environment: prod`,
      `  ${PROJECT}:account: "777777777777"`,
      "  aws:region: us-east-1",
      '  aws:allowedAccountIds: ["777777777777"]',
      "",
    ].join("\n");
    const { problems } = resolveStacks(exampleOrganization(), PROJECT, [fileOf("prod-old", text)]);
    assert.deepEqual(problems, [
      {
        path: "Pulumi.prod-old.yaml",
        message:
          "deploys account 777777777777 of prod, which the organization does not list (444444444444, 555555555555): add the account to Pulumi.yaml or delete the file (after `pulumi stack rm` if the stack exists)",
      },
    ]);
  });

  it("a stack file of an environment the organization does not have, or with no role, is an error", () => {
    const qa = fileOf(
      "qa",
      `config:\n  ${PROJECT}:role: workload\n  ${PROJECT}:environment: qa\n  aws:region: us-east-1\n`,
    );
    const none = fileOf("scratch", "config:\n  aws:region: us-east-1\n");
    const { problems } = resolveStacks(exampleOrganization(), PROJECT, [qa, none]);
    assert.deepEqual(
      problems.map((p) => [p.path, p.message.split(":")[0]]),
      [
        [
          "Pulumi.qa.yaml",
          'deploys environment "qa", which the organization does not list (environments',
        ],
        ["Pulumi.scratch.yaml", `has no ${PROJECT}`],
      ],
    );
  });

  it("a generated stack file that no longer matches the organization is stale; a hand-written override is not", () => {
    const org = exampleOrganization();
    const dev = derivedStacks(org).find((s) => s.name === "dev")!;
    const generated = renderStackFile(PROJECT, dev);
    assert.ok(generated.startsWith(GENERATED_MARKER));
    // The organization moved dev to another region after the file was written.
    org.environments[0]!.regions = ["eu-west-1"];
    const { problems } = resolveStacks(org, PROJECT, [fileOf("dev", generated)]);
    assert.deepEqual(problems, [
      {
        path: "Pulumi.dev.yaml",
        message:
          "is stale: the organization in Pulumi.yaml changed since it was generated; run `npm run stacks -- --write`",
        stale: true,
      },
    ]);
    const handWritten = generated.split("\n").slice(2).join("\n");
    assert.deepEqual(resolveStacks(org, PROJECT, [fileOf("dev", handWritten)]).problems, []);
  });

  it("two stacks that would have one name are an error naming the label to change", () => {
    const org = exampleOrganization();
    org.environments[1]!.accounts[0]!.name = "prod-eu";
    const { problems } = resolveStacks(org, PROJECT, []);
    assert.equal(problems.length, 1);
    assert.match(
      problems[0]!.message,
      /^stack prod-eu would be both workload account 333333333333 of staging and workload account 555555555555 of prod: give one of the accounts another label/,
    );
  });
});

describe("npm run stacks -- --write/--check", function () {
  this.timeout(30_000);
  /** A copy of the project: Pulumi.yaml and its stack files. */
  function copy(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cicd-stacks-"));
    for (const f of fs.readdirSync(PROJECT_DIR).filter((f) => /^Pulumi\..*ya?ml$/.test(f)))
      fs.copyFileSync(path.join(PROJECT_DIR, f), path.join(dir, f));
    return dir;
  }

  it("the repository's stack files are current", async () => {
    const run = await runCli(["stacks", "--check"], PROJECT_DIR);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /every stack file is current/);
  });

  it("--check names a missing file; --write writes it, leaves the override alone, and --check then passes", async () => {
    const dir = copy();
    fs.rmSync(path.join(dir, "Pulumi.staging.yaml"));
    const prod = fs.readFileSync(path.join(dir, "Pulumi.prod.yaml"), "utf8");
    const before = await runCli(["stacks", "--check"], dir);
    assert.equal(before.code, 2);
    assert.match(
      before.stderr,
      /Pulumi\.staging\.yaml: is missing: .*run `npm run stacks -- --write`/,
    );
    const write = await runCli(["stacks", "--write"], dir);
    assert.equal(write.code, 0, write.stderr);
    assert.match(write.stdout, /wrote Pulumi\.staging\.yaml\n/);
    assert.equal(fs.readFileSync(path.join(dir, "Pulumi.prod.yaml"), "utf8"), prod);
    assert.equal(
      fs.readFileSync(path.join(dir, "Pulumi.staging.yaml"), "utf8"),
      fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.staging.yaml"), "utf8"),
    );
    assert.equal((await runCli(["stacks", "--check"], dir)).code, 0);
  });

  it("an account added to the organization is a new stack: --check fails until --write writes its file", async () => {
    const dir = copy();
    const project = parse(fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8")) as {
      config: { organization: { value: Organization } };
    };
    project.config.organization.value.environments[2]!.accounts.push({
      id: "666666666666",
      regions: ["ap-southeast-2"],
    } as Organization["environments"][number]["accounts"][number]);
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), stringify(project));
    const check = await runCli(["stacks", "--check"], dir);
    assert.equal(check.code, 2);
    assert.match(check.stderr, /Pulumi\.prod-666666666666\.yaml: is missing/);
    assert.equal((await runCli(["stacks", "--write"], dir)).code, 0);
    const written = parse(
      fs.readFileSync(path.join(dir, "Pulumi.prod-666666666666.yaml"), "utf8"),
    ) as {
      config: Record<string, unknown>;
    };
    assert.deepEqual(written.config, {
      [`${PROJECT}:role`]: "workload",
      [`${PROJECT}:environment`]: "prod",
      [`${PROJECT}:account`]: "666666666666",
      "aws:region": "ap-southeast-2",
      "aws:allowedAccountIds": ["666666666666"],
    });
  });

  it("a foreign stack file fails --check and --write alike, naming the file", async () => {
    const dir = copy();
    fs.writeFileSync(
      path.join(dir, "Pulumi.old.yaml"),
      `config:\n  ${PROJECT}:role: workload\n  ${PROJECT}:environment: dev\n  ${PROJECT}:account: "777777777777"\n  aws:region: us-east-1\n`,
    );
    for (const flag of ["--check", "--write"]) {
      const run = await runCli(["stacks", flag], dir);
      assert.equal(run.code, 2, flag);
      assert.match(
        run.stderr,
        /Pulumi\.old\.yaml: deploys account 777777777777 of dev, which the organization does not list/,
        flag,
      );
    }
  });
});
