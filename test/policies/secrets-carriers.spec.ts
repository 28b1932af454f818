import * as assert from "node:assert/strict";
import { policiesByFamily } from "../../policies/all";
import { T } from "../../policies/lib/resources";
import { CARRIERS } from "../../policies/lib/secret-carriers";
import { secretsNoPlaintextEcsEnvironment } from "../../policies/secrets/secrets-no-plaintext-ecs-environment";
import { secretsNoPlaintextServiceConfiguration } from "../../policies/secrets/secrets-no-plaintext-service-configuration";
import { secretsNoUserDataSecrets } from "../../policies/secrets/secrets-no-user-data-secrets";
import type { PackPolicy, PackResourcePolicy } from "../../policies/lib/policy";
import {
  expected,
  messages,
  resource,
  runResourcePolicy,
  UNKNOWN_OBJECT,
  UNKNOWN_STRING,
} from "../helpers/policy";
import { hex, ruleSamples, samples } from "./fixtures/secrets";

type Props = Record<string, unknown>;

interface CarrierCase {
  readonly carrier: string;
  readonly type: string;
  readonly policy: PackPolicy;
  readonly baseline: () => Props;
  /** The one change: a plaintext secret in the carrier. */
  readonly leak: (props: Props) => void;
  readonly message: string;
}

const secretLike = (name: string) => `a high-entropy value under the secret-like name '${name}'`;
const script =
  "#!/bin/bash\nyum install -y nginx\naws ssm get-parameter --name /app/db --with-decryption\n";
const container = (environment: unknown[], command: string[] = ["python", "job.py"]) => ({
  image: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/jobs:1.4.2",
  command,
  environment,
  secrets: [{ name: "DB_PASSWORD", valueFrom: "arn:aws:ssm:eu-west-1:123456789012:parameter/db" }],
});
const stateMachine = (parameters: Props) =>
  JSON.stringify({
    StartAt: "Notify",
    States: {
      Notify: {
        Type: "Task",
        Resource: "arn:aws:states:::lambda:invoke",
        Parameters: {
          FunctionName: "arn:aws:lambda:eu-west-1:123456789012:function:notify",
          "Payload.$": "$",
          ...parameters,
        },
        End: true,
      },
    },
  });
const settings = [
  { namespace: "aws:autoscaling:launchconfiguration", name: "InstanceType", value: "t3.micro" },
  { namespace: "aws:elasticbeanstalk:application:environment", name: "STAGE", value: "prod" },
  {
    namespace: "aws:elasticbeanstalk:application:environment",
    name: "DB_PASSWORD_PARAM",
    value: "/app/prod/db/password",
  },
];
const envMap = () => ({ STAGE: "prod", TABLE: "orders", DB_PASSWORD: "${DB_PASSWORD}" });

const cases: CarrierCase[] = [
  {
    carrier: "launch configuration userData",
    type: T.ec2LaunchConfiguration,
    policy: secretsNoUserDataSecrets,
    baseline: () => ({
      imageId: "ami-0abcdef1234567890",
      instanceType: "t3.micro",
      userData: script,
    }),
    leak: (p) =>
      (p.userData = `${script}git clone https://x:${samples.githubToken}@github.com/acme/app\n`),
    message: "userData holds a GitHub token.",
  },
  {
    carrier: "launch configuration userDataBase64",
    type: T.ec2LaunchConfiguration,
    policy: secretsNoUserDataSecrets,
    baseline: () => ({
      imageId: "ami-0abcdef1234567890",
      userDataBase64: Buffer.from(script).toString("base64"),
    }),
    leak: (p) =>
      (p.userDataBase64 = Buffer.from(
        `${script}export DB_PASSWORD='${samples.dbPassword}'\n`,
      ).toString("base64")),
    message: `userDataBase64 holds ${secretLike("DB_PASSWORD")}.`,
  },
  {
    carrier: "ECS container command",
    type: T.ecsTaskDefinition,
    policy: secretsNoPlaintextEcsEnvironment,
    baseline: () => ({
      family: "web",
      containerDefinitions: JSON.stringify([
        {
          name: "web",
          ...container([{ name: "STAGE", value: "prod" }], ["sh", "-c", "./serve --port 8080"]),
        },
      ]),
    }),
    leak: (p) =>
      (p.containerDefinitions = JSON.stringify([
        {
          name: "web",
          ...container(
            [{ name: "STAGE", value: "prod" }],
            ["sh", "-c", `export GITHUB_TOKEN=${samples.githubToken} && ./serve`],
          ),
        },
      ])),
    message: "containerDefinitions[0] (web) command[2] holds a GitHub token.",
  },
  {
    carrier: "Batch containerProperties",
    type: T.batchJobDefinition,
    policy: secretsNoPlaintextServiceConfiguration,
    baseline: () => ({
      type: "container",
      containerProperties: JSON.stringify(container([{ name: "STAGE", value: "prod" }])),
    }),
    leak: (p) =>
      (p.containerProperties = JSON.stringify(
        container([
          { name: "STAGE", value: "prod" },
          { name: "DB_PASSWORD", value: samples.dbPassword },
        ]),
      )),
    message: `containerProperties.environment[1] (DB_PASSWORD) holds ${secretLike("DB_PASSWORD")}.`,
  },
  {
    carrier: "Batch ecsProperties",
    type: T.batchJobDefinition,
    policy: secretsNoPlaintextServiceConfiguration,
    baseline: () => ({
      type: "container",
      ecsProperties: JSON.stringify({
        taskProperties: [{ containers: [{ name: "app", ...container([]) }] }],
      }),
    }),
    leak: (p) =>
      (p.ecsProperties = JSON.stringify({
        taskProperties: [
          {
            containers: [
              {
                name: "app",
                ...container([
                  { name: "SLACK_WEBHOOK", value: ruleSamples["slack-webhook-url"]!.value },
                ]),
              },
            ],
          },
        ],
      })),
    message:
      "ecsProperties.taskProperties[0].containers[0].environment[0] (SLACK_WEBHOOK) holds a Slack incoming-webhook URL.",
  },
  {
    carrier: "Batch eksProperties",
    type: T.batchJobDefinition,
    policy: secretsNoPlaintextServiceConfiguration,
    baseline: () => ({
      type: "container",
      eksProperties: {
        podProperties: {
          containers: [
            {
              image: "busybox",
              commands: ["sleep", "60"],
              envs: [{ name: "STAGE", value: "prod" }],
            },
          ],
        },
      },
    }),
    leak: (p) =>
      (((p.eksProperties as Props).podProperties as { containers: Props[] }).containers[0]!.envs = [
        { name: "STAGE", value: "prod" },
        { name: "NPM_TOKEN", value: samples.npmToken },
      ]),
    message:
      "eksProperties.podProperties.containers[0].envs[1] (NPM_TOKEN) holds an npm access token.",
  },
  {
    carrier: "Step Functions definition",
    type: T.sfnStateMachine,
    policy: secretsNoPlaintextServiceConfiguration,
    baseline: () => ({
      roleArn: "arn:aws:iam::123456789012:role/sfn",
      definition: stateMachine({}),
    }),
    leak: (p) => (p.definition = stateMachine({ ApiKey: samples.dbPassword })),
    message: `definition.States.Notify.Parameters.ApiKey holds ${secretLike("ApiKey")}.`,
  },
  {
    carrier: "App Runner image runtime variables",
    type: T.apprunnerService,
    policy: secretsNoPlaintextServiceConfiguration,
    baseline: () => ({
      serviceName: "web",
      sourceConfiguration: {
        imageRepository: {
          imageIdentifier: "public.ecr.aws/acme/web:latest",
          imageRepositoryType: "ECR_PUBLIC",
          imageConfiguration: { port: "8080", runtimeEnvironmentVariables: envMap() },
        },
      },
    }),
    leak: (p) =>
      ((
        ((p.sourceConfiguration as Props).imageRepository as Props).imageConfiguration as Props
      ).runtimeEnvironmentVariables = {
        ...envMap(),
        STRIPE_KEY: ruleSamples["stripe-secret-key"]!.value,
      }),
    message:
      "sourceConfiguration.imageRepository.imageConfiguration.runtimeEnvironmentVariables.STRIPE_KEY holds a Stripe secret or restricted key.",
  },
  {
    carrier: "App Runner code runtime variables",
    type: T.apprunnerService,
    policy: secretsNoPlaintextServiceConfiguration,
    baseline: () => ({
      serviceName: "api",
      sourceConfiguration: {
        codeRepository: {
          repositoryUrl: "https://github.com/acme/api",
          sourceCodeVersion: { type: "BRANCH", value: "main" },
          codeConfiguration: {
            configurationSource: "API",
            codeConfigurationValues: {
              runtime: "NODEJS_18",
              buildCommand: "npm ci",
              runtimeEnvironmentVariables: envMap(),
            },
          },
        },
      },
    }),
    leak: (p) =>
      ((
        (((p.sourceConfiguration as Props).codeRepository as Props).codeConfiguration as Props)
          .codeConfigurationValues as Props
      ).runtimeEnvironmentVariables = { ...envMap(), DB_PASSWORD: samples.dbPassword }),
    message: `sourceConfiguration.codeRepository.codeConfiguration.codeConfigurationValues.runtimeEnvironmentVariables.DB_PASSWORD holds ${secretLike("DB_PASSWORD")}.`,
  },
  {
    carrier: "Elastic Beanstalk environment settings",
    type: T.beanstalkEnvironment,
    policy: secretsNoPlaintextServiceConfiguration,
    baseline: () => ({ application: "web", settings: [...settings] }),
    leak: (p) =>
      (p.settings = [
        ...settings,
        {
          namespace: "aws:elasticbeanstalk:application:environment",
          name: "DB_PASSWORD",
          value: samples.dbPassword,
        },
      ]),
    message: `settings[3] (aws:elasticbeanstalk:application:environment DB_PASSWORD) holds ${secretLike("DB_PASSWORD")}.`,
  },
  {
    carrier: "Elastic Beanstalk configuration template settings",
    type: T.beanstalkConfigurationTemplate,
    policy: secretsNoPlaintextServiceConfiguration,
    baseline: () => ({ application: "web", name: "base", settings: [...settings] }),
    leak: (p) =>
      (p.settings = [
        ...settings,
        { namespace: "aws:rds:dbinstance", name: "DBPassword", value: samples.dbPassword },
      ]),
    message: `settings[3] (aws:rds:dbinstance DBPassword) holds ${secretLike("DBPassword")}.`,
  },
  {
    carrier: "API Gateway stage variables",
    type: T.apigatewayStage,
    policy: secretsNoPlaintextServiceConfiguration,
    baseline: () => ({
      stageName: "prod",
      restApi: "abc123",
      deployment: "d1",
      variables: { backend: "orders.internal", lambdaAlias: "live" },
    }),
    leak: (p) => (p.variables = { backend: "orders.internal", slackToken: samples.slackToken }),
    message: "variables.slackToken holds a Slack bot token.",
  },
  {
    carrier: "API Gateway v2 stage variables",
    type: T.apigatewayV2Stage,
    policy: secretsNoPlaintextServiceConfiguration,
    baseline: () => ({
      apiId: "abc123",
      name: "prod",
      stageVariables: { backend: "orders.internal" },
    }),
    leak: (p) => (p.stageVariables = { backend: "orders.internal", upstreamAuth: samples.jwt }),
    message: "stageVariables.upstreamAuth holds a JSON Web Token.",
  },
  {
    carrier: "Glue job arguments",
    type: T.glueJob,
    policy: secretsNoPlaintextServiceConfiguration,
    baseline: () => ({
      roleArn: "arn:aws:iam::123456789012:role/glue",
      command: { scriptLocation: "s3://acme-glue/scripts/etl.py" },
      defaultArguments: {
        "--job-language": "python",
        "--TempDir": "s3://acme-glue/tmp/",
        "--db_password_secret": "prod/etl/db",
      },
    }),
    leak: (p) => ((p.defaultArguments as Props)["--db_password"] = samples.dbPassword),
    message: `defaultArguments.--db_password holds ${secretLike("--db_password")}.`,
  },
  {
    carrier: "Amplify app environment variables",
    type: T.amplifyApp,
    policy: secretsNoPlaintextServiceConfiguration,
    baseline: () => ({
      name: "web",
      environmentVariables: { NODE_ENV: "production", SENTRY_ORG: "acme" },
    }),
    leak: (p) =>
      ((p.environmentVariables as Props).SENTRY_AUTH_TOKEN =
        ruleSamples["sentry-legacy-token"]!.value),
    message: "environmentVariables.SENTRY_AUTH_TOKEN holds a Sentry auth token.",
  },
  {
    carrier: "Amplify branch environment variables",
    type: T.amplifyBranch,
    policy: secretsNoPlaintextServiceConfiguration,
    baseline: () => ({
      appId: "d123",
      branchName: "main",
      environmentVariables: { STAGE: "prod" },
    }),
    leak: (p) => ((p.environmentVariables as Props).NPM_TOKEN = samples.npmToken),
    message: "environmentVariables.NPM_TOKEN holds an npm access token.",
  },
  {
    carrier: "SageMaker model container environment",
    type: T.sagemakerModel,
    policy: secretsNoPlaintextServiceConfiguration,
    baseline: () => ({
      executionRoleArn: "arn:aws:iam::123456789012:role/sagemaker",
      primaryContainer: {
        image: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/model:3",
        environment: { SAGEMAKER_PROGRAM: "inference.py" },
      },
    }),
    leak: (p) =>
      (((p.primaryContainer as Props).environment as Props).OPENAI_API_KEY =
        ruleSamples["openai-api-key"]!.value),
    message: "primaryContainer.environment.OPENAI_API_KEY holds an OpenAI API key.",
  },
  {
    carrier: "Lightsail container environment",
    type: T.lightsailContainerDeployment,
    policy: secretsNoPlaintextServiceConfiguration,
    baseline: () => ({
      serviceName: "web",
      containers: [{ containerName: "app", image: "nginx:1.27", environment: { STAGE: "prod" } }],
    }),
    leak: (p) => (((p.containers as Props[])[0]!.environment as Props).DATADOG_API_KEY = hex(32)),
    message: "containers[0].environment.DATADOG_API_KEY holds a Datadog API or application key.",
  },
  {
    carrier: "EMR configurations",
    type: T.emrCluster,
    policy: secretsNoPlaintextServiceConfiguration,
    baseline: () => ({
      releaseLabel: "emr-7.1.0",
      configurationsJson: JSON.stringify([
        {
          Classification: "hive-site",
          Properties: {
            "hive.metastore.client.factory.class":
              "com.amazonaws.glue.catalog.metastore.AWSGlueDataCatalogHiveClientFactory",
          },
        },
      ]),
    }),
    leak: (p) =>
      (p.configurationsJson = JSON.stringify([
        {
          Classification: "hive-site",
          Properties: { "javax.jdo.option.ConnectionPassword": samples.dbPassword },
        },
      ])),
    message: `configurationsJson[0].Properties.javax.jdo.option.ConnectionPassword holds ${secretLike("javax.jdo.option.ConnectionPassword")}.`,
  },
];

describe("every place a plaintext value reaches a machine", () => {
  for (const c of cases) {
    it(`${c.carrier}: a compliant baseline passes every secrets policy`, async () => {
      for (const policy of policiesByFamily.secrets)
        assert.deepEqual(
          messages(await runResourcePolicy(policy, resource(c.type, "r", c.baseline()))),
          [],
          policy.name,
        );
    });

    it(`${c.carrier}: one plaintext secret is reported at its property path`, async () => {
      const props = c.baseline();
      c.leak(props);
      const run = await runResourcePolicy(c.policy, resource(c.type, "r", props));
      assert.deepEqual(messages(run), [expected(c.policy, c.message)]);
    });
  }

  it("lists each carrier type under a policy that reads that type", () => {
    const byName = new Map(policiesByFamily.secrets.map((p) => [p.name, p as PackResourcePolicy]));
    for (const carrier of CARRIERS) {
      const policy = byName.get(carrier.policy);
      assert.ok(policy, carrier.policy);
      assert.ok(
        policy.resourceTypes?.includes(carrier.type),
        `${carrier.policy} reads ${carrier.type}`,
      );
    }
    const tested = new Set(cases.map((c) => c.type));
    for (const carrier of CARRIERS.filter(
      (c) => c.policy === secretsNoPlaintextServiceConfiguration.name,
    ))
      assert.ok(tested.has(carrier.type), `a test for ${carrier.type}`);
  });

  it("reports malformed JSON in a Step Functions definition and Batch container properties", async () => {
    const sfn = await runResourcePolicy(
      secretsNoPlaintextServiceConfiguration,
      resource(T.sfnStateMachine, "m", { definition: "{ StartAt" }),
    );
    assert.equal(sfn.violations.length, 1);
    assert.match(messages(sfn)[0]!, /^definition is not valid JSON \(/);
    const batch = await runResourcePolicy(
      secretsNoPlaintextServiceConfiguration,
      resource(T.batchJobDefinition, "j", { containerProperties: "[" }),
    );
    assert.match(messages(batch)[0]!, /^containerProperties is not valid JSON \(/);
  });

  it("skips Step Functions JSONPath fields and allow-listed names", async () => {
    const run = await runResourcePolicy(
      secretsNoPlaintextServiceConfiguration,
      resource(T.sfnStateMachine, "m", {
        definition: stateMachine({
          "ApiKey.$": "$.secrets.apiKey",
          SessionToken: samples.dbPassword,
        }),
      }),
      { allowedNames: [{ name: "SessionToken", reason: "a test fixture session" }] },
    );
    assert.deepEqual(messages(run), []);
  });

  it("never reports an unknown value and is not blinded by one", async () => {
    const run = await runResourcePolicy(
      secretsNoPlaintextServiceConfiguration,
      resource(T.apigatewayV2Stage, "s", {
        stageVariables: { backend: UNKNOWN_STRING, token: samples.githubToken },
      }),
    );
    assert.deepEqual(messages(run), [
      expected(
        secretsNoPlaintextServiceConfiguration,
        "stageVariables.token holds a GitHub token.",
      ),
    ]);
    const unknown = await runResourcePolicy(
      secretsNoPlaintextServiceConfiguration,
      resource(T.sfnStateMachine, "m", { definition: UNKNOWN_STRING, tags: UNKNOWN_OBJECT }),
    );
    assert.deepEqual(messages(unknown), []);
  });
});
