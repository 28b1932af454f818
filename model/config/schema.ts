// The organization config model: what a platform team writes in Pulumi.yaml (organization-wide) and
// Pulumi.<stack>.yaml (what differs per stack). zod checks shape and per-field formats; the
// cross-field rules (duplicates, promotion order, derived name lengths, secrets) live in
// the other files of model/config. Every message names the fix, because the config path is prepended to it.
import { Region } from "@pulumi/aws/types/enums";
import { z } from "zod";
import { describeValue, hasControlCharacters } from "../../policies/lib/display";

/** AWS regions known to the AWS provider this blueprint is pinned to. */
export const KNOWN_REGIONS: ReadonlySet<string> = new Set(Object.values(Region));

/** A rejected value as a message shows it: quoted only when short and plainly not a secret. */
const show = (input: unknown): string => describeValue(input);

export const accountId = z
  .string({
    error: (iss) =>
      typeof iss.input === "number"
        ? `${show(iss.input)} is a number; quote the account id ("012345678901") so YAML keeps its leading zeros`
        : `expected a 12-digit AWS account id as a quoted string`,
  })
  .regex(/^\d{12}$/, {
    error: (iss) => `${show(iss.input)} is not a 12-digit AWS account id`,
  });

export const region = z.string().refine((r) => KNOWN_REGIONS.has(r), {
  error: (iss) =>
    `${show(iss.input)} is not an AWS region name; use a code such as "us-east-1" or "eu-west-1"`,
});

const lowerName = (what: string, max: number) =>
  z.string().regex(new RegExp(`^[a-z][a-z0-9-]{0,${max - 2}}[a-z0-9]$`), {
    error: (iss) =>
      `${show(iss.input)} is not a valid ${what}; use 2-${max} lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen`,
  });

/** A quota as the Service Quotas console shows it: a whole number of resources. */
const quotaValue = z
  .number({
    error: (iss) =>
      `${show(iss.input)} is not a quota; write the number of resources, such as 2000`,
  })
  .int({ error: (iss) => `${show(iss.input)} is not a whole number of resources` })
  .min(1, { error: "a quota is at least 1" })
  .max(1_000_000, {
    error:
      "is larger than any AWS quota of this kind; write the value the Service Quotas console shows",
  });

export const environmentName = z.string().regex(/^[a-z][a-z0-9]{1,11}$/, {
  error: (iss) =>
    `${show(iss.input)} is not a valid environment name; use 2-12 lowercase letters and digits, starting with a letter`,
});

const subscriber = z
  .object({
    /** Delivery protocol: email, https (a chat webhook relay) or sqs/lambda by ARN. */
    protocol: z.enum(["email", "https", "sqs", "lambda"], {
      error: () => `protocol must be one of "email", "https", "sqs", "lambda"`,
    }),
    /** Where notifications go: an address, an https URL or an ARN. */
    endpoint: z.string().min(3, { error: "endpoint is empty; give an address, URL or ARN" }),
  })
  .strict();

const notifications = z
  .object({
    /** Who receives pipeline and alarm notifications. */
    subscribers: z.array(subscriber).default([]),
  })
  .strict();

/**
 * AWS Config of an account (model/compliance.ts lists the rules). At the organization level it
 * applies to every account; an environment, an account or the tools account may override any key.
 */
const awsConfigFields = {
  /** Record resources and evaluate the platform's Config rules. Default: false. */
  enabled: z.boolean().optional(),
  /** A recorder exists already (Control Tower, a central team): create only the rules. Default: false. */
  existingRecorder: z.boolean().optional(),
  /** The AWS managed rules, by identifier; replaces the defaults of model/compliance.ts. */
  rules: z
    .array(
      z.string().regex(/^[A-Z0-9_]{3,128}$/, {
        error: (iss) =>
          `${show(iss.input)} is not an AWS Config managed rule identifier; write it as the rule's page gives it, such as "S3_BUCKET_SSL_REQUESTS_ONLY"`,
      }),
    )
    .min(1, {
      error:
        "rules is empty; list at least one rule, remove rules for the platform's defaults, or set enabled: false",
    })
    .optional(),
  /** The recorder the platform creates (not with existingRecorder). */
  recorder: z
    .object({
      /** AWSServiceRoleForConfig: the platform creates it, or it exists already. Default: create. */
      serviceLinkedRole: z
        .enum(["create", "existing"], {
          error: () => `serviceLinkedRole must be "create" or "existing"`,
        })
        .optional(),
      /** How often the recorder records. Default: CONTINUOUS. */
      recordingFrequency: z
        .enum(["CONTINUOUS", "DAILY"], {
          error: () => `recordingFrequency must be "CONTINUOUS" or "DAILY"`,
        })
        .optional(),
    })
    .strict()
    .optional(),
};
const complianceSchema = z
  .object({ awsConfig: z.object(awsConfigFields).strict().optional() })
  .strict();

/** X-Ray of the workload accounts: encryption with the account's key and a sampling rule. */
const xraySchema = z
  .object({
    /** KMS encryption and the platform's sampling rule in every region. Default: true. */
    enabled: z.boolean().optional(),
    /** The sampling rule (https://docs.aws.amazon.com/xray/latest/devguide/xray-console-sampling.html). */
    sampling: z
      .object({
        /** Share of requests traced beyond the reservoir, 0 to 1. Default: 0.05. */
        fixedRate: z
          .number()
          .min(0, { error: "fixedRate is a share from 0 to 1, such as 0.05" })
          .max(1, { error: "fixedRate is a share from 0 to 1, such as 0.05" })
          .optional(),
        /** Requests per second traced before the fixed rate applies. Default: 1. */
        reservoirSize: z.number().int().min(0).max(100_000).optional(),
        /** Priority among sampling rules, 1 (first) to 9999. Default: 9000. */
        priority: z.number().int().min(1).max(9999).optional(),
        /** Service name the rule matches ("*" for any). Default: "*". */
        serviceName: z.string().min(1).max(64).optional(),
        /** URL path the rule matches. Default: "*". */
        urlPath: z.string().min(1).max(128).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
const observabilitySchema = z.object({ xray: xraySchema.optional() }).strict();

const accountSchema = z
  .object({
    /** The 12-digit AWS account id. */
    id: accountId,
    /** A short label shown in plans and action names; defaults to the account id. */
    name: lowerName("account label", 20).optional(),
    /** Regions this account deploys to; defaults to the environment's regions. */
    regions: z
      .array(region)
      .min(1, { error: "regions is empty; list at least one region" })
      .optional(),
    /** AWS Config of this account, over its environment's and the organization's. */
    compliance: complianceSchema.optional(),
  })
  .strict();

/** One progressive wave: a count of targets, a percentage of them, or the rest. */
const isWave = (v: unknown): v is number | string =>
  (typeof v === "number" && Number.isInteger(v) && v >= 1 && v <= 10_000) ||
  (typeof v === "string" && (v === "rest" || /^(100|[1-9][0-9]?)%$/.test(v)));
const waveSchema = z.custom<number | string>(isWave, {
  error: (iss) =>
    `${show(iss.input)} is not a wave; write a number of targets (1 to 10,000), a percentage from 1% to 100% (such as "10%"), or "rest"`,
});

const environmentSchema = z
  .object({
    /** Environment name, used in resource names: dev, staging, prod, qa ... */
    name: environmentName,
    /** The accounts of this environment (one stack per account). */
    accounts: z
      .array(accountSchema)
      .min(1, { error: "accounts is empty; list at least one account" }),
    /** Regions every account of this environment deploys to unless the account says otherwise. */
    regions: z.array(region).min(1, { error: "regions is empty; list at least one region" }),
    /** Treat as production: approval required, alarm gates and rollback. Default: name is "prod" or "production". */
    production: z.boolean().optional(),
    /** A manual approval precedes deployment to this environment. Default: false. */
    requiresApproval: z.boolean().default(false),
    /** Why a production environment may skip manual approval; required to waive it. */
    approvalWaiver: z
      .object({
        reason: z.string().min(10, { error: "reason must explain the waiver (10+ characters)" }),
      })
      .strict()
      .optional(),
    /** AWS service prefixes the deploy role of this environment may use. Default: a safe application set. */
    allowedServices: z
      .array(
        z.string().regex(/^[a-z0-9-]+$/, { error: 'use an IAM service prefix such as "lambda"' }),
      )
      .optional(),
    /** Minutes the pipeline watches this environment's alarms after deploying (bake time). Default: 0 (prod: 30). */
    bakeMinutes: z.number().int().min(0).max(1440).optional(),
    /**
     * Progressive waves, in order: a number of targets (account and region), a percentage of the
     * environment's targets (rounded up), or "rest" (last only). Targets the list leaves over
     * deploy in a final wave. Each wave is one or more deploy stages (parts) of at most 50
     * actions, each checked before and after its deploys; the wave bakes after its last part.
     * Default: production [1, "10%", "rest"]; other environments every target at once.
     */
    waves: z
      .array(waveSchema)
      .min(1, { error: 'waves is empty; list at least one wave, such as [1, "10%", "rest"]' })
      .superRefine((waves, ctx) => {
        waves.forEach((w, i) => {
          if (w === "rest" && i !== waves.length - 1)
            ctx.addIssue({
              code: "custom",
              path: [i],
              message: `"rest" deploys every target left, so it must be the last wave; move it to the end or remove the waves after it`,
            });
        });
      })
      .optional(),
    /** Who receives this environment's alarm notifications, in addition to the organization's. */
    notifications: notifications.optional(),
    /** AWS Config of this environment's accounts, over the organization's. */
    compliance: complianceSchema.optional(),
    /** X-Ray of this environment's accounts, over the organization's. */
    observability: observabilitySchema.optional(),
  })
  .strict();

/** V2 trigger file-path filters: glob patterns to include and exclude, at most 8 of each. */
const filePathsSchema = z
  .object({
    includes: z
      .array(z.string().min(1))
      .max(8, { error: "CodePipeline allows at most 8 include patterns" })
      .optional(),
    excludes: z
      .array(z.string().min(1))
      .max(8, { error: "CodePipeline allows at most 8 exclude patterns" })
      .optional(),
  })
  .strict();

const sourceSchema = z
  .object({
    /** Where the repository lives. CodeCommit is closed to new AWS customers: an option only. */
    provider: z.enum(["github", "gitlab", "bitbucket", "codecommit"], {
      error: () => `provider must be one of "github", "gitlab", "bitbucket", "codecommit"`,
    }),
    /** Repository id: "owner/name" (GitHub, GitLab, Bitbucket) or the CodeCommit repository name. */
    repository: z.string().regex(/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/, {
      error: (iss) => `${show(iss.input)} is not a repository id; write "owner/name"`,
    }),
    /** Branch that triggers the pipeline. Default: main. */
    branch: z
      .string()
      .min(1)
      .refine((b) => !hasControlCharacters(b) && !/[\s~^:?*[\\]|\.\.|@\{/.test(b), {
        error: (iss) =>
          `${show(iss.input)} is not a branch name git accepts; no control characters, spaces, "~^:?*[\\", ".." or "@{"`,
      })
      .default("main"),
    /** An existing CodeConnections connection ARN; default: the tools stack creates one per provider. */
    connectionArn: z
      .string()
      .regex(
        /^arn:aws[a-z-]*:(codestar-connections|codeconnections):[a-z0-9-]+:\d{12}:connection\/[A-Za-z0-9-]+$/,
        {
          error: (iss) => `${show(iss.input)} is not a CodeConnections connection ARN`,
        },
      )
      .optional(),
    /** Only changes under these paths trigger the pipeline (V2 trigger file-path filters). */
    filePaths: filePathsSchema.optional(),
  })
  .strict();

export const CHECK_KINDS = [
  "unit-tests",
  "lint",
  "sast",
  "secrets-scan",
  "dependency-audit",
  "integration-tests",
  "custom",
] as const;

/** Code coverage file formats CodeBuild reads (https://docs.aws.amazon.com/codebuild/latest/userguide/code-coverage-report.html). */
export const COVERAGE_FORMATS = ["lcov", "cobertura", "clover", "jacoco", "simplecov"] as const;

const checkSchema = z
  .object({
    /** Name of the check, used in action and project names. */
    name: lowerName("check name", 24),
    /** What the check does; selects a default buildspec from buildspecs/. */
    kind: z.enum(CHECK_KINDS, {
      error: () => `kind must be one of ${CHECK_KINDS.map((k) => `"${k}"`).join(", ")}`,
    }),
    /** Commands the check runs; default: the kind's buildspec. */
    commands: z.array(z.string().min(1)).optional(),
    /**
     * Format of the code coverage file a unit-tests check writes (components/tools/report-groups.ts
     * names the file each format is read from). Default: lcov.
     */
    coverage: z
      .enum(COVERAGE_FORMATS, {
        error: () => `coverage must be one of ${COVERAGE_FORMATS.map((k) => `"${k}"`).join(", ")}`,
      })
      .optional(),
  })
  .strict();

/**
 * Target branch patterns of a pull-request trigger: CodePipeline takes at most 8 glob patterns
 * of 1-255 characters (GitBranchFilterCriteria).
 */
const branchPattern = z
  .string()
  .min(1)
  .max(255)
  .refine((b) => !hasControlCharacters(b) && !/\s/.test(b), {
    error: (iss) => `${show(iss.input)} is not a branch pattern; no spaces or control characters`,
  });

const pullRequestsSchema = z
  .object({
    /**
     * Validate pull requests in a pipeline of their own (`<prefix>-<app>-pr`): checks and a
     * preview, never a deployment. Default: true for GitHub, GitLab and Bitbucket sources; a
     * CodeCommit source cannot have one (V2 triggers serve connections only).
     */
    enabled: z.boolean().optional(),
    /** Target branches (glob patterns) whose pull requests are validated. Default: [source.branch]. */
    branches: z
      .array(branchPattern)
      .min(1, { error: "branches is empty; list at least one target branch" })
      .max(8, { error: "CodePipeline allows at most 8 branch patterns" })
      .optional(),
    /** Only pull requests that change these paths start the pipeline. Default: every change. */
    filePaths: filePathsSchema.optional(),
    /**
     * Names of the build checks pull requests run. Default: every check of kind unit-tests, lint,
     * sast, secrets-scan or dependency-audit.
     */
    checks: z.array(z.string().min(1)).optional(),
  })
  .strict();

const envVarName = /^[A-Za-z_][A-Za-z0-9_]*$/;

const buildSchema = z
  .object({
    /** CodeBuild image. Default: aws/codebuild/amazonlinux-x86_64-standard:5.0. */
    image: z.string().min(1).optional(),
    /** CodeBuild compute type. Default: BUILD_GENERAL1_SMALL. */
    computeType: z
      .enum([
        "BUILD_GENERAL1_SMALL",
        "BUILD_GENERAL1_MEDIUM",
        "BUILD_GENERAL1_LARGE",
        "BUILD_GENERAL1_2XLARGE",
      ])
      .optional(),
    /** Commands that build the application. */
    commands: z
      .array(z.string().min(1))
      .min(1, { error: "commands is empty; list the build commands" }),
    /** Checks that run in parallel after the build. */
    checks: z.array(checkSchema).default([]),
    /** Plain (non-secret) environment variables for every build of this application. */
    environment: z
      .record(
        z
          .string()
          .regex(envVarName, { error: "use an environment variable name such as NODE_ENV" }),
        z.string(),
      )
      .optional(),
    /** Docker-in-Docker privileged mode (root on the build host). Default: false; opt in only when needed. */
    privileged: z.boolean().default(false),
  })
  .strict();

const secretRef = z
  .object({
    /** Environment variable the build sees. */
    env: z.string().regex(envVarName, {
      error: (iss) => `${show(iss.input)} is not an environment variable name`,
    }),
    /** Where the secret lives. */
    source: z.enum(["secrets-manager", "ssm"], {
      error: () => `source must be "secrets-manager" or "ssm"`,
    }),
    /** Secrets Manager secret ARN (optionally with :json-key) or SSM parameter name ("/path/name"). */
    ref: z.string().min(1),
  })
  .strict();

/**
 * CodeDeploy's predefined deployment configurations by compute platform
 * (https://docs.aws.amazon.com/codedeploy/latest/userguide/deployment-configurations.html).
 */
export const CODEDEPLOY_CONFIGS = {
  ecs: [
    "CodeDeployDefault.ECSAllAtOnce",
    "CodeDeployDefault.ECSLinear10PercentEvery1Minutes",
    "CodeDeployDefault.ECSLinear10PercentEvery3Minutes",
    "CodeDeployDefault.ECSCanary10Percent5Minutes",
    "CodeDeployDefault.ECSCanary10Percent15Minutes",
  ],
  lambda: [
    "CodeDeployDefault.LambdaAllAtOnce",
    "CodeDeployDefault.LambdaCanary10Percent5Minutes",
    "CodeDeployDefault.LambdaCanary10Percent10Minutes",
    "CodeDeployDefault.LambdaCanary10Percent15Minutes",
    "CodeDeployDefault.LambdaCanary10Percent30Minutes",
    "CodeDeployDefault.LambdaLinear10PercentEvery1Minute",
    "CodeDeployDefault.LambdaLinear10PercentEvery2Minutes",
    "CodeDeployDefault.LambdaLinear10PercentEvery3Minutes",
    "CodeDeployDefault.LambdaLinear10PercentEvery10Minutes",
  ],
  server: [
    "CodeDeployDefault.OneAtATime",
    "CodeDeployDefault.HalfAtATime",
    "CodeDeployDefault.AllAtOnce",
  ],
} as const;

/**
 * A deployment group holds at most 10 alarms (CodeDeploy quotas,
 * https://docs.aws.amazon.com/codedeploy/latest/userguide/limits.html); the environment's
 * deployment-health alarm takes one.
 */
export const MAX_APPLICATION_ALARMS = 9;

const codeDeployConfig = (platform: keyof typeof CODEDEPLOY_CONFIGS) =>
  z.enum(CODEDEPLOY_CONFIGS[platform], {
    error: (iss) =>
      `${show(iss.input)} is not a CodeDeploy deployment configuration for ${platform === "server" ? "EC2 and on-premises servers" : platform === "ecs" ? "ECS" : "Lambda"}; use one of ${CODEDEPLOY_CONFIGS[platform].join(", ")}`,
  });

const required = (what: string) => (iss: { input?: unknown }) =>
  iss.input === undefined ? `is required: ${what}` : `${show(iss.input)} is not valid: ${what}`;

/** Alarms in each target account and region the deployment group also stops and rolls back on. */
const applicationAlarms = z
  .array(
    z.string().regex(/^[^\u0000-\u001f]{1,255}$/, {
      error: "an alarm name is 1-255 characters without control characters",
    }),
  )
  .max(MAX_APPLICATION_ALARMS, {
    error: `a deployment group holds 10 alarms and the environment's deployment-health alarm is one: list at most ${MAX_APPLICATION_ALARMS}`,
  })
  .default([]);

/** ECS, Lambda and server deployments run their own lifecycle hooks; only Lambda takes them from config. */
const noHooks = (where: string) =>
  z
    .never({
      error: `hooks are for codedeploy-lambda; ${where} runs its lifecycle hooks from its appspec file: remove hooks here`,
    })
    .optional();

const resourceName = (what: string) =>
  z.string({ error: required(what) }).regex(/^[A-Za-z0-9_.:/-]{1,255}$/, {
    error: (iss) => `${show(iss.input)} is not a valid ${what.split(";")[0]}`,
  });

const deploySchema = z.discriminatedUnion(
  "mechanism",
  [
    z
      .object({
        mechanism: z.literal("pulumi"),
        /** Directory of the application's Pulumi project inside its repository. Default: ".". */
        workingDirectory: z.string().min(1).default("."),
        /** Stack name per environment; "{env}" is replaced. Default: "{env}". */
        stackName: z.string().min(1).default("{env}"),
      })
      .strict(),
    z
      .object({
        mechanism: z.literal("cloudformation"),
        /** Template path in the build output artifact. */
        templatePath: z.string().min(1),
        /**
         * Files the template needs beside itself (packaged code, nested templates, parameter
         * files), as buildspec `files` patterns relative to the build's root. Only the template and
         * these reach CloudFormation, whose input artifacts are limited to 256 MB. Default: none.
         */
        templateFiles: z.array(z.string().min(1)).max(50).default([]),
        /** CloudFormation stack name per environment; "{env}" is replaced. Default: "<app>-{env}". */
        stackName: z.string().min(1).optional(),
      })
      .strict(),
    z
      .object({
        /** ECS blue/green through CodeDeploy (CodePipeline action CodeDeployToECS). */
        mechanism: z.literal("codedeploy-ecs"),
        /** The ECS cluster of the service, in every target account and region. */
        cluster: resourceName("the ECS cluster name; name the cluster the service runs in"),
        /** The ECS service; it must use the CODE_DEPLOY deployment controller. */
        service: resourceName("the ECS service name; name the service to deploy"),
        /** The load balancer in front of the service (looked up by name in each target). */
        loadBalancer: resourceName(
          "the Application Load Balancer name; name the load balancer in front of the service",
        ),
        /** The listener port that serves production traffic. */
        productionPort: z
          .number({ error: required("the production listener port, such as 443") })
          .int()
          .min(1)
          .max(65535),
        /** The listener port of the test traffic route (AfterAllowTestTraffic). Default: none. */
        testPort: z.number().int().min(1).max(65535).optional(),
        /** The blue and the green target group, by name. */
        targetGroups: z
          .array(resourceName("a target group name"), {
            error: required("the two target group names, blue and green"),
          })
          .length(2, { error: "list exactly two target groups: blue and green" }),
        /** Task definition template in the build output. Default: taskdef.json. */
        taskDefinitionPath: z.string().min(1).default("taskdef.json"),
        /** AppSpec template in the build output. Default: appspec.yaml. */
        appSpecPath: z.string().min(1).default("appspec.yaml"),
        /** How traffic shifts. Default: CodeDeployDefault.ECSCanary10Percent5Minutes. */
        deploymentConfig: codeDeployConfig("ecs").default(
          "CodeDeployDefault.ECSCanary10Percent5Minutes",
        ),
        /** Minutes the old (blue) tasks keep running after a success. Default: 5. */
        terminationWaitMinutes: z.number().int().min(0).max(2880).default(5),
        alarms: applicationAlarms,
        hooks: noHooks("an ECS deployment"),
      })
      .strict(),
    z
      .object({
        /** Lambda alias traffic shifting through CodeDeploy. */
        mechanism: z.literal("codedeploy-lambda"),
        /** The function, in every target account and region. */
        functionName: resourceName("the Lambda function name; name the function to deploy"),
        /** The alias CodeDeploy shifts. Default: live. */
        alias: z
          .string()
          .regex(/^(?!^[0-9]+$)[A-Za-z0-9_-]{1,128}$/, {
            error: (iss) => `${show(iss.input)} is not a Lambda alias name`,
          })
          .default("live"),
        /** The function's code in the build output (a zip file). Default: function.zip. */
        packagePath: z.string().min(1).default("function.zip"),
        /** How traffic shifts. Default: CodeDeployDefault.LambdaCanary10Percent5Minutes. */
        deploymentConfig: codeDeployConfig("lambda").default(
          "CodeDeployDefault.LambdaCanary10Percent5Minutes",
        ),
        /** Validation functions CodeDeploy runs before and after it shifts traffic. */
        hooks: z
          .object({
            beforeAllowTraffic: resourceName("a Lambda function name").optional(),
            afterAllowTraffic: resourceName("a Lambda function name").optional(),
          })
          .strict()
          .optional(),
        alarms: applicationAlarms,
      })
      .strict(),
    z
      .object({
        /** In-place deployments to EC2 instances and on-premises servers running the agent. */
        mechanism: z.literal("codedeploy-server"),
        /** EC2 instances by tag (every tag must match). */
        ec2Tags: z.record(z.string().min(1), z.string()).optional(),
        /** Registered on-premises servers by tag (every tag must match). */
        onPremisesTags: z.record(z.string().min(1), z.string()).optional(),
        /** A predefined configuration, or minimumHealthyHosts for a custom one. Default: OneAtATime. */
        deploymentConfig: codeDeployConfig("server").optional(),
        /** A custom configuration: hosts that must stay healthy while the deployment runs. */
        minimumHealthyHosts: z
          .object({
            type: z.enum(["HOST_COUNT", "FLEET_PERCENT"], {
              error: () => `type must be "HOST_COUNT" or "FLEET_PERCENT"`,
            }),
            value: z.number().int().min(0).max(10_000),
          })
          .strict()
          .optional(),
        alarms: applicationAlarms,
        hooks: noHooks("a server deployment"),
      })
      .strict()
      .superRefine((d, ctx) => {
        if (!d.ec2Tags && !d.onPremisesTags)
          ctx.addIssue({
            code: "custom",
            path: ["ec2Tags"],
            message:
              "is required: name the instances to deploy to with ec2Tags, onPremisesTags or both",
          });
        if (d.deploymentConfig && d.minimumHealthyHosts)
          ctx.addIssue({
            code: "custom",
            path: ["minimumHealthyHosts"],
            message:
              "give deploymentConfig or minimumHealthyHosts (a custom configuration), not both",
          });
        if (d.minimumHealthyHosts?.type === "FLEET_PERCENT" && d.minimumHealthyHosts.value > 99)
          ctx.addIssue({
            code: "custom",
            path: ["minimumHealthyHosts", "value"],
            message: "a FLEET_PERCENT minimum is at most 99: a deployment must take some host out",
          });
      }),
  ],
  {
    error: () =>
      `mechanism must be "pulumi", "cloudformation", "codedeploy-ecs", "codedeploy-lambda" or "codedeploy-server"`,
  },
);

const applicationSchema = z
  .object({
    /** Application name, used in pipeline, project, role and alarm names. */
    name: lowerName("application name", 64),
    source: sourceSchema,
    build: buildSchema,
    /** How the application deploys. Default: pulumi. */
    deploy: deploySchema.default({
      mechanism: "pulumi",
      workingDirectory: ".",
      stackName: "{env}",
    }),
    /** Environments this application promotes through, in order. Default: the organization's promotion order. */
    environments: z.array(environmentName).min(1).optional(),
    /** Secrets the builds receive, by reference only. */
    secrets: z.array(secretRef).default([]),
    /** The pull-request pipeline: target branches, file paths and checks. */
    pullRequests: pullRequestsSchema.optional(),
    /** QUEUED (default) or SUPERSEDED pipeline execution mode. */
    executionMode: z.enum(["QUEUED", "SUPERSEDED"]).default("QUEUED"),
    /** Who hears about this application's pipeline, in addition to the organization's subscribers. */
    notifications: notifications.optional(),
  })
  .strict();

/** Retention periods CloudWatch Logs accepts, in days (PutRetentionPolicy's retentionInDays). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
  3653,
] as const;

/** The delivery metrics' defaults. */
export const DELIVERY_DEFAULTS = {
  thresholds: { changeFailureRate: 0.15, leadTimeMinutes: 1440 },
  logRetentionDays: 30,
} as const;

const deliverySchema = z
  .object({
    /** Production alarm thresholds, per application. */
    thresholds: z
      .object({
        /** Alarm when more than this share of a day's production deployments fail (0 to 1). Default: 0.15. */
        changeFailureRate: z
          .number({
            error: (iss) =>
              `${show(iss.input)} is not a change failure rate; write a share between 0 and 1, such as 0.15 for 15%`,
          })
          .gt(0, { error: "must be above 0; write a share such as 0.15 for 15%" })
          .max(1, {
            error: (iss) =>
              `${show(iss.input)} is above 1; write a share between 0 and 1, such as 0.15 for 15% (not a percentage)`,
          })
          .default(DELIVERY_DEFAULTS.thresholds.changeFailureRate),
        /** Alarm when a production deployment's lead time exceeds this many minutes. Default: 1440. */
        leadTimeMinutes: z
          .number({
            error: (iss) =>
              `${show(iss.input)} is not a number of minutes; write a whole number such as 1440 (a day)`,
          })
          .int({ error: (iss) => `${show(iss.input)} is not a whole number of minutes` })
          .min(1, { error: "must be at least 1 minute" })
          .max(43_200, {
            error:
              "is more than 30 days (43200 minutes); write a target a day's p90 lead time can meet, such as 1440 (a day)",
          })
          .default(DELIVERY_DEFAULTS.thresholds.leadTimeMinutes),
      })
      .strict()
      .default({ ...DELIVERY_DEFAULTS.thresholds }),
    /** Days the delivery metrics function keeps its logs. Default: 30. */
    logRetentionDays: z
      .custom<number>((v) => (LOG_RETENTION_DAYS as readonly unknown[]).includes(v), {
        error: (iss) =>
          `${show(iss.input)} is not a retention CloudWatch Logs accepts; use one of ${LOG_RETENTION_DAYS.join(", ")}`,
      })
      .default(DELIVERY_DEFAULTS.logRetentionDays),
  })
  .strict();

const stateSchema = z.discriminatedUnion(
  "backend",
  [
    z.object({ backend: z.literal("s3") }).strict(),
    z
      .object({
        backend: z.literal("pulumi-cloud"),
        /** Secrets Manager ARN of the Pulumi Cloud access token. */
        accessTokenSecretArn: z
          .string()
          .regex(/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/, {
            error: () => "accessTokenSecretArn must be a Secrets Manager secret ARN",
          }),
        /** Pulumi Cloud organization that owns the application stacks. */
        organization: z.string().min(1),
      })
      .strict(),
  ],
  { error: () => `backend must be "s3" or "pulumi-cloud"` },
);

/** The root id (r-xxxx) or an organizational unit id (ou-xxxx-xxxxxxxx) of AWS Organizations. */
export const organizationalUnitId = z
  .string()
  .regex(/^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/, {
    error: (iss) =>
      `${show(iss.input)} is not an organizational unit id; it looks like "ou-ab12-cd34ef56" (or the root, "r-ab12")`,
  });

/** The platform's defaults: the drift schedule. */
export const PLATFORM_DEFAULTS = {
  driftSchedule: "rate(1 day)",
} as const;

/** An EventBridge Scheduler expression: rate(...) or cron(...) (at(...) runs once: not a schedule). */
const scheduleExpression = z
  .string()
  .regex(
    /^(rate\(([1-9][0-9]{0,4}) (minute|minutes|hour|hours|day|days)\)|cron\(\S+( \S+){5}\))$/,
    {
      error: (iss) =>
        `${show(iss.input)} is not a schedule; write "rate(1 day)", "rate(12 hours)" or a six-field "cron(0 6 * * ? *)"`,
    },
  );

const platformSchema = z
  .object({
    /** The blueprint's own repository (this fork): the platform pipeline's source. */
    source: sourceSchema,
    /**
     * Organization-wide bootstrap: a CloudFormation StackSet, deployed from the management account
     * or a StackSets delegated administrator, that creates the bootstrap role in every account of
     * the organizational units below, now and whenever an account moves in.
     */
    bootstrap: z
      .object({
        /** The management account, or a delegated administrator account for StackSets. */
        account: accountId,
        /** Where the StackSet lives. Default: the tools region. */
        region: region.optional(),
        /** SELF in the management account, DELEGATED_ADMIN in a delegated administrator. Default: SELF. */
        callAs: z
          .enum(["SELF", "DELEGATED_ADMIN"], {
            error: () => `callAs must be "SELF" or "DELEGATED_ADMIN"`,
          })
          .default("SELF"),
        /** The OUs (or the root) whose accounts get the bootstrap role. */
        organizationalUnits: z.array(organizationalUnitId).min(1, {
          error: "organizationalUnits is empty; list the OUs the workload accounts are in",
        }),
        /** Accounts outside those OUs that get the role too. */
        accounts: z.array(accountId).default([]),
      })
      .strict()
      .optional(),
    /** Drift detection: every stack previewed on a schedule. */
    drift: z
      .object({
        /** Default: true. */
        enabled: z.boolean().default(true),
        /** EventBridge Scheduler expression. Default: rate(1 day). */
        schedule: scheduleExpression.default(PLATFORM_DEFAULTS.driftSchedule),
      })
      .strict()
      .default({ enabled: true, schedule: PLATFORM_DEFAULTS.driftSchedule }),
  })
  .strict();

export const organizationSchema = z
  .object({
    /** AWS Organizations id (o-xxxxxxxxxx); narrows every cross-account trust with aws:PrincipalOrgID. */
    id: z
      .string()
      .regex(/^o-[a-z0-9]{10,32}$/, {
        error: (iss) =>
          `${show(iss.input)} is not an AWS Organizations id; it looks like "o-a1b2c3d4e5"`,
      })
      .optional(),
    /** Prefix of every resource name. 2-12 lowercase letters and digits. */
    prefix: z.string().regex(/^[a-z][a-z0-9]{1,11}$/, {
      error: (iss) =>
        `${show(iss.input)} is not a valid naming prefix; use 2-12 lowercase letters and digits, starting with a letter`,
    }),
    /** The tools account that runs the pipelines. */
    tools: z
      .object({
        account: accountId,
        /** Home region of the tools account: pipelines, state bucket, notifications. */
        region,
        /**
         * Quotas this tools account has above the AWS default (the value its Service Quotas
         * console shows), or the share of them the platform may use. model/quotas.ts lists the
         * defaults and their pages.
         */
        quotas: z
          .object({
            pipelines: quotaValue.optional(),
            buildProjects: quotaValue.optional(),
            iamRoles: quotaValue.optional(),
            eventRules: quotaValue.optional(),
            notificationRules: quotaValue.optional(),
          })
          .strict()
          .optional(),
        /** AWS Config of the tools account, over the organization's. */
        compliance: complianceSchema.optional(),
      })
      .strict(),
    /** Workload environments. */
    environments: z
      .array(environmentSchema)
      .min(1, { error: "environments is empty; define at least one environment" }),
    /** Promotion order of environments, first to last. */
    promotionOrder: z
      .array(environmentName)
      .min(1, { error: "promotionOrder is empty; list the environments in order" }),
    /** Where application Pulumi stacks keep state. Default: S3 backend in the tools account. */
    pulumiState: stateSchema.default({ backend: "s3" }),
    /** Applications, one pipeline each. */
    applications: z.array(applicationSchema).default([]),
    /** Organization-wide notification subscribers (pipeline events and alarms). */
    notifications: notifications.default({ subscribers: [] }),
    /** Delivery metrics (DORA): their dashboard, production alarm thresholds and log retention. */
    delivery: deliverySchema.default({
      thresholds: { ...DELIVERY_DEFAULTS.thresholds },
      logRetentionDays: DELIVERY_DEFAULTS.logRetentionDays,
    }),
    /** AWS Config of every account (opt in); docs/compliance.md. Default: off. */
    compliance: z
      .object({
        awsConfig: z
          .object({
            ...awsConfigFields,
            /** How the tools account aggregates: the listed accounts, or the whole organization. Default: accounts. */
            aggregation: z
              .enum(["accounts", "organization"], {
                error: () => `aggregation must be "accounts" or "organization"`,
              })
              .optional(),
          })
          .strict()
          .optional(),
      })
      .strict()
      .optional(),
    /** X-Ray of every workload account; docs/compliance.md. Default: on, 5% after 1 request/s. */
    observability: observabilitySchema.optional(),
    /**
     * The platform deploying itself (docs/platform-pipeline.md): its pipeline, the organization-
     * wide bootstrap and drift detection. Absent: every stack is deployed by hand.
     */
    platform: platformSchema.optional(),
  })
  .strict();

export type Organization = z.output<typeof organizationSchema>;
export type Environment = Organization["environments"][number];
export type Account = Environment["accounts"][number];
export type Application = Organization["applications"][number];
export type BuildCheck = Application["build"]["checks"][number];
export type SecretRef = Application["secrets"][number];
export type Subscriber = Organization["notifications"]["subscribers"][number];
export type DeployMechanism = Application["deploy"]["mechanism"];
export type DeliverySettings = Organization["delivery"];
export type Deploy = Application["deploy"];
export type CodeDeployMechanism = Extract<DeployMechanism, `codedeploy-${string}`>;
export type CodeDeploySettings = Extract<Deploy, { mechanism: CodeDeployMechanism }>;

/** Is the mechanism (as written in config) one of CodeDeploy's (ECS, Lambda, server)? */
export function isCodeDeployMechanism(mechanism: string | undefined): boolean {
  return mechanism?.startsWith("codedeploy-") ?? false;
}

/** Does the application deploy with one of CodeDeploy's mechanisms (ECS, Lambda, server)? */
export function isCodeDeploy(d: Deploy): d is CodeDeploySettings {
  return isCodeDeployMechanism(d.mechanism);
}
export type CheckKind = (typeof CHECK_KINDS)[number];
export type CoverageFormat = (typeof COVERAGE_FORMATS)[number];
export type PullRequestSettings = NonNullable<Application["pullRequests"]>;
export type PlatformSettings = NonNullable<Organization["platform"]>;
export type BootstrapSettings = NonNullable<PlatformSettings["bootstrap"]>;

/** The stack role picked by `platform:role` in Pulumi.<stack>.yaml. */
export const STACK_ROLES = ["tools", "workload", "bootstrap"] as const;
export type StackRole = (typeof STACK_ROLES)[number];

export const stackSettingsSchema = z
  .object({
    role: z.enum(STACK_ROLES, {
      error: (iss) =>
        iss.input === undefined
          ? `is not set; set it to "tools", "workload" or "bootstrap" in the stack file`
          : `${show(iss.input)} is not a stack role; use "tools", "workload" or "bootstrap"`,
    }),
    environment: environmentName.optional(),
    account: accountId.optional(),
  })
  .strict();
export type StackSettings = z.output<typeof stackSettingsSchema>;
