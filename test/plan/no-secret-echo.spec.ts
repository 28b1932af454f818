// A security tool never repeats a secret: a secret-shaped config value that fails validation, a
// secret in a stack export that cannot be decoded, a resource whose whole inputs are one secret,
// are described (their kind, their length, their path), never quoted, on stdout, stderr and in
// the JSON report.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import { ConfigError, validateStackConfig } from "../../model/config";
import { describeValue } from "../../policies/lib/display";
import { EXAMPLE_STACKS, PROJECT_DIR, runCli, stackConfig } from "../helpers";

const GITHUB_TOKEN = "ghp_Zq8Wm3Kx7Lp2Rt9Vn4Bc6Hd1Jf5Gs0Ya2Ue8";
const PRIVATE_KEY = "-----BEGIN RSA PRIVATE KEY-----MIIEowIBAAKCAQEA7x";
const JWT =
  "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZG1pbiIsImlhdCI6MTUxNjIzOTAyMn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV";
const SECRET_SIG = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270" };

/** Fails when `text` holds `secret` or any 8-character piece of it. */
export function assertNoPieceOf(secret: string, text: string, where: string): void {
  for (let i = 0; i + 8 <= secret.length; i++)
    assert.ok(
      !text.includes(secret.slice(i, i + 8)),
      `${where} repeats part of a secret (${JSON.stringify(secret.slice(i, i + 8))})`,
    );
}

function configProblems(edit: (org: Record<string, unknown>) => void, stack = "dev"): string {
  const base = stackConfig(stack);
  const key = `${base.project}:organization`;
  const org = JSON.parse(base.config[key]!) as Record<string, unknown>;
  edit(org);
  try {
    validateStackConfig(base.project, stack, { ...base.config, [key]: JSON.stringify(org) });
  } catch (e) {
    assert.ok(e instanceof ConfigError);
    return e.message;
  }
  assert.fail("expected a ConfigError");
}

const apps = (org: Record<string, unknown>) => org["applications"] as Record<string, unknown>[];
const envs = (org: Record<string, unknown>) => org["environments"] as Record<string, unknown>[];

describe("no output repeats a secret: config validation", () => {
  const cases: [string, string, (org: Record<string, unknown>) => void][] = [
    [
      "a token used as an application name",
      GITHUB_TOKEN,
      (o) => (apps(o)[0]!["name"] = GITHUB_TOKEN),
    ],
    [
      "a private key as an account id",
      PRIVATE_KEY,
      (o) => ((envs(o)[0]!["accounts"] as Record<string, unknown>[])[0]!["id"] = PRIVATE_KEY),
    ],
    ["a JWT as an environment name", JWT, (o) => (envs(o)[1]!["name"] = JWT)],
    ["a JWT as the naming prefix", JWT, (o) => (o["prefix"] = JWT)],
    [
      "a token as a promotion-order entry",
      GITHUB_TOKEN,
      (o) => (o["promotionOrder"] = [GITHUB_TOKEN]),
    ],
    [
      "a token as a subscriber endpoint",
      GITHUB_TOKEN,
      (o) =>
        (o["notifications"] = { subscribers: [{ protocol: "email", endpoint: GITHUB_TOKEN }] }),
    ],
    [
      "a token as a map key",
      GITHUB_TOKEN,
      (o) => ((o["tools"] as Record<string, unknown>)[GITHUB_TOKEN] = "x"),
    ],
  ];
  for (const [what, secret, edit] of cases)
    it(`describes, never quotes, ${what}`, () => {
      const message = configProblems(edit);
      assertNoPieceOf(secret, message, "the config error");
      assert.match(message, /looks like|character/);
    });

  it("still quotes short values that are plainly not secrets", () => {
    assert.match(
      configProblems((o) => (apps(o)[0]!["name"] = "Web_Frontend")),
      /"Web_Frontend" is not a valid application name/,
    );
    assert.equal(describeValue("us-east-7"), '"us-east-7"');
    assert.equal(
      describeValue(GITHUB_TOKEN),
      "a 40-character string that looks like a GitHub token (not shown)",
    );
    assert.equal(
      describeValue("a\u001bb"),
      "a 3-character string with control characters (not shown)",
    );
  });
});

describe("no output repeats a secret: plan --json", function () {
  this.timeout(60_000);
  it("a token used as an application name appears nowhere in stdout, stderr or the report", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cicd-secret-"));
    const project = parse(fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), "utf8")) as {
      main?: string;
      config: { organization: { value: Record<string, unknown> } };
    };
    project.main = path.join(PROJECT_DIR, "index.ts");
    apps(project.config.organization.value)[0]!["name"] = GITHUB_TOKEN;
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), stringify(project));
    for (const s of EXAMPLE_STACKS)
      fs.copyFileSync(
        path.join(PROJECT_DIR, `Pulumi.${s}.yaml`),
        path.join(dir, `Pulumi.${s}.yaml`),
      );
    const run = await runCli(["plan", "--stack", "dev", "--json", "plan.json"], dir);
    assert.equal(run.code, 2);
    const report = fs.readFileSync(path.join(dir, "plan.json"), "utf8");
    assert.match(report, /looks like a GitHub token/);
    for (const [where, text] of [
      ["stdout", run.stdout],
      ["stderr", run.stderr],
      ["the report", report],
    ] as const)
      assertNoPieceOf(GITHUB_TOKEN, text, where);
  });
});

describe("no output repeats a secret: check", function () {
  this.timeout(60_000);
  const URN = "urn:pulumi:prod::payments::";
  const exportOf = (...resources: unknown[]) => ({
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
  });
  async function check(doc: unknown) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cicd-check-"));
    fs.writeFileSync(path.join(dir, "stack.json"), JSON.stringify(doc));
    const run = await runCli(
      ["check", "stack.json", "--json", "report.json", "--no-policy-config"],
      dir,
    );
    const reportFile = path.join(dir, "report.json");
    const report = fs.existsSync(reportFile) ? fs.readFileSync(reportFile, "utf8") : "";
    return { ...run, report };
  }

  it("a secret whose plaintext is not a JSON-encoded string is not quoted in the error", async () => {
    const run = await check(
      exportOf({
        urn: `${URN}aws:ssm/parameter:Parameter::p`,
        custom: true,
        type: "aws:ssm/parameter:Parameter",
        inputs: { value: { ...SECRET_SIG, plaintext: GITHUB_TOKEN } },
      }),
    );
    assert.equal(run.code, 2);
    assert.match(run.stderr, /a string of 40 characters \(not shown: it is a secret\)/);
    assertNoPieceOf(GITHUB_TOKEN, run.stdout + run.stderr, "the check output");
  });

  it("a resource whose whole inputs are one secret is masked in the report", async () => {
    const secret = JSON.stringify({ value: GITHUB_TOKEN, password: "Pa55-w0rd-Zq8Wm3Kx7Lp2" });
    const run = await check(
      exportOf({
        urn: `${URN}aws:ssm/parameter:Parameter::p`,
        custom: true,
        type: "aws:ssm/parameter:Parameter",
        inputs: { ...SECRET_SIG, plaintext: secret },
        outputs: { ...SECRET_SIG, plaintext: secret },
      }),
    );
    assert.notEqual(run.report, "");
    const report = JSON.parse(run.report) as {
      stacks: { resources: { inputs: Record<string, unknown>; secretPaths: string[] }[] }[];
    };
    const resource = report.stacks[0]!.resources[1]!;
    assert.deepEqual(resource.secretPaths, [""]);
    assert.deepEqual(resource.inputs, { value: "[secret]", password: "[secret]" });
    for (const piece of [GITHUB_TOKEN, "Pa55-w0rd-Zq8Wm3Kx7Lp2"])
      assertNoPieceOf(piece, run.stdout + run.stderr + run.report, "the check output");
  });

  it("a plain (unmarked) token the secrets policies flag is masked in the report", async () => {
    const run = await check(
      exportOf({
        urn: `${URN}aws:ssm/parameter:Parameter::p`,
        custom: true,
        type: "aws:ssm/parameter:Parameter",
        inputs: { description: GITHUB_TOKEN },
        outputs: { description: GITHUB_TOKEN },
      }),
    );
    assert.equal(run.code, 1);
    assertNoPieceOf(GITHUB_TOKEN, run.stdout + run.stderr + run.report, "the check output");
  });
});
