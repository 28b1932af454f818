// The organization diagram the plan writes (and the README shows): one Mermaid flowchart with a
// subgraph per account, the pipelines in the tools account, where each pipeline deploys and
// behind which gates, and who assumes roles across accounts. It must be stable (the same plan
// gives the same text, whatever the mode or the order resources were recorded in) and well formed.
import { strict as assert } from "assert";
import { DiagramStack, mermaidDiagram, mermaidLabel } from "../../plan/report/diagram";
import { RecordedResource, UNKNOWN } from "../../plan/engine";
import { EXAMPLE_STACKS, runStackOk } from "../helpers";

const TOOLS = "111111111111";
const ACCOUNTS: Readonly<Record<string, string>> = {
  bootstrap: "999999999999",
  tools: TOOLS,
  dev: "222222222222",
  staging: "333333333333",
  prod: "444444444444",
  "prod-eu": "555555555555",
};
const PIPELINES = ["acme-billing-worker", "acme-orders-api", "acme-web-frontend"];
const ID = /^[A-Za-z][A-Za-z0-9_]*$/;

const plans = new Map<boolean, DiagramStack[]>();
before(async function () {
  this.timeout(120_000);
  for (const preview of [false, true]) {
    const stacks: DiagramStack[] = [];
    for (const stack of EXAMPLE_STACKS)
      stacks.push({ stack, resources: (await runStackOk(stack, { preview })).resources });
    plans.set(preview, stacks);
  }
});
const diagram = (preview = false) => mermaidDiagram(plans.get(preview)!);

interface Parsed {
  /** Subgraph id -> label. */
  readonly subgraphs: Map<string, string>;
  /** Node id -> { label, subgraph it sits in }. */
  readonly nodes: Map<string, { label: string; in?: string }>;
  readonly edges: { from: string; to: string; dotted: boolean; label: string }[];
}

/** A structural Mermaid flowchart parser for what mermaidDiagram writes; fails on anything else. */
function parse(text: string): Parsed {
  const lines = text.split("\n");
  assert.equal(lines[0], "flowchart LR");
  assert.equal(lines[lines.length - 1], "", "ends with a newline");
  const subgraphs = new Map<string, string>();
  const nodes = new Map<string, { label: string; in?: string }>();
  const edges: Parsed["edges"] = [];
  let open: string | undefined;
  for (const line of lines.slice(1, -1)) {
    let m: RegExpExecArray | null;
    if ((m = /^ {2}subgraph (\S+)\["([^"]*)"\]$/.exec(line))) {
      assert.equal(open, undefined, `nested subgraph at ${line}`);
      assert.match(m[1], ID);
      assert.ok(!subgraphs.has(m[1]), `subgraph ${m[1]} twice`);
      subgraphs.set(m[1], m[2]);
      open = m[1];
    } else if (/^ {2}end$/.test(line)) {
      assert.notEqual(open, undefined, "end without subgraph");
      open = undefined;
    } else if (/^ {4}direction (TB|LR)$/.test(line)) {
      assert.notEqual(open, undefined);
    } else if ((m = /^ +(\S+)\["([^"]*)"\]$/.exec(line))) {
      assert.match(m[1], ID);
      assert.ok(!nodes.has(m[1]) && !subgraphs.has(m[1]), `${m[1]} defined twice`);
      nodes.set(m[1], { label: m[2], ...(open ? { in: open } : {}) });
    } else if ((m = /^ {2}(\S+) (-->|-\.->)\|"([^"]*)"\| (\S+)$/.exec(line))) {
      edges.push({ from: m[1], to: m[4], dotted: m[2] === "-.->", label: m[3] });
    } else assert.fail(`unexpected line: ${JSON.stringify(line)}`);
  }
  assert.equal(open, undefined, "every subgraph ends");
  for (const e of edges)
    for (const id of [e.from, e.to])
      assert.ok(nodes.has(id) || subgraphs.has(id), `edge to undefined ${id}`);
  return { subgraphs, nodes, edges };
}

const accountOf = (p: Parsed, label: string) =>
  [...p.subgraphs].find(([, l]) => l.includes(label))?.[0];

describe("organization diagram", () => {
  it("is well-formed Mermaid: one flowchart, balanced subgraphs, valid ids, quoted labels", () => {
    const text = diagram();
    const parsed = parse(text);
    assert.equal(
      text.split("\n").filter((l) => /^\s*subgraph /.test(l)).length,
      text.split("\n").filter((l) => /^\s*end$/.test(l)).length,
    );
    assert.ok(parsed.edges.length > 0);
  });

  it("is deterministic: same text twice, in preview, and whatever order resources come in", () => {
    const text = diagram();
    assert.equal(mermaidDiagram(plans.get(false)!), text);
    assert.equal(diagram(true), text);
    const shuffled = plans.get(true)!.map(({ stack, resources }) => ({
      stack,
      resources: [...resources].reverse(),
    }));
    assert.equal(mermaidDiagram(shuffled), text);
    assert.doesNotMatch(text, new RegExp(String(UNKNOWN)));
    assert.doesNotMatch(text, /known after deploy|\[unknown\]/);
  });

  it("has a subgraph per account labelled with its stack, id and regions", () => {
    const parsed = parse(diagram());
    assert.deepEqual(
      [...parsed.subgraphs.values()],
      [
        "bootstrap · 999999999999 · us-east-1",
        `tools · ${TOOLS} · us-east-1, eu-west-1`,
        "dev · 222222222222 · us-east-1",
        "staging · 333333333333 · us-east-1",
        "prod · 444444444444 · us-east-1",
        "prod-eu · 555555555555 · eu-west-1",
      ],
    );
    for (const stack of EXAMPLE_STACKS) assert.ok(accountOf(parsed, ACCOUNTS[stack]), stack);
  });

  it("puts every pipeline in the tools account with an edge to each account it deploys to", () => {
    const parsed = parse(diagram());
    const tools = accountOf(parsed, TOOLS)!;
    for (const name of PIPELINES) {
      const node = [...parsed.nodes].find(([, n]) => n.label.includes(name));
      assert.ok(node, name);
      assert.equal(node[1].in, tools);
      const targets = parsed.edges
        .filter((e) => e.from === node[0] && !e.dotted)
        .map((e) => [parsed.subgraphs.get(e.to)!.split(" · ")[1], e.label]);
      assert.deepEqual(targets, [
        ["222222222222", "Deploy-dev"],
        ["333333333333", "Deploy-staging"],
        // Production's default waves: one account right after the approval, then the other.
        ["444444444444", "Deploy-prod-wave1: approval + alarms + rollback"],
        ["555555555555", "Deploy-prod-wave2: alarms + rollback"],
      ]);
    }
  });

  it("draws trust as dotted 'assumes' edges, one per caller and account, never into tools", () => {
    const parsed = parse(diagram());
    const tools = accountOf(parsed, TOOLS)!;
    const trust = parsed.edges.filter((e) => e.dotted);
    assert.ok(trust.length > 0);
    const pairs = new Set<string>();
    for (const e of trust) {
      assert.match(e.label, /^assumes /);
      assert.equal(parsed.nodes.get(e.from)?.in, tools, "callers are tools roles");
      assert.notEqual(parsed.nodes.get(e.to)?.in, tools, "nothing assumes into tools");
      const key = `${e.from} ${parsed.nodes.get(e.to)?.in}`;
      assert.ok(!pairs.has(key), `one edge per (caller, account): ${key}`);
      pairs.add(key);
    }
    const devDeployer = [...parsed.nodes].find(([, n]) => n.label === "acme-tools-deploy-dev")!;
    assert.deepEqual(
      trust
        .filter((e) => e.from === devDeployer[0])
        .map((e) => [parsed.nodes.get(e.to)?.in, e.label]),
      [[accountOf(parsed, "222222222222"), "assumes acme-dev-deploy"]],
    );
    // Only the prod alarm gate reads prod's alarms (dev is neither gated nor baked: no gate).
    const prodGate = [...parsed.nodes].find(([, n]) => n.label === "acme-tools-alarm-gate-prod")!;
    assert.deepEqual(
      trust.filter((e) => e.from === prodGate[0]).map((e) => [parsed.nodes.get(e.to)?.in, e.label]),
      [
        [accountOf(parsed, "444444444444"), "assumes acme-prod-alarm-reader"],
        [accountOf(parsed, "555555555555"), "assumes acme-prod-alarm-reader"],
      ],
    );
    assert.ok(
      !trust.some((e) => e.label.includes("acme-dev-alarm-reader")),
      "no principal ever assumes dev's alarm reader: no trust edge is drawn to it",
    );
    const prodDeployer = [...parsed.nodes].find(([, n]) => n.label === "acme-tools-deploy-prod")!;
    assert.deepEqual(
      trust.filter((e) => e.from === prodDeployer[0]).map((e) => parsed.nodes.get(e.to)?.in),
      [accountOf(parsed, "444444444444"), accountOf(parsed, "555555555555")],
    );
  });

  it("escapes quotes and sanitizes ids from odd names", () => {
    assert.equal(mermaidLabel('say "hi"\nthere'), "say #quot;hi#quot; there");
    const root: RecordedResource = {
      urn: "urn:pulumi:x::p::pulumi:pulumi:Stack::p-x",
      type: "pulumi:pulumi:Stack",
      name: "p-x",
      custom: false,
      inputs: {},
      outputs: {},
      account: "999999999999",
      region: "us-east-1",
      dependencies: [],
      propertyDependencies: {},
      secretPaths: [],
      protect: false,
      retainOnDelete: false,
    };
    const pipeline: RecordedResource = {
      ...root,
      urn: "urn:pulumi:x::p::aws:codepipeline/pipeline:Pipeline::odd",
      type: "aws:codepipeline/pipeline:Pipeline",
      name: "odd",
      custom: true,
      inputs: {
        name: 'end "weird" name',
        stages: [
          { name: "Src", actions: [{ name: "S", category: "Source", provider: "S3" }] },
          {
            name: "Go",
            actions: [
              {
                name: "D",
                category: "Deploy",
                provider: "CloudFormation",
                roleArn: "arn:aws:iam::888888888888:role/x",
              },
            ],
          },
        ],
      },
    };
    const text = mermaidDiagram([{ stack: 'odd "stack"', resources: [root, pipeline] }]);
    const parsed = parse(text);
    assert.ok([...parsed.nodes.values()].some((n) => n.label.includes("#quot;weird#quot;")));
    assert.deepEqual(
      [...parsed.subgraphs.values()],
      ["odd #quot;stack#quot; · 999999999999 · us-east-1", "external · 888888888888"],
    );
    assert.equal(parsed.edges.length, 1);
  });
});
