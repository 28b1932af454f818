// Pull-request pipelines: the trigger (opened and updated pull requests to the target branches,
// never a closed one, never a push), a pipeline with no deploy action whose projects get no
// secret, a preview role that reads and never changes, and no role on the pull-request path that
// can reach a deploy role (checked with the repo's IAM evaluator over every role the stacks
// create). Bad config fails with its path and fix, and creates nothing.
import { strict as assert } from "assert";
import {
  canAssumeRole,
  evaluatePolicies,
  parsePolicy,
  PolicyDocument,
} from "../../plan/report/iam-eval";
import { validateOrganization } from "../../model/config";
import { Organization } from "../../model/config/schema";
import { pullRequestModel } from "../../model/pipeline";
import { roleArn } from "../../model/naming";
import {
  byName,
  createdResources,
  deployedRole,
  exampleOrganization,
  exampleRun,
  ofType,
  runStack,
  runStackOk,
  type StackRun,
} from "../helpers";

const ORG = exampleOrganization();
const TOOLS = ORG.tools.account;
const ORG_ID = ORG.id as string;
const DEV = "222222222222";
const PIPELINE = "aws:codepipeline/pipeline:Pipeline";
const WORKLOAD_STACKS = ["dev", "staging", "prod", "prod-eu"] as const;
type Dict = Record<string, unknown>;
const APPS = ["orders-api", "web-frontend", "billing-worker"] as const;

const stagesOf = (run: StackRun, pipeline: string) =>
  byName(run, pipeline, PIPELINE).inputs["stages"] as { name: string; actions: Dict[] }[];
const triggersOf = (run: StackRun, pipeline: string) =>
  byName(run, pipeline, PIPELINE).inputs["triggers"] as
    { providerType: string; gitConfiguration: Dict }[] | undefined;
const variables = (a: Dict): Record<string, string> =>
  Object.fromEntries(
    (
      JSON.parse(String((a["configuration"] as Dict)["EnvironmentVariables"] ?? "[]")) as {
        name: string;
        value: string;
      }[]
    ).map((v) => [v.name, v.value]),
  );

let tools: StackRun;
before(async () => {
  tools = await exampleRun("tools");
});

describe("pull-request trigger", () => {
  it("starts each pull-request pipeline on opened and updated pull requests to the source branch, and on nothing else", () => {
    for (const [app, branch] of [
      ["orders-api", "main"],
      ["web-frontend", "main"],
      ["billing-worker", "release"],
    ] as const) {
      const triggers = triggersOf(tools, `acme-${app}-pr`);
      assert.deepEqual(triggers, [
        {
          providerType: "CodeStarSourceConnection",
          gitConfiguration: {
            sourceActionName: "Source",
            pullRequests: [{ events: ["OPEN", "UPDATED"], branches: { includes: [branch] } }],
          },
        },
      ]);
    }
  });

  it("closed pull requests start nothing: no trigger holds the CLOSED event, and no push starts a pull-request pipeline", () => {
    for (const app of APPS) {
      const git = triggersOf(tools, `acme-${app}-pr`)!.map((t) => t.gitConfiguration);
      const events = git.flatMap((g) =>
        ((g["pullRequests"] as { events: string[] }[]) ?? []).flatMap((p) => p.events),
      );
      assert.ok(!events.includes("CLOSED"), app);
      assert.ok(
        git.every((g) => g["pushes"] === undefined),
        app,
      );
    }
  });

  it("the deploy pipelines never run on a pull request: their triggers are pushes only", () => {
    for (const app of APPS)
      for (const t of triggersOf(tools, `acme-${app}`) ?? [])
        assert.equal(t.gitConfiguration["pullRequests"], undefined, app);
  });

  it("takes the target branches and file paths from config", async () => {
    const run = await runStackOk("tools", {
      editOrganization: (o) => {
        (o.applications[0] as Dict)["pullRequests"] = {
          branches: ["main", "release/*"],
          filePaths: { includes: ["src/**"], excludes: ["docs/**"] },
        };
      },
    });
    assert.deepEqual(triggersOf(run, "acme-orders-api-pr")![0]!.gitConfiguration["pullRequests"], [
      {
        events: ["OPEN", "UPDATED"],
        branches: { includes: ["main", "release/*"] },
        filePaths: { includes: ["src/**"], excludes: ["docs/**"] },
      },
    ]);
  });

  it("runs pull requests in PARALLEL: one neither waits for nor supersedes another", () => {
    for (const app of APPS)
      assert.equal(byName(tools, `acme-${app}-pr`, PIPELINE).inputs["executionMode"], "PARALLEL");
  });
});

describe("pull-request pipeline: checks and a preview, never a deployment", () => {
  it("has a Source, a Checks and a Preview stage of the first environment", () => {
    for (const app of APPS)
      assert.deepEqual(
        stagesOf(tools, `acme-${app}-pr`).map((s) => s.name),
        ["Source", "Checks", "Preview-dev"],
      );
  });

  it("runs the build and, by default, every unit-tests, lint, sast, secrets-scan and dependency-audit check at once", () => {
    const checks = stagesOf(tools, "acme-orders-api-pr").find((s) => s.name === "Checks")!;
    assert.deepEqual(
      checks.actions.map((a) => [
        a["runOrder"],
        a["name"],
        (a["configuration"] as Dict)["ProjectName"],
      ]),
      [
        [1, "Build", "acme-orders-api-pr-build"],
        ...["unit-tests", "lint", "sast", "secrets-scan", "dependency-audit"].map((c) => [
          1,
          c,
          `acme-orders-api-pr-check-${c}`,
        ]),
      ],
    );
  });

  it("runs only the checks config names", async () => {
    const run = await runStackOk("tools", {
      editOrganization: (o) => {
        (o.applications[0] as Dict)["pullRequests"] = { checks: ["lint", "secrets-scan"] };
      },
    });
    const checks = stagesOf(run, "acme-orders-api-pr").find((s) => s.name === "Checks")!;
    assert.deepEqual(
      checks.actions.map((a) => a["name"]),
      ["Build", "lint", "secrets-scan"],
    );
  });

  it("contains no deploy action: no Deploy category, no CloudFormation or CodeDeploy action, no action role, no deploy project or deploy role", () => {
    for (const app of APPS) {
      const actions = stagesOf(tools, `acme-${app}-pr`).flatMap((s) => s.actions);
      for (const a of actions) {
        assert.notEqual(a["category"], "Deploy", `${app} ${a["name"]}`);
        assert.ok(
          ["CodeStarSourceConnection", "CodeBuild"].includes(String(a["provider"])),
          `${app} ${a["name"]}: ${a["provider"]}`,
        );
        assert.equal(a["roleArn"], undefined, `${app} ${a["name"]}`);
        const project = (a["configuration"] as Dict)["ProjectName"];
        if (project !== undefined) assert.match(String(project), new RegExp(`^acme-${app}-pr-`));
        assert.equal(variables(a)["DEPLOY_ROLE_ARN"], undefined);
        assert.equal(variables(a)["TARGET_ACCOUNT"], undefined);
      }
    }
  });

  it("previews with the read-only preview role of each target: a pulumi preview from the source, a change set from the template", () => {
    const preview = (app: string) =>
      stagesOf(tools, `acme-${app}-pr`).find((s) => s.name === "Preview-dev")!.actions;
    for (const app of ["orders-api", "web-frontend"]) {
      const [a, ...rest] = preview(app);
      assert.equal(rest.length, 0);
      assert.deepEqual(a!["inputArtifacts"], ["source"]);
      assert.deepEqual(variables(a!), {
        STACK_NAME: "dev",
        PREVIEW_ROLE_ARN: roleArn("aws", DEV, `acme-${app}-preview-dev`),
        PREVIEW_ACCOUNT: DEV,
        PREVIEW_REGION: "us-east-1",
      });
    }
    const [cfn] = preview("billing-worker");
    assert.deepEqual(cfn!["inputArtifacts"], ["source"]);
    assert.equal(variables(cfn!)["STACK_NAME"], "billing-worker-dev");
  });

  it("hands on no artifact but the source: the pull-request build role may write none", () => {
    for (const app of APPS)
      for (const s of stagesOf(tools, `acme-${app}-pr`))
        for (const a of s.actions)
          assert.deepEqual(
            a["outputArtifacts"],
            a["category"] === "Source" ? ["source"] : undefined,
            `${app} ${a["name"]}`,
          );
    const build = ofType(tools, "aws:codebuild/project:Project").find(
      (p) => p.inputs["name"] === "acme-billing-worker-pr-build",
    )!;
    assert.ok(!/^artifacts:/m.test(String((build.inputs["source"] as Dict)["buildspec"])));
  });

  it("the preview buildspecs never deploy: no `pulumi up`, no change set execution", () => {
    const projects = ofType(tools, "aws:codebuild/project:Project").filter((p) =>
      /-pr-preview-/.test(String(p.inputs["name"])),
    );
    assert.equal(projects.length, 3);
    for (const p of projects) {
      const spec = String((p.inputs["source"] as Dict)["buildspec"]);
      const commands = spec
        .split("\n")
        .filter((l) => !l.trimStart().startsWith("#"))
        .join("\n");
      assert.ok(!/pulumi up|pulumi destroy/.test(commands), String(p.inputs["name"]));
      assert.ok(!/execute-change-set|update-stack|create-stack/.test(commands));
    }
  });

  it("gives pull-request projects no secret: code under review reads no Secrets Manager or SSM value", () => {
    const pr = ofType(tools, "aws:codebuild/project:Project").filter((p) =>
      /-pr-/.test(String(p.inputs["name"])),
    );
    assert.ok(pr.length >= 3 * 3);
    for (const p of pr) {
      const vars = ((p.inputs["environment"] as Dict)["environmentVariables"] ?? []) as Dict[];
      assert.ok(
        vars.every((v) => v["type"] === "PLAINTEXT"),
        String(p.inputs["name"]),
      );
      const app = /^acme-(.+)-pr-/.exec(String(p.inputs["name"]))![1];
      assert.equal(p.inputs["serviceRole"], roleArn("aws", TOOLS, `acme-${app}-pr-build`));
    }
  });

  it("has no preview for a CodeDeploy mechanism (it has no Pulumi project or template to preview)", async () => {
    const o = exampleOrganization();
    (o.applications[0] as Dict)["deploy"] = {
      mechanism: "codedeploy-lambda",
      functionName: "orders",
    };
    const org = validateOrganization(o);
    const model = pullRequestModel(org, org.applications[0]!)!;
    assert.deepEqual(
      model.stages.map((s) => s.name),
      ["Source", "Checks"],
    );
  });

  it("notifies failures like the deploy pipelines: a notification rule and a failed-executions rule on the pipeline", () => {
    for (const app of APPS) {
      const arn = byName(tools, `acme-${app}-pr`, PIPELINE).outputs["arn"];
      const rule = ofType(
        tools,
        "aws:codestarnotifications/notificationRule:NotificationRule",
      ).find((r) => r.inputs["resource"] === arn);
      assert.ok(rule, app);
      assert.ok(
        (rule!.inputs["eventTypeIds"] as string[]).includes(
          "codepipeline-pipeline-pipeline-execution-failed",
        ),
      );
      const failed = ofType(tools, "aws:cloudwatch/eventRule:EventRule").find(
        (r) => r.inputs["name"] === `acme-${app}-pr-failed`,
      );
      assert.deepEqual(JSON.parse(String(failed!.inputs["eventPattern"])).detail, {
        pipeline: [`acme-${app}-pr`],
        state: ["FAILED"],
      });
    }
  });
});

describe("pull-request path: no role reaches a deploy role", () => {
  // Every role of every workload stack, as the evaluator sees it.
  let workloadRoles: { stack: string; name: string; arn: string; trust: PolicyDocument }[];
  before(async () => {
    workloadRoles = [];
    for (const stack of WORKLOAD_STACKS) {
      const run = await exampleRun(stack);
      for (const r of ofType(run, "aws:iam/role:Role")) {
        const role = deployedRole(run, String(r.outputs["name"]));
        workloadRoles.push({
          stack,
          name: String(r.outputs["name"]),
          arn: role.arn,
          trust: parsePolicy(role.trust),
        });
      }
    }
  });
  const identity = (name: string) => deployedRole(tools, name).identity.map((d) => parsePolicy(d));
  const caller = (name: string) => ({
    arn: roleArn("aws", TOOLS, name),
    account: TOOLS,
    orgId: ORG_ID,
  });

  for (const app of APPS)
    it(`${app}: the pull-request build role assumes its own dev preview role and nothing else; the pull-request pipeline role assumes nothing`, () => {
      const reachable = (role: string) =>
        workloadRoles
          .filter((w) => canAssumeRole(identity(role), caller(role), w.arn, w.trust, ORG_ID))
          .map((w) => `${w.stack}:${w.name}`);
      assert.deepEqual(reachable(`acme-${app}-pr-build`), [`dev:acme-${app}-preview-dev`]);
      assert.deepEqual(reachable(`acme-${app}-pr-pipeline`), []);
    });

  it("each preview role is assumable by its application's pull-request build role and by no other tools role", () => {
    const toolsRoles = ofType(tools, "aws:iam/role:Role").map((r) => String(r.outputs["name"]));
    for (const app of APPS) {
      const target = workloadRoles.find((w) => w.name === `acme-${app}-preview-dev`)!;
      const allowed = toolsRoles.filter((r) =>
        canAssumeRole(identity(r), caller(r), target.arn, target.trust, ORG_ID),
      );
      assert.deepEqual(allowed, [`acme-${app}-pr-build`]);
    }
  });

  it("the pull-request build role reads the artifacts but writes none, only its own report exports", () => {
    const docs = identity("acme-orders-api-pr-build");
    const bucket = "arn:aws:s3:::acme-artifacts-111111111111-us-east-1";
    const put = (key: string) =>
      evaluatePolicies(docs, { action: "s3:PutObject", resource: `${bucket}/${key}` });
    assert.equal(put("acme-orders-api/build/abc.zip"), "implicit-deny");
    assert.equal(put("reports/acme-web-frontend-pr-check-lint/x.zip"), "implicit-deny");
    assert.equal(put("reports/acme-orders-api-pr-check-lint/x.zip"), "allow");
    assert.equal(
      evaluatePolicies(docs, { action: "s3:GetObject", resource: `${bucket}/acme-orders-api/x` }),
      "allow",
    );
    assert.equal(
      evaluatePolicies(docs, {
        action: "secretsmanager:GetSecretValue",
        resource:
          "arn:aws:secretsmanager:us-east-1:111111111111:secret:acme/orders-api/snyk-token-AbCdEf",
      }),
      "implicit-deny",
    );
  });
});

describe("preview roles read and never change", () => {
  const policy = async (app: string) => {
    const dev = await exampleRun("dev");
    return deployedRole(dev, `acme-${app}-preview-dev`).identity.map((d) => parsePolicy(d));
  };
  const decide = (docs: PolicyDocument[], action: string, resource = "*") =>
    evaluatePolicies(docs, { action, resource });

  it("a pulumi preview role describes the environment's services but changes nothing and reads no data", async () => {
    const docs = await policy("orders-api");
    assert.equal(decide(docs, "ec2:DescribeInstances"), "allow");
    assert.equal(decide(docs, "lambda:GetFunctionConfiguration"), "allow");
    assert.equal(decide(docs, "lambda:UpdateFunctionCode"), "implicit-deny");
    assert.equal(decide(docs, "s3:PutObject", "arn:aws:s3:::b/k"), "implicit-deny");
    assert.equal(decide(docs, "iam:PassRole"), "implicit-deny");
    assert.equal(decide(docs, "sts:AssumeRole"), "implicit-deny");
    for (const read of [
      "s3:GetObject",
      "secretsmanager:GetSecretValue",
      "ssm:GetParameter",
      "kms:Decrypt",
      "dynamodb:Scan",
      "states:GetActivityTask",
    ])
      assert.notEqual(decide(docs, read), "allow", read);
  });

  it("a CloudFormation preview role creates and deletes change sets of its stack, and never executes one", async () => {
    const docs = await policy("billing-worker");
    const stack = `arn:aws:cloudformation:us-east-1:${DEV}:stack/billing-worker-dev/abc`;
    const previewStack = `arn:aws:cloudformation:us-east-1:${DEV}:stack/billing-worker-dev-pr-preview/abc`;
    assert.equal(decide(docs, "cloudformation:CreateChangeSet", stack), "allow");
    assert.equal(decide(docs, "cloudformation:DeleteChangeSet", stack), "allow");
    assert.equal(decide(docs, "cloudformation:ExecuteChangeSet", stack), "explicit-deny");
    assert.equal(decide(docs, "cloudformation:UpdateStack", stack), "explicit-deny");
    assert.equal(decide(docs, "cloudformation:DeleteStack", stack), "implicit-deny");
    assert.equal(decide(docs, "cloudformation:DeleteStack", previewStack), "allow");
    assert.equal(
      decide(
        docs,
        "cloudformation:CreateChangeSet",
        `arn:aws:cloudformation:us-east-1:${DEV}:stack/other/abc`,
      ),
      "implicit-deny",
    );
    assert.equal(
      decide(docs, "iam:PassRole", `arn:aws:iam::${DEV}:role/acme-dev-cfn-exec`),
      "explicit-deny",
    );
  });

  it("exists only in the environment the pull requests preview", async () => {
    for (const stack of ["staging", "prod", "prod-eu"]) {
      const run = await exampleRun(stack);
      const names = ofType(run, "aws:iam/role:Role").map((r) => String(r.outputs["name"]));
      assert.deepEqual(
        names.filter((n) => n.includes("-preview-")),
        [],
        stack,
      );
    }
  });
});

describe("pull requests: CodeCommit and bad config", () => {
  const refused = async (edit: (o: Organization) => void) => {
    const run = await runStack("tools", { editOrganization: edit });
    const problems = (run.error as { problems?: { path: string; message: string }[] })?.problems;
    assert.ok(problems, "accepted");
    assert.deepEqual(createdResources(run), [], "nothing is created");
    return problems.map((p) => `${p.path}: ${p.message}`);
  };
  const at = "organization.applications[0]";

  it("a CodeCommit application gets no pull-request pipeline: V2 triggers serve connections only", async () => {
    const run = await runStackOk("tools", {
      editOrganization: (o) => {
        o.applications[0]!.source = {
          provider: "codecommit",
          repository: "orders-api",
          branch: "main",
        };
      },
    });
    assert.deepEqual(
      ofType(run, PIPELINE)
        .map((p) => p.inputs["name"])
        .filter((n) => String(n).startsWith("acme-orders-api")),
      ["acme-orders-api"],
    );
  });

  it("a CodeCommit application that asks for one is refused with the fix", async () => {
    assert.deepEqual(
      await refused((o) => {
        o.applications[0]!.source = {
          provider: "codecommit",
          repository: "orders-api",
          branch: "main",
        };
        (o.applications[0] as Dict)["pullRequests"] = { enabled: true };
      }),
      [
        `${at}.pullRequests.enabled: pull-request pipelines need a CodeConnections source (GitHub, GitLab, Bitbucket): CodePipeline's pull-request triggers serve connections only; remove pullRequests or change the provider`,
      ],
    );
  });

  it("enabled: false leaves the application with its deploy pipeline alone", async () => {
    const run = await runStackOk("tools", {
      editOrganization: (o) => ((o.applications[0] as Dict)["pullRequests"] = { enabled: false }),
    });
    assert.ok(!ofType(run, PIPELINE).some((p) => p.inputs["name"] === "acme-orders-api-pr"));
    assert.ok(
      !ofType(run, "aws:iam/role:Role").some(
        (r) => r.outputs["name"] === "acme-orders-api-pr-build",
      ),
    );
  });

  it("an unknown check name and an integration test are refused, each with its path and the fix", async () => {
    assert.deepEqual(
      await refused((o) => {
        o.applications[0]!.build.checks.push({ name: "e2e", kind: "integration-tests" });
        (o.applications[0] as Dict)["pullRequests"] = { checks: ["lint", "unit-test", "e2e"] };
      }),
      [
        `${at}.pullRequests.checks[1]: 'unit-test' is not a check of this application; name one of build.checks (unit-tests, lint, sast, secrets-scan, dependency-audit, e2e) or remove it`,
        `${at}.pullRequests.checks[2]: 'e2e' is an integration test, which runs against a deployment; a pull request deploys nothing: remove it here`,
      ],
    );
  });

  it("an application named like another's pull-request pipeline is refused", async () => {
    const problems = await refused((o) => {
      const copy = JSON.parse(JSON.stringify(o.applications[1]));
      copy.name = "orders-api-pr";
      o.applications.push(copy);
    });
    assert.deepEqual(problems, [
      `organization.applications[3].name: 'orders-api-pr' collides with the pull-request pipeline of 'orders-api' (orders-api-pr): rename it, or set pullRequests.enabled: false on 'orders-api'`,
    ]);
  });

  it("a branch pattern with a space, and more than 8 patterns, are refused by shape", async () => {
    const branches = (list: string[]) => (o: Organization) =>
      ((o.applications[0] as Dict)["pullRequests"] = { branches: list });
    assert.deepEqual(await refused(branches(["main branch"])), [
      `${at}.pullRequests.branches[0]: "main branch" is not a branch pattern; no spaces or control characters`,
    ]);
    assert.deepEqual(await refused(branches(Array.from({ length: 9 }, (_, i) => `b${i}`))), [
      `${at}.pullRequests.branches: CodePipeline allows at most 8 branch patterns`,
    ]);
  });
});

describe("pull-request model at scale", () => {
  it("previews an environment of more than 50 targets in parts of at most 50 actions", () => {
    const o = exampleOrganization();
    o.environments[0]!.accounts = Array.from({ length: 120 }, (_, i) => ({
      id: String(700000000000 + i),
    })) as (typeof o.environments)[0]["accounts"];
    const org = validateOrganization(o);
    const model = pullRequestModel(org, org.applications[0]!)!;
    const previews = model.stages.filter((s) => s.kind === "preview");
    assert.deepEqual(
      previews.map((s) => [s.name, s.actions.length]),
      [
        ["Preview-dev-part1", 40],
        ["Preview-dev-part2", 40],
        ["Preview-dev-part3", 40],
      ],
    );
  });
});
