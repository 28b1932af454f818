// `npm run bench:size`: `check` on stack exports of 10,000, 50,000 and 100,000 resources of one
// kind (the size where rendering once overflowed the call stack with an array spread into push),
// and `plan` of the tools stack at the largest organization the tools stack accepts
// (MAX_APPLICATIONS applications, quotas declared as raised as they need), with the heap its
// Pulumi.yaml gives the program and with Node's default. Each run is its own process, as a user
// runs it; wall time and peak RSS are written to bench/size-results.md.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { validateOrganization } from "../model/config";
import { pipelineModel } from "../model/pipeline";
import { MAX_APPLICATIONS, toolsFootprint } from "../model/quotas";
import { PROJECT_DIR } from "../test/helpers";
import { generateOrganization, writeProject } from "./generate";

const SIZES = [10_000, 50_000, 100_000];
const RSS_REPORTER = path.join(PROJECT_DIR, "bench", "rss-reporter.js");
const URN = "urn:pulumi:prod::payments::";

/** An export of `n` S3 buckets under the root stack, with the default provider. */
function exportOf(n: number): string {
  const provider = `${URN}pulumi:providers:aws::default_7_48_0`;
  const resources: unknown[] = [
    { urn: `${URN}pulumi:pulumi:Stack::payments-prod`, custom: false, type: "pulumi:pulumi:Stack" },
    {
      urn: provider,
      custom: true,
      id: "p-1",
      type: "pulumi:providers:aws",
      inputs: { region: "us-east-1", allowedAccountIds: '["444444444444"]' },
    },
  ];
  for (let i = 0; i < n; i++) {
    const name = `bucket-${i}`;
    resources.push({
      urn: `${URN}aws:s3/bucketV2:BucketV2::${name}`,
      custom: true,
      id: name,
      type: "aws:s3/bucketV2:BucketV2",
      parent: `${URN}pulumi:pulumi:Stack::payments-prod`,
      provider: `${provider}::p-1`,
      inputs: { bucket: name, tags: { app: "payments" } },
      outputs: { bucket: name, arn: `arn:aws:s3:::${name}`, tags: { app: "payments" } },
    });
  }
  return JSON.stringify({
    version: 3,
    deployment: {
      manifest: { time: "2025-01-01T00:00:00Z", magic: "", version: "v3.248.0" },
      resources,
    },
  });
}

interface Row {
  readonly resources: number;
  readonly exitCode: number | null;
  readonly seconds: number;
  readonly peakRssMiB: number;
  readonly error?: string;
}

/** Runs the CLI with `args` in `cwd`, the RSS reporter preloaded in every node it starts. */
function runCli(args: string[], cwd: string, rssFile: string) {
  return spawnSync(process.execPath, [path.join(PROJECT_DIR, "bin", "cicd-plan.js"), ...args], {
    cwd,
    env: {
      ...process.env,
      NO_COLOR: "1",
      BENCH_RSS_FILE: rssFile,
      NODE_OPTIONS: `${process.env["NODE_OPTIONS"] ?? ""} --require ${RSS_REPORTER}`.trim(),
    },
    encoding: "utf8",
    maxBuffer: 1 << 30,
  });
}

/** Wall seconds since `started` and the peak RSS the reporter wrote, rounded for the table. */
function usage(started: bigint, rssFile: string): { seconds: number; peakRssMiB: number } {
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const kib = fs.existsSync(rssFile) ? Number(fs.readFileSync(rssFile, "utf8")) : 0;
  return { seconds: Math.round(seconds * 10) / 10, peakRssMiB: Math.round(kib / 1024) };
}

function measure(n: number, dir: string): Row {
  const file = path.join(dir, `export-${n}.json`);
  fs.writeFileSync(file, exportOf(n));
  const rssFile = path.join(dir, `rss-${n}`);
  const started = process.hrtime.bigint();
  const result = runCli(["check", file], PROJECT_DIR, rssFile);
  const measured = usage(started, rssFile);
  const error = /RangeError|heap out of memory/.exec(result.stderr)?.[0];
  return {
    resources: n,
    exitCode: result.status,
    ...measured,
    ...(error ? { error } : {}),
  };
}

/** The heap Pulumi.yaml gives the program of the largest tools stack (docs: README, Performance). */
export const LARGEST_NODEARGS = "--max-old-space-size=8192";

interface PlanRow {
  readonly heap: string;
  readonly resources: number;
  readonly exitCode: number | null;
  readonly seconds: number;
  readonly peakRssMiB: number;
  readonly error?: string;
}

/** `plan --stack tools` of the largest accepted organization, with and without the nodeargs. */
function measurePlans(dir: string): { apps: number; rows: PlanRow[] } {
  const sized = generateOrganization({ applications: MAX_APPLICATIONS, prodAccounts: 2 });
  const org = validateOrganization(sized);
  // Exactly the quotas it needs: the largest organization the tools stack accepts.
  const quotas = toolsFootprint(
    org,
    org.applications.map((a) => pipelineModel(org, a)),
  );
  const largest = generateOrganization({ applications: MAX_APPLICATIONS, prodAccounts: 2, quotas });
  const rows = [LARGEST_NODEARGS, undefined].map((nodeargs, i): PlanRow => {
    const project = writeProject(largest, fs.mkdtempSync(path.join(dir, `org-${i}-`)), nodeargs);
    const rssFile = path.join(dir, `rss-plan-${i}`);
    const report = path.join(dir, `plan-${i}.json`);
    const started = process.hrtime.bigint();
    const result = runCli(["plan", "--stack", "tools", "--json", report], project, rssFile);
    const measured = usage(started, rssFile);
    const planned = /Plan: 1 stack\(s\), (\d+) resources/.exec(result.stdout)?.[1];
    const error = /heap out of memory|RangeError|not evaluated/.exec(
      result.stdout + result.stderr,
    )?.[0];
    return {
      heap: nodeargs ?? "Node's default",
      resources: Number(planned ?? 0),
      exitCode: result.status,
      ...measured,
      ...(error ? { error } : {}),
    };
  });
  return { apps: MAX_APPLICATIONS, rows };
}

function main(): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cicd-bench-size-"));
  const plans = measurePlans(dir);
  for (const r of plans.rows)
    console.log(
      `plan tools, ${plans.apps} applications, ${r.heap}: exit ${r.exitCode}, ${r.resources} resources, ${r.seconds} s, ${r.peakRssMiB} MiB${r.error ? ` (${r.error})` : ""}`,
    );
  const rows = SIZES.map((n) => {
    const row = measure(n, dir);
    console.log(
      `${n} resources: exit ${row.exitCode}, ${row.seconds} s, ${row.peakRssMiB} MiB${row.error ? ` (${row.error})` : ""}`,
    );
    return row;
  });
  const cpus = os.cpus();
  const text = [
    "# `check` at size",
    "",
    `Measured by \`npm run bench:size\` on ${cpus.length} × ${cpus[0]?.model ?? "unknown CPU"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}: \`cicd-plan check\` on a generated export of that many S3 buckets (one kind), one process each, start-up included.`,
    "",
    "| Resources | Exit | Wall time | Peak RSS |",
    "| --------: | ---: | --------: | -------: |",
    ...rows.map(
      (r) =>
        `| ${r.resources.toLocaleString("en-US")} | ${r.exitCode}${r.error ? ` (${r.error})` : ""} | ${r.seconds.toFixed(1)} s | ${r.peakRssMiB} MiB |`,
    ),
    "",
    "# `plan` at the largest accepted organization",
    "",
    `\`cicd-plan plan --stack tools --json\` of a generated organization of ${plans.apps.toLocaleString("en-US")} applications (the most one tools stack takes, model/quotas.ts), each quota declared exactly as raised as it needs, prod with 2 accounts; with the heap its Pulumi.yaml gives the program (\`runtime.options.nodeargs\`) and with Node's default. Exit 0: no mandatory finding.`,
    "",
    "| Heap | Resources planned | Exit | Wall time | Peak RSS |",
    "| ---- | ----------------: | ---: | --------: | -------: |",
    ...plans.rows.map(
      (r) =>
        `| ${r.heap} | ${r.resources.toLocaleString("en-US")} | ${r.exitCode}${r.error ? ` (${r.error})` : ""} | ${r.seconds.toFixed(1)} s | ${r.peakRssMiB} MiB |`,
    ),
    "",
  ].join("\n");
  fs.writeFileSync(path.join(PROJECT_DIR, "bench", "size-results.md"), text);
  fs.rmSync(dir, { recursive: true, force: true });
  if (rows.some((r) => r.exitCode !== 0 && r.exitCode !== 1)) process.exitCode = 1;
  if (plans.rows[0]?.exitCode !== 0) process.exitCode = 1;
}

main();
