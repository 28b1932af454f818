// The example fits the platform it is deployed by: in each workload account, the platform's
// deploy role (its policies capped by the permissions boundary, the guardrails' denies included)
// allows creating what the example's plan creates there, and the boundary its function's role
// carries leaves that role what the function needs. Evaluated with the repo's IAM evaluator on
// the plan of both projects (as after `pulumi up`: ARNs known).
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { main } from "../../plan/cli";
import type { Report, ReportResource } from "../../plan/report";
import {
  type Decision,
  evaluateWithBoundary,
  parsePolicy,
  type PolicyDocument,
  type Request,
} from "../../plan/report/iam-eval";
import { deployedRole, exampleRun, PROJECT_DIR } from "../helpers";

const PLATFORM_STACKS = ["dev", "staging", "prod", "prod-eu"] as const;

async function examplePlan(): Promise<Report> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "orders-api-plan-"));
  try {
    const json = path.join(dir, "plan.json");
    const code = await main(["plan", "--app", "examples/orders-api", "--update", "--json", json], {
      stdout: () => undefined,
      stderr: () => undefined,
      stdoutIsTTY: false,
      stderrIsTTY: false,
      cwd: PROJECT_DIR,
      env: {},
    });
    assert.equal(code, 0);
    return JSON.parse(fs.readFileSync(json, "utf8")) as Report;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const ofType = (resources: readonly ReportResource[], type: string) =>
  resources.filter((r) => r.type === type);
const out = (r: ReportResource, key: string) => String(r.outputs[key]);

/** What creating the example's resources asks of the deploy role, from its plan. */
function creationRequests(resources: readonly ReportResource[]): Request[] {
  const [role] = ofType(resources, "aws:iam/role:Role");
  const withBoundary = { "iam:PermissionsBoundary": out(role, "permissionsBoundary") };
  const requests: Request[] = [
    { action: "iam:CreateRole", resource: out(role, "arn"), context: withBoundary },
    { action: "iam:PutRolePolicy", resource: out(role, "arn"), context: withBoundary },
    { action: "iam:PassRole", resource: out(role, "arn") },
  ];
  const each = (type: string, action: string, arn = (r: ReportResource) => out(r, "arn")) => {
    const found = ofType(resources, type);
    assert.ok(found.length > 0, `the plan has a ${type}`);
    for (const r of found) requests.push({ action, resource: arn(r) });
  };
  each("aws:kms/alias:Alias", "kms:CreateAlias");
  each("aws:dynamodb/table:Table", "dynamodb:CreateTable");
  each("aws:lambda/function:Function", "lambda:CreateFunction");
  each("aws:cloudwatch/logGroup:LogGroup", "logs:CreateLogGroup");
  each("aws:cloudwatch/metricAlarm:MetricAlarm", "cloudwatch:PutMetricAlarm", (r) => {
    const region = r.region;
    return `arn:aws:cloudwatch:${region}:${r.account}:alarm:${out(r, "name")}`;
  });
  each("aws:sns/topic:Topic", "sns:CreateTopic");
  each("aws:sns/topicSubscription:TopicSubscription", "sns:Subscribe", (r) => out(r, "topic"));
  requests.push({ action: "kms:CreateKey", resource: "*" });
  return requests;
}

const decide = (identity: PolicyDocument[], boundary: PolicyDocument[]) => (req: Request) =>
  evaluateWithBoundary(identity, boundary, req);

describe("the example fits the platform's deploy role", function () {
  this.timeout(120_000);
  let plan: Report;
  before(async () => {
    plan = await examplePlan();
  });

  for (const platformStack of PLATFORM_STACKS) {
    it(`the ${platformStack} deploy role may create every resource the example plans there`, async () => {
      const run = await exampleRun(platformStack);
      const deployRole = ofTypeRun(run, "aws:iam/role:Role").find((r) =>
        String(r.outputs["name"]).endsWith("-deploy"),
      );
      assert.ok(deployRole, "the workload stack has a deploy role");
      const r = deployedRole(run, String(deployRole.outputs["name"]));
      assert.ok(r.boundary !== undefined, "the deploy role is bounded");
      const can = decide(r.identity.map(parsePolicy), [parsePolicy(r.boundary)]);
      const account = r.arn.split(":")[4];
      const stack = plan.stacks.find((s) =>
        s.resources.some((x) => x.custom && x.account === account),
      );
      assert.ok(stack, `the example deploys to ${account}`);
      const custom = stack.resources.filter((x) => x.custom);
      const refused = creationRequests(custom)
        .map((req) => [req.action, req.resource, can(req)] as [string, string, Decision])
        .filter(([, , d]) => d !== "allow");
      assert.deepEqual(refused, []);
      // The same resources without the boundary, or under the platform's own names, are refused.
      const gate = String(deployRole.outputs["name"]).replace(/deploy$/, "");
      const [role] = ofType(custom, "aws:iam/role:Role");
      const region = role.region;
      assert.deepEqual(
        [
          { action: "iam:CreateRole", resource: out(role, "arn") },
          {
            action: "kms:CreateAlias",
            resource: `arn:aws:kms:${region}:${account}:alias/${gate}orders`,
          },
          {
            action: "cloudwatch:PutMetricAlarm",
            resource: `arn:aws:cloudwatch:${region}:${account}:alarm:${gate}orders-errors`,
          },
        ].map(can),
        ["explicit-deny", "explicit-deny", "explicit-deny"],
      );
    });
  }

  it("the boundary on the function's role leaves it what the function does", async () => {
    const run = await exampleRun("dev");
    const boundary = ofTypeRun(run, "aws:iam/policy:Policy").find((p) =>
      String(p.outputs["name"]).endsWith("-boundary"),
    );
    assert.ok(boundary);
    const dev = plan.stacks.find((s) => s.stack === "dev");
    assert.ok(dev);
    const [role] = ofType(dev.resources, "aws:iam/role:Role");
    assert.equal(out(role, "permissionsBoundary"), String(boundary.outputs["arn"]));
    const [policy] = ofType(dev.resources, "aws:iam/rolePolicy:RolePolicy");
    const can = decide(
      [parsePolicy(policy.inputs["policy"])],
      [parsePolicy(boundary.inputs["policy"])],
    );
    const [table] = ofType(dev.resources, "aws:dynamodb/table:Table");
    const [fn] = ofType(dev.resources, "aws:lambda/function:Function");
    const keyRef = (fn.inputs["environment"] as { variables: Record<string, string> }).variables[
      "API_KEY_REF"
    ];
    const parameter = `arn:aws:ssm:us-east-1:222222222222:parameter${keyRef}`;
    const decisions = [
      ["dynamodb:PutItem", out(table, "arn")],
      ["dynamodb:GetItem", out(table, "arn")],
      ["ssm:GetParameter", parameter],
      ["xray:PutTraceSegments", "*"],
    ].map(([action, resource]) => [action, can({ action, resource })]);
    assert.deepEqual(decisions, [
      ["dynamodb:PutItem", "allow"],
      ["dynamodb:GetItem", "allow"],
      ["ssm:GetParameter", "allow"],
      ["xray:PutTraceSegments", "allow"],
    ]);
    // And nothing else of the table: the role is least-privilege, not the boundary.
    assert.equal(
      can({ action: "dynamodb:DeleteTable", resource: out(table, "arn") }),
      "implicit-deny",
    );
  });
});

function ofTypeRun(run: Awaited<ReturnType<typeof exampleRun>>, type: string) {
  return run.resources.filter((r) => r.type === type);
}
