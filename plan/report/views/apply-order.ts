// The order in which the stacks must be applied, computed from what each stack names of another:
// a role that AWS checks exists when the naming resource is created. CodePipeline refuses a
// pipeline whose role cannot assume an action's role (CreatePipeline: InvalidStructureException,
// "... is not authorized to perform AssumeRole on action role ..."), and IAM, KMS and S3 refuse a
// policy whose principal is a role that does not exist ("Invalid principal in policy",
// MalformedPolicyDocumentException). A stack that names another stack's role goes after it.
import { parsePolicy, PolicyParseError } from "../iam-eval";

/** What the apply order reads of a resource (recorded, exported or in the report). */
export interface OrderedResource {
  readonly type: string;
  readonly account: string;
  readonly inputs: Record<string, unknown>;
}

/** What the apply order reads of a stack. */
export interface OrderedStack {
  readonly stack: string;
  readonly resources: readonly OrderedResource[];
}

/** One step of the apply order. */
export interface ApplyStep {
  readonly stack: string;
  /** The stacks that must be applied before this one. */
  readonly after: readonly string[];
  /** The role ARNs this stack names that those stacks create. */
  readonly needs: readonly string[];
}

/** The apply order, or the stacks that name each other's roles (no order can succeed). */
export interface ApplyOrder {
  readonly steps: readonly ApplyStep[];
  readonly cycle?: readonly string[];
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(?:.*\/)?([\w+=,.@-]+)$/;

const isMap = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

/** `account/role-name` of a role ARN, or undefined for anything else (patterns included). */
function roleKey(arn: unknown): string | undefined {
  if (typeof arn !== "string" || arn.includes("*")) return undefined;
  const m = ROLE_ARN.exec(arn);
  return m ? `${m[1]}/${m[2]}` : undefined;
}

/** Role ARNs a CodePipeline pipeline's actions and stage-condition rules name. */
function pipelineRoles(inputs: Record<string, unknown>): unknown[] {
  const arns: unknown[] = [inputs["roleArn"]];
  for (const stage of list(inputs["stages"])) {
    if (!isMap(stage)) continue;
    for (const action of list(stage["actions"])) if (isMap(action)) arns.push(action["roleArn"]);
    for (const kind of ["beforeEntry", "onSuccess", "onFailure"]) {
      const condition = isMap(stage[kind]) ? (stage[kind] as Record<string, unknown>) : undefined;
      const inner = isMap(condition?.["condition"]) ? condition!["condition"] : condition;
      for (const c of list(isMap(inner) ? inner : undefined))
        for (const rule of list((c as Record<string, unknown>)["rules"]))
          if (isMap(rule)) arns.push(rule["roleArn"]);
    }
  }
  return arns;
}

/** AWS principals of a policy document (a JSON string or object); none when it does not parse. */
function policyPrincipals(doc: unknown): unknown[] {
  try {
    return parsePolicy(doc).Statement.flatMap((s) =>
      s.Principal === undefined || s.Principal === "*" ? [] : list(s.Principal["AWS"]),
    );
  } catch (e) {
    if (e instanceof PolicyParseError) return [];
    throw e;
  }
}

/** The properties AWS checks for existing role principals, by resource type. */
const CHECKED: Readonly<Record<string, (inputs: Record<string, unknown>) => unknown[]>> = {
  "aws:codepipeline/pipeline:Pipeline": pipelineRoles,
  "aws:iam/role:Role": (i) => policyPrincipals(i["assumeRolePolicy"]),
  "aws:kms/key:Key": (i) => policyPrincipals(i["policy"]),
  "aws:s3/bucketPolicy:BucketPolicy": (i) => policyPrincipals(i["policy"]),
  "aws:sns/topicPolicy:TopicPolicy": (i) => policyPrincipals(i["policy"]),
};

/**
 * The order to apply `stacks` in: each after every stack that creates a role it names where AWS
 * checks that the role exists; otherwise in the given order.
 */
export function applyOrder(stacks: readonly OrderedStack[]): ApplyOrder {
  const creator = new Map<string, string>();
  for (const s of stacks)
    for (const r of s.resources)
      if (r.type === "aws:iam/role:Role" && typeof r.inputs["name"] === "string")
        creator.set(`${r.account}/${r.inputs["name"]}`, s.stack);
  const needs = new Map<string, Map<string, Set<string>>>();
  for (const s of stacks) {
    const byStack = new Map<string, Set<string>>();
    for (const r of s.resources)
      for (const arn of CHECKED[r.type]?.(r.inputs) ?? []) {
        const key = roleKey(arn);
        const owner = key && creator.get(key);
        if (!owner || owner === s.stack) continue;
        if (!byStack.has(owner)) byStack.set(owner, new Set());
        byStack.get(owner)!.add(arn as string);
      }
    needs.set(s.stack, byStack);
  }
  const steps: ApplyStep[] = [];
  const placed = new Set<string>();
  let pending = stacks.map((s) => s.stack);
  while (pending.length > 0) {
    const ready = pending.filter((name) =>
      [...needs.get(name)!.keys()].every((dep) => placed.has(dep)),
    );
    if (ready.length === 0) return { steps, cycle: pending };
    for (const name of ready) {
      const deps = needs.get(name)!;
      steps.push({
        stack: name,
        after: [...deps.keys()],
        needs: [...new Set([...deps.values()].flatMap((arns) => [...arns]))].sort(),
      });
      placed.add(name);
    }
    pending = pending.filter((name) => !placed.has(name));
  }
  return { steps };
}

/** The apply order as the plan prints it. */
export function renderApplyOrder(order: ApplyOrder): string[] {
  const lines = ["Apply order (a stack goes after the stacks that create roles it names):"];
  order.steps.forEach((step, i) => {
    const roles = step.needs.map((arn) => arn.split("/").pop()!);
    const unique = [...new Set(roles)];
    lines.push(
      `  ${i + 1}. ${step.stack}` +
        (step.after.length > 0
          ? ` — after ${step.after.join(", ")}: it names ${unique.length} of their role(s) (${unique.slice(0, 4).join(", ")}${unique.length > 4 ? ", …" : ""})`
          : ""),
    );
  });
  if (order.cycle)
    lines.push(
      `  no order: ${order.cycle.join(", ")} name roles of each other; break the circle before applying`,
    );
  return lines;
}
