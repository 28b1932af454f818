// The tools account's AWS quotas: the footprint the planner computes is what the tools program
// creates, and a config beyond a quota (default or declared) is refused before any resource, with
// an error naming the quota and the page that documents it.
import { strict as assert } from "assert";
import { generateOrganization } from "../../bench/generate";
import { validateOrganization } from "../../model/config";
import { Organization } from "../../model/config/schema";
import { pipelineModel } from "../../model/pipeline";
import {
  DeclaredQuotas,
  MAX_APPLICATIONS,
  QUOTAS,
  quotaProblems,
  toolsFootprint,
} from "../../model/quotas";
import { createdResources, exampleOrganization, ofType, runStack, StackRun } from "../helpers";

const modelsOf = (org: Organization) => org.applications.map((a) => pipelineModel(org, a));
const problemsOf = (org: Organization, declared?: DeclaredQuotas) =>
  quotaProblems(org, modelsOf(org), declared);

/** The example with its first application on CodeCommit (a trigger rule and role more). */
const withCodeCommit = (o: Organization) => {
  o.applications[0]!.source = { provider: "codecommit", repository: "orders-api", branch: "main" };
};

/**
 * A generated organization without the platform's own delivery (organization.platform: its
 * pipeline, drift detection), so the capacity below is the applications' alone.
 */
function appsOnly(options: Parameters<typeof generateOrganization>[0]) {
  const org = generateOrganization(options);
  delete (org as { platform?: unknown }).platform;
  return org;
}

describe("AWS quotas of the tools account", () => {
  let run: StackRun;
  let org: Organization;
  before(async () => {
    const raw = exampleOrganization();
    withCodeCommit(raw);
    org = validateOrganization(raw);
    run = await runStack("tools", { editOrganization: withCodeCommit });
    if (run.error !== undefined) throw run.error;
  });

  it("the footprint counts exactly the pipelines, projects, roles and rules the tools program creates", () => {
    const f = toolsFootprint(org, modelsOf(org));
    assert.deepEqual(f, {
      pipelines: ofType(run, "aws:codepipeline/pipeline:Pipeline").length,
      buildProjects: ofType(run, "aws:codebuild/project:Project").length,
      iamRoles: ofType(run, "aws:iam/role:Role").length,
      eventRules: ofType(run, "aws:cloudwatch/eventRule:EventRule").length,
      notificationRules: ofType(run, "aws:codestarnotifications/notificationRule:NotificationRule")
        .length,
    });
    // The example exercises every term: a CodeCommit source, Pulumi deploy projects and a gate.
    assert.ok(f.eventRules > f.pipelines && f.iamRoles > 2 * f.pipelines);
  });

  it("the footprint counts a codedeploy-lambda application's deploy projects and runner role, and none for ECS", async () => {
    const edit = (o: Organization) => {
      (o.applications[0] as { deploy: unknown }).deploy = {
        mechanism: "codedeploy-lambda",
        functionName: "orders",
      };
      (o.applications[1] as { deploy: unknown }).deploy = {
        mechanism: "codedeploy-ecs",
        cluster: "c",
        service: "s",
        loadBalancer: "lb",
        productionPort: 443,
        targetGroups: ["blue", "green"],
      };
    };
    const raw = exampleOrganization();
    edit(raw);
    const o = validateOrganization(raw);
    const cd = await runStack("tools", { editOrganization: edit });
    if (cd.error !== undefined) throw cd.error;
    const f = toolsFootprint(o, modelsOf(o));
    assert.equal(f.buildProjects, ofType(cd, "aws:codebuild/project:Project").length);
    assert.equal(f.iamRoles, ofType(cd, "aws:iam/role:Role").length);
  });

  it("every quota names its page, and only the notification rules are not said to be adjustable", () => {
    for (const q of Object.values(QUOTAS))
      assert.match(q.page, /^https:\/\/docs\.aws\.amazon\.com\//);
    assert.deepEqual(
      Object.entries(QUOTAS)
        .filter(([, q]) => !q.adjustable)
        .map(([k]) => k),
      ["notificationRules"],
    );
  });

  it("IAM roles per account (1,000 by default) binds first: 248 applications fit, 249 do not", () => {
    // 4 roles an application (build and pipeline, and the pull-request pipeline's two), 3 deploy
    // roles, 1 alarm-gate role and the delivery metrics role: 3 + 1 + 1 + 4 × 248 = 997.
    // (EventBridge binds at 300 for two rules an application, so it is declared raised here.)
    const events: DeclaredQuotas = { eventRules: 1_000 };
    assert.deepEqual(problemsOf(appsOnly({ applications: 248, prodAccounts: 2 }), events), []);
    const over = problemsOf(appsOnly({ applications: 249, prodAccounts: 2 }), events);
    assert.equal(over.length, 1);
    assert.equal(over[0]!.path, "organization.applications");
    assert.match(
      over[0]!.message,
      /needs 1,001 against the quota "IAM roles per account", which is 1,000 by default/,
    );
    assert.ok(over[0]!.message.includes(QUOTAS.iamRoles.page));
    assert.match(over[0]!.message, /organization\.tools\.quotas\.iamRoles/);
  });

  it("EventBridge rules per event bus (300, or 100 in af-south-1 and eu-south-1): two rules an application and the delivery metrics rule", () => {
    // The failed-executions rule of the deploy pipeline and of the pull-request pipeline.
    const declared: DeclaredQuotas = { iamRoles: 5_000 };
    assert.deepEqual(problemsOf(appsOnly({ applications: 149, prodAccounts: 2 }), declared), []);
    const over = problemsOf(appsOnly({ applications: 150, prodAccounts: 2 }), declared);
    assert.deepEqual(
      over.map((p) => p.message.match(/the quota "([^"]+)"/)?.[1]),
      [QUOTAS.eventRules.name],
    );
    assert.ok(over[0]!.message.includes(QUOTAS.eventRules.page));
    const capeTown = appsOnly({ applications: 50, prodAccounts: 2 });
    (capeTown.tools as { region: string }).region = "af-south-1";
    assert.match(
      problemsOf(capeTown, declared)[0]!.message,
      /needs 101 .* which is 100 by default in af-south-1/,
    );
  });

  it("CodeBuild build projects per Region (5,000): each application's build, test, checks and Pulumi deploys", () => {
    const org = appsOnly({ applications: 600, prodAccounts: 2 });
    // Two pipelines and two notification rules an application (deploy and pull request).
    const declared: DeclaredQuotas = {
      pipelines: 2_000,
      notificationRules: 2_000,
      iamRoles: 5_000,
      eventRules: 2_000,
      buildProjects: 3_000,
    };
    const need = toolsFootprint(org, modelsOf(org)).buildProjects;
    assert.ok(need > 3_000, `the 600 applications need ${need} projects`);
    const [p] = problemsOf(org, declared);
    assert.equal(p!.path, "organization.tools.quotas.buildProjects");
    assert.match(
      p!.message,
      /CodeBuild build projects per Region per account", which is 3,000 as declared/,
    );
    assert.ok(p!.message.includes(QUOTAS.buildProjects.page));
  });

  it("CodePipeline pipelines per Region: a declared quota below the pipelines is refused", () => {
    // Three applications, each with its deploy pipeline and its pull-request pipeline.
    const [p, ...rest] = problemsOf(validateOrganization(exampleOrganization()), { pipelines: 2 });
    assert.equal(rest.length, 0);
    assert.match(
      p!.message,
      /needs 7 against the quota "CodePipeline pipelines per Region per account", which is 2 as declared/,
    );
    assert.ok(p!.message.includes(QUOTAS.pipelines.page));
  });

  it(`one tools stack takes at most ${MAX_APPLICATIONS} applications, whatever quotas it declares`, () => {
    const generous: DeclaredQuotas = {
      pipelines: 10_000,
      buildProjects: 100_000,
      iamRoles: 10_000,
      eventRules: 10_000,
      notificationRules: 10_000,
    };
    assert.deepEqual(
      problemsOf(appsOnly({ applications: MAX_APPLICATIONS, prodAccounts: 2 }), generous),
      [],
    );
    const over = problemsOf(
      appsOnly({ applications: MAX_APPLICATIONS + 1, prodAccounts: 2 }),
      generous,
    );
    assert.equal(over.length, 1);
    assert.match(
      over[0]!.message,
      /1,001 applications are more than one tools stack takes \(1,000/,
    );
    assert.ok(over[0]!.message.includes(QUOTAS.notificationRules.page));
  });

  it("a stack beyond a quota creates nothing and says which quota", async () => {
    const refused = await runStack("tools", {
      editOrganization: (o) => {
        (o.tools as { quotas?: DeclaredQuotas }).quotas = { pipelines: 2 };
      },
    });
    assert.ok(refused.error instanceof Error);
    assert.match(refused.error.message, /organization\.tools\.quotas\.pipelines/);
    assert.match(refused.error.message, /CodePipeline pipelines per Region per account/);
    assert.deepEqual(createdResources(refused), []);
  });

  it("a declared quota must be a whole number of resources, named by its config path", async () => {
    const refused = await runStack("tools", {
      editOrganization: (o) => {
        (o.tools as unknown as { quotas: unknown }).quotas = { iamRoles: 2.5, roles: 3 };
      },
    });
    assert.ok(refused.error instanceof Error);
    assert.match(refused.error.message, /organization\.tools\.quotas\.iamRoles/);
    assert.match(refused.error.message, /whole number/);
    assert.match(refused.error.message, /roles/);
    assert.deepEqual(createdResources(refused), []);
  });
});
