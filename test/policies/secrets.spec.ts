import * as assert from "node:assert/strict";
import { secretsNoCredentialsInUrls } from "../../policies/secrets/secrets-no-credentials-in-urls";
import { secretsNoKnownTokens } from "../../policies/secrets/secrets-no-known-tokens";
import { secretsNoPipelineConfigurationSecrets } from "../../policies/secrets/secrets-no-pipeline-configuration-secrets";
import { secretsNoPlaintextCodeBuildVariables } from "../../policies/secrets/secrets-no-plaintext-codebuild-variables";
import { secretsNoPlaintextEcsEnvironment } from "../../policies/secrets/secrets-no-plaintext-ecs-environment";
import { secretsNoPlaintextLambdaEnvironment } from "../../policies/secrets/secrets-no-plaintext-lambda-environment";
import { secretsNoPlaintextSsmParameters } from "../../policies/secrets/secrets-no-plaintext-ssm-parameters";
import { secretsNoUserDataSecrets } from "../../policies/secrets/secrets-no-user-data-secrets";
import { policiesByFamily } from "../../policies/all";
import { T } from "../../policies/lib/resources";
import { detectSecret } from "../../policies/lib/secrets";
import {
  expected,
  messages,
  resource,
  runResourcePolicy,
  type FakeResource,
} from "../helpers/policy";
import { samples } from "./fixtures/secrets";

function project(variables: Record<string, unknown>[]): FakeResource {
  return resource(T.codebuildProject, "build", {
    name: "app-build",
    serviceRole: "arn:aws:iam::123456789012:role/build",
    artifacts: { type: "CODEPIPELINE" },
    source: { type: "CODEPIPELINE", buildspec: "buildspecs/build.yml" },
    environment: {
      computeType: "BUILD_GENERAL1_SMALL",
      image: "aws/codebuild/standard:7.0",
      type: "LINUX_CONTAINER",
      environmentVariables: variables,
    },
  });
}

const compliantVariables = [
  { name: "STAGE", value: "dev" },
  { name: "GITHUB_TOKEN", value: "platform/github-token", type: "SECRETS_MANAGER" },
  { name: "DB_PASSWORD", value: "/platform/db/password", type: "PARAMETER_STORE" },
  { name: "API_KEY", value: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:api-key" },
  { name: "NPM_TOKEN", value: "${NPM_TOKEN}" },
  { name: "AWS_ACCESS_KEY_ID", value: samples.awsExampleKeyId },
];

describe("secret formats", () => {
  it("recognises the real token formats and skips references and documented examples", () => {
    const kinds = Object.fromEntries(
      Object.entries(samples).map(([k, v]) => [k, detectSecret(v, k)?.kind ?? "none"]),
    );
    assert.deepEqual(kinds, {
      githubToken: "github-pat",
      gitlabToken: "gitlab-pat",
      slackToken: "slack-bot-token",
      npmToken: "npm-token",
      awsAccessKeyId: "aws-access-key-id",
      awsExampleKeyId: "none",
      privateKey: "private-key",
      jwt: "jwt",
      awsSecretKey: "secret-like-value",
      dbPassword: "secret-like-value",
      credentialsUrl: "url-credentials",
    });
    for (const ref of [
      "{{resolve:secretsmanager:db:SecretString:password}}",
      "${DB_PASSWORD}",
      "<password>",
      "arn:aws:secretsmanager:eu-west-1:1:secret:x",
    ]) {
      assert.equal(detectSecret(ref, "password"), undefined, ref);
    }
  });
});

describe("tokens anywhere in resource inputs", () => {
  it("finds a token deep inside any resource's inputs and names the path, not the value", async () => {
    const run = await runResourcePolicy(
      secretsNoKnownTokens,
      resource("aws:apigateway/restApi:RestApi", "api", {
        body: { info: { description: `key ${samples.slackToken}` } },
        tags: [samples.privateKey],
      }),
    );
    assert.deepEqual(messages(run), [
      expected(secretsNoKnownTokens, "body.info.description contains a Slack bot token."),
      expected(secretsNoKnownTokens, "tags[0] contains a private key."),
    ]);
    assert.ok(!messages(run).join().includes(samples.slackToken));
  });

  it("skips ignored paths and documented examples", async () => {
    const run = await runResourcePolicy(
      secretsNoKnownTokens,
      resource("aws:s3/bucketObject:BucketObject", "o", {
        content: samples.githubToken,
        key: samples.awsExampleKeyId,
      }),
      {
        ignoredPaths: [
          { path: "content", reason: "the object is a revoked token kept as a fixture" },
        ],
      },
    );
    assert.deepEqual(messages(run), []);
  });

  it("flags credentials embedded in URLs but not placeholders", async () => {
    const run = await runResourcePolicy(
      secretsNoCredentialsInUrls,
      resource(T.codebuildProject, "p", {
        source: { type: "GITHUB", location: samples.credentialsUrl },
      }),
    );
    assert.deepEqual(messages(run), [
      expected(
        secretsNoCredentialsInUrls,
        "source.location embeds a user name and password in a URL.",
      ),
    ]);
    const placeholder = await runResourcePolicy(
      secretsNoCredentialsInUrls,
      resource(T.codebuildProject, "p", {
        source: { location: "https://deploy:${PASSWORD}@git.example.com/x.git" },
      }),
    );
    assert.deepEqual(messages(placeholder), []);
  });
});

describe("plaintext build variables", () => {
  it("passes a project whose secrets are references", async () => {
    for (const policy of policiesByFamily.secrets) {
      assert.deepEqual(
        messages(await runResourcePolicy(policy, project(compliantVariables))),
        [],
        policy.name,
      );
    }
  });

  it("flags a secret-like name with a high-entropy PLAINTEXT value", async () => {
    const run = await runResourcePolicy(
      secretsNoPlaintextCodeBuildVariables,
      project([
        ...compliantVariables,
        { name: "DB_PASSWORD", value: samples.dbPassword, type: "PLAINTEXT" },
      ]),
    );
    assert.deepEqual(messages(run), [
      expected(
        secretsNoPlaintextCodeBuildVariables,
        "environment.environmentVariables[6] (DB_PASSWORD), a PLAINTEXT variable, holds a high-entropy value under the secret-like name 'DB_PASSWORD'.",
      ),
    ]);
  });

  it("flags a token in an untyped variable and in a reference-typed one", async () => {
    const run = await runResourcePolicy(
      secretsNoPlaintextCodeBuildVariables,
      project([
        { name: "GH", value: samples.githubToken },
        { name: "NPM", value: samples.npmToken, type: "SECRETS_MANAGER" },
      ]),
    );
    assert.deepEqual(messages(run), [
      expected(
        secretsNoPlaintextCodeBuildVariables,
        "environment.environmentVariables[0] (GH), a PLAINTEXT variable, holds a GitHub token.",
      ),
      expected(
        secretsNoPlaintextCodeBuildVariables,
        "environment.environmentVariables[1] (NPM) holds an npm access token.",
      ),
    ]);
  });

  it("flags secrets assigned in an inline buildspec and honours allowedNames", async () => {
    const p = project([
      {
        name: "COMMIT_HASH",
        value: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
      },
    ]);
    (p.props.source as Record<string, unknown>).buildspec =
      `version: 0.2\nenv:\n  variables:\n    API_TOKEN: "${samples.awsSecretKey}"\n`;
    const run = await runResourcePolicy(secretsNoPlaintextCodeBuildVariables, p, {
      allowedNames: [{ name: "COMMIT_*", reason: "a git hash" }],
    });
    assert.deepEqual(messages(run), [
      expected(
        secretsNoPlaintextCodeBuildVariables,
        "source.buildspec (inline) holds a high-entropy value under the secret-like name 'API_TOKEN'.",
      ),
    ]);
  });
});

describe("function, task and parameter values", () => {
  it("flags Lambda environment variables", async () => {
    const run = await runResourcePolicy(
      secretsNoPlaintextLambdaEnvironment,
      resource(T.lambdaFunction, "fn", {
        environment: { variables: { TABLE: "orders", STRIPE_API_KEY: samples.awsSecretKey } },
      }),
    );
    assert.deepEqual(messages(run), [
      expected(
        secretsNoPlaintextLambdaEnvironment,
        "environment.variables.STRIPE_API_KEY holds a high-entropy value under the secret-like name 'STRIPE_API_KEY'.",
      ),
    ]);
  });

  it("flags ECS container environment values and malformed definitions", async () => {
    const defs = JSON.stringify([
      {
        name: "web",
        image: "nginx",
        environment: [
          { name: "MODE", value: "prod" },
          { name: "JWT", value: samples.jwt },
        ],
        secrets: [{ name: "DB", valueFrom: "arn:aws:ssm:eu-west-1:1:parameter/db" }],
      },
    ]);
    const run = await runResourcePolicy(
      secretsNoPlaintextEcsEnvironment,
      resource(T.ecsTaskDefinition, "td", { family: "web", containerDefinitions: defs }),
    );
    assert.deepEqual(messages(run), [
      expected(
        secretsNoPlaintextEcsEnvironment,
        "containerDefinitions[0] (web) environment[1] (JWT) holds a JSON Web Token.",
      ),
    ]);
    const bad = await runResourcePolicy(
      secretsNoPlaintextEcsEnvironment,
      resource(T.ecsTaskDefinition, "td", {
        family: "web",
        containerDefinitions: '{"name": "web"}',
      }),
    );
    assert.deepEqual(messages(bad), [
      expected(
        secretsNoPlaintextEcsEnvironment,
        "containerDefinitions must be a JSON array of container definitions.",
      ),
    ]);
  });

  it("flags String parameters but not SecureString", async () => {
    const props = { name: "/app/db/password", type: "String", value: samples.dbPassword };
    const run = await runResourcePolicy(
      secretsNoPlaintextSsmParameters,
      resource(T.ssmParameter, "p", props),
    );
    assert.deepEqual(messages(run), [
      expected(
        secretsNoPlaintextSsmParameters,
        `value of the String parameter "/app/db/password" holds a high-entropy value under the secret-like name '/app/db/password'.`,
      ),
    ]);
    const secure = await runResourcePolicy(
      secretsNoPlaintextSsmParameters,
      resource(T.ssmParameter, "p", { ...props, type: "SecureString" }),
    );
    assert.deepEqual(messages(secure), []);
  });

  it("flags secrets in base64 user data of launch templates and instances", async () => {
    const script = `#!/bin/bash\nexport DB_PASSWORD='${samples.dbPassword}'\nyum install -y nginx\n`;
    const lt = await runResourcePolicy(
      secretsNoUserDataSecrets,
      resource(T.ec2LaunchTemplate, "lt", { userData: Buffer.from(script).toString("base64") }),
    );
    assert.deepEqual(messages(lt), [
      expected(
        secretsNoUserDataSecrets,
        "userData holds a high-entropy value under the secret-like name 'DB_PASSWORD'.",
      ),
    ]);
    const instance = await runResourcePolicy(
      secretsNoUserDataSecrets,
      resource(T.ec2Instance, "i", { userData: `#!/bin/sh\necho ${samples.awsAccessKeyId}` }),
    );
    assert.deepEqual(messages(instance), [
      expected(secretsNoUserDataSecrets, "userData holds an AWS access key id."),
    ]);
  });
});

describe("pipeline action configuration", () => {
  const pipeline = (configuration: Record<string, unknown>): FakeResource =>
    resource(T.pipeline, "app", {
      roleArn: "arn:aws:iam::1:role/pipeline",
      artifactStores: [
        {
          location: "artifacts",
          type: "S3",
          encryptionKey: { id: "arn:aws:kms:eu-west-1:1:key/k", type: "KMS" },
        },
      ],
      stages: [
        {
          name: "Source",
          actions: [
            {
              name: "Source",
              category: "Source",
              owner: "AWS",
              provider: "CodeStarSourceConnection",
              version: "1",
              configuration: {
                ConnectionArn: "arn:aws:codeconnections:eu-west-1:1:connection/abc",
                FullRepositoryId: "org/app",
                BranchName: "main",
              },
            },
          ],
        },
        {
          name: "Build",
          actions: [
            {
              name: "Build",
              category: "Build",
              owner: "AWS",
              provider: "CodeBuild",
              version: "1",
              configuration,
            },
          ],
        },
      ],
    });

  it("flags a PLAINTEXT entry in a CodeBuild action's EnvironmentVariables", async () => {
    const vars = JSON.stringify([
      { name: "STAGE", value: "dev", type: "PLAINTEXT" },
      { name: "SLACK", value: samples.slackToken, type: "PLAINTEXT" },
      { name: "TOKEN", value: "platform/token", type: "SECRETS_MANAGER" },
    ]);
    const run = await runResourcePolicy(
      secretsNoPipelineConfigurationSecrets,
      pipeline({ ProjectName: "app-build", EnvironmentVariables: vars }),
    );
    assert.deepEqual(messages(run), [
      expected(
        secretsNoPipelineConfigurationSecrets,
        "stages[1].actions[0] (Build) configuration.EnvironmentVariables[1] (SLACK), a PLAINTEXT variable, holds a Slack bot token.",
      ),
    ]);
  });

  it("flags an OAuthToken and malformed EnvironmentVariables", async () => {
    const run = await runResourcePolicy(
      secretsNoPipelineConfigurationSecrets,
      pipeline({ OAuthToken: samples.githubToken, EnvironmentVariables: "[{" }),
    );
    assert.equal(run.violations.length, 2);
    assert.match(
      messages(run)[0],
      /^stages\[1\]\.actions\[0\] \(Build\) configuration\.EnvironmentVariables is not valid JSON/,
    );
    assert.equal(
      messages(run)[1],
      expected(
        secretsNoPipelineConfigurationSecrets,
        "stages[1].actions[0] (Build) configuration.OAuthToken holds a GitHub token.",
      ),
    );
  });

  it("passes a pipeline that uses a connection and references", async () => {
    const run = await runResourcePolicy(
      secretsNoPipelineConfigurationSecrets,
      pipeline({
        ProjectName: "app-build",
        EnvironmentVariables: JSON.stringify([
          { name: "T", value: "platform/t", type: "SECRETS_MANAGER" },
        ]),
      }),
    );
    assert.deepEqual(messages(run), []);
  });
});
