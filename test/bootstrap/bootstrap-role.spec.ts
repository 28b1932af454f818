// What the bootstrap role can do, judged on the committed StackSet template as CloudFormation
// would resolve it in one account (parameters and pseudo parameters substituted): who may assume
// it, that it may create every resource the example's workload stacks create, and what stays refused.
import { strict as assert } from "assert";
import {
  Decision,
  evaluatePolicies,
  evaluateWithBoundary,
  parsePolicy,
  PolicyDocument,
  PrincipalInfo,
  trustAllows,
} from "../../plan/report/iam-eval";
import { parseCloudFormationYaml } from "../../model/iam/bootstrap";
import { IAM_MANAGED_POLICY_LIMIT, IAM_TRUST_POLICY_LIMIT } from "../../model/iam/workload";
import { applicationNames, environmentNames, platformNames, roleArn } from "../../model/naming";
import { readBootstrapTemplate } from "../../components/bootstrap/template-file";
import { Organization } from "../../model/config/schema";
import {
  createdResources,
  exampleOrganization,
  exampleRun,
  RecordedResource,
  runStackOk,
  StackRun,
} from "../helpers";

const ORG = exampleOrganization();
const TOOLS = ORG.tools.account;
const ORG_ID = ORG.id as string;
const P = platformNames(ORG.prefix);

/** Resolves Fn::Sub and Ref the way CloudFormation does in one account. */
function resolve(value: unknown, vars: Readonly<Record<string, string>>): unknown {
  if (Array.isArray(value)) return value.map((v) => resolve(v, vars));
  if (value && typeof value === "object") {
    const entries = Object.entries(value);
    if (entries.length === 1 && entries[0][0] === "Fn::Sub")
      return String(entries[0][1]).replace(/\$\{([^}]+)\}/g, (_m, name: string) => {
        if (!(name in vars)) throw new Error(`Fn::Sub: unknown variable ${name}`);
        return vars[name];
      });
    if (entries.length === 1 && entries[0][0] === "Ref") {
      const name = String(entries[0][1]);
      if (!(name in vars)) throw new Error(`Ref: unknown name ${name}`);
      return vars[name];
    }
    return Object.fromEntries(entries.map(([k, v]) => [k, resolve(v, vars)]));
  }
  return value;
}

interface BootstrapRole {
  readonly arn: string;
  readonly name: string;
  readonly trust: PolicyDocument;
  readonly identity: PolicyDocument[];
  readonly boundary: PolicyDocument;
  readonly raw: { trust: unknown; identity: unknown[]; boundary: unknown };
}

/** The bootstrap role as the StackSet creates it in `account`. */
function bootstrapRoleIn(
  account: string,
  prefix = ORG.prefix,
  region = "us-east-1",
): BootstrapRole {
  const t = parseCloudFormationYaml(readBootstrapTemplate());
  const vars: Record<string, string> = {
    "AWS::Partition": "aws",
    "AWS::AccountId": account,
    "AWS::Region": region,
    Prefix: prefix,
    ToolsAccount: TOOLS,
    OrganizationId: ORG_ID,
  };
  const resources = t["Resources"] as Record<string, { Properties: Record<string, unknown> }>;
  const boundaryName = resolve(resources["Boundary"].Properties["ManagedPolicyName"], vars);
  vars["Boundary"] = `arn:aws:iam::${account}:policy/${String(boundaryName)}`;
  const role = resolve(resources["Role"].Properties, vars) as Record<string, unknown>;
  const boundary = resolve(resources["Boundary"].Properties["PolicyDocument"], vars);
  assert.equal(role["PermissionsBoundary"], vars["Boundary"]);
  const identity = (role["Policies"] as { PolicyDocument: unknown }[]).map((p) => p.PolicyDocument);
  return {
    arn: roleArn("aws", account, String(role["RoleName"])),
    name: String(role["RoleName"]),
    trust: parsePolicy(role["AssumeRolePolicyDocument"]),
    identity: identity.map(parsePolicy),
    boundary: parsePolicy(boundary),
    raw: { trust: role["AssumeRolePolicyDocument"], identity, boundary },
  };
}

/** A role session (`null`: a principal outside any organization). */
const session = (account: string, name: string, orgId: string | null = ORG_ID): PrincipalInfo => ({
  arn: roleArn("aws", account, name),
  account,
  orgId: orgId ?? undefined,
});

describe("bootstrap role: trust", () => {
  const role = bootstrapRoleIn("222222222222");

  it(`is named ${P.bootstrapRole} and capped by ${P.bootstrapBoundary}`, () => {
    assert.equal(role.name, P.bootstrapRole);
    assert.equal(role.arn, "arn:aws:iam::222222222222:role/acme-platform-bootstrap");
  });

  it(`the platform deployer role of the tools account (${P.deployerRole}) may assume it and tag the session`, () => {
    assert.equal(trustAllows(role.trust, session(TOOLS, P.deployerRole)), true);
    assert.equal(trustAllows(role.trust, session(TOOLS, P.deployerRole), "sts:TagSession"), true);
  });

  const refused: [string, PrincipalInfo][] = [
    ["a role of a foreign account", session("888888888888", "intruder", "o-foreignorg99")],
    [
      "the deployer role name in another account of the organization",
      session("222222222222", P.deployerRole),
    ],
    [
      "the deployer role name in a foreign account",
      session("888888888888", P.deployerRole, "o-foreignorg99"),
    ],
    [
      "the deployer role outside the organization (aws:PrincipalOrgID absent)",
      session(TOOLS, P.deployerRole, null),
    ],
    [
      "another tools role: acme-tools-deploy-prod",
      session(TOOLS, environmentNames(ORG.prefix, "prod").toolsDeployRole),
    ],
    [
      "another tools role: acme-orders-api-build",
      session(TOOLS, applicationNames(ORG.prefix, "orders-api").buildRole),
    ],
    [
      "an application pipeline role: acme-orders-api-pipeline",
      session(TOOLS, applicationNames(ORG.prefix, "orders-api").pipelineRole),
    ],
    ["the platform pipeline role", session(TOOLS, P.pipelineRole)],
    [
      "the tools account root itself",
      { arn: `arn:aws:iam::${TOOLS}:root`, account: TOOLS, orgId: ORG_ID },
    ],
  ];
  for (const [what, who] of refused)
    it(`refuses ${what}`, () => {
      assert.equal(trustAllows(role.trust, who), false, who.arn);
    });

  it("admits no other action than sts:AssumeRole and sts:TagSession", () => {
    for (const action of [
      "sts:AssumeRoleWithWebIdentity",
      "sts:AssumeRoleWithSAML",
      "sts:SetSourceIdentity",
    ])
      assert.equal(trustAllows(role.trust, session(TOOLS, P.deployerRole), action), false, action);
  });
});

/** A request as the bootstrap role would make it while a workload stack creates one resource. */
interface Want {
  readonly action: string;
  readonly resource: string;
  readonly context?: Record<string, string | string[]>;
}

const iam = (acct: string, rest: string) => `arn:aws:iam::${acct}:${rest}`;
const str = (v: unknown) => String(v);

/**
 * The create request(s) behind each resource type the workload stacks use, on the resource's ARN
 * (computed by the engine like AWS, else built here from its name). A type missing here fails the walk.
 */
const CREATE: Readonly<
  Record<string, (r: RecordedResource, acct: string, region: string) => Want[]>
> = {
  "aws:iam/role:Role": (r) => [
    { action: "iam:CreateRole", resource: str(r.outputs["arn"]) },
    { action: "iam:TagRole", resource: str(r.outputs["arn"]) },
  ],
  "aws:iam/policy:Policy": (r) => [
    { action: "iam:CreatePolicy", resource: str(r.outputs["arn"]) },
    { action: "iam:CreatePolicyVersion", resource: str(r.outputs["arn"]) },
  ],
  "aws:iam/rolePolicy:RolePolicy": (r, acct) => [
    { action: "iam:PutRolePolicy", resource: iam(acct, `role/${str(r.inputs["role"])}`) },
  ],
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": (r, acct) => [
    {
      action: "iam:AttachRolePolicy",
      resource: iam(acct, `role/${str(r.inputs["role"])}`),
      context: { "iam:PolicyARN": str(r.inputs["policyArn"]) },
    },
  ],
  "aws:iam/instanceProfile:InstanceProfile": (r, acct) => [
    {
      action: "iam:CreateInstanceProfile",
      resource: iam(acct, `instance-profile/${str(r.inputs["name"])}`),
    },
    {
      action: "iam:AddRoleToInstanceProfile",
      resource: iam(acct, `instance-profile/${str(r.inputs["name"])}`),
    },
  ],
  "aws:iam/serviceLinkedRole:ServiceLinkedRole": (r, acct) => [
    {
      action: "iam:CreateServiceLinkedRole",
      resource: iam(
        acct,
        `role/aws-service-role/${str(r.inputs["awsServiceName"])}/AWSServiceRoleForConfig`,
      ),
    },
  ],
  // kms:CreateKey has no resource ARN (Resource "*"); the key is then changed by its ARN.
  "aws:kms/key:Key": (r) => [
    { action: "kms:CreateKey", resource: "*" },
    { action: "kms:EnableKeyRotation", resource: str(r.outputs["arn"]) },
    { action: "kms:PutKeyPolicy", resource: str(r.outputs["arn"]) },
    { action: "kms:ScheduleKeyDeletion", resource: str(r.outputs["arn"]) },
  ],
  "aws:kms/alias:Alias": (r, acct, region) => [
    { action: "kms:CreateAlias", resource: str(r.outputs["arn"]) },
    {
      action: "kms:CreateAlias",
      resource: `arn:aws:kms:${region}:${acct}:key/${str(r.inputs["targetKeyId"]).split("/").pop()}`,
    },
  ],
  "aws:sns/topic:Topic": (r) => [{ action: "sns:CreateTopic", resource: str(r.outputs["arn"]) }],
  "aws:sns/topicPolicy:TopicPolicy": (r) => [
    { action: "sns:SetTopicAttributes", resource: str(r.inputs["arn"]) },
  ],
  "aws:sns/topicSubscription:TopicSubscription": (r) => [
    { action: "sns:Subscribe", resource: str(r.inputs["topic"]) },
    { action: "sns:Unsubscribe", resource: str(r.outputs["arn"]) },
  ],
  "aws:cloudwatch/metricAlarm:MetricAlarm": (r) => [
    { action: "cloudwatch:PutMetricAlarm", resource: str(r.outputs["arn"]) },
  ],
  "aws:cloudwatch/compositeAlarm:CompositeAlarm": (r) => [
    { action: "cloudwatch:PutCompositeAlarm", resource: str(r.outputs["arn"]) },
  ],
  "aws:cloudwatch/eventRule:EventRule": (r) => [
    { action: "events:PutRule", resource: str(r.outputs["arn"]) },
  ],
  "aws:cloudwatch/eventTarget:EventTarget": (r, acct, region) => [
    {
      action: "events:PutTargets",
      resource: `arn:aws:events:${region}:${acct}:rule/${str(r.inputs["rule"])}`,
    },
  ],
  "aws:s3/bucket:Bucket": (r) => [{ action: "s3:CreateBucket", resource: str(r.outputs["arn"]) }],
  "aws:s3/bucketPolicy:BucketPolicy": (r) => [
    { action: "s3:PutBucketPolicy", resource: `arn:aws:s3:::${str(r.inputs["bucket"])}` },
  ],
  "aws:s3/bucketVersioning:BucketVersioning": (r) => [
    { action: "s3:PutBucketVersioning", resource: `arn:aws:s3:::${str(r.inputs["bucket"])}` },
  ],
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": (r) => [
    {
      action: "s3:PutBucketPublicAccessBlock",
      resource: `arn:aws:s3:::${str(r.inputs["bucket"])}`,
    },
  ],
  "aws:s3/bucketOwnershipControls:BucketOwnershipControls": (r) => [
    {
      action: "s3:PutBucketOwnershipControls",
      resource: `arn:aws:s3:::${str(r.inputs["bucket"])}`,
    },
  ],
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": (r) => [
    {
      action: "s3:PutEncryptionConfiguration",
      resource: `arn:aws:s3:::${str(r.inputs["bucket"])}`,
    },
  ],
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": (r) => [
    { action: "s3:PutLifecycleConfiguration", resource: `arn:aws:s3:::${str(r.inputs["bucket"])}` },
  ],
  "aws:cfg/recorder:Recorder": (r) => [
    { action: "config:PutConfigurationRecorder", resource: "*" },
    {
      action: "iam:PassRole",
      resource: str(r.inputs["roleArn"]),
      context: { "iam:PassedToService": "config.amazonaws.com" },
    },
  ],
  "aws:cfg/deliveryChannel:DeliveryChannel": () => [
    { action: "config:PutDeliveryChannel", resource: "*" },
  ],
  "aws:cfg/recorderStatus:RecorderStatus": () => [
    { action: "config:StartConfigurationRecorder", resource: "*" },
  ],
  // Config rules are named by id (config-rule/config-rule-a1b2c3), not by name.
  "aws:cfg/rule:Rule": (_r, acct, region) => [
    {
      action: "config:PutConfigRule",
      resource: `arn:aws:config:${region}:${acct}:config-rule/config-rule-a1b2c3`,
    },
  ],
  "aws:cfg/aggregateAuthorization:AggregateAuthorization": (r, acct, region) => [
    {
      action: "config:PutAggregationAuthorization",
      resource: `arn:aws:config:${region}:${acct}:aggregation-authorization/${str(r.inputs["accountId"])}/${str(r.inputs["authorizedAwsRegion"])}`,
    },
  ],
  "aws:xray/samplingRule:SamplingRule": (r, acct, region) => [
    {
      action: "xray:CreateSamplingRule",
      resource: `arn:aws:xray:${region}:${acct}:sampling-rule/${str(r.inputs["ruleName"])}`,
    },
  ],
  "aws:codedeploy/application:Application": (r, acct, region) => [
    {
      action: "codedeploy:CreateApplication",
      resource: `arn:aws:codedeploy:${region}:${acct}:application:${str(r.inputs["name"])}`,
    },
  ],
  "aws:codedeploy/deploymentGroup:DeploymentGroup": (r, acct, region) => [
    {
      action: "codedeploy:CreateDeploymentGroup",
      resource: `arn:aws:codedeploy:${region}:${acct}:deploymentgroup:${str(r.inputs["appName"])}/${str(r.inputs["deploymentGroupName"])}`,
    },
    {
      action: "iam:PassRole",
      resource: str(r.inputs["serviceRoleArn"]),
      context: { "iam:PassedToService": "codedeploy.amazonaws.com" },
    },
  ],
  "aws:codedeploy/deploymentConfig:DeploymentConfig": (r, acct, region) => [
    {
      action: "codedeploy:CreateDeploymentConfig",
      resource: `arn:aws:codedeploy:${region}:${acct}:deploymentconfig:${str(r.inputs["deploymentConfigName"])}`,
    },
  ],
  "aws:xray/encryptionConfig:EncryptionConfig": () => [
    { action: "xray:PutEncryptionConfig", resource: "*" },
  ],
};

const WORKLOAD_STACKS = ["dev", "staging", "prod", "prod-eu"] as const;

function decide(role: BootstrapRole, want: Want, account: string): Decision {
  return evaluateWithBoundary(role.identity, [role.boundary], {
    action: want.action,
    resource: want.resource,
    principalArn: role.arn,
    principalAccount: account,
    context: want.context,
  });
}

/** The example with its applications on CodeDeploy (ECS, Lambda, servers). */
function codeDeployOrg(o: Organization) {
  const app = (name: string) => o.applications.find((a) => a.name === name)!;
  (app("orders-api") as Record<string, unknown>)["deploy"] = {
    mechanism: "codedeploy-ecs",
    cluster: "orders",
    service: "orders-api",
    loadBalancer: "orders-alb",
    productionPort: 443,
    testPort: 8443,
    targetGroups: ["orders-blue", "orders-green"],
    alarms: ["orders-api-5xx"],
  };
  (app("web-frontend") as Record<string, unknown>)["deploy"] = {
    mechanism: "codedeploy-lambda",
    functionName: "web-frontend-ssr",
    deploymentConfig: "CodeDeployDefault.LambdaLinear10PercentEvery1Minute",
  };
  (app("billing-worker") as Record<string, unknown>)["deploy"] = {
    mechanism: "codedeploy-server",
    ec2Tags: { app: "billing-worker" },
    minimumHealthyHosts: { type: "FLEET_PERCENT", value: 75 },
  };
}

const WALKS: { label: string; stack: string; run: () => Promise<StackRun> }[] = [
  ...WORKLOAD_STACKS.map((stack) => ({
    label: `the example's ${stack} stack`,
    stack,
    run: () => exampleRun(stack),
  })),
  {
    label: "the prod stack with every application on CodeDeploy",
    stack: "prod",
    run: () => runStackOk("prod", { editOrganization: codeDeployOrg }),
  },
];

describe("bootstrap role: it may create what the workload stacks create", () => {
  for (const { label, run: runOf } of WALKS)
    it(`every resource of ${label}: its create request is allowed`, async () => {
      const run = await runOf();
      const resources = createdResources(run).filter(
        (r) => !r.type.startsWith("platform:") && !r.type.startsWith("pulumi:providers:"),
      );
      assert.ok(resources.length > 20);
      const account = String(
        resources.find((r) => r.type === "aws:iam/role:Role")?.outputs["arn"],
      ).split(":")[4];
      const role = bootstrapRoleIn(account);
      const refused: string[] = [];
      for (const r of resources) {
        const wants = CREATE[r.type];
        if (!wants) {
          refused.push(
            `${r.type} (${r.name}): no create request known; add it to CREATE in this spec and to model/iam/bootstrap`,
          );
          continue;
        }
        const region = String(r.outputs["region"] ?? "us-east-1");
        for (const w of wants(r, account, region)) {
          const d = decide(role, w, account);
          if (d !== "allow") refused.push(`${r.name}: ${w.action} on ${w.resource}: ${d}`);
        }
      }
      assert.deepEqual(refused, []);
      if (label.includes("CodeDeploy"))
        assert.ok(
          resources.some((r) => r.type === "aws:codedeploy/deploymentGroup:DeploymentGroup"),
        );
    });

  it("Pulumi's reads are allowed (sts:GetCallerIdentity, describes)", () => {
    const role = bootstrapRoleIn("222222222222");
    for (const [action, resource] of [
      ["sts:GetCallerIdentity", "*"],
      ["iam:GetRole", iam("222222222222", "role/acme-dev-deploy")],
      ["kms:DescribeKey", "arn:aws:kms:us-east-1:222222222222:key/1234"],
      ["cloudwatch:DescribeAlarms", "*"],
      ["sns:GetTopicAttributes", "arn:aws:sns:us-east-1:222222222222:acme-dev-alarms"],
      ["config:DescribeConfigurationRecorders", "*"],
      ["s3:GetBucketPolicy", "arn:aws:s3:::acme-config-222222222222"],
      ["elasticloadbalancing:DescribeLoadBalancers", "*"],
    ])
      assert.equal(decide(role, { action, resource }, "222222222222"), "allow", action);
  });
});

describe("bootstrap role: what stays refused", () => {
  const acct = "444444444444";
  const role = bootstrapRoleIn(acct);
  const cases: [string, Want, Decision][] = [
    [
      "a role without the prefix",
      { action: "iam:CreateRole", resource: iam(acct, "role/orders-api-admin") },
      "implicit-deny",
    ],
    [
      "a policy without the prefix",
      { action: "iam:CreatePolicy", resource: iam(acct, "policy/admin") },
      "implicit-deny",
    ],
    [
      "iam:CreateUser",
      { action: "iam:CreateUser", resource: iam(acct, "user/acme-someone") },
      "explicit-deny",
    ],
    [
      "iam:CreateAccessKey",
      { action: "iam:CreateAccessKey", resource: iam(acct, "user/acme-someone") },
      "explicit-deny",
    ],
    [
      "organizations:LeaveOrganization",
      { action: "organizations:LeaveOrganization", resource: "*" },
      "explicit-deny",
    ],
    [
      "organizations:CreateAccount",
      { action: "organizations:CreateAccount", resource: "*" },
      "explicit-deny",
    ],
    [
      "adding a policy to itself",
      { action: "iam:PutRolePolicy", resource: role.arn },
      "explicit-deny",
    ],
    [
      "attaching a policy to itself",
      {
        action: "iam:AttachRolePolicy",
        resource: role.arn,
        context: { "iam:PolicyARN": iam(acct, "policy/acme-prod-deploy-iam") },
      },
      "explicit-deny",
    ],
    [
      "changing its trust",
      { action: "iam:UpdateAssumeRolePolicy", resource: role.arn },
      "explicit-deny",
    ],
    [
      "removing its boundary",
      { action: "iam:DeleteRolePermissionsBoundary", resource: role.arn },
      "explicit-deny",
    ],
    [
      "rewriting its boundary",
      { action: "iam:CreatePolicyVersion", resource: iam(acct, `policy/${P.bootstrapBoundary}`) },
      "explicit-deny",
    ],
    [
      "deleting its boundary",
      { action: "iam:DeletePolicy", resource: iam(acct, `policy/${P.bootstrapBoundary}`) },
      "explicit-deny",
    ],
    [
      "AdministratorAccess on a prefixed role",
      {
        action: "iam:AttachRolePolicy",
        resource: iam(acct, "role/acme-prod-deploy"),
        context: { "iam:PolicyARN": "arn:aws:iam::aws:policy/AdministratorAccess" },
      },
      "explicit-deny",
    ],
    [
      "a prefixed role in another account",
      { action: "iam:CreateRole", resource: iam("555555555555", "role/acme-prod-deploy") },
      "implicit-deny",
    ],
    [
      "reading objects of the config bucket",
      { action: "s3:GetObject", resource: "arn:aws:s3:::acme-config-444444444444/AWSLogs/x" },
      "implicit-deny",
    ],
    [
      "passing a prefixed role to EC2",
      {
        action: "iam:PassRole",
        resource: iam(acct, "role/acme-prod-deploy"),
        context: { "iam:PassedToService": "ec2.amazonaws.com" },
      },
      "implicit-deny",
    ],
    [
      "CloudFormation (it cannot change the StackSet's stack)",
      { action: "cloudformation:UpdateStack", resource: "*" },
      "implicit-deny",
    ],
    [
      "Lambda, EC2 or any application service",
      { action: "lambda:CreateFunction", resource: "*" },
      "implicit-deny",
    ],
  ];
  for (const [what, want, expected] of cases)
    it(`refuses ${what} (${expected})`, () => {
      assert.equal(decide(role, want, acct), expected);
    });

  it("a policy attached to it by other means grants nothing beyond the boundary", () => {
    const admin = parsePolicy({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
    });
    const d = evaluateWithBoundary([...role.identity, admin], [role.boundary], {
      action: "ec2:RunInstances",
      resource: "*",
      principalArn: role.arn,
      principalAccount: acct,
    });
    assert.equal(d, "implicit-deny");
  });
});

describe("bootstrap role: IAM's size limits", () => {
  // Managed policy 6,144 characters, role trust 2,048 (default), whitespace not counted
  // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html).
  it("the boundary and the permissions fit a managed policy, the trust fits the trust quota, with the longest prefix", () => {
    const role = bootstrapRoleIn("444444444444", "abcdefghijkl");
    const size = (d: unknown) => JSON.stringify(d).length;
    assert.ok(
      size(role.raw.boundary) <= IAM_MANAGED_POLICY_LIMIT,
      `boundary ${size(role.raw.boundary)}`,
    );
    for (const d of role.raw.identity)
      assert.ok(size(d) <= IAM_MANAGED_POLICY_LIMIT, `permissions ${size(d)}`);
    assert.ok(size(role.raw.trust) <= IAM_TRUST_POLICY_LIMIT, `trust ${size(role.raw.trust)}`);
  });

  it("one template for every account: the documents do not depend on the account", () => {
    const a = bootstrapRoleIn("222222222222").raw;
    const b = bootstrapRoleIn("999999999998").raw;
    assert.equal(JSON.stringify(a).length, JSON.stringify(b).length);
  });
});

describe("drift reader role (created beside the bootstrap role)", () => {
  const t = parseCloudFormationYaml(readBootstrapTemplate());
  const vars: Record<string, string> = {
    "AWS::Partition": "aws",
    "AWS::AccountId": "444444444444",
    "AWS::Region": "us-east-1",
    Prefix: ORG.prefix,
    ToolsAccount: TOOLS,
    OrganizationId: ORG_ID,
  };
  const resources = t["Resources"] as Record<string, { Properties: Record<string, unknown> }>;
  const reader = resolve(resources["DriftReader"]!.Properties, vars) as Record<string, unknown>;
  const trust = parsePolicy(reader["AssumeRolePolicyDocument"]);
  const identity = (reader["Policies"] as { PolicyDocument: unknown }[]).map((p) =>
    parsePolicy(p.PolicyDocument),
  );

  it(`is ${P.driftReaderRole}, the role the tools account's drift detection assumes`, () => {
    assert.equal(reader["RoleName"], P.driftReaderRole);
  });

  it("only the tools account's drift role, inside the organization, may assume it; the deployer may not", () => {
    assert.equal(trustAllows(trust, session(TOOLS, P.driftRole)), true);
    assert.equal(trustAllows(trust, session(TOOLS, P.deployerRole)), false);
    assert.equal(trustAllows(trust, session(TOOLS, P.driftRole, null)), false);
    assert.equal(trustAllows(trust, session("777777777777", P.driftRole)), false);
  });

  it("reads and never writes", () => {
    const d = (action: string, resource: string) =>
      evaluatePolicies(identity, { action, resource });
    assert.equal(d("iam:GetRole", "arn:aws:iam::444444444444:role/acme-prod-deploy"), "allow");
    assert.notEqual(d("iam:CreateRole", "arn:aws:iam::444444444444:role/acme-x"), "allow");
    assert.notEqual(d("s3:GetObject", "arn:aws:s3:::acme-data/x"), "allow");
    assert.notEqual(
      d("sns:Publish", "arn:aws:sns:us-east-1:444444444444:acme-prod-alarms"),
      "allow",
    );
  });
});
