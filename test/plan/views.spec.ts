// What the offline plan prints per stack, read from what the engine recorded for the example
// organization: the resources by account, region and component; each pipeline's stages, parallel
// actions and prod gates; and who in which account may assume which role. Every view must read
// the same in a preview (ids and ARNs unknown) as after an update.
import { strict as assert } from "assert";
import fc from "fast-check";
import { RecordedResource, UNKNOWN } from "../../plan/engine";
import { reportResource } from "../../plan/report";
import {
  KNOWN_AFTER_DEPLOY,
  pipelineSummaries,
  PipelineSummary,
  renderGroups,
  renderPipelines,
  renderTrust,
  resourceGroups,
  trustEdges,
} from "../../plan/report/views";
import { pipelineModel } from "../../model/pipeline";
import { validateOrganization } from "../../model/config";
import {
  EXAMPLE_STACKS,
  EXAMPLE_STAGES,
  EXAMPLE_STAGES_WITH_TESTS,
  exampleOrganization,
  runStackOk,
  StackRun,
} from "../helpers";

const TOOLS = "111111111111";
const ORG_ID = "o-exampleorg01";
const WORKLOADS = [
  { stack: "dev", env: "dev", account: "222222222222" },
  { stack: "staging", env: "staging", account: "333333333333" },
  { stack: "prod", env: "prod", account: "444444444444" },
  { stack: "prod-eu", env: "prod", account: "555555555555" },
] as const;
const PROMOTION: Record<string, readonly string[]> = {
  pulumi: EXAMPLE_STAGES,
  cloudformation: EXAMPLE_STAGES_WITH_TESTS,
};
const UNKNOWN_TEXT = String(UNKNOWN);

const MODES = [
  { mode: "update", preview: false },
  { mode: "preview", preview: true },
] as const;
const runs = new Map<string, StackRun>();
const runOf = (stack: string, preview: boolean) => runs.get(`${stack}:${preview}`)!;

before(async function () {
  this.timeout(120_000);
  for (const { preview } of MODES)
    for (const stack of EXAMPLE_STACKS)
      runs.set(`${stack}:${preview}`, await runStackOk(stack, { preview }));
});

const pipelineNamed = (pipelines: readonly PipelineSummary[], name: string) => {
  const found = pipelines.find((p) => p.name === name);
  if (!found) throw new Error(`no pipeline ${name} in ${pipelines.map((p) => p.name).join(", ")}`);
  return found;
};
/** Each stage as the plan shows its runOrders: `[runOrder, [action names]]`. */
const runOrders = (p: PipelineSummary, stage: string) =>
  p.stages
    .find((s) => s.name === stage)!
    .steps.map((s) => [s.runOrder, s.actions.map((a) => a.name)] as const);

/** A synthetic IAM role in account 999999999999 with the given trust document. */
const roleWithTrust = (name: string, trust: unknown): RecordedResource => ({
  urn: `urn:pulumi:test::proj::aws:iam/role:Role::${name}`,
  type: "aws:iam/role:Role",
  name,
  custom: true,
  inputs: { name, assumeRolePolicy: trust },
  outputs: { name },
  account: "999999999999",
  region: "us-east-1",
  dependencies: [],
  propertyDependencies: {},
  secretPaths: [],
  protect: false,
  retainOnDelete: false,
});

for (const { mode, preview } of MODES) {
  describe(`pipeline view (${mode})`, () => {
    const all = () => pipelineSummaries(runOf("tools", preview).resources);
    // The applications' deploy pipelines; each application's pull-request pipeline (`-pr`)
    // deploys nothing, and the platform pipeline (`acme-platform`) deploys the platform itself
    // (test/tools/platform-pipeline.spec.ts).
    const tools = () => all().filter((p) => !p.name.endsWith("-pr") && p.name !== "acme-platform");

    it("shows every application's pipeline in promotion order, as the model has it", () => {
      const org = validateOrganization(exampleOrganization());
      assert.deepEqual(
        all()
          .map((p) => p.name)
          .sort(),
        [
          "acme-billing-worker",
          "acme-billing-worker-pr",
          "acme-orders-api",
          "acme-orders-api-pr",
          "acme-platform",
          "acme-web-frontend",
          "acme-web-frontend-pr",
        ],
      );
      for (const p of all().filter((x) => x.name.endsWith("-pr")))
        assert.deepEqual(
          p.stages.map((s) => [s.name, s.deploysTo]),
          p.stages.map((s) => [s.name, []]),
          `${p.name} deploys nowhere`,
        );
      const pipelines = tools();
      assert.deepEqual(
        pipelines.map((p) => p.name),
        ["acme-billing-worker", "acme-orders-api", "acme-web-frontend"],
      );
      for (const app of org.applications) {
        const p = pipelineNamed(pipelines, `acme-${app.name}`);
        const model = pipelineModel(org, app);
        assert.deepEqual(
          p.stages.map((s) => s.name),
          model.stages.map((s) => s.name),
        );
        assert.deepEqual(
          p.stages.map((s) => s.name),
          PROMOTION[app.deploy.mechanism],
        );
        // The same actions at the same runOrders as the engine-neutral model.
        for (const [i, stage] of model.stages.entries()) {
          const shown = p.stages[i].steps.flatMap((s) =>
            s.actions.map((a) => [a.runOrder, a.name]),
          );
          assert.deepEqual(
            shown,
            [...stage.actions]
              .sort((a, b) => a.runOrder - b.runOrder)
              .map((a) => [a.runOrder, a.name]),
            `${p.name} ${stage.name}`,
          );
        }
      }
    });

    it("runs the build and its checks together, and CloudFormation plan before apply", () => {
      const pipelines = tools();
      assert.deepEqual(runOrders(pipelineNamed(pipelines, "acme-orders-api"), "Build"), [
        [1, ["Build", "unit-tests", "lint", "sast", "secrets-scan", "dependency-audit"]],
      ]);
      const billing = pipelineNamed(pipelines, "acme-billing-worker");
      assert.deepEqual(runOrders(billing, "Deploy-dev"), [
        [1, ["dev-us-east-1.plan"]],
        [2, ["dev-us-east-1.apply"]],
      ]);
      // Production deploys in the default waves: one account first, then the rest.
      assert.deepEqual(runOrders(billing, "Deploy-prod-wave1"), [
        [1, ["AlarmCheck"]],
        [2, ["prod-us-us-east-1.plan"]],
        [3, ["prod-us-us-east-1.apply"]],
        [4, ["Bake"]],
      ]);
      assert.deepEqual(runOrders(billing, "Deploy-prod-wave2"), [
        [1, ["AlarmCheck"]],
        [2, ["prod-eu-eu-west-1.plan"]],
        [3, ["prod-eu-eu-west-1.apply"]],
        [4, ["Bake"]],
      ]);
      assert.deepEqual(
        runOrders(pipelineNamed(pipelines, "acme-web-frontend"), "Deploy-prod-wave2"),
        [
          [1, ["AlarmCheck"]],
          [2, ["prod-eu-eu-west-1"]],
          [3, ["Bake"]],
        ],
      );
    });

    it("names the account and region each deploy action targets", () => {
      for (const p of tools()) {
        const targets = Object.fromEntries(p.stages.map((s) => [s.name, s.deploysTo]));
        assert.deepEqual(targets["Deploy-dev"], ["222222222222"], p.name);
        assert.deepEqual(targets["Deploy-staging"], ["333333333333"], p.name);
        assert.deepEqual(targets["Deploy-prod-wave1"], ["444444444444"], p.name);
        assert.deepEqual(targets["Deploy-prod-wave2"], ["555555555555"], p.name);
        for (const name of ["Source", "Build", "Test-dev", "Approve-prod", "Test-prod"].filter(
          (s) => s in targets,
        ))
          assert.deepEqual(targets[name], [], `${p.name} ${name} deploys nowhere`);
        const eu = p.stages
          .find((s) => s.name === "Deploy-prod-wave2")!
          .steps.flatMap((s) => s.actions)
          .filter((a) => a.name.startsWith("prod-eu"));
        assert.ok(eu.length > 0);
        for (const a of eu) assert.deepEqual([a.account, a.region], ["555555555555", "eu-west-1"]);
      }
    });

    it("gates each prod wave on the alarms of both prod accounts, bakes 30 minutes on what it deployed so far, rolls back", () => {
      const both = ["444444444444 us-east-1", "555555555555 eu-west-1"];
      for (const p of tools()) {
        const first = p.stages.find((s) => s.name === "Deploy-prod-wave1")!;
        assert.deepEqual(
          first.gates.map((g) => [g.action, g.phase, g.minutes, g.accounts, g.targets.length]),
          [
            ["AlarmCheck", "entry", 0, ["444444444444", "555555555555"], 2],
            ["Bake", "bake", 30, ["444444444444"], 1],
          ],
        );
        const prod = p.stages.find((s) => s.name === "Deploy-prod-wave2")!;
        assert.deepEqual(
          prod.gates.map((g) => [g.action, g.phase, g.minutes, g.accounts, g.targets.length]),
          [
            ["AlarmCheck", "entry", 0, ["444444444444", "555555555555"], 2],
            ["Bake", "bake", 30, ["444444444444", "555555555555"], 2],
          ],
        );
        for (const g of prod.gates) assert.deepEqual(g.targets, both);
        for (const s of [first, prod]) assert.equal(s.onFailure?.result, "ROLLBACK");
        const approve = p.stages.find((s) => s.name === "Approve-prod")!;
        assert.deepEqual(approve.approvals, ["Approve-prod"]);
        assert.deepEqual(
          approve.gates.map((g) => [g.phase, g.accounts]),
          [["entry", ["444444444444", "555555555555"]]],
        );
        for (const s of p.stages.filter((s) => !/-prod($|-)/.test(s.name)))
          assert.ok(!s.gates.length && !s.onFailure, `${p.name} ${s.name}`);
        for (const s of p.stages) assert.ok(!s.beforeEntry && !s.onSuccess, `${p.name} ${s.name}`);
      }
    });

    it("shows source, trigger and execution mode", () => {
      const web = pipelineNamed(tools(), "acme-web-frontend");
      assert.equal(web.pipelineType, "V2");
      assert.equal(web.executionMode, "SUPERSEDED");
      assert.equal(web.roleArn, `arn:aws:iam::${TOOLS}:role/acme-web-frontend-pipeline`);
      assert.equal(web.sources.length, 1);
      const source = web.sources[0];
      assert.deepEqual(
        [source.provider, source.host, source.repository, source.branch],
        ["CodeStarSourceConnection", "GitLab", "acme/web-frontend", "main"],
      );
      assert.deepEqual(source.triggers[0].filePaths, {
        includes: ["src/**", "infra/**", "package.json"],
        excludes: ["docs/**"],
      });
      assert.equal(pipelineNamed(tools(), "acme-orders-api").sources[0].host, "GitHub");
      assert.equal(pipelineNamed(tools(), "acme-billing-worker").sources[0].branch, "release");
    });

    it("renders stages, parallel runs and prod gates for a reader", () => {
      const lines = renderPipelines(tools());
      const text = lines.join("\n");
      assert.ok(
        lines.includes(
          "Pipeline acme-orders-api · V2 · QUEUED · 111111111111 us-east-1 · 7 stages",
        ),
      );
      assert.ok(lines.includes("  Stage Build"));
      assert.ok(lines.includes("    run 1, 6 in parallel:"));
      assert.ok(
        lines.includes(
          "  Stage Approve-prod · manual approval: Approve-prod · alarm gate AlarmCheck: check 2 deployment-health alarms (444444444444, 555555555555) first",
        ),
        text,
      );
      assert.ok(
        lines.includes(
          "  Stage Deploy-prod-wave2 (wave 2 of 2) · alarm gate AlarmCheck: check 2 deployment-health alarms " +
            "(444444444444, 555555555555) first · alarm gate Bake: watch 2 deployment-health " +
            "alarms (444444444444, 555555555555) for 30 min · on failure ROLLBACK",
        ),
        text,
      );
      assert.ok(
        lines.includes(
          "  rollback needs an earlier successful run of the same pipeline structure: the first run, and the first run after any change to the pipeline's shape, cannot roll back",
        ),
        text,
      );
      assert.match(text, /prod-eu-eu-west-1 \(Build, CodeBuild → 555555555555 eu-west-1\)/);
      assert.match(
        text,
        /trigger: push to main touching src\/\*\*, infra\/\*\*, package\.json ignoring docs\/\*\*/,
      );
      assert.ok(!text.includes(UNKNOWN_TEXT) && !text.includes("[unknown]"));
      for (const l of lines) assert.match(l, /^( {2})*\S/, "two-space indentation");
      assert.doesNotMatch(text, /\u001b\[/, "no colour codes");
    });

    it("lists no pipeline for a workload stack", () => {
      for (const { stack } of WORKLOADS)
        assert.deepEqual(pipelineSummaries(runOf(stack, preview).resources), []);
    });
  });

  describe(`cross-account trust (${mode})`, () => {
    it("lets only the tools deploy role of the same environment assume a deploy role", () => {
      for (const { stack, env, account } of WORKLOADS) {
        const view = trustEdges(runOf(stack, preview).resources);
        const into = view.edges.filter(
          (e) => e.toRole === `arn:aws:iam::${account}:role/acme-${env}-deploy`,
        );
        assert.equal(into.length, 1, stack);
        assert.deepEqual(
          { ...into[0], resource: undefined },
          {
            fromAccount: TOOLS,
            fromPrincipal: `arn:aws:iam::${TOOLS}:role/acme-tools-deploy-${env}`,
            toAccount: account,
            toRole: `arn:aws:iam::${account}:role/acme-${env}-deploy`,
            resource: undefined,
            actions: ["sts:AssumeRole", "sts:TagSession"],
            conditions: {
              principalOrgId: [ORG_ID],
              principalArn: {
                operator: "ArnEquals",
                values: [`arn:aws:iam::${TOOLS}:role/acme-tools-deploy-${env}`],
              },
              other: [],
            },
            narrowed: true,
          },
        );
      }
    });

    it("trusts only the tools account, never the other way round", () => {
      assert.deepEqual(trustEdges(runOf("tools", preview).resources).edges, []);
      for (const stack of EXAMPLE_STACKS) {
        const view = trustEdges(runOf(stack, preview).resources);
        assert.deepEqual(view.skipped, [], stack);
        for (const e of view.edges) {
          assert.equal(e.fromAccount, TOOLS, `${stack}: ${e.fromPrincipal}`);
          assert.notEqual(e.toAccount, TOOLS);
          assert.ok(e.narrowed && e.conditions.principalOrgId?.includes(ORG_ID));
        }
      }
    });

    it("shows the prod alarm gate on the alarm reader, and the pipelines' pattern on the CloudFormation action role", () => {
      const view = trustEdges(runOf("prod-eu", preview).resources);
      const pattern = `arn:aws:iam::${TOOLS}:role/acme-*-pipeline`;
      assert.deepEqual(
        view.edges.filter((e) => e.fromPrincipal === pattern).map((e) => e.toRole),
        ["arn:aws:iam::555555555555:role/acme-prod-cfn-action"],
      );
      assert.deepEqual(
        view.edges
          .filter((e) => e.toRole === "arn:aws:iam::555555555555:role/acme-prod-alarm-reader")
          .map((e) => e.fromPrincipal),
        [`arn:aws:iam::${TOOLS}:role/acme-tools-alarm-gate-prod`],
      );
      assert.deepEqual(
        view.serviceTrust.map((s) => [s.principal, s.toRole]),
        [["cloudformation.amazonaws.com", "arn:aws:iam::555555555555:role/acme-prod-cfn-exec"]],
      );
    });

    it("renders each trusting role with its callers and conditions", () => {
      const lines = renderTrust(trustEdges(runOf("dev", preview).resources));
      assert.ok(lines.includes("role/acme-dev-deploy in 222222222222"), lines.join("\n"));
      assert.ok(
        lines.includes(
          `  ← arn:aws:iam::${TOOLS}:role/acme-tools-deploy-dev (${TOOLS}) · sts:AssumeRole, ` +
            `sts:TagSession · ArnEquals aws:PrincipalArn, org ${ORG_ID}`,
        ),
        lines.join("\n"),
      );
      const text = lines.join("\n");
      assert.ok(!text.includes(UNKNOWN_TEXT) && !text.includes(KNOWN_AFTER_DEPLOY));
    });
  });

  describe(`resource groups (${mode})`, () => {
    it("counts every resource of a stack once, by account, region and type", () => {
      for (const stack of EXAMPLE_STACKS) {
        const resources = runOf(stack, preview).resources;
        const counted = resources.filter(
          (r) =>
            r.custom && r.type !== "pulumi:pulumi:Stack" && !r.type.startsWith("pulumi:providers:"),
        );
        const groups = resourceGroups(resources);
        assert.equal(groups.total, counted.length, stack);
        const expected = new Map<string, number>();
        for (const r of counted) {
          const key = `${r.account} ${r.region} ${r.type}`;
          expected.set(key, (expected.get(key) ?? 0) + 1);
        }
        const shown = new Map<string, number>();
        for (const a of groups.accounts) {
          assert.equal(
            a.count,
            counted.filter((r) => r.account === a.account).length,
            `${stack} ${a.account}`,
          );
          for (const g of a.regions) {
            assert.equal(
              g.count,
              counted.filter((r) => r.account === a.account && r.region === g.region).length,
            );
            for (const c of g.components) {
              assert.equal(
                c.count,
                c.types.reduce((n, t) => n + t.count, 0),
              );
              for (const t of c.types) {
                const key = `${a.account} ${g.region} ${t.type}`;
                shown.set(key, (shown.get(key) ?? 0) + t.count);
              }
            }
          }
        }
        assert.deepEqual(new Map([...shown].sort()), new Map([...expected].sort()), stack);
      }
    });

    it("groups by top-level component and lists providers with their targets apart", () => {
      const tools = resourceGroups(runOf("tools", preview).resources);
      assert.deepEqual(
        tools.accounts.map((a) => [a.account, a.regions.map((r) => r.region)]),
        [[TOOLS, ["eu-west-1", "us-east-1"]]],
      );
      const east = tools.accounts[0].regions.find((r) => r.region === "us-east-1")!;
      const orders = east.components.find((c) => c.name === "acme-orders-api")!;
      assert.equal(orders.type, "platform:tools:ApplicationPipeline");
      assert.deepEqual(
        orders.types.find((t) => t.type === "aws:codepipeline/pipeline:Pipeline"),
        { type: "aws:codepipeline/pipeline:Pipeline", count: 1 },
      );
      // The bucket's children (policy, versioning ...) count under the store, not the bucket.
      assert.ok(!east.components.some((c) => c.name === "acme-artifacts-us-east-1-bucket"));
      assert.deepEqual(
        tools.providers.map((p) => [p.name, p.account, p.region]),
        [
          ["acme-tools-eu-west-1", TOOLS, "eu-west-1"],
          ["acme-tools-us-east-1", TOOLS, "us-east-1"],
        ],
      );
      const prodEu = resourceGroups(runOf("prod-eu", preview).resources);
      assert.deepEqual(
        prodEu.accounts.map((a) => [a.account, a.regions.map((r) => r.region)]),
        [["555555555555", ["eu-west-1"]]],
      );
      const deploy = prodEu.accounts[0].regions[0].components.find(
        (c) => c.type === "platform:workload:DeployRole",
      )!;
      assert.equal(deploy.name, "acme-prod-555555555555-deploy");
      assert.equal(deploy.types.find((t) => t.type === "aws:iam/role:Role")?.count, 1);
    });

    it("renders accounts, regions, components and providers", () => {
      const lines = renderGroups(resourceGroups(runOf("dev", preview).resources));
      const total = resourceGroups(runOf("dev", preview).resources).total;
      assert.equal(lines[0], `Account 222222222222 · ${total} resources`);
      assert.ok(
        lines.some((l) =>
          /^ {4}acme-dev-222222222222-deploy \(platform:workload:DeployRole\) · \d+: .*1 iam\.Role/.test(
            l,
          ),
        ),
      );
      assert.ok(lines.includes("  acme-dev-222222222222-us-east-1 (aws) → 222222222222 us-east-1"));
    });
  });
}

describe("views in preview read like the update", () => {
  it("prints the same pipelines, trust and groups in both modes", () => {
    for (const stack of EXAMPLE_STACKS) {
      const [u, p] = [runOf(stack, false), runOf(stack, true)].map((r) => r.resources);
      assert.deepEqual(
        renderPipelines(pipelineSummaries(p)),
        renderPipelines(pipelineSummaries(u)),
      );
      assert.deepEqual(renderTrust(trustEdges(p)), renderTrust(trustEdges(u)));
      assert.deepEqual(renderGroups(resourceGroups(p)), renderGroups(resourceGroups(u)));
    }
  });

  it("reads the JSON report's form of the resources (unknowns marked) the same way", () => {
    for (const stack of ["tools", "dev"]) {
      const raw = runOf(stack, true).resources;
      const report = raw.map(reportResource) as unknown as RecordedResource[];
      assert.deepEqual(
        renderPipelines(pipelineSummaries(report)),
        renderPipelines(pipelineSummaries(raw)),
      );
      assert.deepEqual(renderTrust(trustEdges(report)), renderTrust(trustEdges(raw)));
      assert.deepEqual(renderGroups(resourceGroups(report)), renderGroups(resourceGroups(raw)));
    }
  });

  it("derives a role ARN it does not know yet and says when it cannot", () => {
    const trust = JSON.stringify({
      Statement: [
        {
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::111111111111:root" },
          Action: "sts:AssumeRole",
        },
      ],
    });
    const named = {
      ...roleWithTrust("ops", trust),
      inputs: { name: "ops", path: "/team/", assumeRolePolicy: trust },
    };
    assert.equal(trustEdges([named]).edges[0].toRole, "arn:aws:iam::999999999999:role/team/ops");
    const unnamed = {
      ...roleWithTrust("ops", trust),
      inputs: { name: UNKNOWN, assumeRolePolicy: trust },
      outputs: {},
    };
    const view = trustEdges([unnamed]);
    assert.equal(view.edges[0].toRole, KNOWN_AFTER_DEPLOY);
    assert.ok(!renderTrust(view).join("\n").includes(UNKNOWN_TEXT));
  });
});

describe("trust documents of every shape", () => {
  const edgesOf = (doc: unknown) => trustEdges([roleWithTrust("r", doc)]);
  const allow = (principal: unknown, condition?: unknown, action: unknown = "sts:AssumeRole") =>
    JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: principal, Action: action, Condition: condition }],
    });

  it("skips malformed documents with the reason, without throwing", () => {
    const bad: unknown[] = [
      "{not json",
      "[]",
      "42",
      JSON.stringify({ Statement: [{ Effect: "Maybe" }] }),
      JSON.stringify({ Statement: ["string"] }),
      UNKNOWN,
      "[unknown]",
      undefined,
      null,
    ];
    for (const doc of bad) {
      const view = edgesOf(doc);
      assert.deepEqual(view.edges, [], String(doc));
      assert.equal(view.skipped.length, 1, String(doc));
      assert.equal(view.skipped[0].resource, "r");
    }
    assert.deepEqual(
      edgesOf("{not json").skipped[0].reason,
      "the policy document is not valid JSON",
    );
    assert.match(edgesOf(UNKNOWN).skipped[0].reason, /known after deploy/);
    assert.ok(renderTrust(edgesOf("{not json")).includes("Unreadable trust policies"));
  });

  it("tolerates odd principals, actions and conditions", () => {
    const odd = [
      allow(42),
      allow({ AWS: 42 }),
      allow({ AWS: ["not-an-arn", null] }),
      allow({ AWS: "arn:aws:iam::111111111111:root" }, "not a map"),
      allow({ AWS: "arn:aws:iam::111111111111:root" }, { ArnLike: "x" }),
      allow({ AWS: "arn:aws:iam::111111111111:root" }, undefined, 7),
      allow({ AWS: "arn:aws:iam::111111111111:root" }, undefined, "s3:GetObject"),
    ];
    for (const doc of odd) assert.doesNotThrow(() => renderTrust(edgesOf(doc)), doc);
    assert.deepEqual(
      edgesOf(allow({ AWS: "arn:aws:iam::111111111111:root" }, undefined, "s3:GetObject")).edges,
      [],
    );
  });

  it("never throws on arbitrary JSON", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.boolean(), (value, asText) => {
        const view = edgesOf(asText ? JSON.stringify(value) : value);
        renderTrust(view);
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(
        fc.record({
          Effect: fc.constantFrom("Allow", "Deny"),
          Principal: fc.oneof(
            fc.constant("*"),
            fc.dictionary(fc.constantFrom("AWS", "Service", "Federated", "X"), fc.jsonValue()),
          ),
          Action: fc.oneof(fc.constantFrom("sts:*", "sts:AssumeRole", "*"), fc.jsonValue()),
          Condition: fc.jsonValue(),
        }),
        (statement) => {
          renderTrust(edgesOf(JSON.stringify({ Statement: [statement] })));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("flags an account root trusted without conditions", () => {
    const view = edgesOf(allow({ AWS: "111111111111" }));
    assert.deepEqual(
      view.edges.map((e) => [e.fromAccount, e.fromPrincipal, e.narrowed]),
      [["111111111111", "arn:aws:iam::111111111111:root", false]],
    );
    assert.match(renderTrust(view).join("\n"), /NOT NARROWED/);
  });

  it("takes a role ARN principal as the caller and reports an external id", () => {
    const caller = "arn:aws:iam::111111111111:role/ci";
    const view = edgesOf(
      allow({ AWS: caller }, { StringEquals: { "sts:ExternalId": "abc" } }, "sts:*"),
    );
    assert.equal(view.edges.length, 1);
    assert.equal(view.edges[0].fromPrincipal, caller);
    assert.ok(view.edges[0].narrowed);
    assert.ok(view.edges[0].conditions.externalId);
    assert.ok(
      view.edges[0].actions.includes("sts:AssumeRole") &&
        view.edges[0].actions.includes("sts:TagSession"),
    );
    assert.doesNotMatch(
      renderTrust(view).join("\n"),
      /abc/,
      "the external id's value is not printed",
    );
  });

  it("keeps only the PrincipalArn patterns of the trusted account, and ignores the own account", () => {
    const view = edgesOf(
      allow(
        { AWS: ["arn:aws:iam::111111111111:root", "arn:aws:iam::999999999999:root"] },
        {
          ArnLike: {
            "aws:PrincipalArn": [
              "arn:aws:iam::111111111111:role/a-*",
              "arn:aws:iam::888888888888:role/b",
            ],
          },
        },
      ),
    );
    assert.deepEqual(
      view.edges.map((e) => e.fromPrincipal),
      ["arn:aws:iam::111111111111:role/a-*"],
    );
  });

  it("reads a wildcard principal as anyone", () => {
    const view = edgesOf(allow("*"));
    assert.deepEqual(
      view.edges.map((e) => [e.fromAccount, e.fromPrincipal, e.narrowed]),
      [["*", "*", false]],
    );
  });
});

describe("resources directly under the stack", () => {
  it("go in a group named after the stack", () => {
    const root: RecordedResource = {
      ...roleWithTrust("x", "{}"),
      urn: "urn:pulumi:test::proj::pulumi:pulumi:Stack::proj-test",
      type: "pulumi:pulumi:Stack",
      name: "proj-test",
      custom: false,
    };
    const role = { ...roleWithTrust("loose", "{}"), parent: root.urn };
    const groups = resourceGroups([root, role]);
    assert.equal(groups.stack, "proj-test");
    assert.deepEqual(groups.accounts[0].regions[0].components, [
      {
        name: "proj-test",
        type: "pulumi:pulumi:Stack",
        count: 1,
        types: [{ type: "aws:iam/role:Role", count: 1 }],
      },
    ]);
    assert.match(
      renderGroups(groups).join("\n"),
      /proj-test \(directly under the stack\) · 1: 1 iam\.Role/,
    );
  });
});

describe("pipelines split into waves", () => {
  it("shows each wave and each part of a large wave with its own gates", async () => {
    const run = await runStackOk("tools", {
      editOrganization: (org) => {
        const prod = org.environments.find((e) => e.name === "prod")!;
        prod.accounts = Array.from({ length: 120 }, (_, i) => ({
          id: String(600000000000 + i),
          name: `p${i}`,
          regions: ["us-east-1"],
        }));
      },
    });
    const p = pipelineNamed(pipelineSummaries(run.resources), "acme-orders-api");
    const waves = p.stages.filter((s) => s.wave);
    // The default production waves: 1, 10 % (12), the rest (107, in three parts of at most 48).
    assert.deepEqual(
      waves.map((s) => [
        s.name,
        s.wave!.index,
        s.wave!.of,
        s.wave!.part,
        s.gates.map((g) => [g.action, g.minutes, g.targets.length]),
      ]),
      [
        [
          "Deploy-prod-wave1",
          1,
          3,
          undefined,
          [
            ["AlarmCheck", 0, 120],
            ["Bake", 30, 1],
          ],
        ],
        [
          "Deploy-prod-wave2",
          2,
          3,
          undefined,
          [
            ["AlarmCheck", 0, 120],
            ["Bake", 30, 13],
          ],
        ],
        [
          "Deploy-prod-wave3-part1",
          3,
          3,
          1,
          [
            ["AlarmCheck", 0, 120],
            ["Verify", 0, 49],
          ],
        ],
        [
          "Deploy-prod-wave3-part2",
          3,
          3,
          2,
          [
            ["AlarmCheck", 0, 120],
            ["Verify", 0, 85],
          ],
        ],
        [
          "Deploy-prod-wave3-part3",
          3,
          3,
          3,
          [
            ["AlarmCheck", 0, 120],
            ["Bake", 30, 120],
          ],
        ],
      ],
    );
    const lines = renderPipelines([p]);
    assert.ok(
      lines.some((l) =>
        l.startsWith(
          "  Stage Deploy-prod-wave3-part2 (wave 3 of 3, part 2 of 3) · alarm gate AlarmCheck: check 120 deployment-health alarms",
        ),
      ),
      lines.join("\n"),
    );
  });
});
