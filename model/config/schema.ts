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
    filePaths: z
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
      .strict()
      .optional(),
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
  ],
  { error: () => `mechanism must be "pulumi" or "cloudformation"` },
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
    /** QUEUED (default) or SUPERSEDED pipeline execution mode. */
    executionMode: z.enum(["QUEUED", "SUPERSEDED"]).default("QUEUED"),
    /** Who hears about this application's pipeline, in addition to the organization's subscribers. */
    notifications: notifications.optional(),
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
export type CheckKind = (typeof CHECK_KINDS)[number];

/** The stack role picked by `platform:role` in Pulumi.<stack>.yaml. */
export const STACK_ROLES = ["tools", "workload"] as const;
export type StackRole = (typeof STACK_ROLES)[number];

export const stackSettingsSchema = z
  .object({
    role: z.enum(STACK_ROLES, {
      error: (iss) =>
        iss.input === undefined
          ? `is not set; set it to "tools" or "workload" in the stack file`
          : `${show(iss.input)} is not a stack role; use "tools" or "workload"`,
    }),
    environment: environmentName.optional(),
    account: accountId.optional(),
  })
  .strict();
export type StackSettings = z.output<typeof stackSettingsSchema>;
