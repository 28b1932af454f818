// Turns a detection case into the deployment v3 file `pulumi stack export` writes (root stack,
// default AWS provider, each resource with its inputs recorded as outputs too) and runs the `check`
// command on it in process, reading the findings back from its JSON report.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { checkCommand } from "../../plan/cli/check-command";
import type { CliIO } from "../../plan/cli/cli-io";
import type { Report } from "../../plan/report";
import type { CaseResource, DetectionCase } from "./corpus-types";

const PROJECT = "detection";
const STACK = "corpus";
const PREFIX = `urn:pulumi:${STACK}::${PROJECT}::`;
const ROOT_URN = `${PREFIX}pulumi:pulumi:Stack::${PROJECT}-${STACK}`;
const PROVIDER_URN = `${PREFIX}pulumi:providers:aws::default_7_48_0`;
const PROVIDER_ID = "5f0c4e1a-2b7d-4c3e-9a81-6d2f0b9e4c17";
const TIME = "2026-01-05T09:00:00.000000Z";

/** The account and region every case is deployed to. */
export const CASE_ACCOUNT = "111122223333";
export const CASE_REGION = "eu-west-1";

/** The URN a case resource has in its export. */
export function caseUrn(r: Pick<CaseResource, "type" | "name">): string {
  return `${PREFIX}${r.type}::${r.name}`;
}

/** The physical id a case resource gets (its `name` input when it has one). */
function physicalId(r: CaseResource): string {
  const named = r.inputs["name"];
  return typeof named === "string" && named !== "" ? named : `${r.name}-0a1b2c3d`;
}

/** The case as a `pulumi stack export` document (version 3). */
export function caseExport(c: DetectionCase): unknown {
  const names = new Map(c.resources.map((r) => [r.name, r]));
  const urnOfName = (name: string): string => {
    const r = names.get(name);
    if (!r) throw new Error(`case ${c.id}: ${name} is linked but not a resource of the case`);
    return caseUrn(r);
  };
  const resources: unknown[] = [
    { urn: ROOT_URN, custom: false, type: "pulumi:pulumi:Stack", created: TIME, modified: TIME },
    {
      urn: PROVIDER_URN,
      custom: true,
      id: PROVIDER_ID,
      type: "pulumi:providers:aws",
      inputs: {
        allowedAccountIds: JSON.stringify([CASE_ACCOUNT]),
        region: CASE_REGION,
        version: "7.48.0",
      },
      outputs: {
        allowedAccountIds: JSON.stringify([CASE_ACCOUNT]),
        region: CASE_REGION,
        version: "7.48.0",
      },
      created: TIME,
      modified: TIME,
    },
  ];
  for (const r of c.resources) {
    const links = Object.entries(r.links ?? {});
    const propertyDependencies = Object.fromEntries(
      links.map(([prop, targets]) => [prop, targets.map(urnOfName)]),
    );
    const dependencies = [...new Set(Object.values(propertyDependencies).flat())];
    resources.push({
      urn: caseUrn(r),
      custom: true,
      id: physicalId(r),
      type: r.type,
      inputs: r.inputs,
      outputs: { ...r.inputs, id: physicalId(r), ...r.outputs },
      parent: ROOT_URN,
      ...(dependencies.length > 0 ? { dependencies, propertyDependencies } : {}),
      provider: `${PROVIDER_URN}::${PROVIDER_ID}`,
      created: TIME,
      modified: TIME,
    });
  }
  return { version: 3, deployment: { manifest: { time: TIME, version: "v3.248.0" }, resources } };
}

/** One finding of a case, as the JSON report gives it. */
export interface CaseFinding {
  readonly policy: string;
  readonly level: string;
  readonly urn?: string;
  readonly message: string;
}

/** What `check` reported on a case. */
export interface CaseResult {
  readonly exitCode: number;
  readonly findings: readonly CaseFinding[];
  readonly policyErrors: readonly { readonly policy: string; readonly message: string }[];
}

/** A CliIO that keeps what the command writes. */
function capturedIO(cwd: string): CliIO & { readonly out: string[] } {
  const out: string[] = [];
  return {
    out,
    stdout: (t) => out.push(t),
    stderr: (t) => out.push(t),
    stdoutIsTTY: false,
    stderrIsTTY: false,
    cwd,
    env: { NO_COLOR: "1" },
  };
}

/** A temporary directory for the exports and reports of a run. */
export function workDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "detection-"));
}

/** Reads the findings of a `--json` report. */
export function reportResult(exitCode: number, reportFile: string): CaseResult {
  const report = JSON.parse(fs.readFileSync(reportFile, "utf8")) as Report;
  const stack = report.stacks[0];
  if (!stack) throw new Error(`${reportFile}: no stack in the report`);
  if (stack.error !== undefined) throw new Error(`${reportFile}: ${String(stack.error)}`);
  return {
    exitCode,
    findings: stack.findings.map((f) => ({
      policy: f.policy,
      level: f.level,
      ...(f.urn !== undefined ? { urn: f.urn } : {}),
      message: f.message,
    })),
    policyErrors: stack.policyErrors.map((e) => ({ policy: e.policy, message: e.message })),
  };
}

/** Writes the case's export into `dir` and returns its path. */
export function writeCaseExport(c: DetectionCase, dir: string): string {
  const file = path.join(dir, `${c.id}.export.json`);
  fs.writeFileSync(file, JSON.stringify(caseExport(c), null, 2));
  return file;
}

/** Runs `check FILE --json OUT --no-policy-config` in process on the case. */
export async function runCase(c: DetectionCase, dir: string): Promise<CaseResult> {
  const file = writeCaseExport(c, dir);
  const reportFile = path.join(dir, `${c.id}.report.json`);
  const io = capturedIO(dir);
  const code = await checkCommand([file, "--json", reportFile, "--no-policy-config"], io);
  return reportResult(code, reportFile);
}
