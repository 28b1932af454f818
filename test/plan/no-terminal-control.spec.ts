// Input never drives the terminal: names, branches, resource types and ids with ESC sequences,
// NUL, BEL, DEL, C1 controls or bidirectional overrides are printed as visible escapes (\u001b),
// in errors, in the Resources section of `check` and in the JSON report (which JSON.stringify
// alone would leave holding U+007F–U+009F and the bidi controls); config refuses them in names.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ConfigError, validateStackConfig } from "../../model/config";
import { escapeControls, escapeJsonText } from "../../policies/lib/display";
import { runCli, stackConfig } from "../helpers";

const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const NASTY = "a\u001b[2J\u0000\u0007\u007f\u009b\u0085\u202e\u2066b";

describe("no output lets input drive the terminal", function () {
  this.timeout(60_000);

  it("one escaping function makes every control character visible", () => {
    assert.equal(
      escapeControls(NASTY),
      "a\\u001b[2J\\u0000\\u0007\\u007f\\u009b\\u0085\\u202e\\u2066b",
    );
    assert.equal(
      escapeJsonText(JSON.stringify(NASTY)),
      JSON.stringify(NASTY).replace(
        /[\u007f-\u009f\u202e\u2066]/g,
        (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
      ),
    );
    assert.equal(JSON.parse(escapeJsonText(JSON.stringify(NASTY))), NASTY);
  });

  it("check prints control characters in types, names and ids as escapes, in text and JSON", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cicd-ctl-"));
    const URN = "urn:pulumi:prod::payments::";
    const doc = {
      version: 3,
      deployment: {
        manifest: { time: "2025-01-01T00:00:00Z", magic: "", version: "v3.248.0" },
        resources: [
          { urn: `${URN}pulumi:pulumi:Stack::root`, custom: false, type: "pulumi:pulumi:Stack" },
          {
            urn: `${URN}aws:s3${NASTY}/bucket:Bucket::${NASTY}`,
            custom: true,
            type: `aws:s3${NASTY}/bucket:Bucket`,
            id: NASTY,
            inputs: { [NASTY]: NASTY },
          },
        ],
      },
    };
    fs.writeFileSync(path.join(dir, "stack.json"), JSON.stringify(doc));
    const run = await runCli(
      ["check", "stack.json", "--json", "r.json", "--no-policy-config"],
      dir,
    );
    assert.ok(run.code === 0 || run.code === 1, run.stderr);
    assert.match(run.stdout, /Resources/);
    assert.match(run.stdout, /\\u001b\[2J/);
    const report = fs.readFileSync(path.join(dir, "r.json"), "utf8");
    for (const text of [run.stdout, run.stderr, report]) assert.doesNotMatch(text, RAW_CONTROL);
    assert.match(report, /\\u0085/);
    assert.match(report, /\\u202e/);
  });

  it("errors quoting a bad urn escape its control characters", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cicd-ctl-"));
    fs.writeFileSync(
      path.join(dir, "stack.json"),
      JSON.stringify({ version: 3, deployment: { resources: [{ urn: NASTY, type: NASTY }] } }),
    );
    const run = await runCli(["check", "stack.json"], dir, true);
    assert.equal(run.code, 2);
    // With colour on, the only ESC bytes are the CLI's own colours.
    assert.doesNotMatch(run.stderr.replace(/\u001b\[\d+m/g, ""), RAW_CONTROL);
  });

  it("config refuses control characters in a branch and never echoes them raw", () => {
    const base = stackConfig("dev");
    const key = `${base.project}:organization`;
    const org = JSON.parse(base.config[key]!) as {
      applications: { name: string; source: { branch?: string } }[];
    };
    org.applications[0]!.source.branch = "main\u001b[2J";
    org.applications[1]!.name = `web${"\u202e"}`;
    try {
      validateStackConfig(base.project, "dev", { ...base.config, [key]: JSON.stringify(org) });
      assert.fail("expected a ConfigError");
    } catch (e) {
      assert.ok(e instanceof ConfigError);
      assert.match(
        e.message,
        /source\.branch: a 8-character string with control characters \(not shown\) is not a branch name git accepts/,
      );
      assert.match(e.message, /applications\[1\]\.name: .* is not a valid application name/);
      assert.doesNotMatch(e.message, RAW_CONTROL);
    }
  });
});
