// The deploy build as the tools stack deploys it: the buildspec text and the variables of every
// Pulumi deploy project, checked against the AWS and Pulumi rules a first run would hit. Where a
// rule is about what the build's shell does, the test runs that part of the buildspec with bash.
import * as assert from "node:assert/strict";
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { NAME_LIMITS } from "../../model/naming";
import { ofType, runStackOk, type RecordedResource } from "../helpers";

interface Buildspec {
  env?: { variables?: Record<string, string> };
  phases: Record<
    string,
    { "runtime-versions"?: Record<string, unknown>; commands?: string[] } | undefined
  >;
}

type Variable = { name: string; value: string; type?: string };

const variables = (p: RecordedResource): Variable[] =>
  ((p.inputs["environment"] as Record<string, unknown>)["environmentVariables"] as Variable[]) ??
  [];
const variable = (p: RecordedResource, name: string) => variables(p).find((v) => v.name === name);
const buildspecOf = (p: RecordedResource): string =>
  (p.inputs["source"] as Record<string, string>)["buildspec"]!;
const commandsOf = (spec: Buildspec): string[] =>
  Object.values(spec.phases).flatMap((phase) => phase?.commands ?? []);

describe("deploy build: what a first pipeline run needs", () => {
  let projects: RecordedResource[];
  let all: RecordedResource[];
  let spec: Buildspec;
  let toolsRegion: string;
  before(async () => {
    const tools = await runStackOk("tools");
    all = ofType(tools, "aws:codebuild/project:Project");
    projects = all.filter(
      (p) =>
        variable(p, "DEPLOY_ROLE_ARN") !== undefined || /-deploy-/.test(String(p.inputs["name"])),
    );
    assert.ok(
      projects.length >= 6,
      "the example deploys two Pulumi applications to three environments",
    );
    spec = parse(buildspecOf(projects[0]!)) as Buildspec;
    toolsRegion = tools.resources.find((r) => r.type === "pulumi:providers:aws")!.region;
    // One buildspec for every deploy project; only the report group it names is its own.
    const phases = (p: RecordedResource) => {
      const { reports: _reports, ...rest } = parse(buildspecOf(p)) as Record<string, unknown>;
      return rest;
    };
    for (const p of projects) assert.deepEqual(phases(p), phases(projects[0]!));
  });

  it("PULUMI_BACKEND_URL takes precedence over pulumi login: the URL itself names the tools profile and region", () => {
    // https://www.pulumi.com/docs/iac/cli/environment-variables/ (PULUMI_BACKEND_URL); the query
    // parameters are gocloud.dev's (https://pkg.go.dev/gocloud.dev/aws): region, profile.
    for (const p of projects) {
      const url = new URL(variable(p, "PULUMI_BACKEND_URL")!.value);
      assert.equal(url.protocol, "s3:");
      assert.equal(url.searchParams.get("profile"), "tools");
      assert.equal(url.searchParams.get("region"), toolsRegion);
      const kms = new URL(variable(p, "PULUMI_SECRETS_PROVIDER")!.value);
      assert.equal(kms.protocol, "awskms:");
      assert.equal(kms.searchParams.get("profile"), "tools");
      assert.equal(kms.searchParams.get("region"), toolsRegion);
    }
    const text = commandsOf(spec).join("\n");
    // The program runs as the workload deploy role...
    assert.match(text, /AWS_PROFILE=target pulumi preview/);
    assert.match(text, /AWS_PROFILE=target pulumi up/);
    // ...and nothing rewrites the URLs the platform set, which is what keeps the state with tools.
    assert.doesNotMatch(text, /PULUMI_BACKEND_URL\}?\?/);
    assert.doesNotMatch(text, /PULUMI_SECRETS_PROVIDER\}?\?/);
    assert.doesNotMatch(text, /export PULUMI_BACKEND_URL/);
  });

  it("STS role session names are 2 to 64 characters of [\\w+=,.@-]: the session the build names, for the longest project name CodeBuild allows", () => {
    // https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html (RoleSessionName);
    // CODEBUILD_BUILD_ID is `<project>:<uuid>`
    // (https://docs.aws.amazon.com/codebuild/latest/userguide/build-env-ref-env-vars.html).
    const block = commandsOf(spec).find((c) => c.includes("role_session_name"));
    assert.ok(block, "the buildspec writes the AWS config with a role session name");
    const longest = "p".repeat(NAME_LIMITS.codeBuildProject);
    for (const project of [String(projects[0]!.inputs["name"]), longest]) {
      const home = fs.mkdtempSync(path.join(os.tmpdir(), "deploy-build-"));
      const result: SpawnSyncReturns<string> = spawnSync("bash", ["-c", block], {
        env: {
          PATH: process.env["PATH"],
          HOME: home,
          AWS_REGION: "us-east-1",
          TARGET_REGION: "eu-west-1",
          DEPLOY_ROLE_ARN: "arn:aws:iam::444444444444:role/acme-prod-deploy",
          CODEBUILD_BUILD_ID: `${project}:b1e6661e-e4f2-4156-9ab9-82a19e8b1e2f`,
        },
        encoding: "utf8",
      });
      assert.equal(result.status, 0, result.stderr);
      const config = fs.readFileSync(path.join(home, ".aws", "config"), "utf8");
      const session = /role_session_name = (.*)/.exec(config)?.[1];
      assert.ok(session !== undefined, config);
      assert.match(session, /^[\w+=,.@-]{2,64}$/);
      assert.match(config, /\[profile tools\]\ncredential_source = EcsContainer/);
      assert.match(config, /role_arn = arn:aws:iam::444444444444:role\/acme-prod-deploy/);
      fs.rmSync(home, { recursive: true, force: true });
    }
  });

  it("--secrets-provider applies only when the stack is created: every build keeps the provider recorded in the stack's state", () => {
    // https://www.pulumi.com/docs/iac/cli/commands/pulumi_stack_select/ ("Use with --create
    // flag") and PULUMI_FALLBACK_TO_STATE_SECRETS_MANAGER on the environment-variables page.
    assert.equal(spec.env?.variables?.["PULUMI_FALLBACK_TO_STATE_SECRETS_MANAGER"], "true");
    assert.match(
      commandsOf(spec).join("\n"),
      /pulumi stack select --create "\$STACK_NAME" --secrets-provider "\$\{PULUMI_SECRETS_PROVIDER\}"/,
    );
  });

  it("pulumi config set stores digits as a number unless --type string: account ids keep their leading zeros", () => {
    // https://www.pulumi.com/docs/iac/cli/commands/pulumi_config_set/ ("integers are treated as
    // numbers" for --path values; --type string).
    const sets = commandsOf(spec)
      .flatMap((c) => c.split("\n"))
      .filter((l) => /pulumi config set/.test(l) && /ACCOUNT|allowedAccountIds/.test(l));
    assert.ok(sets.length > 0);
    for (const line of sets) assert.match(line, /--type string/, line);
  });

  it("every tool a build downloads is pinned and checked against its published SHA-256, and no script is piped into a shell", () => {
    const specs = new Map(all.map((p) => [buildspecOf(p), String(p.inputs["name"])]));
    assert.ok(specs.size >= 5, "build, checks, tests and deploy each have a buildspec");
    for (const [text, project] of specs) {
      const body = commandsOf(parse(text) as Buildspec).join("\n");
      assert.doesNotMatch(
        body,
        /curl[^\n|]*\|\s*(ba|z)?sh\b/,
        `${project}: curl piped into a shell`,
      );
      assert.doesNotMatch(
        body,
        /curl[^\n|]*\|\s*tar\b/,
        `${project}: an unchecked archive unpacked`,
      );
      const downloads = body.match(/curl [^\n]*\.(tar\.gz|zip|tgz)/g) ?? [];
      if (downloads.length > 0) assert.match(body, /sha256sum -c/, `${project}: no checksum check`);
      for (const pip of body.match(/pip install[^\n]*/g) ?? [])
        assert.match(pip, /==/, `${project}: ${pip} is not pinned`);
      // Every multi-line block that pipes sets pipefail, so a failing left side fails the build.
      for (const block of commandsOf(parse(text) as Buildspec))
        if (block.includes("\n") && /[^|]\|[^|]/.test(block.replace(/<<<.*$/gm, "")))
          assert.match(
            block,
            /set -[a-z]*o pipefail|set -euo pipefail/,
            `${project}: ${block.slice(0, 60)}`,
          );
    }
  });

  it("the deploy build pins its Node.js runtime and installs the policy pack from its lock file", () => {
    // https://docs.aws.amazon.com/codebuild/latest/userguide/available-runtimes.html: without
    // runtime-versions the image's default version is used, and that default changes.
    assert.equal(spec.phases["install"]?.["runtime-versions"]?.["nodejs"], 20);
    assert.match(commandsOf(spec).join("\n"), /npm ci --include=dev/);
    assert.ok(
      fs.existsSync(path.join(__dirname, "..", "..", "policies", "package-lock.json")),
      "policies/package-lock.json is committed, so the pack installs what was tested",
    );
  });

  describe("the smoke test after each target deploys", () => {
    const smokeBlock = () => {
      const block = commandsOf(spec).find((c) => c.includes("npm run test:smoke"));
      assert.ok(block, "the deploy build runs the smoke test");
      return block;
    };
    // Runs the smoke block in a workspace whose package.json has `scripts`, as the CodeBuild
    // container would: with container credentials and the target profile in the environment.
    const runSmoke = (scripts: Record<string, string>, extra: Record<string, string> = {}) => {
      const src = fs.mkdtempSync(path.join(os.tmpdir(), "deploy-smoke-"));
      fs.writeFileSync(
        path.join(src, "package.json"),
        JSON.stringify({ name: "app", version: "1.0.0", private: true, scripts }),
      );
      const result = spawnSync("bash", ["-c", smokeBlock()], {
        cwd: src,
        env: {
          PATH: process.env["PATH"],
          HOME: src,
          CODEBUILD_SRC_DIR: src,
          WORKING_DIRECTORY: ".",
          STACK_NAME: "prod-444444444444",
          TARGET_ENV: "prod",
          TARGET_ACCOUNT: "444444444444",
          TARGET_REGION: "eu-west-1",
          STACK_OUTPUTS_FILE: path.join(src, "outputs.json"),
          AWS_PROFILE: "target",
          AWS_REGION: "us-east-1",
          AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: "/v2/credentials/abc",
          AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE",
          AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
          ...extra,
        },
        encoding: "utf8",
      });
      return { src, result };
    };

    it("runs after pulumi up, with the outputs the stack recorded (secrets masked: no --show-secrets)", () => {
      const commands = commandsOf(spec);
      const up = commands.findIndex((c) => /pulumi up /.test(c));
      const outputs = commands.findIndex((c) => /pulumi stack output --json/.test(c));
      const smoke = commands.indexOf(smokeBlock());
      assert.ok(up >= 0 && up < outputs && outputs < smoke, `${up} < ${outputs} < ${smoke}`);
      assert.match(commands[outputs]!, /> "\$STACK_OUTPUTS_FILE"/);
      assert.doesNotMatch(commands.join("\n"), /--show-secrets/);
      assert.equal(spec.env?.variables?.["STACK_OUTPUTS_FILE"], "/tmp/stack-outputs.json");
    });

    it("gives the smoke test the target and its outputs and no AWS credentials, and writes its JUnit under reports/smoke/", () => {
      const { src, result } = runSmoke({
        "test:smoke": `node -e 'require("fs").writeFileSync("seen.json", JSON.stringify(process.env))'`,
      });
      assert.equal(result.status, 0, result.stderr);
      const seen = JSON.parse(fs.readFileSync(path.join(src, "seen.json"), "utf8")) as Record<
        string,
        string
      >;
      assert.equal(seen["STACK_NAME"], "prod-444444444444");
      assert.equal(seen["TARGET_ACCOUNT"], "444444444444");
      assert.equal(seen["TARGET_REGION"], "eu-west-1");
      assert.equal(seen["STACK_OUTPUTS_FILE"], path.join(src, "outputs.json"));
      assert.equal(seen["SMOKE_REPORT_FILE"], "reports/smoke/prod-444444444444.xml");
      for (const name of [
        "AWS_PROFILE",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
      ])
        assert.equal(seen[name], undefined, `${name} reaches the smoke test`);
      assert.equal(seen["AWS_EC2_METADATA_DISABLED"], "true");
      assert.ok(fs.existsSync(path.join(src, "reports", "smoke")));
      fs.rmSync(src, { recursive: true, force: true });
    });

    it("fails the deploy action when the smoke test fails", () => {
      const { src, result } = runSmoke({ "test:smoke": "exit 3" });
      assert.notEqual(result.status, 0);
      fs.rmSync(src, { recursive: true, force: true });
    });

    it("says that nothing verified the target when the repository has no test:smoke script", () => {
      const { src, result } = runSmoke({ test: "true" });
      assert.equal(result.status, 0, result.stderr);
      assert.match(
        result.stdout,
        /no test:smoke script in package\.json: nothing verifies prod-444444444444/,
      );
      fs.rmSync(src, { recursive: true, force: true });
    });

    it("publishes to the deploy project's own report group", () => {
      for (const p of projects) {
        const reports = (parse(buildspecOf(p)) as { reports?: Record<string, unknown> }).reports;
        assert.deepEqual(Object.keys(reports ?? {}), [
          `arn:aws:codebuild:${toolsRegion}:111111111111:report-group/${String(p.inputs["name"])}-tests`,
        ]);
      }
    });
  });

  it("the secrets scan says it sees the working tree only", () => {
    const scan = all.find((p) => buildspecOf(p).includes("gitleaks"));
    assert.ok(scan, "the example has a secrets-scan check");
    assert.match(buildspecOf(scan), /working tree only, no git history/);
  });
});

describe("CloudFormation input artifacts", () => {
  type Stage = { name: string; actions: Record<string, unknown>[] };
  const stages = (run: Awaited<ReturnType<typeof runStackOk>>, pipeline: string) =>
    run.resources.find(
      (r) => r.type === "aws:codepipeline/pipeline:Pipeline" && r.inputs["name"] === pipeline,
    )!.inputs["stages"] as Stage[];

  it("CloudFormation actions accept input artifacts of at most 256 MB: the change sets read only the template and its files, never the whole workspace", async () => {
    // https://docs.aws.amazon.com/codepipeline/latest/userguide/limits.html ("If you are using
    // AWS CloudFormation to deploy applications, the maximum artifact size is always 256 MB").
    const run = await runStackOk("tools", {
      editOrganization: (o) => {
        const billing = o.applications.find((a) => a.name === "billing-worker")!;
        (billing.deploy as { templateFiles?: string[] }).templateFiles = ["dist/handler.zip"];
      },
    });
    const billing = stages(run, "acme-billing-worker");
    const build = billing
      .find((s) => s.name === "Build")!
      .actions.find((a) => a["name"] === "Build")!;
    assert.deepEqual(build["outputArtifacts"], ["build", "template"]);
    const cfn = billing.flatMap((s) => s.actions).filter((a) => a["provider"] === "CloudFormation");
    assert.ok(cfn.length > 0);
    for (const a of cfn) {
      assert.deepEqual(
        a["inputArtifacts"] ?? [],
        a["name"]!.toString().endsWith(".plan") ? ["template"] : [],
      );
      const path = (a["configuration"] as Record<string, string>)["TemplatePath"];
      if (path) assert.equal(path, "template::template.yaml");
    }
    const project = ofType(run, "aws:codebuild/project:Project").find(
      (p) => p.inputs["name"] === "acme-billing-worker-build",
    )!;
    const spec = parse(buildspecOf(project)) as {
      artifacts: { files: string[]; "secondary-artifacts": Record<string, { files: string[] }> };
    };
    assert.deepEqual(spec.artifacts["secondary-artifacts"]["template"]!.files, [
      "template.yaml",
      "dist/handler.zip",
    ]);
    // The tests still get the whole workspace.
    assert.deepEqual(spec.artifacts["secondary-artifacts"]["build"]!.files, ["**/*"]);
    const test = billing.find((s) => s.name === "Test-dev")!.actions[0]!;
    assert.deepEqual(test["inputArtifacts"], ["build"]);
    // A Pulumi application's build keeps its one artifact.
    const orders = stages(run, "acme-orders-api").find((s) => s.name === "Build")!.actions[0]!;
    assert.deepEqual(orders["outputArtifacts"], ["build"]);
  });
});
