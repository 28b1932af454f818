// The platform pipeline: Source, Validate, Tools, then every workload stack by environment under
// its account's bootstrap role, with the application pipelines' approvals and waves; and who may
// do what with its three roles.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import {
  canAssumeRole,
  evaluatePolicies,
  parsePolicy,
  PolicyDocument,
  trustAllows,
} from "../../plan/report/iam-eval";
import { EXIT_OK, EXIT_VIOLATIONS, exitCodeFor } from "../../plan/cli/exit-codes";
import type { ReportStack } from "../../plan/report";
import { validateOrganization } from "../../model/config";
import { Organization } from "../../model/config/schema";
import { platformNames } from "../../model/naming";
import {
  MAX_ACTION_CONFIGURATION_VALUE,
  platformModelProblems,
  platformPipelineModel,
} from "../../model/platform-pipeline";
import { MAX_ACTIONS_PER_STAGE, MAX_STAGES_PER_PIPELINE } from "../../model/pipeline";
import { derivedStacks } from "../../model/stacks";
import {
  deployerRolePolicy,
  projectTrust,
  TOOLS_STACK_SERVICES,
  validateRolePolicy,
} from "../../model/iam/tools/platform";
import { toolsScope } from "../../stacks/tools/base";
import {
  deployedRole,
  exampleOrganization,
  exampleRun,
  ofType,
  PROJECT_DIR,
  runCli,
  StackRun,
} from "../helpers";

const TOOLS = "111111111111";
const ORG_ID = "o-exampleorg01";
const n = platformNames("acme");
const roleArnIn = (account: string, name: string) => `arn:aws:iam::${account}:role/${name}`;
const projectArn = (p: string) => `arn:aws:codebuild:us-east-1:${TOOLS}:project/${p}`;

/** The example with prod holding `count` accounts. */
function prodOf(count: number): Organization {
  const o = exampleOrganization() as unknown as {
    environments: { name: string; accounts: unknown[] }[];
  };
  o.environments.find((e) => e.name === "prod")!.accounts = Array.from(
    { length: count },
    (_, i) => ({ id: String(600000000000 + i), name: `p${i}`, regions: ["us-east-1"] }),
  );
  return validateOrganization(o);
}
const modelOf = (org: Organization) => platformPipelineModel(org, derivedStacks(org), "aws");

function platformPipeline(run: StackRun) {
  const p = ofType(run, "aws:codepipeline/pipeline:Pipeline").find(
    (r) => r.inputs["name"] === n.pipeline,
  );
  assert.ok(p, "the tools stack creates the platform pipeline");
  return p.inputs["stages"] as {
    name: string;
    actions: { name: string; provider: string; configuration: Record<string, string> }[];
  }[];
}

/** The bootstrap role's trust as the bootstrap StackSet writes it (docs/platform-pipeline.md). */
const bootstrapTrust: PolicyDocument = {
  Statement: [
    {
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${TOOLS}:root` },
      Action: ["sts:AssumeRole", "sts:TagSession"],
      Condition: {
        ArnEquals: { "aws:PrincipalArn": roleArnIn(TOOLS, n.deployerRole) },
        StringEquals: { "aws:PrincipalOrgID": ORG_ID },
      },
    },
  ],
};

describe("platform pipeline: stages", () => {
  it("runs Source, Validate, Tools, then the environments in promotion order with approval before prod", async () => {
    const stages = platformPipeline(await exampleRun("tools"));
    assert.deepEqual(
      stages.map((s) => s.name),
      [
        "Source",
        "Validate",
        "Tools",
        "Deploy-dev",
        "Deploy-staging",
        "Approve-prod",
        "Deploy-prod-wave1",
        "Deploy-prod-wave2",
      ],
    );
    const names = stages.map((s) => s.name);
    assert.ok(names.indexOf("Approve-prod") < names.findIndex((s) => s.startsWith("Deploy-prod")));
    assert.equal(stages[0]!.actions[0]!.provider, "CodeStarSourceConnection");
    assert.equal(stages[0]!.actions[0]!.configuration["FullRepositoryId"], "acme/cicd-platform");
  });

  it("each deploy action updates one workload stack under its account's bootstrap role", async () => {
    const run = await exampleRun("tools");
    const stacks = derivedStacks(exampleOrganization()).filter((s) => s.role === "workload");
    const actions = platformPipeline(run)
      .filter((s) => s.name.startsWith("Deploy-"))
      .flatMap((s) => s.actions.map((a) => ({ stage: s.name, ...a })));
    assert.equal(actions.length, stacks.length);
    for (const a of actions) {
      const value = a.configuration["EnvironmentVariables"]!;
      assert.ok(value.length <= MAX_ACTION_CONFIGURATION_VALUE);
      const vars = Object.fromEntries(
        (JSON.parse(value) as { name: string; value: string }[]).map((v) => [v.name, v.value]),
      );
      const stack = stacks.find((s) => s.account === vars["TARGET_ACCOUNT"]);
      assert.ok(stack, `${a.name}: a stack of the organization`);
      // prod's hand-written Pulumi.prod.yaml keeps its name; the others are derived names.
      assert.ok(vars["STACK_NAME"] === stack.name || vars["STACK_NAME"] === "prod");
      assert.equal(vars["ROLE"], roleArnIn(stack.account, "acme-platform-bootstrap"));
      assert.equal(vars["TARGET_REGION"], stack.region);
      assert.equal(a.configuration["ProjectName"], n.workloadUpdateProject(stack.environment!));
    }
  });

  it("the Tools stage passes the execution id and commit so a changed pipeline continues on its new definition", async () => {
    const tools = platformPipeline(await exampleRun("tools")).find((s) => s.name === "Tools")!;
    const vars = JSON.parse(tools.actions[0]!.configuration["EnvironmentVariables"]!) as {
      name: string;
      value: string;
    }[];
    assert.deepEqual(
      vars.map((v) => [v.name, v.value]),
      [
        ["PIPELINE_EXECUTION_ID", "#{codepipeline.PipelineExecutionId}"],
        ["SOURCE_COMMIT", "#{SourceVariables.CommitId}"],
      ],
    );
    const spec = fs.readFileSync(path.join(PROJECT_DIR, "buildspecs/platform-deploy.yml"), "utf8");
    assert.match(spec, /get-pipeline-execution .*\n.*pipelineExecution\.pipelineVersion/);
    assert.match(spec, /start-pipeline-execution .*\n.*revisionType=COMMIT_ID/);
    assert.match(spec, /--policy-pack policies/);
    assert.match(spec, /sha256sum -c -/);
  });
});

describe("platform pipeline: waves", () => {
  it("60 prod accounts deploy in waves of 1, 6 and 53 (split over two stages)", () => {
    const m = modelOf(prodOf(60));
    const prod = m.stages.filter((s) => s.kind === "deploy" && s.environment === "prod");
    assert.deepEqual(
      prod.map((s) => [s.name, s.actions.length]),
      [
        ["Deploy-prod-wave1", 1],
        ["Deploy-prod-wave2", 6],
        ["Deploy-prod-wave3-part1", 27],
        ["Deploy-prod-wave3-part2", 26],
      ],
    );
    assert.deepEqual(platformModelProblems(m), []);
  });

  it("500 prod accounts fit: every stage at most 50 actions, at most 50 stages", () => {
    const m = modelOf(prodOf(500));
    const prod = m.stages.filter((s) => s.kind === "deploy" && s.environment === "prod");
    assert.equal(
      prod.reduce((k, s) => k + s.actions.length, 0),
      500,
    );
    assert.ok(prod.every((s) => s.actions.length <= MAX_ACTIONS_PER_STAGE));
    assert.ok(m.stages.length <= MAX_STAGES_PER_PIPELINE);
    assert.equal(prod[0]!.actions.length, 1);
    assert.deepEqual(platformModelProblems(m), []);
  });

  it("rule: an action configuration value over 1,000 characters is a problem", () => {
    const org = exampleOrganization();
    const stacks = derivedStacks(org).map((s) =>
      s.environment === "dev" ? { ...s, name: "d".repeat(900) } : s,
    );
    const problems = platformModelProblems(platformPipelineModel(org, stacks, "aws"));
    assert.equal(problems.length, 1);
    assert.match(
      problems[0]!,
      /EnvironmentVariables value is \d+ characters; CodePipeline allows 1000/,
    );
  });
});

describe("platform pipeline: the Validate gate", () => {
  it("Validate runs the tests and the offline plan before Tools", () => {
    const spec = fs.readFileSync(
      path.join(PROJECT_DIR, "buildspecs/platform-validate.yml"),
      "utf8",
    );
    assert.match(spec, /npm ci/);
    assert.match(spec, /npm test/);
    assert.match(spec, /npm run plan/);
    const names = modelOf(exampleOrganization()).stages.map((s) => s.name);
    assert.ok(names.indexOf("Validate") < names.indexOf("Tools"));
  });

  it("rule: one mandatory finding makes the plan exit non-zero", () => {
    const stack = (levels: string[]): ReportStack =>
      ({
        project: "p",
        stack: "tools",
        source: "plan",
        preview: false,
        resources: [],
        findings: levels.map((level) => ({ level })),
        exemptions: [],
        policyErrors: [],
      }) as unknown as ReportStack;
    assert.equal(exitCodeFor([stack([])], 0), EXIT_OK);
    assert.equal(exitCodeFor([stack(["advisory"])], 0), EXIT_OK);
    assert.equal(exitCodeFor([stack(["mandatory"])], 0), EXIT_VIOLATIONS);
  });
});

describe("platform pipeline: roles", () => {
  const codebuild = (_project: string) => ({
    arn: "codebuild.amazonaws.com",
    service: "codebuild.amazonaws.com",
  });
  const fromProject = (project: string, account = TOOLS) => ({
    "aws:SourceArn": projectArn(project),
    "aws:SourceAccount": account,
  });

  it("only the platform's Tools and Deploy projects run as the deployer; no application role assumes it", async () => {
    const run = await exampleRun("tools");
    const trust = parsePolicy(deployedRole(run, n.deployerRole).trust);
    for (const p of [n.toolsProject, n.workloadUpdateProject("prod")])
      assert.equal(trustAllows(trust, codebuild(p), "sts:AssumeRole", fromProject(p)), true, p);
    for (const p of ["acme-orders-api-deploy-prod", "acme-orders-api-build", n.validateProject])
      assert.equal(trustAllows(trust, codebuild(p), "sts:AssumeRole", fromProject(p)), false, p);
    for (const role of [
      "acme-orders-api-build",
      "acme-orders-api-pipeline",
      "acme-tools-deploy-prod",
    ])
      assert.equal(
        trustAllows(trust, { arn: roleArnIn(TOOLS, role), account: TOOLS, orgId: ORG_ID }),
        false,
        role,
      );
  });

  it("the deployer assumes a workload account's bootstrap role, and no deploy or application role", async () => {
    const tools = await exampleRun("tools");
    const prod = await exampleRun("prod");
    const deployer = deployedRole(tools, n.deployerRole);
    const policies = deployer.identity.map((d) => parsePolicy(d));
    const me = { arn: deployer.arn, account: TOOLS, orgId: ORG_ID };
    assert.equal(
      canAssumeRole(
        policies,
        me,
        roleArnIn("444444444444", n.bootstrapRole),
        bootstrapTrust,
        ORG_ID,
      ),
      true,
    );
    // Outside the organization: refused by the deployer's own policy.
    assert.equal(
      canAssumeRole(
        policies,
        me,
        roleArnIn("999988887777", n.bootstrapRole),
        bootstrapTrust,
        "o-other0000001",
      ),
      false,
    );
    const prodDeploy = deployedRole(prod, "acme-prod-deploy");
    assert.equal(
      canAssumeRole(policies, me, prodDeploy.arn, parsePolicy(prodDeploy.trust), ORG_ID),
      false,
    );
    for (const role of ["acme-orders-api-build", "acme-tools-deploy-prod"])
      assert.equal(
        evaluatePolicies(policies, { action: "sts:AssumeRole", resource: roleArnIn(TOOLS, role) }),
        "implicit-deny",
        role,
      );
  });

  it("the Validate build has no deploy right and assumes no role", async () => {
    const run = await exampleRun("tools");
    const role = deployedRole(run, n.validateRole);
    const policies = role.identity.map((d) => parsePolicy(d));
    for (const [action, resource] of [
      ["sts:AssumeRole", roleArnIn("444444444444", n.bootstrapRole)],
      ["sts:AssumeRole", roleArnIn(TOOLS, n.deployerRole)],
      ["s3:PutObject", "arn:aws:s3:::acme-pulumi-state-111111111111/platform/x"],
      ["iam:CreateRole", roleArnIn(TOOLS, "acme-x")],
      ["codepipeline:UpdatePipeline", `arn:aws:codepipeline:us-east-1:${TOOLS}:acme-platform`],
    ] as const)
      assert.notEqual(evaluatePolicies(policies, { action, resource }), "allow", action);
    const trust = parsePolicy(role.trust);
    const p = n.validateProject;
    assert.equal(trustAllows(trust, codebuild(p), "sts:AssumeRole", fromProject(p)), true);
    assert.equal(
      trustAllows(trust, codebuild(n.toolsProject), "sts:AssumeRole", fromProject(n.toolsProject)),
      false,
    );
  });

  it("the pipeline role starts only the platform's projects", async () => {
    const run = await exampleRun("tools");
    const policies = deployedRole(run, n.pipelineRole).identity.map((d) => parsePolicy(d));
    for (const p of [n.validateProject, n.toolsProject, n.workloadUpdateProject("prod")])
      assert.equal(
        evaluatePolicies(policies, { action: "codebuild:StartBuild", resource: projectArn(p) }),
        "allow",
        p,
      );
    for (const p of [
      "acme-orders-api-build",
      "acme-orders-api-deploy-prod",
      "acme-alarm-gate-prod",
    ])
      assert.notEqual(
        evaluatePolicies(policies, { action: "codebuild:StartBuild", resource: projectArn(p) }),
        "allow",
        p,
      );
  });

  it("the deployer manages what the tools stack creates (derived from a tools stack run)", async () => {
    const run = await exampleRun("tools");
    const policies = deployedRole(run, n.deployerRole).identity.map((d) => parsePolicy(d));
    // The IAM service of each Pulumi module the tools stack uses.
    const SERVICE: Record<string, string> = {
      cfg: "config",
      cloudtrail: "cloudtrail",
      cloudwatch: "cloudwatch",
      codebuild: "codebuild",
      codeconnections: "codeconnections",
      codepipeline: "codepipeline",
      codestarnotifications: "codestar-notifications",
      iam: "iam",
      kms: "kms",
      lambda: "lambda",
      s3: "s3",
      scheduler: "scheduler",
      sns: "sns",
      sqs: "sqs",
    };
    // The create action and the resource ARN of each created resource, by type.
    const CREATE: Record<string, (name: string) => [string, string] | undefined> = {
      "aws:codebuild/project:Project": (x) => ["codebuild:CreateProject", projectArn(x)],
      "aws:codebuild/reportGroup:ReportGroup": (x) => [
        "codebuild:CreateReportGroup",
        `arn:aws:codebuild:us-east-1:${TOOLS}:report-group/${x}`,
      ],
      "aws:codepipeline/pipeline:Pipeline": (x) => [
        "codepipeline:CreatePipeline",
        `arn:aws:codepipeline:us-east-1:${TOOLS}:${x}`,
      ],
      "aws:iam/role:Role": (x) => ["iam:CreateRole", roleArnIn(TOOLS, x)],
      "aws:iam/rolePolicy:RolePolicy": () => undefined,
      "aws:sns/topic:Topic": (x) => ["sns:CreateTopic", `arn:aws:sns:us-east-1:${TOOLS}:${x}`],
      "aws:cloudwatch/metricAlarm:MetricAlarm": (x) => [
        "cloudwatch:PutMetricAlarm",
        `arn:aws:cloudwatch:us-east-1:${TOOLS}:alarm:${x}`,
      ],
      "aws:cloudwatch/eventRule:EventRule": (x) => [
        "events:PutRule",
        `arn:aws:events:us-east-1:${TOOLS}:rule/${x}`,
      ],
      "aws:s3/bucket:Bucket": (x) => ["s3:CreateBucket", `arn:aws:s3:::${x}`],
      "aws:kms/alias:Alias": (x) => ["kms:CreateAlias", `arn:aws:kms:us-east-1:${TOOLS}:${x}`],
      "aws:kms/key:Key": () => ["kms:CreateKey", "*"],
      "aws:lambda/function:Function": (x) => [
        "lambda:CreateFunction",
        `arn:aws:lambda:us-east-1:${TOOLS}:function:${x}`,
      ],
      "aws:scheduler/schedule:Schedule": (x) => [
        "scheduler:CreateSchedule",
        `arn:aws:scheduler:us-east-1:${TOOLS}:schedule/default/${x}`,
      ],
      "aws:sqs/queue:Queue": (x) => ["sqs:CreateQueue", `arn:aws:sqs:us-east-1:${TOOLS}:${x}`],
      "aws:cloudtrail/trail:Trail": (x) => [
        "cloudtrail:CreateTrail",
        `arn:aws:cloudtrail:us-east-1:${TOOLS}:trail/${x}`,
      ],
    };
    const checked = new Set<string>();
    for (const r of run.resources) {
      if (!r.type.startsWith("aws:")) continue;
      const module = r.type.split(":")[1]!.split("/")[0]!;
      const service = SERVICE[module];
      assert.ok(service, `${r.type}: a service the deployer's grant names`);
      assert.ok(
        (TOOLS_STACK_SERVICES as readonly string[]).includes(service),
        `${r.type}: ${service} in TOOLS_STACK_SERVICES`,
      );
      const physical = String(r.inputs["name"] ?? r.inputs["bucket"] ?? "");
      const ask = CREATE[r.type]?.(physical);
      if (!ask || (physical === "" && ask[1] !== "*") || physical === n.deployerRole) continue;
      checked.add(r.type);
      assert.equal(
        evaluatePolicies(policies, { action: ask[0], resource: ask[1] }),
        "allow",
        `${r.type} ${physical}: ${ask[0]} on ${ask[1]}`,
      );
    }
    assert.ok(checked.size >= 10, `checked ${[...checked].join(", ")}`);
    // And not beyond: another prefix's role, IAM users, Organizations, its own role.
    for (const [action, resource] of [
      ["iam:CreateRole", roleArnIn(TOOLS, "other-admin")],
      ["iam:CreateUser", `arn:aws:iam::${TOOLS}:user/acme-x`],
      ["organizations:CreateAccount", "*"],
      ["iam:PutRolePolicy", roleArnIn(TOOLS, n.deployerRole)],
    ] as const)
      assert.notEqual(evaluatePolicies(policies, { action, resource }), "allow", action);
  });

  it("every new IAM document is the same size at 3 and 500 accounts", () => {
    const sizes = (org: Organization) => {
      const scope = toolsScope(org, "aws");
      const artifacts = { bucketArns: ["arn:aws:s3:::a"], keyArns: ["arn:aws:kms:x"] };
      return [
        JSON.stringify(
          projectTrust(scope, "us-east-1", [n.toolsProject, n.workloadUpdateProject("*")]),
        ),
        JSON.stringify(validateRolePolicy(scope, { region: "us-east-1", artifacts })),
        JSON.stringify(
          deployerRolePolicy(scope, {
            region: "us-east-1",
            artifacts,
            state: { bucketArn: "arn:aws:s3:::s", keyArn: "arn:aws:kms:k" },
          }),
        ),
      ].map((d) => d.length);
    };
    const small = exampleOrganization();
    assert.equal(small.environments.find((e) => e.name === "prod")!.accounts.length, 2);
    assert.deepEqual(sizes(prodOf(500)), sizes(validateOrganization(small)));
    assert.deepEqual(sizes(prodOf(500)), sizes(prodOf(1)));
  });
});

describe("platform pipeline: the offline plan", function () {
  this.timeout(120_000);
  it("npm run plan shows the platform pipeline with 0 mandatory findings", async () => {
    const { stdout } = await runCli(["plan"]);
    assert.match(stdout, /Pipeline acme-platform · V2 · QUEUED/);
    assert.match(
      stdout,
      /Stage Validate\n\s+run 1: Validate \(Build, CodeBuild\) project acme-platform-validate/,
    );
    assert.match(stdout, /; 0 mandatory and \d+ advisory finding\(s\)/);
  });
});
