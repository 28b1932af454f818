// `npm run bench`: measures the offline plan, `check`, the size of every IAM document the
// blueprint writes as the organization grows, and the test suite, on this machine. Writes
// bench/results.json and bench/results.md, and puts the table into the README's Performance
// section. Plans and checks run as separate processes exactly as a user runs them
// (`node bin/cicd-plan.js ...`), so start-up is included; each is measured several times and
// reported as median and min of wall time and peak RSS.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as prettier from "prettier";
import { reportResource } from "../plan/report";
import { toStackExport } from "../plan/export";
import type { RecordedResource } from "../plan/engine";
import { PROJECT_DIR, runStack, runStackOk } from "../test/helpers";
import { generateOrganization, writeProject, type Size } from "./generate";

const QUICK = process.argv.includes("--quick");
const BIN = path.join(PROJECT_DIR, "bin", "cicd-plan.js");
const RSS_REPORTER = path.join(PROJECT_DIR, "bench", "rss-reporter.js");
/** The example organization's resource-name prefix (`prefix: acme` in Pulumi.yaml). */
const NAME_PREFIX = "acme-";
const PLATFORM_POLICY_CONFIG = path.join(PROJECT_DIR, "policies", "platform.policy-config.json");

interface Sample {
  readonly wallMs: number;
  readonly peakRssMb: number;
  readonly code: number;
}

interface Measured {
  readonly runs: number;
  readonly wallMs: { readonly median: number; readonly min: number };
  readonly peakRssMb: { readonly median: number; readonly min: number };
  readonly exitCodes: readonly number[];
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function summarize(samples: readonly Sample[]): Measured {
  const wall = samples.map((s) => s.wallMs);
  const rss = samples.map((s) => s.peakRssMb);
  return {
    runs: samples.length,
    wallMs: { median: Math.round(median(wall)), min: Math.round(Math.min(...wall)) },
    peakRssMb: { median: Math.round(median(rss)), min: Math.round(Math.min(...rss)) },
    exitCodes: samples.map((s) => s.code),
  };
}

/** Runs a command `runs` times; peak RSS comes from the child's own resource usage at exit. */
function measure(command: string, args: string[], cwd: string, runs: number): Measured {
  const samples: Sample[] = [];
  for (let i = 0; i < runs; i++) {
    const rssFile = path.join(os.tmpdir(), `bench-rss-${process.pid}-${i}`);
    const started = process.hrtime.bigint();
    const result = spawnSync(command, args, {
      cwd,
      env: { ...process.env, BENCH_RSS_FILE: rssFile, NO_COLOR: "1" },
      encoding: "utf8",
      maxBuffer: 256 * 1024 * 1024,
    });
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    let peakRssMb = NaN;
    try {
      peakRssMb = Number(fs.readFileSync(rssFile, "utf8")) / 1024;
      fs.rmSync(rssFile);
    } catch {
      // a process that died before exit reports no RSS
    }
    samples.push({ wallMs, peakRssMb, code: result.status ?? -1 });
    if (result.status !== 0 && result.status !== 1)
      process.stderr.write(
        `  ${args.join(" ")} exited ${result.status}: ${result.stderr.slice(-2000)}\n`,
      );
  }
  return summarize(samples);
}

function nodeCli(args: string[], cwd: string, runs: number): Measured {
  return measure(process.execPath, ["-r", RSS_REPORTER, BIN, ...args], cwd, runs);
}

function log(text: string): void {
  process.stderr.write(`${text}\n`);
}

// ---- 1 and 2: plans -------------------------------------------------------------------------

const SIZES: readonly Size[] = [
  { applications: 10, prodAccounts: 1 },
  { applications: 50, prodAccounts: 20 },
  { applications: 200, prodAccounts: 100 },
];

function benchPlans() {
  log("plan: example organization");
  const example = nodeCli(["plan"], PROJECT_DIR, QUICK ? 2 : 5);
  const generated = [];
  for (const size of SIZES) {
    const org = generateOrganization(size);
    const dir = writeProject(org);
    const stacks = fs.readdirSync(dir).filter((f) => /^Pulumi\..+\.yaml$/.test(f)).length;
    log(
      `plan: ${size.applications} applications, prod ${size.prodAccounts} account(s), ${stacks} stacks`,
    );
    const runs = QUICK ? 1 : size.applications >= 200 ? 2 : 3;
    // Judged as the example organization is: with the platform's policy config, which accepts
    // the breadth of the platform's own boundary, deploy and CloudFormation roles.
    const args = ["plan", "--policy-config", PLATFORM_POLICY_CONFIG];
    generated.push({ ...size, stacks, ...nodeCli(args, dir, runs) });
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return { example, generated };
}

// ---- 3: IAM document sizes ------------------------------------------------------------------

/** AWS limits, in characters (IAM counts characters without whitespace). */
const LIMITS = {
  "role inline policies": 10_240,
  "managed policy": 6_144,
  "trust policy": 2_048,
  "KMS key policy": 32_768,
  "bucket policy": 20_480,
  "topic policy": 30_720,
} as const;
type DocKind = keyof typeof LIMITS;

function minified(doc: unknown): number {
  if (typeof doc !== "string") return JSON.stringify(doc ?? "").length;
  try {
    return JSON.stringify(JSON.parse(doc)).length;
  } catch {
    return doc.replace(/\s+/g, "").length;
  }
}

/** Every IAM-language document of a stack, keyed by kind and a size-independent name. */
function documents(
  resources: readonly RecordedResource[],
): Map<string, { kind: DocKind; chars: number }> {
  const docs = new Map<string, { kind: DocKind; chars: number }>();
  const key = (kind: DocKind, name: string) => `${kind}: ${name.replace(/app-\d{3}/g, "app-N")}`;
  const put = (kind: DocKind, name: string, chars: number) => {
    const k = key(kind, name);
    // Per-application documents share a key; the largest one is what must fit.
    docs.set(k, { kind, chars: Math.max(chars, docs.get(k)?.chars ?? 0) });
  };
  const inline = new Map<string, number>();
  for (const r of resources) {
    const i = r.outputs;
    switch (r.type) {
      case "aws:iam/role:Role": {
        put("trust policy", r.name, minified(i["assumeRolePolicy"]));
        const own = ((i["inlinePolicies"] as { policy?: unknown }[] | undefined) ?? []).reduce(
          (n, p) => n + minified(p.policy),
          0,
        );
        inline.set(
          String(i["name"] ?? r.name),
          (inline.get(String(i["name"] ?? r.name)) ?? 0) + own,
        );
        break;
      }
      case "aws:iam/rolePolicy:RolePolicy": {
        const role = String(i["role"] ?? r.name);
        inline.set(role, (inline.get(role) ?? 0) + minified(i["policy"]));
        break;
      }
      case "aws:iam/policy:Policy":
        put("managed policy", r.name, minified(i["policy"]));
        break;
      case "aws:kms/key:Key":
        put("KMS key policy", r.name, minified(i["policy"]));
        break;
      case "aws:s3/bucketPolicy:BucketPolicy":
        put("bucket policy", r.name, minified(i["policy"]));
        break;
      case "aws:sns/topicPolicy:TopicPolicy":
        put("topic policy", r.name, minified(i["policy"]));
        break;
    }
  }
  for (const [role, chars] of inline) if (chars > 0) put("role inline policies", role, chars);
  return docs;
}

async function documentsOf(
  size: Size,
): Promise<Map<string, { kind: DocKind; chars: number }> | string> {
  const org = generateOrganization(size);
  const all = new Map<string, { kind: DocKind; chars: number }>();
  // The tools stack, and the first prod account's workload stack (every workload stack is alike).
  const prodAccount = org.environments.find((e) => e.name === "prod")!.accounts[0]!;
  for (const [stack, config] of [
    ["tools", {}],
    [
      "prod",
      {
        "cicd-platform:account": prodAccount.id,
        "aws:allowedAccountIds": JSON.stringify([prodAccount.id]),
      },
    ],
  ] as const) {
    const run = await runStack(stack, { organization: org, config });
    if (run.error !== undefined)
      return String((run.error as Error).message ?? run.error)
        .split("\n")
        .slice(0, 3)
        .join(" ");
    for (const [k, v] of documents(run.resources)) all.set(`${stack} ${k}`, v);
  }
  return all;
}

async function benchDocuments() {
  const accountSeries: Size[] = [
    { applications: 3, prodAccounts: 3 },
    { applications: 3, prodAccounts: 50 },
    { applications: 3, prodAccounts: 100 },
    // Gated prod holds at most 210 targets (5 alarm rules per wave, 50 stages per pipeline); the
    // rest of a 500-account organization goes to dev, which splits at 50 actions (25 targets for a
    // CloudFormation application: change set and execute).
    { applications: 3, prodAccounts: 100, devAccounts: 400 },
  ];
  const appSeries: Size[] = [
    { applications: 1, prodAccounts: 3 },
    { applications: 50, prodAccounts: 3 },
    { applications: QUICK ? 50 : 200, prodAccounts: 3 },
  ];
  const refused = await documentsOf({ applications: 3, prodAccounts: 500 });
  const label = (s: Size) =>
    `${s.applications} apps, ${s.prodAccounts + 1 + (s.devAccounts ?? 0) + 1} workload accounts`;
  const bySize: {
    size: Size;
    label: string;
    docs: Map<string, { kind: DocKind; chars: number }>;
  }[] = [];
  for (const size of [...accountSeries, ...appSeries]) {
    log(`documents: ${label(size)}`);
    const docs = await documentsOf(size);
    if (typeof docs === "string") throw new Error(`${label(size)}: ${docs}`);
    bySize.push({ size, label: label(size), docs });
  }
  const keys = [...new Set(bySize.flatMap((b) => [...b.docs.keys()]))].sort();
  const rows = keys.map((k) => {
    const sizes = bySize.map((b) => b.docs.get(k)?.chars ?? 0);
    const kind = bySize.find((b) => b.docs.has(k))!.docs.get(k)!.kind;
    const accountSizes = sizes.slice(0, accountSeries.length);
    const appSizes = sizes.slice(accountSeries.length);
    const max = Math.max(...sizes);
    return {
      document: k,
      kind,
      limit: LIMITS[kind],
      charsByAccounts: accountSizes,
      charsByApplications: appSizes,
      growsWithAccounts: new Set(accountSizes).size > 1,
      growsWithApplications: new Set(appSizes).size > 1,
      maxChars: max,
      percentOfLimit: Math.round((1000 * max) / LIMITS[kind]) / 10,
    };
  });
  return {
    accountSeries: accountSeries.map(label),
    applicationSeries: appSeries.map(label),
    prodWith500Accounts: typeof refused === "string" ? `refused: ${refused}` : "accepted",
    documents: rows,
  };
}

// ---- 4: check throughput --------------------------------------------------------------------

async function benchCheck() {
  const base = (await runStackOk("tools")).resources.map(reportResource);
  const target = 10_000;
  const copies = Math.ceil(target / base.length);
  const rename = (urn: string, c: number) => (c === 0 ? urn : `${urn}-copy${c}`);
  // Each copy is the tools stack of another organization prefix (acme1-, acme2-, ...), so that
  // physical names stay unique in the export, as IAM and S3 names are within one account; copies
  // with the very same role and bucket names would link every copy to every other.
  if (!JSON.stringify(base).includes(NAME_PREFIX))
    throw new Error(`the example tools stack no longer names resources "${NAME_PREFIX}..."`);
  const renamed = (value: unknown, c: number): unknown =>
    c === 0
      ? value
      : typeof value === "string"
        ? value.split(NAME_PREFIX).join(NAME_PREFIX.replace(/-$/, `${c}-`))
        : Array.isArray(value)
          ? value.map((v) => renamed(v, c))
          : value !== null && typeof value === "object"
            ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renamed(v, c)]))
            : value;
  const resources = [];
  for (let c = 0; c < copies; c++) {
    for (const r of base) {
      if (resources.length >= target) break;
      // The root stack and providers appear once; everything else is copied with its links.
      if (c > 0 && (r.type === "pulumi:pulumi:Stack" || r.type.startsWith("pulumi:providers:")))
        continue;
      const keep = (u: string) =>
        u.includes("::pulumi:pulumi:Stack::") || u.includes("::pulumi:providers:")
          ? u
          : rename(u, c);
      resources.push({
        ...r,
        inputs: renamed(r.inputs, c) as typeof r.inputs,
        outputs: renamed(r.outputs, c) as typeof r.outputs,
        urn: rename(r.urn, c),
        name: c === 0 ? r.name : `${r.name}-copy${c}`,
        ...(r.parent ? { parent: keep(r.parent) } : {}),
        dependencies: r.dependencies.map(keep),
        propertyDependencies: Object.fromEntries(
          Object.entries(r.propertyDependencies).map(([k, v]) => [k, v.map(keep)]),
        ),
      });
    }
  }
  const file = path.join(os.tmpdir(), `bench-export-${process.pid}.json`);
  fs.writeFileSync(
    file,
    JSON.stringify(toStackExport({ project: "cicd-platform", stack: "tools", resources })),
  );
  log(`check: ${resources.length} resources`);
  const measured = nodeCli(["check", file], PROJECT_DIR, QUICK ? 1 : 3);
  fs.rmSync(file);
  return {
    resources: resources.length,
    ...measured,
    resourcesPerSecond: {
      median: Math.round((resources.length * 1000) / measured.wallMs.median),
      best: Math.round((resources.length * 1000) / measured.wallMs.min),
    },
  };
}

// ---- 5: test suite --------------------------------------------------------------------------

function benchTests() {
  log("test suite: npm test");
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  return measure(npm, ["test", "--silent"], PROJECT_DIR, 1);
}

// ---- report ---------------------------------------------------------------------------------

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

function markdown(results: Awaited<ReturnType<typeof collect>>): string {
  const t = results.targets;
  const lines: string[] = [];
  lines.push(
    `Measured by \`npm run bench\` on ${results.machine.cpus} × ${results.machine.cpuModel}, ${results.machine.memoryGb} GiB, Node ${results.machine.node}, ${results.date}. Wall time and peak RSS of the whole process, median (min) of ${results.plans.example.runs} runs for the example and 2–3 runs for generated organizations. Generated organizations are planned with policies/platform.policy-config.json, as the example is; exit 0 means no mandatory finding.`,
    "",
    "| measurement | wall time | peak RSS | exit | target | met |",
    "| --- | --- | --- | --- | --- | --- |",
  );
  const exits = (m: Measured) => [...new Set(m.exitCodes)].join(", ");
  const p = results.plans.example;
  lines.push(
    `| plan, example organization (5 stacks) | ${s(p.wallMs.median)} (${s(p.wallMs.min)}) | ${p.peakRssMb.median} MB | ${exits(p)} | < 2 s | ${t.examplePlan ? "yes" : "no"} |`,
  );
  for (const g of results.plans.generated)
    lines.push(
      `| plan, ${g.applications} apps × dev/staging/prod, prod ${g.prodAccounts} account(s) (${g.stacks} stacks) | ${s(g.wallMs.median)} (${s(g.wallMs.min)}) | ${g.peakRssMb.median} MB | ${exits(g)} | ${g.applications === 200 ? "< 20 s, < 1.5 GiB" : ""} | ${g.applications === 200 ? (t.plan200 ? "yes" : "no") : ""} |`,
    );
  const c = results.check;
  lines.push(
    `| check, ${c.resources} resources | ${s(c.wallMs.median)} (${s(c.wallMs.min)}) | ${c.peakRssMb.median} MB | ${exits(c)} | ≥ 5,000 res/s (got ${c.resourcesPerSecond.median}) | ${t.checkThroughput ? "yes" : "no"} |`,
  );
  const suite = results.tests;
  lines.push(
    `| test suite (\`npm test\`) | ${s(suite.wallMs.median)} | | ${exits(suite)} | < 60 s | ${t.testSuite ? "yes" : "no"} |`,
  );
  lines.push("");
  const d = results.documents;
  lines.push(
    `IAM documents (characters without whitespace) for ${d.accountSeries.join("; ")}, then ${d.applicationSeries.join("; ")}. Prod with 500 accounts: ${d.prodWith500Accounts}`,
    "",
    "| document | limit | by accounts | by applications | max % of limit |",
    "| --- | --- | --- | --- | --- |",
  );
  for (const r of d.documents)
    lines.push(
      `| ${r.document} | ${r.limit} | ${r.charsByAccounts.join(" / ")}${r.growsWithAccounts ? " (grows)" : ""} | ${r.charsByApplications.join(" / ")}${r.growsWithApplications ? " (grows)" : ""} | ${r.percentOfLimit} % |`,
    );
  lines.push(
    "",
    `Every document the same size at 500 accounts as at 3: ${t.documentsConstantWithAccounts ? "yes" : "no"}. None above 80 % of its limit: ${t.documentsUnder80Percent ? "yes" : "no"}.`,
  );
  return lines.join("\n") + "\n";
}

async function collect() {
  const plans = benchPlans();
  const documents = await benchDocuments();
  const check = await benchCheck();
  const tests = QUICK ? summarize([{ wallMs: NaN, peakRssMb: NaN, code: 0 }]) : benchTests();
  const largest = plans.generated.find((g) => g.applications === 200);
  return {
    date: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? "unknown",
      memoryGb: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
    },
    quick: QUICK,
    plans,
    documents,
    check,
    tests,
    targets: {
      examplePlan: plans.example.wallMs.median < 2000,
      plan200:
        largest !== undefined && largest.wallMs.median < 20_000 && largest.peakRssMb.median < 1536,
      checkThroughput: check.resourcesPerSecond.median >= 5000,
      testSuite: tests.wallMs.median < 60_000,
      documentsConstantWithAccounts: documents.documents.every((r) => !r.growsWithAccounts),
      documentsUnder80Percent: documents.documents.every((r) => r.percentOfLimit <= 80),
    },
  };
}

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(PROJECT_DIR, "dist", "plan", "cli.js")))
    throw new Error("no build in dist/: run `npm run build` first (npm run bench does)");
  const results = await collect();
  const outDir = path.join(PROJECT_DIR, "bench");
  // Written as Prettier writes them, so that `npm test` (which checks formatting) passes after a run.
  const write = async (file: string, text: string) => {
    const options = (await prettier.resolveConfig(file)) ?? {};
    fs.writeFileSync(file, await prettier.format(text, { ...options, filepath: file }));
  };
  await write(path.join(outDir, "results.json"), JSON.stringify(results, null, 2) + "\n");
  const table = markdown(results);
  await write(path.join(outDir, "results.md"), table);
  const readmeFile = path.join(PROJECT_DIR, "README.md");
  const readme = fs.readFileSync(readmeFile, "utf8");
  const begin = "<!-- bench:begin (written by `npm run bench`) -->";
  const end = "<!-- bench:end -->";
  if (readme.includes(begin) && !QUICK) {
    const before = readme.slice(0, readme.indexOf(begin) + begin.length);
    const after = readme.slice(readme.indexOf(end));
    await write(readmeFile, `${before}\n\n${table}\n${after}`);
  }
  process.stdout.write(table);
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
