// The alarm gate as it would run in CodeBuild: the gate buildspec's own script, started with the
// variables the tools stack gives the prod gate project and the prod gate actions, against a fake
// `aws` command that answers GetPipeline with the pipeline the tools stack declares, AssumeRole
// with per-account credentials, and DescribeAlarms with the states a test sets. The assertions are
// about what the deployed gate does: which roles it assumes, which alarms it reads, when it fails.
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { byName, runStackOk, type StackRun } from "../helpers";

const PIPELINE = "aws:codepipeline/pipeline:Pipeline";
const PROJECT = "aws:codebuild/project:Project";

/** A fake `aws` CLI: logs each call, answers from files beside it. */
const FAKE_AWS = `#!/usr/bin/env python3
import json, os, sys
here = os.path.dirname(os.path.abspath(__file__))
args = sys.argv[1:]
with open(os.path.join(here, "calls.log"), "a") as log:
    log.write(json.dumps({"args": args, "key": os.environ.get("AWS_ACCESS_KEY_ID")}) + "\\n")
def opt(name):
    return args[args.index(name) + 1]
if args[:2] == ["codepipeline", "get-pipeline"]:
    print(open(os.path.join(here, "pipeline.json")).read())
elif args[:2] == ["sts", "assume-role"]:
    account = opt("--role-arn").split(":")[4]
    print(json.dumps({"Credentials": {"AccessKeyId": "AK" + account, "SecretAccessKey": "s", "SessionToken": "t"}}))
elif args[:2] == ["cloudwatch", "describe-alarms"]:
    account = os.environ["AWS_ACCESS_KEY_ID"][2:]
    key = account + " " + opt("--region")
    states = json.load(open(os.path.join(here, "states.json")))
    # One counter file per account and region: the gate reads accounts in parallel.
    counter = os.path.join(here, "count-" + key.replace(" ", "-"))
    n = (int(open(counter).read()) if os.path.exists(counter) else 0) + 1
    open(counter, "w").write(str(n))
    seq = states.get(key, [])
    state = seq[min(n, len(seq)) - 1] if seq else None
    alarms = [] if state is None else [{"AlarmName": opt("--alarm-names"), "StateValue": state}]
    print(json.dumps({"CompositeAlarms": alarms, "MetricAlarms": []}))
else:
    sys.exit("fake aws: unexpected call " + " ".join(args))
`;

type Dict = Record<string, unknown>;

/** The pipeline as GetPipeline returns it, from what the tools stack declares. */
function getPipelineAnswer(run: StackRun, name: string): string {
  const p = byName(run, name, PIPELINE);
  const stages = (p.inputs["stages"] as Dict[]).map((s) => ({
    name: s["name"],
    actions: (s["actions"] as Dict[]).map((a) => ({
      name: a["name"],
      actionTypeId: {
        category: a["category"],
        owner: a["owner"],
        provider: a["provider"],
        version: a["version"],
      },
      runOrder: a["runOrder"],
      configuration: a["configuration"],
      ...(a["roleArn"] ? { roleArn: a["roleArn"] } : {}),
      ...(a["region"] ? { region: a["region"] } : {}),
    })),
  }));
  return JSON.stringify({ pipeline: { name: p.inputs["name"], stages } });
}

const variablesOf = (action: Dict): Record<string, string> =>
  Object.fromEntries(
    (
      JSON.parse((action["configuration"] as Record<string, string>)["EnvironmentVariables"]!) as {
        name: string;
        value: string;
      }[]
    ).map((v) => [v.name, v.value]),
  );

describe("alarm gate: what the prod gate does when it runs", () => {
  let run: StackRun;
  let script: string;
  let projectEnv: Record<string, string>;
  let entry: Record<string, string>;
  let bake: Record<string, string>;
  before(async () => {
    run = await runStackOk("tools");
    const project = byName(run, "acme-alarm-gate-prod", PROJECT);
    const spec = parse((project.inputs["source"] as Record<string, string>)["buildspec"]!) as {
      phases: { build: { commands: string[] } };
    };
    script = spec.phases.build.commands[0]!;
    projectEnv = Object.fromEntries(
      (
        (project.inputs["environment"] as Dict)["environmentVariables"] as {
          name: string;
          value: string;
        }[]
      ).map((v) => [v.name, v.value]),
    );
    const prod = (byName(run, "acme-orders-api", PIPELINE).inputs["stages"] as Dict[]).find(
      (s) => s["name"] === "Deploy-prod-wave2",
    )!;
    const gateActions = (prod["actions"] as Dict[]).filter(
      (a) => variablesOf(a)["GATE_PHASE"] !== undefined,
    );
    entry = variablesOf(gateActions[0]!);
    bake = variablesOf(gateActions[1]!);
  });

  function gate(
    action: Record<string, string>,
    states: Record<string, string[]>,
    extra: Record<string, string> = {},
  ) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "alarm-gate-"));
    fs.writeFileSync(path.join(dir, "aws"), FAKE_AWS, { mode: 0o755 });
    fs.writeFileSync(path.join(dir, "pipeline.json"), getPipelineAnswer(run, "acme-orders-api"));
    fs.writeFileSync(path.join(dir, "states.json"), JSON.stringify(states));
    const result = spawnSync("bash", ["-c", script], {
      env: {
        // The system's python3 (a version manager's shim would put its own bin first on PATH).
        PATH: `${dir}:/usr/bin:/bin`,
        HOME: dir,
        AWS_REGION: "us-east-1",
        CODEBUILD_INITIATOR: "codepipeline/acme-orders-api",
        CODEBUILD_BUILD_ID: "acme-alarm-gate-prod:0e3b8c1e-7d3c-4c1e-9a4e-1f2b3c4d5e6f",
        ...projectEnv,
        ...action,
        ...extra,
      },
      encoding: "utf8",
      timeout: 30_000,
    });
    const log = path.join(dir, "calls.log");
    const lines = fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n") : [];
    const calls = lines.map((l) => JSON.parse(l) as { args: string[]; key: string | null });
    fs.rmSync(dir, { recursive: true, force: true });
    return { ...result, calls };
  }

  const quiet = { "444444444444 us-east-1": ["OK"], "555555555555 eu-west-1": ["OK"] };

  it("reads prod's deployment-health alarm in both prod accounts through their alarm readers, and lets a quiet prod through", () => {
    const r = gate(entry, quiet);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const assumed = r.calls
      .filter((c) => c.args[0] === "sts")
      .map((c) => c.args[c.args.indexOf("--role-arn") + 1])
      .sort();
    assert.deepEqual(assumed, [
      "arn:aws:iam::444444444444:role/acme-prod-alarm-reader",
      "arn:aws:iam::555555555555:role/acme-prod-alarm-reader",
    ]);
    const reads = r.calls
      .filter((c) => c.args[0] === "cloudwatch")
      .map((c) => [
        c.key,
        c.args[c.args.indexOf("--region") + 1],
        c.args[c.args.indexOf("--alarm-names") + 1],
      ])
      .sort();
    // Each account's alarm is read with that account's reader credentials, in its own region.
    assert.deepEqual(reads, [
      ["AK444444444444", "us-east-1", "acme-prod-deployment-health"],
      ["AK555555555555", "eu-west-1", "acme-prod-deployment-health"],
    ]);
    for (const c of r.calls.filter((c) => c.args[0] === "sts"))
      assert.match(c.args[c.args.indexOf("--role-session-name") + 1]!, /^[\w+=,.@-]{2,64}$/);
  });

  it("fails the stage when one prod account's alarm is in ALARM, naming the account", () => {
    const r = gate(entry, { ...quiet, "555555555555 eu-west-1": ["ALARM"] });
    assert.notEqual(r.status, 0);
    assert.match(r.stdout, /555555555555 eu-west-1: acme-prod-deployment-health is ALARM/);
    assert.match(r.stderr, /1 of 2 account\/region\(s\) not healthy/);
  });

  it("fails closed when an account's alarm cannot be found", () => {
    const r = gate(entry, { "444444444444 us-east-1": ["OK"] });
    assert.notEqual(r.status, 0);
    assert.match(r.stdout, /555555555555 eu-west-1: acme-prod-deployment-health is MISSING/);
  });

  it("while baking, an alarm that fires after the deploy fails the stage (and the stage rolls back)", () => {
    assert.deepEqual([bake["GATE_PHASE"], bake["GATE_MINUTES"]], ["bake", "30"]);
    // A short bake: quiet at first, in ALARM on the third look.
    const r = gate(
      bake,
      { ...quiet, "444444444444 us-east-1": ["OK", "OK", "ALARM"] },
      { GATE_MINUTES: "0.05", GATE_INTERVAL_SECONDS: "0.2" },
    );
    assert.notEqual(r.status, 0, r.stdout);
    assert.match(r.stdout, /444444444444 us-east-1: acme-prod-deployment-health is ALARM/);
    const quietBake = gate(bake, quiet, { GATE_MINUTES: "0.01", GATE_INTERVAL_SECONDS: "0.2" });
    assert.equal(quietBake.status, 0, quietBake.stdout + quietBake.stderr);
    assert.ok(
      quietBake.calls.filter((c) => c.args[0] === "cloudwatch").length >= 4,
      "a bake looks more than once",
    );
  });

  it("refuses to run outside a pipeline", () => {
    const r = gate(entry, quiet, { CODEBUILD_INITIATOR: "someone/manual" });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /not by a pipeline/);
    assert.deepEqual(r.calls, [], "it reads nothing");
  });
});
