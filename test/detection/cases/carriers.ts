// Where plaintext reaches a machine: each carrier puts one named value (an environment variable, a
// setting, a tag) into a small stack of the resource that carries it, with the companions the pack
// asks of that resource. `policy` is the pack policy about a secret-like name with a high-entropy
// value or a known token format in that carrier (secrets-no-known-tokens where no policy of its own
// covers the resource).
import type { CaseResource } from "../corpus-types";
import { arn, codebuildProject, iamArn, lambdaFunction, pipeline, sourceStage, T } from "../stacks";
import { base64 } from "../values";

export interface Carrier {
  readonly id: string;
  /** The policy that judges a secret-like name with a high-entropy value in this carrier. */
  readonly policy: string;
  /** The stack that carries `value` under `name` (`slug` names the resources). */
  readonly build: (slug: string, name: string, value: string) => CaseResource[];
}

const USER_DATA = "secrets-no-user-data-secrets";
const KNOWN = "secrets-no-known-tokens";

/** A boot script that exports the value, as user data scripts do. */
export function bootScript(name: string, value: string): string {
  return [
    "#!/bin/bash",
    "set -euo pipefail",
    "yum install -y docker",
    `export ${name}="${value}"`,
    "systemctl enable --now docker",
    `docker run -d -e ${name} --restart always registry.example.com/orders:1.4.2`,
    "",
  ].join("\n");
}

/** A cloud-config document that writes the value to an env file. */
export function cloudConfig(name: string, value: string): string {
  return [
    "#cloud-config",
    "write_files:",
    "  - path: /etc/orders/env",
    "    permissions: '0600'",
    "    content: |",
    `      ${name}=${value}`,
    "runcmd:",
    "  - systemctl restart orders",
    "",
  ].join("\n");
}

const AMI = "ami-0c55b159cbfafe1f0";

export const CARRIERS: readonly Carrier[] = [
  {
    id: "ec2-user-data",
    policy: USER_DATA,
    build: (slug, name, value) => [
      {
        type: T.instance,
        name: slug,
        inputs: {
          ami: AMI,
          instanceType: "t3.micro",
          userData: bootScript(name, value),
          tags: { Name: slug },
        },
      },
    ],
  },
  {
    id: "ec2-user-data-base64",
    policy: USER_DATA,
    build: (slug, name, value) => [
      {
        type: T.instance,
        name: slug,
        inputs: {
          ami: AMI,
          instanceType: "t3.small",
          userDataBase64: base64(cloudConfig(name, value)),
        },
      },
    ],
  },
  {
    id: "launch-template",
    policy: USER_DATA,
    build: (slug, name, value) => [
      {
        type: T.launchTemplate,
        name: slug,
        inputs: {
          name: slug,
          imageId: AMI,
          instanceType: "m6i.large",
          userData: base64(bootScript(name, value)),
        },
      },
    ],
  },
  {
    id: "launch-configuration",
    policy: USER_DATA,
    build: (slug, name, value) => [
      {
        type: T.launchConfiguration,
        name: slug,
        inputs: {
          name: slug,
          imageId: AMI,
          instanceType: "t3.medium",
          userData: cloudConfig(name, value),
        },
      },
    ],
  },
  {
    id: "ecs-task-definition",
    policy: "secrets-no-plaintext-ecs-environment",
    build: (slug, name, value) => [
      {
        type: T.ecsTask,
        name: slug,
        inputs: {
          family: slug,
          requiresCompatibilities: ["FARGATE"],
          networkMode: "awsvpc",
          cpu: "256",
          memory: "512",
          executionRoleArn: iamArn(`role/${slug}-execution`),
          containerDefinitions: JSON.stringify([
            {
              name: "app",
              image: `${"111122223333"}.dkr.ecr.eu-west-1.amazonaws.com/orders:1.4.2`,
              essential: true,
              portMappings: [{ containerPort: 8080, protocol: "tcp" }],
              environment: [
                { name: "PORT", value: "8080" },
                { name, value },
              ],
            },
          ]),
        },
      },
    ],
  },
  {
    id: "lambda-environment",
    policy: "secrets-no-plaintext-lambda-environment",
    build: (slug, name, value) =>
      lambdaFunction(slug, {
        environment: { variables: { NODE_ENV: "production", [name]: value } },
      }),
  },
  {
    id: "codebuild-environment",
    policy: "secrets-no-plaintext-codebuild-variables",
    build: (slug, name, value) =>
      codebuildProject(slug, {
        environmentVariables: [
          { name: "STAGE", value: "prod", type: "PLAINTEXT" },
          { name, value, type: "PLAINTEXT" },
        ],
      }),
  },
  {
    id: "codebuild-buildspec",
    policy: "secrets-no-plaintext-codebuild-variables",
    build: (slug, name, value) =>
      codebuildProject(
        slug,
        {},
        {
          type: "CODEPIPELINE",
          buildspec: [
            "version: 0.2",
            "env:",
            "  variables:",
            `    ${name}: "${value}"`,
            "phases:",
            "  build:",
            "    commands:",
            "      - npm ci",
            "      - npm run build",
            "",
          ].join("\n"),
        },
      ),
  },
  {
    id: "ssm-string-parameter",
    policy: "secrets-no-plaintext-ssm-parameters",
    build: (slug, name, value) => [
      {
        type: T.ssmParameter,
        name: slug,
        inputs: { name: `/orders/prod/${name}`, type: "String", value },
      },
    ],
  },
  {
    id: "batch-job-definition",
    policy: KNOWN,
    build: (slug, name, value) => [
      {
        type: T.batchJob,
        name: slug,
        inputs: {
          name: slug,
          type: "container",
          platformCapabilities: ["FARGATE"],
          containerProperties: JSON.stringify({
            image: "public.ecr.aws/docker/library/python:3.12",
            command: ["python", "nightly.py"],
            executionRoleArn: iamArn(`role/${slug}-execution`),
            resourceRequirements: [
              { type: "VCPU", value: "1" },
              { type: "MEMORY", value: "2048" },
            ],
            environment: [{ name, value }],
          }),
        },
      },
    ],
  },
  {
    id: "step-functions-definition",
    policy: KNOWN,
    build: (slug, name, value) => [
      {
        type: T.stateMachine,
        name: slug,
        inputs: {
          name: slug,
          roleArn: iamArn(`role/${slug}-sfn`),
          definition: JSON.stringify({
            StartAt: "Notify",
            States: {
              Notify: {
                Type: "Task",
                Resource: "arn:aws:states:::ecs:runTask.sync",
                Parameters: {
                  Cluster: arn("ecs", "cluster/jobs"),
                  TaskDefinition: "notify:3",
                  Overrides: {
                    ContainerOverrides: [
                      { Name: "notify", Environment: [{ Name: name, Value: value }] },
                    ],
                  },
                },
                End: true,
              },
            },
          }),
        },
      },
    ],
  },
  {
    id: "app-runner",
    policy: KNOWN,
    build: (slug, name, value) => [
      {
        type: T.appRunner,
        name: slug,
        inputs: {
          serviceName: slug,
          sourceConfiguration: {
            autoDeploymentsEnabled: false,
            imageRepository: {
              imageIdentifier: "public.ecr.aws/aws-containers/hello-app-runner:latest",
              imageRepositoryType: "ECR_PUBLIC",
              imageConfiguration: { port: "8000", runtimeEnvironmentVariables: { [name]: value } },
            },
          },
        },
      },
    ],
  },
  {
    id: "elastic-beanstalk",
    policy: KNOWN,
    build: (slug, name, value) => [
      {
        type: T.beanstalkEnv,
        name: slug,
        inputs: {
          name: slug,
          application: "orders",
          solutionStackName: "64bit Amazon Linux 2023 v6.1.0 running Node.js 20",
          settings: [
            {
              namespace: "aws:autoscaling:launchconfiguration",
              name: "InstanceType",
              value: "t3.small",
            },
            { namespace: "aws:elasticbeanstalk:application:environment", name, value },
          ],
        },
      },
    ],
  },
  {
    id: "api-gateway-stage",
    policy: KNOWN,
    build: (slug, name, value) => [
      {
        type: T.apiStage,
        name: slug,
        inputs: {
          restApi: "a1b2c3d4e5",
          deployment: "k9x8w7",
          stageName: "prod",
          variables: { backendHost: "orders.internal.example.com", [name]: value },
        },
      },
    ],
  },
  {
    id: "codepipeline-configuration",
    policy: "secrets-no-pipeline-configuration-secrets",
    build: (slug, name, value) =>
      pipeline(slug, [
        sourceStage(),
        {
          name: "Build",
          actions: [
            {
              name: "Build",
              category: "Build",
              owner: "AWS",
              provider: "CodeBuild",
              version: "1",
              inputArtifacts: ["source"],
              configuration: {
                ProjectName: `${slug}-build`,
                EnvironmentVariables: JSON.stringify([
                  { name: "STAGE", value: "prod", type: "PLAINTEXT" },
                  { name, value, type: "PLAINTEXT" },
                ]),
              },
            },
          ],
        },
      ]),
  },
  {
    id: "resource-tags",
    policy: KNOWN,
    build: (slug, name, value) => [
      {
        type: T.queue,
        name: slug,
        inputs: { name: slug, sqsManagedSseEnabled: true, tags: { team: "orders", [name]: value } },
      },
    ],
  },
  {
    id: "resource-description",
    policy: KNOWN,
    build: (slug, name, value) => [
      {
        type: T.ssmParameter,
        name: slug,
        inputs: {
          name: `/orders/prod/${slug}`,
          type: "SecureString",
          value: "rotated-by-pipeline",
          description: `Rotated nightly. Bootstrap ${name}=${value}`,
        },
      },
    ],
  },
];

/** The carrier with that id. */
export function carrier(id: string): Carrier {
  const c = CARRIERS.find((x) => x.id === id);
  if (!c) throw new Error(`no carrier ${id}`);
  return c;
}
