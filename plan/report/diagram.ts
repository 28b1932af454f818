// The organization as one Mermaid flowchart, from the offline plan of every stack: a subgraph per
// AWS account (its stack, id and regions), a node per pipeline in the account that runs it, an
// edge from each pipeline to every account it deploys to (labelled with the stage and its gates),
// and dotted "assumes" edges from the roles of one account to the roles they may assume in
// another, one edge per (caller, account). Pure and deterministic: the same plan gives the same
// text, so the README's copy can be checked against it.
import type { RecordedResource } from "../engine";
import { pipelineSummaries, PipelineSummary, trustEdges, TrustEdge } from "./views";

/** One evaluated stack, as the plan CLI holds it. */
export interface DiagramStack {
  readonly stack: string;
  readonly resources: readonly RecordedResource[];
}

/** Text safe inside a quoted Mermaid label. */
export function mermaidLabel(text: string): string {
  return text.replace(/"/g, "#quot;").replace(/[\r\n]+/g, " ");
}

/** Allocates valid, unique Mermaid ids (letters, digits, underscores; starts with a letter). */
class Ids {
  private readonly byKey = new Map<string, string>();
  private readonly used = new Set<string>();
  id(prefix: string, key: string): string {
    const full = `${prefix}\u0000${key}`;
    const known = this.byKey.get(full);
    if (known) return known;
    const base = `${prefix}_${key}`.replace(/[^A-Za-z0-9_]+/g, "_").replace(/_+$/g, "");
    let id = base;
    for (let n = 2; this.used.has(id); n++) id = `${base}_${n}`;
    this.used.add(id);
    this.byKey.set(full, id);
    return id;
  }
}

interface Account {
  readonly id: string;
  readonly stacks: string[];
  /** The first stack's default region, then the other regions resources use, sorted. */
  readonly regions: string[];
  readonly pipelines: PipelineSummary[];
  /** Callers in this account that assume roles elsewhere (ARN or pattern). */
  readonly callers: Set<string>;
  /** Role names in this account that another account may assume. */
  readonly trusted: Set<string>;
}

/** `acme-dev-deploy` for a role ARN (a path is kept); what is not an ARN stays as it is. */
const roleName = (arn: string) =>
  arn.startsWith("arn:")
    ? arn
        .split(":")
        .slice(5)
        .join(":")
        .replace(/^role\//, "")
    : arn;

/** The gates in front of a deploy stage: a manual approval since the last deploy, alarms. */
function gates(p: PipelineSummary, index: number): string[] {
  const out: string[] = [];
  const stage = p.stages[index];
  let approval = stage.approvals.length > 0;
  for (let i = index - 1; i >= 0 && p.stages[i].deploysTo.length === 0; i--)
    if (p.stages[i].approvals.length > 0) approval = true;
  if (approval) out.push("approval");
  const alarms =
    (stage.beforeEntry?.alarmCount ?? 0) +
    (stage.onSuccess?.alarmCount ?? 0) +
    (stage.onFailure?.condition?.alarmCount ?? 0) +
    stage.gates.reduce((n, g) => n + g.targets.length, 0);
  if (alarms > 0) out.push("alarms");
  if (stage.onFailure?.result === "ROLLBACK" || stage.onSuccess?.result === "ROLLBACK")
    out.push("rollback");
  return out;
}

/**
 * One Mermaid `flowchart LR` of the whole organization. Accounts appear in the order of the stacks
 * given (accounts no stack owns, such as an external caller, come last, sorted); nodes and edges
 * are sorted, so the output only changes when the plan does.
 */
export function mermaidDiagram(stacks: readonly DiagramStack[]): string {
  const ids = new Ids();
  const accounts = new Map<string, Account>();
  const account = (id: string): Account => {
    let a = accounts.get(id);
    if (!a) {
      a = { id, stacks: [], regions: [], pipelines: [], callers: new Set(), trusted: new Set() };
      accounts.set(id, a);
    }
    return a;
  };
  const addRegion = (a: Account, region: string) => {
    if (!a.regions.includes(region)) a.regions.push(region);
  };

  const edges: TrustEdge[] = [];
  const pipelines: PipelineSummary[] = [];
  for (const { stack, resources } of stacks) {
    const root = resources.find((r) => r.type === "pulumi:pulumi:Stack");
    if (root) {
      const a = account(root.account);
      if (!a.stacks.includes(stack)) a.stacks.push(stack);
      addRegion(a, root.region);
    }
    for (const r of resources) {
      if (!r.custom || r.type.startsWith("pulumi:providers:")) continue;
      const a = account(r.account);
      if (!root && !a.stacks.includes(stack)) a.stacks.push(stack);
      addRegion(a, r.region);
    }
    for (const p of pipelineSummaries(resources)) {
      account(p.account).pipelines.push(p);
      pipelines.push(p);
    }
    for (const e of trustEdges(resources).edges) edges.push(e);
  }
  for (const a of accounts.values()) {
    const [first, ...rest] = a.regions;
    a.regions.splice(0, a.regions.length, ...(first ? [first] : []), ...rest.sort());
  }

  // Trust: one edge per (caller, trusting account), listing the roles it may assume there.
  const trust = new Map<string, { caller: string; from: string; to: string; roles: Set<string> }>();
  for (const e of edges) {
    if (e.fromAccount === "*") continue;
    account(e.fromAccount).callers.add(e.fromPrincipal);
    const role = roleName(e.toRole);
    account(e.toAccount).trusted.add(role);
    const key = `${e.fromPrincipal}\u0000${e.toAccount}`;
    const entry = trust.get(key) ?? {
      caller: e.fromPrincipal,
      from: e.fromAccount,
      to: e.toAccount,
      roles: new Set<string>(),
    };
    entry.roles.add(role);
    trust.set(key, entry);
  }
  const anyone = edges.filter((e) => e.fromAccount === "*");
  for (const e of anyone) account(e.toAccount).trusted.add(roleName(e.toRole));

  // Deployments: one edge per (pipeline, account), labelled with the stages and their gates.
  const deploys = new Map<string, { pipeline: PipelineSummary; to: string; labels: string[] }>();
  for (const p of pipelines)
    p.stages.forEach((stage, i) => {
      for (const to of stage.deploysTo) {
        account(to);
        const key = `${p.urn}\u0000${to}`;
        const entry = deploys.get(key) ?? { pipeline: p, to, labels: [] };
        const g = gates(p, i);
        entry.labels.push(g.length ? `${stage.name}: ${g.join(" + ")}` : stage.name);
        deploys.set(key, entry);
      }
    });

  // Owned accounts first, in stack order; then the rest (external callers, targets), sorted.
  const order = [
    ...[...accounts.values()].filter((a) => a.stacks.length > 0),
    ...[...accounts.values()]
      .filter((a) => a.stacks.length === 0)
      .sort((x, y) => x.id.localeCompare(y.id)),
  ];
  const rank = new Map(order.map((a, i) => [a.id, i]));
  const accountId = (id: string) => ids.id("acct", id);
  const pipelineId = (p: PipelineSummary) => ids.id("pipe", `${p.account}_${p.name}`);
  const callerId = (arn: string) => ids.id("caller", arn.replace(/^arn:[^:]*:iam::/, ""));
  const rolesId = (id: string) => ids.id("roles", id);

  const lines = ["flowchart LR"];
  for (const a of order) {
    const title = a.stacks.length ? a.stacks.join(", ") : "external";
    const label = [title, a.id, ...(a.regions.length ? [a.regions.join(", ")] : [])].join(" · ");
    lines.push(`  subgraph ${accountId(a.id)}["${mermaidLabel(label)}"]`);
    lines.push("    direction TB");
    const pipelines = [...a.pipelines].sort((x, y) => x.name.localeCompare(y.name));
    for (const p of pipelines)
      lines.push(
        `    ${pipelineId(p)}["${mermaidLabel(`pipeline ${p.name} (${p.executionMode})`)}"]`,
      );
    for (const caller of [...a.callers].sort())
      lines.push(`    ${callerId(caller)}["${mermaidLabel(roleName(caller))}"]`);
    if (a.trusted.size > 0) {
      const roles = [...a.trusted].sort().join(", ");
      lines.push(`    ${rolesId(a.id)}["${mermaidLabel(`roles: ${roles}`)}"]`);
    }
    if (pipelines.length === 0 && a.callers.size === 0 && a.trusted.size === 0)
      lines.push(`    ${ids.id("empty", a.id)}["${mermaidLabel("no pipeline or trusted role")}"]`);
    lines.push("  end");
  }

  const deployEdges = [...deploys.values()].sort(
    (x, y) =>
      x.pipeline.name.localeCompare(y.pipeline.name) ||
      x.pipeline.account.localeCompare(y.pipeline.account) ||
      rank.get(x.to)! - rank.get(y.to)!,
  );
  for (const d of deployEdges)
    lines.push(
      `  ${pipelineId(d.pipeline)} -->|"${mermaidLabel(d.labels.join(", "))}"| ${accountId(d.to)}`,
    );

  const trustList = [...trust.values()].sort(
    (x, y) =>
      rank.get(x.from)! - rank.get(y.from)! ||
      x.caller.localeCompare(y.caller) ||
      rank.get(x.to)! - rank.get(y.to)!,
  );
  for (const t of trustList) {
    const roles = [...t.roles].sort().join(", ");
    lines.push(
      `  ${callerId(t.caller)} -.->|"${mermaidLabel(`assumes ${roles}`)}"| ${rolesId(t.to)}`,
    );
  }
  if (anyone.length > 0) {
    lines.push(`  ${ids.id("anyone", "principal")}["${mermaidLabel("any AWS principal (*)")}"]`);
    for (const to of [...new Set(anyone.map((e) => e.toAccount))].sort(
      (x, y) => rank.get(x)! - rank.get(y)!,
    ))
      lines.push(`  ${ids.id("anyone", "principal")} -.->|"assumes"| ${rolesId(to)}`);
  }
  return lines.join("\n") + "\n";
}
