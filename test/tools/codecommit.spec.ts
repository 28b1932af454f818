// A CodeCommit source: the pipeline role reads exactly that repository, and an EventBridge rule
// starts the pipeline on pushes to its branch (V2 triggers serve CodeConnections sources only).
import { strict as assert } from "assert";
import { byName, createdResources, ofType, runStack, runStackOk, StackRun } from "../helpers";
import { evaluatePolicies, parsePolicy, trustAllows } from "../../plan/report/iam-eval";
import { Organization } from "../../model/config/schema";
import { CODECOMMIT_SOURCE_ACTIONS } from "../../model/iam/tools";

const TOOLS = "111111111111";
const REPO = `arn:aws:codecommit:us-east-1:${TOOLS}:orders-api`;
const PIPELINE_ARN = `arn:aws:codepipeline:us-east-1:${TOOLS}:acme-orders-api`;
const RULE_ARN = `arn:aws:events:us-east-1:${TOOLS}:rule/acme-orders-api-source`;
const EVENTS = { arn: "service:events.amazonaws.com", service: "events.amazonaws.com" };

const onCodeCommit = (o: Organization) => {
  o.applications[0].source = { provider: "codecommit", repository: "orders-api", branch: "main" };
};
const pipelinePolicy = (run: StackRun, app: string) =>
  parsePolicy(
    byName(run, `acme-${app}-pipeline-policy`, "aws:iam/rolePolicy:RolePolicy").inputs["policy"],
  );

let run: StackRun;
before(async () => {
  run = await runStackOk("tools", { editOrganization: onCodeCommit });
});

describe("CodeCommit source", () => {
  it("uses the CodeCommit source action without polling, and no V2 trigger", () => {
    const p = byName(run, "acme-orders-api", "aws:codepipeline/pipeline:Pipeline");
    const source = (p.inputs["stages"] as { actions: Record<string, unknown>[] }[])[0].actions[0];
    assert.equal(source["provider"], "CodeCommit");
    assert.deepEqual(source["configuration"], {
      RepositoryName: "orders-api",
      BranchName: "main",
      PollForSourceChanges: "false",
    });
    assert.equal(p.inputs["triggers"], undefined);
  });

  it("lets the pipeline role read exactly that repository, with exactly the source action's calls", () => {
    const doc = pipelinePolicy(run, "orders-api");
    const statement = doc.Statement.find((s) => s.Sid === "ReadCodeCommitSource");
    assert.deepEqual(statement, {
      Sid: "ReadCodeCommitSource",
      Effect: "Allow",
      Action: [
        "codecommit:GetBranch",
        "codecommit:GetCommit",
        "codecommit:UploadArchive",
        "codecommit:GetUploadArchiveStatus",
        "codecommit:CancelUploadArchive",
      ],
      Resource: REPO,
    });
    const can = (action: string, resource = REPO) =>
      evaluatePolicies([doc], { action, resource }) === "allow";
    for (const action of CODECOMMIT_SOURCE_ACTIONS) {
      assert.equal(can(action), true, action);
      assert.equal(can(action, `arn:aws:codecommit:us-east-1:${TOOLS}:other-repo`), false);
      assert.equal(can(action, `arn:aws:codecommit:us-east-1:999999999999:orders-api`), false);
    }
    for (const action of [
      "codecommit:GitPush",
      "codecommit:GitPull",
      "codecommit:DeleteRepository",
    ])
      assert.equal(can(action), false, action);
    // No connection to use: the statement is gone rather than left with an empty resource.
    assert.ok(!doc.Statement.some((s) => s.Sid === "UseSourceConnection"));
    // (The platform pipeline's own GitHub source keeps a connection of its own.)
    assert.ok(
      !ofType(run, "aws:codeconnections/connection:Connection").some(
        (c) => String(c.inputs["name"]).endsWith("github") && !c.name.startsWith("acme-platform-"),
      ),
    );
  });

  it("leaves the connection-sourced pipelines as they were, with no CodeCommit access", () => {
    const doc = pipelinePolicy(run, "web-frontend");
    assert.ok(doc.Statement.some((s) => s.Sid === "UseSourceConnection"));
    assert.equal(
      evaluatePolicies([doc], { action: "codecommit:GetBranch", resource: REPO }),
      "implicit-deny",
    );
  });

  it("starts the pipeline on pushes to the branch through an EventBridge rule", () => {
    const rule = byName(run, "acme-orders-api-source", "aws:cloudwatch/eventRule:EventRule");
    assert.deepEqual(
      [rule.account, rule.region, rule.inputs["name"]],
      [TOOLS, "us-east-1", "acme-orders-api-source"],
    );
    assert.deepEqual(JSON.parse(String(rule.inputs["eventPattern"])), {
      source: ["aws.codecommit"],
      "detail-type": ["CodeCommit Repository State Change"],
      resources: [REPO],
      detail: {
        event: ["referenceCreated", "referenceUpdated"],
        referenceType: ["branch"],
        referenceName: ["main"],
      },
    });
    const target = byName(
      run,
      "acme-orders-api-source-pipeline",
      "aws:cloudwatch/eventTarget:EventTarget",
    );
    const role = byName(run, "acme-orders-api-source-role", "aws:iam/role:Role");
    assert.deepEqual(
      [target.inputs["rule"], target.inputs["arn"], target.inputs["roleArn"]],
      ["acme-orders-api-source", PIPELINE_ARN, role.outputs["arn"]],
    );
    // The target is created once the role may start the pipeline.
    assert.ok(
      target.dependencies.includes(
        byName(run, "acme-orders-api-source-role-policy", "aws:iam/rolePolicy:RolePolicy").urn,
      ),
    );
  });

  it("gives EventBridge, for this rule only, a role that may only start this pipeline", () => {
    const role = byName(run, "acme-orders-api-source-role", "aws:iam/role:Role");
    assert.equal(role.inputs["name"], "acme-orders-api-source");
    const trust = parsePolicy(role.inputs["assumeRolePolicy"]);
    const ctx = { "aws:SourceAccount": TOOLS, "aws:SourceArn": RULE_ARN };
    assert.equal(trustAllows(trust, EVENTS, "sts:AssumeRole", ctx), true);
    assert.equal(
      trustAllows(trust, EVENTS, "sts:AssumeRole", {
        ...ctx,
        "aws:SourceArn": `arn:aws:events:us-east-1:${TOOLS}:rule/another`,
      }),
      false,
    );
    assert.equal(
      trustAllows(trust, EVENTS, "sts:AssumeRole", { ...ctx, "aws:SourceAccount": "999999999999" }),
      false,
    );
    const doc = parsePolicy(
      byName(run, "acme-orders-api-source-role-policy", "aws:iam/rolePolicy:RolePolicy").inputs[
        "policy"
      ],
    );
    const can = (action: string, resource: string) =>
      evaluatePolicies([doc], { action, resource }) === "allow";
    assert.equal(can("codepipeline:StartPipelineExecution", PIPELINE_ARN), true);
    assert.equal(
      can(
        "codepipeline:StartPipelineExecution",
        `arn:aws:codepipeline:us-east-1:${TOOLS}:acme-web-frontend`,
      ),
      false,
    );
    assert.equal(can("codepipeline:UpdatePipeline", PIPELINE_ARN), false);
  });

  it("creates no trigger for connection-sourced pipelines", async () => {
    const plain = await runStackOk("tools");
    assert.deepEqual(
      ofType(plain, "aws:cloudwatch/eventRule:EventRule")
        .map((r) => r.inputs["name"])
        .filter((n) => String(n).endsWith("-source")),
      [],
    );
    assert.deepEqual(
      ofType(run, "aws:cloudwatch/eventTarget:EventTarget").filter((t) =>
        String(t.inputs["arn"]).startsWith("arn:aws:codepipeline:"),
      ).length,
      1,
    );
  });

  it('refuses "owner/name" as a CodeCommit repository, before creating anything', async () => {
    const bad = await runStack("tools", {
      editOrganization: (o) => {
        onCodeCommit(o);
        o.applications[0].source.repository = "acme/orders-api";
      },
    });
    const problems = (bad.error as { problems?: { path: string; message: string }[] })?.problems;
    assert.deepEqual(problems, [
      {
        path: "organization.applications[0].source.repository",
        message:
          "\"acme/orders-api\" is not a CodeCommit repository name; write the repository's name alone (letters, digits, '.', '_', '-'; at most 100 characters)",
      },
    ]);
    assert.deepEqual(createdResources(bad), []);
  });
});
