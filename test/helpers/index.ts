// The one shared test helper: evaluates the blueprint's stacks through the offline engine (the
// same one the plan CLI uses) with config loaded from the repo's YAML files exactly as the CLI
// would, and offers small queries over what was recorded. Specs never set mocks themselves.
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { evaluate, RecordedResource, StackRun } from "../../plan/engine";
import { loadStackConfig, StackConfig } from "../../plan/engine/project";
import { platformProgram } from "../../stacks";
import { Organization } from "../../model/config/schema";

export { evaluate, RecordedResource, StackRun };

/** The repository root (where Pulumi.yaml lives). */
export const PROJECT_DIR = path.resolve(__dirname, "..", "..");

/** The example organization's stack names, in the order the plan takes them (model/stacks.ts). */
export const EXAMPLE_STACKS = ["bootstrap", "tools", "dev", "staging", "prod", "prod-eu"] as const;

/**
 * The stages of the example's Pulumi applications' pipelines, in order. Production deploys in
 * the default waves: one account (prod, us-east-1) first, then the rest (prod-eu, eu-west-1).
 * There is no test stage: each deploy action runs the smoke test after its target deploys.
 */
export const EXAMPLE_STAGES = [
  "Source",
  "Build",
  "Deploy-dev",
  "Deploy-staging",
  "Approve-prod",
  "Deploy-prod-wave1",
  "Deploy-prod-wave2",
] as const;

/**
 * The stages of the example's CloudFormation application (billing-worker): the same, with a test
 * stage after each environment's deployments (its deploy actions run no smoke test).
 */
export const EXAMPLE_STAGES_WITH_TESTS = [
  "Source",
  "Build",
  "Deploy-dev",
  "Test-dev",
  "Deploy-staging",
  "Test-staging",
  "Approve-prod",
  "Deploy-prod-wave1",
  "Deploy-prod-wave2",
  "Test-prod",
] as const;

/** Config of one of the repo's stacks, as the CLI would hand it to the program. */
export function stackConfig(stack: string): StackConfig {
  return loadStackConfig(PROJECT_DIR, stack);
}

/** The example organization as written in Pulumi.yaml (a fresh copy each call). */
export function exampleOrganization(): Organization {
  const { config, project } = stackConfig("tools");
  return JSON.parse(config[`${project}:organization`]);
}

export interface RunStackOptions {
  /** Evaluate as a preview (ids and ARNs unknown). Default: false. */
  readonly preview?: boolean;
  /** Replaces the organization config (raw, unvalidated: bad values are allowed). */
  readonly organization?: unknown;
  /** Edits a copy of the example organization. */
  readonly editOrganization?: (org: Organization) => void;
  /** Extra or replaced config keys; `undefined` removes a key. */
  readonly config?: Readonly<Record<string, string | undefined>>;
}

/** Evaluates one of the repo's stacks with the blueprint's program. */
export async function runStack(stack: string, options: RunStackOptions = {}): Promise<StackRun> {
  const base = stackConfig(stack);
  const config: Record<string, string> = { ...base.config };
  const orgKey = `${base.project}:organization`;
  if (options.organization !== undefined) config[orgKey] = JSON.stringify(options.organization);
  if (options.editOrganization) {
    const org = JSON.parse(config[orgKey]);
    options.editOrganization(org);
    config[orgKey] = JSON.stringify(org);
  }
  for (const [k, v] of Object.entries(options.config ?? {})) {
    if (v === undefined) delete config[k];
    else config[k] = v;
  }
  return evaluate({
    project: base.project,
    stack,
    config,
    secretKeys: base.secretKeys,
    preview: options.preview,
    program: platformProgram,
  });
}

/**
 * The stack outputs as the program returns them, each resolved, before the engine serialises them
 * (its JSON would hide an undefined value, which the SDK drops with a warning).
 */
export async function programOutputs(
  stack: string,
  options: Pick<RunStackOptions, "editOrganization"> = {},
): Promise<Record<string, unknown>> {
  const base = stackConfig(stack);
  const config: Record<string, string> = { ...base.config };
  const orgKey = `${base.project}:organization`;
  if (options.editOrganization) {
    const org = JSON.parse(config[orgKey]);
    options.editOrganization(org);
    config[orgKey] = JSON.stringify(org);
  }
  let returned: Record<string, unknown> = {};
  const run = await evaluate({
    project: base.project,
    stack,
    config,
    secretKeys: base.secretKeys,
    program: async () => (returned = await platformProgram()),
  });
  if (run.error !== undefined) throw run.error;
  const entries = await Promise.all(
    Object.entries(returned).map(async ([k, v]) => [
      k,
      pulumi.Output.isInstance(v) ? await promiseOf(v as pulumi.Output<unknown>) : v,
    ]),
  );
  return Object.fromEntries(entries);
}

/** Like runStack, but fails the test with the program's error. */
export async function runStackOk(stack: string, options: RunStackOptions = {}): Promise<StackRun> {
  const run = await runStack(stack, options);
  if (run.error !== undefined) throw run.error;
  return run;
}

/** Resources of one type token (for example `aws:iam/role:Role`). */
export function ofType(run: StackRun, type: string): RecordedResource[] {
  return run.resources.filter((r) => r.type === type);
}

/** The single resource with this logical name; fails when there is not exactly one. */
export function byName(run: StackRun, name: string, type?: string): RecordedResource {
  const found = run.resources.filter((r) => r.name === name && (!type || r.type === type));
  if (found.length !== 1)
    throw new Error(
      `expected one resource named ${name}${type ? ` of ${type}` : ""}, found ${found.length}`,
    );
  return found[0];
}

/** Resources a program registered beyond the root stack: what `pulumi up` would create. */
export function createdResources(run: StackRun): RecordedResource[] {
  return run.resources.filter((r) => r.type !== "pulumi:pulumi:Stack");
}

/** Resolves an Output's value in tests. */
export function promiseOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

/** Parses a JSON policy document input (string or object). */
export function policyDocument(value: unknown): {
  Version?: string;
  Statement: Record<string, unknown>[];
} {
  const doc = typeof value === "string" ? JSON.parse(value) : value;
  const statements = doc?.Statement;
  return { ...doc, Statement: Array.isArray(statements) ? statements : [statements] };
}

/** An IAM role as a stack would deploy it: the documents AWS evaluates for it. */
export interface DeployedRole {
  /** The role's ARN (computed like AWS). */
  readonly arn: string;
  /** The trust (assume-role) policy document. */
  readonly trust: unknown;
  /** Identity policies: inline policies and attached managed policies, in registration order. */
  readonly identity: unknown[];
  /** The permissions boundary document, when the role has one. */
  readonly boundary?: unknown;
  readonly resource: RecordedResource;
}

/**
 * The role with this physical name and every policy document attached to it in the same stack
 * (inline `RolePolicy`, `RolePolicyAttachment` to a managed `Policy`, the permissions boundary).
 * Fails when the role, an attached policy or the boundary is not created by the stack.
 */
export function deployedRole(run: StackRun, roleName: string): DeployedRole {
  const roles = ofType(run, "aws:iam/role:Role").filter((r) => r.outputs["name"] === roleName);
  if (roles.length !== 1)
    throw new Error(`expected one role named ${roleName}, found ${roles.length}`);
  const role = roles[0];
  const policyByArn = (arn: unknown): unknown => {
    const found = ofType(run, "aws:iam/policy:Policy").find((p) => p.outputs["arn"] === arn);
    if (!found) throw new Error(`role ${roleName}: no policy ${String(arn)} in the stack`);
    return found.inputs["policy"];
  };
  const inline = ofType(run, "aws:iam/rolePolicy:RolePolicy")
    .filter((p) => p.inputs["role"] === roleName)
    .map((p) => p.inputs["policy"]);
  const attached = ofType(run, "aws:iam/rolePolicyAttachment:RolePolicyAttachment")
    .filter((a) => a.inputs["role"] === roleName)
    .map((a) => policyByArn(a.inputs["policyArn"]));
  const boundaryArn = role.inputs["permissionsBoundary"];
  return {
    arn: String(role.outputs["arn"]),
    trust: role.inputs["assumeRolePolicy"],
    identity: [...inline, ...attached],
    boundary: boundaryArn === undefined ? undefined : policyByArn(boundaryArn),
    resource: role,
  };
}

const exampleRuns = new Map<string, Promise<StackRun>>();
/** runStackOk of an unmodified example stack, evaluated once per test process (read-only use). */
export function exampleRun(stack: string): Promise<StackRun> {
  let run = exampleRuns.get(stack);
  if (!run) {
    run = runStackOk(stack);
    exampleRuns.set(stack, run);
  }
  return run;
}

/** What one in-process CLI run wrote and returned. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the plan CLI in-process in `cwd` (default: the repository), capturing what it writes. */
export async function runCli(argv: string[], cwd = PROJECT_DIR, tty = false): Promise<CliRun> {
  const { main } = await import("../../plan/cli");
  let stdout = "";
  let stderr = "";
  const code = await main(argv, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    stdoutIsTTY: tty,
    stderrIsTTY: tty,
    cwd,
    env: tty ? { FORCE_COLOR: "1" } : {},
  });
  return { code, stdout, stderr };
}
