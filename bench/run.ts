// `npm run bench`: measures the offline plan, the critical path and plan of prod in progressive
// waves from 1 to 1,000 accounts, `check`, the size of every IAM document the blueprint writes as
// the organization grows, and the test suite, on this machine. Writes
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
import { DEFAULT_ASSUMPTIONS, formatMinutes } from "../plan/report/views";
import { pipelineModel } from "../model/pipeline";
import { toolsProblems } from "../stacks/tools/base";
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
function measure(
  command: string,
  args: string[],
  cwd: string,
  runs: number,
  timeoutMs?: number,
  env: NodeJS.ProcessEnv = {},
): Measured {
  const samples: Sample[] = [];
  for (let i = 0; i < runs; i++) {
    const rssFile = path.join(os.tmpdir(), `bench-rss-${process.pid}-${i}`);
    const started = process.hrtime.bigint();
    const result = spawnSync(command, args, {
      cwd,
      env: { ...process.env, ...env, BENCH_RSS_FILE: rssFile, NO_COLOR: "1" },
      encoding: "utf8",
      maxBuffer: 256 * 1024 * 1024,
      ...(timeoutMs !== undefined ? { timeout: timeoutMs, killSignal: "SIGKILL" as const } : {}),
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
        `  ${args.join(" ")} exited ${result.status}${result.signal ? ` (${result.signal})` : ""}: ${result.stderr.slice(-2000)}\n`,
      );
  }
  return summarize(samples);
}

/**
 * Runs the CLI under the RSS reporter, preloaded through NODE_OPTIONS so that the node a plan
 * starts again under Pulumi.yaml's nodeargs (as the example's does) reports too, not only the
 * launcher (as bench/size.ts does).
 */
function nodeCli(args: string[], cwd: string, runs: number, timeoutMs?: number): Measured {
  const nodeOptions = `${process.env["NODE_OPTIONS"] ?? ""} --require ${RSS_REPORTER}`.trim();
  return measure(process.execPath, [BIN, ...args], cwd, runs, timeoutMs, {
    NODE_OPTIONS: nodeOptions,
  });
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

// ---- prod waves: critical path and plan as prod grows to 1,000 accounts ---------------------

/** Prod sizes of the waves section; `--quick` leaves out the two largest. */
const PROD_ACCOUNTS: readonly number[] = QUICK ? [1, 10, 100] : [1, 10, 100, 500, 1000];
/** Beyond these a full plan is too costly to repeat; the bench then plans tools and one account. */
const FULL_PLAN_LIMITS = { wallMs: 5 * 60_000, peakRssMb: 8 * 1024 } as const;

/**
 * Three Pulumi applications (the example's two cycled), dev and staging as in the example: the
 * CloudFormation one takes two actions per target and cannot take 1,000 accounts in 50 stages.
 */
const pulumiApps = (prodAccounts: number): Size => ({
  applications: 3,
  prodAccounts,
  mechanisms: ["pulumi"],
});

interface PlanReport {
  readonly stacks: readonly {
    readonly stack: string;
    readonly resources: readonly { type: string; inputs: Record<string, unknown> }[];
    readonly pipelines?: readonly {
      pipeline: string;
      stages: number;
      deployStages: number;
      waves: number;
      minutes: number;
    }[];
  }[];
  readonly summary: Record<string, number>;
}

/** The critical path of the slowest application pipeline in a plan report, with its prod stages. */
function slowestPipeline(report: PlanReport) {
  const tools = report.stacks.find((st) => (st.pipelines ?? []).length > 0);
  if (!tools) return undefined;
  const path = [...tools.pipelines!].sort((a, b) => b.minutes - a.minutes)[0]!;
  const resource = tools.resources.find(
    (r) => r.type === "aws:codepipeline/pipeline:Pipeline" && r.inputs["name"] === path.pipeline,
  );
  const stageNames = ((resource?.inputs["stages"] as { name: string }[] | undefined) ?? []).map(
    (st) => st.name,
  );
  return {
    pipeline: path.pipeline,
    stages: path.stages,
    deployStages: path.deployStages,
    // Read from the recorded pipeline: `Deploy-prod`, `Deploy-prod-wave2`, `Deploy-prod-wave3-part4`.
    prodDeployStages: stageNames.filter((n) => /^Deploy-prod(-wave\d+(-part\d+)?)?$/.test(n))
      .length,
    waves: path.waves,
    minutes: path.minutes,
    hours: Math.round((path.minutes / 60) * 100) / 100,
  };
}

/**
 * What the example's CloudFormation application would do at this prod size: the organization with
 * all three example applications, checked as the tools stack checks it before it creates anything
 * (the config schema in generateOrganization, then CodePipeline's limits on each pipeline model).
 */
function cloudFormationVerdict(prodAccounts: number) {
  const size: Size = { applications: 3, prodAccounts };
  let org;
  try {
    org = generateOrganization(size);
  } catch (e) {
    return { accepted: false, stages: undefined, problems: [(e as Error).message] };
  }
  const models = org.applications.map((app) => pipelineModel(org, app));
  const cfn = models.find((m) => m.mechanism === "cloudformation");
  const problems = toolsProblems(org, models).map((p) => `${p.path}: ${p.message}`);
  return {
    accepted: problems.length === 0,
    application: cfn?.application,
    stages: cfn?.stages.length,
    prodDeployStages: cfn?.stages.filter((st) => st.kind === "deploy" && st.environment === "prod")
      .length,
    problems,
  };
}

function benchWaves() {
  const rows = [];
  for (const prodAccounts of PROD_ACCOUNTS) {
    const org = generateOrganization(pulumiApps(prodAccounts));
    const dir = writeProject(org);
    const json = path.join(os.tmpdir(), `bench-waves-${process.pid}-${prodAccounts}.json`);
    const stackFiles = fs.readdirSync(dir).filter((f) => /^Pulumi\..+\.yaml$/.test(f)).length;
    log(`prod waves: prod ${prodAccounts} account(s), ${stackFiles} stacks`);
    const args = ["plan", "--policy-config", PLATFORM_POLICY_CONFIG, "--json", json];
    const runs = prodAccounts <= 100 && !QUICK ? 2 : 1;
    const full = nodeCli(args, dir, runs, 2 * FULL_PLAN_LIMITS.wallMs);
    let report: PlanReport | undefined;
    try {
      report = JSON.parse(fs.readFileSync(json, "utf8")) as PlanReport;
      fs.rmSync(json);
    } catch {
      // no report: the plan failed before writing it
    }
    const tooLarge =
      full.wallMs.median > FULL_PLAN_LIMITS.wallMs ||
      !(full.peakRssMb.median <= FULL_PLAN_LIMITS.peakRssMb);
    // A full plan beyond the limits is measured once more on the tools stack and the first prod
    // account, and labelled so.
    let scoped: (Measured & { stacks: string[] }) | undefined;
    if (tooLarge) {
      const stacks = ["tools", prodAccounts === 1 ? "prod" : "prod-prod-0"];
      log(`prod waves: the full plan is beyond the limits; planning ${stacks.join(" and ")}`);
      const scopedArgs = [...args, ...stacks.flatMap((st) => ["--stack", st])];
      scoped = { stacks, ...nodeCli(scopedArgs, dir, 1) };
      try {
        report = JSON.parse(fs.readFileSync(json, "utf8")) as PlanReport;
        fs.rmSync(json);
      } catch {
        // no report
      }
    }
    fs.rmSync(dir, { recursive: true, force: true });
    rows.push({
      prodAccounts,
      applications: org.applications.map((a) => a.name),
      stackFiles,
      stacksPlanned: report?.stacks.length,
      plan: full,
      fullPlanBeyondLimits: tooLarge,
      ...(scoped ? { scopedPlan: scoped } : {}),
      criticalPath: report ? slowestPipeline(report) : undefined,
      cloudFormation: cloudFormationVerdict(prodAccounts),
    });
  }
  return {
    assumptions: DEFAULT_ASSUMPTIONS,
    limits: FULL_PLAN_LIMITS,
    rows,
  };
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

/** Prod sizes of the documents' account axis, and the two the same-size line compares. */
const DOCUMENT_PROD_ACCOUNTS: readonly number[] = [1, 3, 10, 100, 500, 1000];
const COMPARED_ACCOUNTS = { base: 3, largest: 1000 } as const;

async function benchDocuments() {
  // Pulumi applications only, so that prod takes 1,000 accounts (the CloudFormation application's
  // pipeline would need 52 stages); its documents are measured on the applications axis.
  const accountSeries: Size[] = DOCUMENT_PROD_ACCOUNTS.map(pulumiApps);
  const appSeries: Size[] = [
    { applications: 1, prodAccounts: 3 },
    { applications: 50, prodAccounts: 3 },
    { applications: QUICK ? 50 : 200, prodAccounts: 3 },
  ];
  const label = (s: Size) =>
    `${s.applications} ${s.mechanisms ? `${s.mechanisms.join("/")} ` : ""}apps, prod ${s.prodAccounts} (${s.prodAccounts + 1 + (s.devAccounts ?? 0) + 1} workload accounts)`;
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
    const at = (n: number) => accountSizes[DOCUMENT_PROD_ACCOUNTS.indexOf(n)]!;
    return {
      document: k,
      kind,
      limit: LIMITS[kind],
      charsByAccounts: accountSizes,
      charsByApplications: appSizes,
      inAccountSeries: accountSizes.some((c) => c > 0),
      sameAtLargestAsAtBase: at(COMPARED_ACCOUNTS.largest) === at(COMPARED_ACCOUNTS.base),
      growsWithAccounts: new Set(accountSizes).size > 1,
      growsWithApplications: new Set(appSizes).size > 1,
      maxChars: max,
      percentOfLimit: Math.round((1000 * max) / LIMITS[kind]) / 10,
    };
  });
  return {
    accountSeries: accountSeries.map(label),
    applicationSeries: appSeries.map(label),
    compared: COMPARED_ACCOUNTS,
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
  const w = results.waves;
  const mb = (m: Measured) => `${m.peakRssMb.median} MB`;
  const n = (x: number) => x.toLocaleString("en-US");
  lines.push(
    "Critical path against production accounts: prod holding 1 to 1,000 accounts, 3 Pulumi applications (the example's two cycled), dev and staging as in the example. Each organization is planned in full by the CLI (`plan --policy-config policies/platform.policy-config.json --json FILE`), 2 runs up to 100 accounts and 1 beyond (median (min)); the stages and minutes are the JSON report's critical path of the slowest application pipeline (all three are alike). The CloudFormation column is the same organization with the example's CloudFormation application in place of the third Pulumi one, checked as the tools stack checks it (not planned).",
    "",
    "| prod accounts | stacks planned | prod deploy stages (pipeline: deploying / all) | waves (pipeline total) | source to last prod account | plan wall time | peak RSS | exit | CloudFormation app |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  );
  for (const r of w.rows) {
    const c = r.criticalPath;
    const cfn = r.cloudFormation;
    const cfnCell = cfn.accepted
      ? `accepted (${cfn.stages} stages, ${cfn.prodDeployStages} prod deploy)`
      : `refused: ${cfn.stages ?? "?"} stages > 50`;
    const plan = r.scopedPlan
      ? `full plan beyond limits (${s(r.plan.wallMs.median)}, ${mb(r.plan)}); \`--stack ${r.scopedPlan.stacks.join(" --stack ")}\`: ${s(r.scopedPlan.wallMs.median)}`
      : `${s(r.plan.wallMs.median)} (${s(r.plan.wallMs.min)})`;
    const rss = r.scopedPlan ? mb(r.scopedPlan) : mb(r.plan);
    const exitOf = r.scopedPlan ? exits(r.scopedPlan) : exits(r.plan);
    lines.push(
      `| ${n(r.prodAccounts)} | ${r.stacksPlanned !== undefined ? n(r.stacksPlanned) : "none"} | ${c ? `${c.prodDeployStages} (${c.deployStages} / ${c.stages})` : "?"} | ${c?.waves ?? "?"} | ${c ? `${formatMinutes(c.minutes)} (${c.minutes} min = ${c.hours} h)` : "?"} | ${plan} | ${rss} | ${exitOf} | ${cfnCell} |`,
    );
  }
  const a = w.assumptions;
  lines.push(
    "",
    `Assumed minutes (the plan's defaults, \`--assume\` not given): source ${a.source}, build ${a.build}, deploy ${a.deploy}, test ${a.test}, gate check ${a.gate}; manual approvals excluded; bakes as configured (prod: bakeMinutes 30 in the example, once per wave after its last part). Steps of one stage run one after another, actions of one step in parallel.`,
  );
  for (const r of w.rows.filter((x) => !x.cloudFormation.accepted))
    lines.push(
      "",
      `CloudFormation application at ${n(r.prodAccounts)} prod accounts, refused by the tools stack: ${r.cloudFormation.problems.join(" ")}`,
    );
  if (w.rows.every((r) => r.prodAccounts !== 1000))
    lines.push("", "This run (`--quick`) left out 500 and 1,000 prod accounts.");
  lines.push("");
  const d = results.documents;
  const chars = (sizes: readonly number[]) =>
    sizes.map((c) => (c > 0 ? String(c) : "—")).join(" / ");
  lines.push(
    `IAM documents (characters without whitespace; — where the organization has no such document) by accounts for ${d.accountSeries.join("; ")}; by applications for ${d.applicationSeries.join("; ")}. The account axis has Pulumi applications only, so that prod takes 1,000 accounts; the applications axis cycles all three example applications, the CloudFormation one included.`,
    "",
    `| document | limit | by accounts (prod ${DOCUMENT_PROD_ACCOUNTS.map(n).join(" / ")}) | by applications | max % of limit |`,
    "| --- | --- | --- | --- | --- |",
  );
  for (const r of d.documents)
    lines.push(
      `| ${r.document} | ${r.limit} | ${chars(r.charsByAccounts)}${r.growsWithAccounts ? " (grows)" : ""} | ${chars(r.charsByApplications)}${r.growsWithApplications ? " (grows)" : ""} | ${r.percentOfLimit} % |`,
    );
  const inSeries = d.documents.filter((r) => r.inAccountSeries).length;
  lines.push(
    "",
    `Every document the same size at ${n(d.compared.largest)} accounts as at ${d.compared.base}: ${t.documentsSameAtLargestAsAtBase ? "yes" : "no"} (over the ${inSeries} documents of the account axis; ${d.documents.length - inSeries} more do not exist in its Pulumi-only organizations and are measured on the applications axis only). Every document the same size at every prod size from ${n(DOCUMENT_PROD_ACCOUNTS[0]!)} to ${n(DOCUMENT_PROD_ACCOUNTS[DOCUMENT_PROD_ACCOUNTS.length - 1]!)}: ${t.documentsConstantWithAccounts ? "yes" : "no"}. None above 80 % of its limit: ${t.documentsUnder80Percent ? "yes" : "no"}.`,
  );
  return lines.join("\n") + "\n";
}

async function collect() {
  const plans = benchPlans();
  const waves = benchWaves();
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
    waves,
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
      documentsSameAtLargestAsAtBase: documents.documents.every((r) => r.sameAtLargestAsAtBase),
      wavesLargestPlanExit0:
        waves.rows.length > 0 &&
        waves.rows[waves.rows.length - 1]!.prodAccounts === 1000 &&
        waves.rows[waves.rows.length - 1]!.plan.exitCodes.every((c) => c === 0),
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
