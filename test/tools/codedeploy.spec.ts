// CodeDeploy mechanisms: what the pipeline runs (CodeDeployToECS, CodeDeploy, or a Lambda deploy
// project), what each workload account creates (the deployment group, which stops and rolls back
// on the environment's deployment-health alarm and the application's alarms, and the roles), who
// may assume the CodeDeploy action role (checked with the repo's IAM evaluator), and each bad
// config's error, with nothing created.
import { strict as assert } from "assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { writeProject } from "../../bench/generate";
import { validateOrganization } from "../../model/config";
import { canAssumeRole, parsePolicy, PolicyDocument } from "../../plan/report/iam-eval";
import { applicationNames, roleArn } from "../../model/naming";
import { Organization } from "../../model/config/schema";
import {
  byName,
  createdResources,
  deployedRole,
  exampleOrganization,
  ofType,
  PROJECT_DIR,
  runCli,
  runStack,
  runStackOk,
  type StackRun,
} from "../helpers";

const ORG = exampleOrganization();
const TOOLS = ORG.tools.account;
const ORG_ID = ORG.id as string;
const PIPELINE = "aws:codepipeline/pipeline:Pipeline";
const GROUP = "aws:codedeploy/deploymentGroup:DeploymentGroup";
type Dict = Record<string, unknown>;

/** The example with orders-api on ECS, web-frontend on Lambda and billing-worker on servers. */
function codeDeployOrg(o: Organization) {
  const app = (name: string) => o.applications.find((a) => a.name === name)!;
  (app("orders-api") as Dict)["deploy"] = {
    mechanism: "codedeploy-ecs",
    cluster: "orders",
    service: "orders-api",
    loadBalancer: "orders-alb",
    productionPort: 443,
    testPort: 8443,
    targetGroups: ["orders-blue", "orders-green"],
    terminationWaitMinutes: 15,
    alarms: ["orders-api-5xx"],
  };
  (app("web-frontend") as Dict)["deploy"] = {
    mechanism: "codedeploy-lambda",
    functionName: "web-frontend-ssr",
    deploymentConfig: "CodeDeployDefault.LambdaLinear10PercentEvery1Minute",
    hooks: { beforeAllowTraffic: "web-frontend-smoke" },
  };
  (app("billing-worker") as Dict)["deploy"] = {
    mechanism: "codedeploy-server",
    ec2Tags: { app: "billing-worker" },
    onPremisesTags: { fleet: "billing" },
    minimumHealthyHosts: { type: "FLEET_PERCENT", value: 75 },
  };
}

let tools: StackRun;
let prod: StackRun;
before(async () => {
  tools = await runStackOk("tools", { editOrganization: codeDeployOrg });
  prod = await runStackOk("prod", { editOrganization: codeDeployOrg });
});

const stagesOf = (run: StackRun, pipeline: string) =>
  byName(run, pipeline, PIPELINE).inputs["stages"] as { name: string; actions: Dict[] }[];
const actionsIn = (run: StackRun, pipeline: string, stage: string) =>
  stagesOf(run, pipeline).find((s) => s.name === stage)!.actions;
const variables = (a: Dict) =>
  Object.fromEntries(
    (
      JSON.parse(String((a["configuration"] as Dict)["EnvironmentVariables"] ?? "[]")) as {
        name: string;
        value: string;
      }[]
    ).map((v) => [v.name, v.value]),
  );

describe("CodeDeploy mechanisms: the pipeline's deploy actions", () => {
  it("codedeploy-ecs runs CodeDeployToECS in the target's region with the application's action role there, the task definition and AppSpec from the build artifact", () => {
    const deploys = actionsIn(tools, "acme-orders-api", "Deploy-prod-wave2").filter(
      (a) => a["category"] === "Deploy",
    );
    assert.deepEqual(
      deploys.map((a) => [a["provider"], a["region"], a["roleArn"], a["inputArtifacts"]]),
      [
        [
          "CodeDeployToECS",
          "eu-west-1",
          roleArn("aws", "555555555555", "acme-orders-api-cd-prod"),
          ["build"],
        ],
      ],
    );
    assert.deepEqual(deploys[0]!["configuration"], {
      ApplicationName: "acme-orders-api",
      DeploymentGroupName: "acme-orders-api-prod",
      TaskDefinitionTemplateArtifact: "build",
      TaskDefinitionTemplatePath: "taskdef.json",
      AppSpecTemplateArtifact: "build",
      AppSpecTemplatePath: "appspec.yaml",
    });
    // The wave is still checked before and watched after its deploy.
    const stage = actionsIn(tools, "acme-orders-api", "Deploy-prod-wave2");
    assert.deepEqual(
      stage.map((a) => [a["name"], a["runOrder"]]),
      [
        ["AlarmCheck", 1],
        ["prod-eu-eu-west-1", 2],
        ["Bake", 3],
      ],
    );
  });

  it("codedeploy-server runs the CodeDeploy action on the build artifact (the revision with its appspec.yml)", () => {
    const [deploy] = actionsIn(tools, "acme-billing-worker", "Deploy-dev").filter(
      (a) => a["category"] === "Deploy",
    );
    assert.equal(deploy!["provider"], "CodeDeploy");
    assert.equal(deploy!["roleArn"], roleArn("aws", "222222222222", "acme-billing-worker-cd-dev"));
    assert.deepEqual(deploy!["configuration"], {
      ApplicationName: "acme-billing-worker",
      DeploymentGroupName: "acme-billing-worker-dev",
    });
  });

  it("codedeploy-lambda runs the application's deploy project with the action role to assume, in the tools account", () => {
    const [deploy] = actionsIn(tools, "acme-web-frontend", "Deploy-prod-wave1").filter(
      (a) => a["category"] === "Build",
    );
    assert.equal(deploy!["provider"], "CodeBuild");
    assert.equal(deploy!["roleArn"], undefined);
    assert.equal(
      (deploy!["configuration"] as Dict)["ProjectName"],
      "acme-web-frontend-deploy-prod",
    );
    assert.deepEqual(variables(deploy!), {
      CODEDEPLOY_ROLE_ARN: roleArn("aws", "444444444444", "acme-web-frontend-cd-prod"),
      TARGET_ACCOUNT: "444444444444",
      TARGET_REGION: "us-east-1",
      CODEDEPLOY_APPLICATION: "acme-web-frontend",
      DEPLOYMENT_GROUP: "acme-web-frontend-prod",
    });
    const project = byName(tools, "acme-web-frontend-deploy-prod", "aws:codebuild/project:Project");
    assert.equal(
      project.inputs["serviceRole"],
      roleArn("aws", TOOLS, "acme-web-frontend-codedeploy"),
    );
    const vars = Object.fromEntries(
      ((project.inputs["environment"] as Dict)["environmentVariables"] as Dict[]).map((v) => [
        v["name"],
        v["value"],
      ]),
    );
    assert.equal(vars["FUNCTION_NAME"], "web-frontend-ssr");
    assert.equal(vars["FUNCTION_ALIAS"], "live");
    assert.equal(vars["HOOK_BEFORE_ALLOW_TRAFFIC"], "web-frontend-smoke");
    assert.match(String((project.inputs["source"] as Dict)["buildspec"]), /create-deployment/);
  });

  it("native CodeDeploy actions need an artifact store in each target region", () => {
    const stores = byName(tools, "acme-billing-worker", PIPELINE).inputs["artifactStores"] as {
      region: string;
    }[];
    assert.deepEqual(stores.map((s) => s.region).sort(), ["eu-west-1", "us-east-1"]);
  });
});

describe("CodeDeploy mechanisms: the workload account", () => {
  const groupOf = (app: string) =>
    ofType(prod, GROUP).find((g) => g.inputs["deploymentGroupName"] === `acme-${app}-prod`)!;

  it("every deployment group stops on the deployment-health alarm and the application's alarms, and rolls back on failure and on an alarm", () => {
    for (const app of ["orders-api", "web-frontend", "billing-worker"]) {
      const g = groupOf(app);
      assert.ok(g, app);
      assert.deepEqual(g.inputs["autoRollbackConfiguration"], {
        enabled: true,
        events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"],
      });
      const alarms = g.inputs["alarmConfiguration"] as Dict;
      assert.equal(alarms["enabled"], true);
      assert.equal(alarms["ignorePollAlarmFailure"], false);
      assert.deepEqual(alarms["alarms"], [
        "acme-prod-deployment-health",
        ...(app === "orders-api" ? ["orders-api-5xx"] : []),
      ]);
      assert.equal(
        g.inputs["serviceRoleArn"],
        roleArn("aws", "444444444444", "acme-prod-codedeploy"),
      );
    }
  });

  it("codedeploy-ecs: blue/green with traffic control on the service's two target groups, the listeners looked up in this account and region, blue tasks kept for the wait", () => {
    const g = groupOf("orders-api");
    assert.deepEqual(g.inputs["deploymentStyle"], {
      deploymentOption: "WITH_TRAFFIC_CONTROL",
      deploymentType: "BLUE_GREEN",
    });
    assert.equal(g.inputs["deploymentConfigName"], "CodeDeployDefault.ECSCanary10Percent5Minutes");
    assert.deepEqual(g.inputs["ecsService"], { clusterName: "orders", serviceName: "orders-api" });
    const pair = (g.inputs["loadBalancerInfo"] as Dict)["targetGroupPairInfo"] as Dict;
    assert.deepEqual(pair["targetGroups"], [{ name: "orders-blue" }, { name: "orders-green" }]);
    const prodRoute = (pair["prodTrafficRoute"] as Dict)["listenerArns"] as string[];
    const testRoute = (pair["testTrafficRoute"] as Dict)["listenerArns"] as string[];
    assert.match(
      prodRoute[0]!,
      /^arn:aws:elasticloadbalancing:us-east-1:444444444444:listener\/app\/orders-alb\//,
    );
    assert.notEqual(prodRoute[0], testRoute[0]);
    assert.deepEqual(
      (g.inputs["blueGreenDeploymentConfig"] as Dict)["terminateBlueInstancesOnDeploymentSuccess"],
      { action: "TERMINATE", terminationWaitTimeInMinutes: 15 },
    );
  });

  it("codedeploy-lambda shifts traffic with its configuration; codedeploy-server deploys in place to tagged EC2 and on-premises hosts with a custom minimum of healthy hosts", () => {
    assert.equal(
      groupOf("web-frontend").inputs["deploymentConfigName"],
      "CodeDeployDefault.LambdaLinear10PercentEvery1Minute",
    );
    const server = groupOf("billing-worker");
    assert.deepEqual(server.inputs["deploymentStyle"], {
      deploymentOption: "WITHOUT_TRAFFIC_CONTROL",
      deploymentType: "IN_PLACE",
    });
    assert.deepEqual(server.inputs["ec2TagSets"], [
      { ec2TagFilters: [{ key: "app", value: "billing-worker", type: "KEY_AND_VALUE" }] },
    ]);
    assert.deepEqual(server.inputs["onPremisesInstanceTagFilters"], [
      { key: "fleet", value: "billing", type: "KEY_AND_VALUE" },
    ]);
    const config = ofType(prod, "aws:codedeploy/deploymentConfig:DeploymentConfig");
    assert.deepEqual(
      config.map((c) => [c.inputs["deploymentConfigName"], c.inputs["minimumHealthyHosts"]]),
      [["acme-billing-worker-hosts", { type: "FLEET_PERCENT", value: 75 }]],
    );
    assert.equal(server.inputs["deploymentConfigName"], "acme-billing-worker-hosts");
  });

  it("the CodeDeploy service role trusts codedeploy.amazonaws.com acting for this account only", () => {
    const trust = parsePolicy(deployedRole(prod, "acme-prod-codedeploy").trust);
    assert.deepEqual(
      trust.Statement.map((s) => [s.Principal, s.Condition]),
      [
        [
          { Service: "codedeploy.amazonaws.com" },
          { StringEquals: { "aws:SourceAccount": "444444444444" } },
        ],
      ],
    );
  });

  it("a server application's host role reads only the pipeline artifacts, and an instance profile carries it", () => {
    const host = deployedRole(prod, "acme-billing-worker-host-prod");
    const actions = host.identity.flatMap((d) =>
      parsePolicy(d).Statement.flatMap((s) => [s.Action].flat()),
    );
    assert.deepEqual(actions.sort(), [
      "kms:Decrypt",
      "kms:DescribeKey",
      "s3:GetObject",
      "s3:GetObjectVersion",
    ]);
    assert.equal(
      ofType(prod, "aws:iam/instanceProfile:InstanceProfile")[0]?.inputs["role"],
      "acme-billing-worker-host-prod",
    );
  });
});

describe("CodeDeploy action roles: who may assume them", () => {
  // Every role of the tools stack, with its identity policies, as the evaluator sees it.
  const toolsRoles = () =>
    ofType(tools, "aws:iam/role:Role").map((r) => {
      const name = String(r.outputs["name"]);
      const policies: PolicyDocument[] = ofType(tools, "aws:iam/rolePolicy:RolePolicy")
        .filter((p) => p.inputs["role"] === name)
        .map((p) => parsePolicy(p.inputs["policy"]));
      return { name, policies };
    });

  for (const [app, caller] of [
    ["orders-api", "acme-orders-api-pipeline"],
    ["billing-worker", "acme-billing-worker-pipeline"],
    ["web-frontend", "acme-web-frontend-codedeploy"],
  ] as const)
    it(`${app}'s action role is assumable by ${caller} and by no other tools role`, () => {
      const name = applicationNames("acme", app).codeDeployActionRole("prod");
      const target = deployedRole(prod, name);
      const trust = parsePolicy(target.trust);
      const allowed = toolsRoles()
        .filter((r) =>
          canAssumeRole(
            r.policies,
            { arn: roleArn("aws", TOOLS, r.name), account: TOOLS, orgId: ORG_ID },
            target.arn,
            trust,
            ORG_ID,
          ),
        )
        .map((r) => r.name);
      assert.deepEqual(allowed, [caller]);
    });

  it("an action role may create deployments of its own application's group only, and decrypt with the artifact key", () => {
    const role = deployedRole(prod, "acme-orders-api-cd-prod");
    const statements = role.identity.flatMap((d) => parsePolicy(d).Statement);
    const create = statements.find((s) =>
      [s.Action].flat().includes("codedeploy:CreateDeployment"),
    )!;
    assert.deepEqual([create.Resource].flat(), [
      "arn:aws:codedeploy:*:444444444444:deploymentgroup:acme-orders-api/acme-orders-api-prod",
    ]);
    assert.ok(statements.some((s) => [s.Action].flat().includes("kms:Decrypt")));
    assert.ok(!statements.some((s) => [s.Action].flat().some((a) => String(a).endsWith("*"))));
  });
});

describe("CodeDeploy mechanisms: bad config", () => {
  const refused = async (deploy: Dict) => {
    const run = await runStack("tools", {
      editOrganization: (o) => ((o.applications[0] as Dict)["deploy"] = deploy),
    });
    const problems = (run.error as { problems?: { path: string; message: string }[] })?.problems;
    assert.ok(problems, `accepted: ${JSON.stringify(deploy)}`);
    assert.deepEqual(createdResources(run), [], "nothing is created");
    return problems.map((p) => `${p.path}: ${p.message}`);
  };
  const at = "organization.applications[0].deploy";

  it("an ECS mechanism without its required fields names each one and what to write", async () => {
    assert.deepEqual(await refused({ mechanism: "codedeploy-ecs" }), [
      `${at}.cluster: is required: the ECS cluster name; name the cluster the service runs in`,
      `${at}.service: is required: the ECS service name; name the service to deploy`,
      `${at}.loadBalancer: is required: the Application Load Balancer name; name the load balancer in front of the service`,
      `${at}.productionPort: is required: the production listener port, such as 443`,
      `${at}.targetGroups: is required: the two target group names, blue and green`,
    ]);
  });

  it("an unknown deployment configuration lists the ones the platform takes", async () => {
    const [problem] = await refused({
      mechanism: "codedeploy-lambda",
      functionName: "f",
      deploymentConfig: "CodeDeployDefault.ECSAllAtOnce",
    });
    assert.match(
      problem!,
      /deploy\.deploymentConfig: "CodeDeployDefault\.ECSAllAtOnce" is not a CodeDeploy deployment configuration for Lambda; use one of CodeDeployDefault\.LambdaAllAtOnce, /,
    );
  });

  it("hooks on a mechanism that takes none are refused with the reason", async () => {
    assert.deepEqual(
      await refused({
        mechanism: "codedeploy-server",
        ec2Tags: { app: "x" },
        hooks: { beforeAllowTraffic: "h" },
      }),
      [
        `${at}.hooks: hooks are for codedeploy-lambda; a server deployment runs its lifecycle hooks from its appspec file: remove hooks here`,
      ],
    );
  });

  it("an environment of a CodeDeploy application may not allow deployments the codedeploy service (they could change its deployment group)", async () => {
    const run = await runStack("tools", {
      editOrganization: (o) => {
        codeDeployOrg(o);
        o.environments[2]!.allowedServices = ["lambda", "codedeploy"];
      },
    });
    const problems = (run.error as { problems?: { path: string; message: string }[] })?.problems;
    assert.deepEqual(
      problems?.map((p) => `${p.path}: ${p.message}`),
      [
        `organization.environments[2].allowedServices[1]: "codedeploy" would let deployments change the platform's deployment groups of 'orders-api', 'web-frontend', 'billing-worker' (their alarms and rollback); remove it: the platform creates those deployment groups itself`,
      ],
    );
    assert.deepEqual(createdResources(run), []);
  });

  it("a server mechanism needs hosts to deploy to, and a deployment group holds 10 alarms", async () => {
    assert.deepEqual(await refused({ mechanism: "codedeploy-server" }), [
      `${at}.ec2Tags: is required: name the instances to deploy to with ec2Tags, onPremisesTags or both`,
    ]);
    assert.deepEqual(
      await refused({
        mechanism: "codedeploy-lambda",
        functionName: "f",
        alarms: Array.from({ length: 10 }, (_, i) => `a${i}`),
      }),
      [
        `${at}.alarms: a deployment group holds 10 alarms and the environment's deployment-health alarm is one: list at most 9`,
      ],
    );
  });
});

describe("CodeDeploy mechanisms: the offline plan", () => {
  it("plans every stack of an organization on ECS, Lambda and servers with the platform's policy config, and passes the pack", async () => {
    const org = exampleOrganization();
    codeDeployOrg(org);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cicd-codedeploy-"));
    writeProject(validateOrganization(org), dir);
    const policyConfig = path.join(PROJECT_DIR, "policies", "platform.policy-config.json");
    const run = await runCli(["plan", "--policy-config", policyConfig], dir);
    fs.rmSync(dir, { recursive: true, force: true });
    assert.equal(run.code, 0, run.stdout.slice(-3000) + run.stderr);
    assert.match(run.stdout, /0 mandatory and 0 advisory finding\(s\)/);
  });
});
