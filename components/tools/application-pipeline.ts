// One application's delivery pipeline: the CodeBuild projects (build, one per check, tests, one
// deploy project per environment for the pulumi mechanism, which runs the published policy pack)
// and the CodePipeline V2 pipeline that the engine-neutral model (model/pipeline.ts)
// describes. Buildspecs are read from the repository's buildspecs/ directory, which a platform
// team edits.
import * as fs from "fs";
import * as path from "path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Application, BuildCheck } from "../../model/config/schema";
import { ActionModel, PipelineModel, StageCondition, StageModel } from "../../model/pipeline";
import { applicationNames, environmentNames, roleArn } from "../../model/naming";
import { POLICY_PACK_BUILD_DIR } from "./policy-pack";
import { REPO_ROOT } from "../../model/paths";

/** Directory of the buildspec files. */
export const BUILDSPEC_DIR = path.join(REPO_ROOT, "buildspecs");

/** The text of a buildspec file of buildspecs/. */
export function readBuildspec(file: string): string {
  return fs.readFileSync(path.join(BUILDSPEC_DIR, file), "utf8");
}

/** Default CodeBuild image. */
export const DEFAULT_IMAGE = "aws/codebuild/amazonlinux-x86_64-standard:5.0";

/** A CodeBuild environment variable. */
export interface BuildVariable {
  readonly name: string;
  readonly value: string;
  readonly type: "PLAINTEXT" | "SECRETS_MANAGER" | "PARAMETER_STORE";
}

/** The variables every build of an application gets: plain config values and secret references. */
export function applicationVariables(app: Application): BuildVariable[] {
  return [
    ...Object.entries(app.build.environment ?? {}).map(([name, value]): BuildVariable => ({
      name,
      value,
      type: "PLAINTEXT",
    })),
    // Secrets arrive by reference only: CodeBuild resolves them when the build starts.
    ...app.secrets.map((s): BuildVariable => ({
      name: s.env,
      value: s.ref,
      type: s.source === "secrets-manager" ? "SECRETS_MANAGER" : "PARAMETER_STORE",
    })),
  ];
}

/**
 * The Pulumi stack of one target: `{env}`, `{account}`, `{label}` and `{region}` are replaced;
 * when an environment has several targets and the template names neither the account nor the
 * region, `-<label>-<region>` is appended so every target keeps its own stack.
 */
export function stackNameFor(
  template: string,
  env: string,
  target: { account: string; label: string; region: string },
  targetsInEnvironment: number,
): string {
  const distinct = /\{(account|label)\}/.test(template) && template.includes("{region}");
  const base = targetsInEnvironment > 1 && !distinct ? `${template}-{label}-{region}` : template;
  return base
    .replace(/\{env\}/g, env)
    .replace(/\{account\}/g, target.account)
    .replace(/\{label\}/g, target.label)
    .replace(/\{region\}/g, target.region);
}

/** Where the deploy projects download the platform's policy pack from. */
export interface PublishedPolicyPack {
  /** Bucket name. */
  readonly bucket: pulumi.Input<string>;
  /** Object key (versioned). */
  readonly key: string;
  /** The object: deploy projects are created or updated only once it exists. */
  readonly resource: pulumi.Resource;
}

/** How deploy projects keep state. */
export type PulumiBackend =
  | {
      readonly backend: "s3";
      readonly bucket: pulumi.Input<string>;
      readonly keyAlias: string;
    }
  | {
      readonly backend: "pulumi-cloud";
      readonly tokenSecretArn: string;
      readonly organization: string;
    };

export interface ApplicationPipelineArgs {
  /** The application, as validated config. */
  readonly application: Application;
  /** Its pipeline model. */
  readonly model: PipelineModel;
  /** Naming prefix. */
  readonly prefix: string;
  /** AWS partition. */
  readonly partition: string;
  /** The tools account and home region, where the pipeline and projects live. */
  readonly toolsAccount: string;
  readonly toolsRegion: string;
  /** Artifact stores by region (the tools region's is required). */
  readonly artifactStores: ReadonlyMap<
    string,
    { readonly bucket: pulumi.Output<string>; readonly keyArn: pulumi.Output<string> }
  >;
  /** Source connection ARN; undefined for CodeCommit. */
  readonly connectionArn?: pulumi.Input<string>;
  /** Role of the pipeline. */
  readonly pipelineRoleArn: pulumi.Input<string>;
  /** Role of the build, check and test projects. */
  readonly buildRoleArn: pulumi.Input<string>;
  /** Tools deploy role by environment (pulumi mechanism). */
  readonly deployRoleArns: ReadonlyMap<string, pulumi.Input<string>>;
  /** Resources the projects and the pipeline wait for (role policies, bucket policies). */
  readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
  /** Where Pulumi state lives (pulumi mechanism). */
  readonly pulumiBackend?: PulumiBackend;
  /** Topic the manual approvals notify. */
  readonly approvalTopicArn: pulumi.Input<string>;
  /** The published policy pack every deploy project runs (pulumi mechanism). */
  readonly policyPack?: PublishedPolicyPack;
}

/** The CodeBuild projects and the CodePipeline of one application. */
export class ApplicationPipeline extends pulumi.ComponentResource {
  /** The pipeline name. */
  readonly pipelineName: pulumi.Output<string>;
  /** The pipeline ARN. */
  readonly pipelineArn: pulumi.Output<string>;
  /** Every CodeBuild project, by physical name. */
  readonly projects: ReadonlyMap<string, aws.codebuild.Project>;

  constructor(name: string, args: ApplicationPipelineArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:tools:ApplicationPipeline", name, {}, opts);
    const app = args.application;
    const n = applicationNames(args.prefix, app.name);
    const image = app.build.image ?? DEFAULT_IMAGE;
    const computeType = app.build.computeType ?? "BUILD_GENERAL1_SMALL";
    const home = args.artifactStores.get(args.toolsRegion);
    if (!home)
      throw new pulumi.ResourceError(
        `${name}: no artifact store in the tools region ${args.toolsRegion}; create one there`,
        this,
      );
    const child = { parent: this, dependsOn: args.dependsOn };
    const projects = new Map<string, aws.codebuild.Project>();
    const project = (
      projectName: string,
      roleArn: pulumi.Input<string>,
      buildspec: string,
      variables: BuildVariable[],
      description: string,
    ) => {
      const p = new aws.codebuild.Project(
        `${name}-${projectName.slice(args.prefix.length + app.name.length + 2)}`,
        {
          name: projectName,
          description,
          serviceRole: roleArn,
          source: { type: "CODEPIPELINE", buildspec },
          artifacts: { type: "CODEPIPELINE" },
          encryptionKey: home.keyArn,
          buildTimeout: 60,
          environment: {
            type: "LINUX_CONTAINER",
            image,
            computeType,
            privilegedMode: app.build.privileged,
            environmentVariables: variables.map((v) => ({ ...v })),
          },
        },
        child,
      );
      projects.set(projectName, p);
      return p;
    };

    const appVars = applicationVariables(app);
    project(
      n.buildProject,
      args.buildRoleArn,
      readBuildspec("build.yml"),
      [
        ...appVars,
        { name: "BUILD_COMMANDS", value: app.build.commands.join("\n"), type: "PLAINTEXT" },
      ],
      `Builds ${app.name}`,
    );
    const checkProjects = new Map<string, string>();
    for (const check of app.build.checks.filter((c) => c.kind !== "integration-tests")) {
      checkProjects.set(check.name, n.checkProject(check.name));
      project(
        n.checkProject(check.name),
        args.buildRoleArn,
        readBuildspec(`${check.kind}.yml`),
        [...appVars, ...checkCommands(check)],
        `${check.kind} check '${check.name}' of ${app.name}`,
      );
    }
    const integration = app.build.checks.filter((c) => c.kind === "integration-tests");
    project(
      n.testProject,
      args.buildRoleArn,
      readBuildspec(integration.length > 0 ? "integration-tests.yml" : "smoke-tests.yml"),
      appVars,
      `Tests ${app.name} after each deployment`,
    );
    if (app.deploy.mechanism === "pulumi") {
      const deploy = app.deploy;
      const backend = args.pulumiBackend;
      if (!backend)
        throw new pulumi.ResourceError(`${name}: the pulumi mechanism needs a state backend`, this);
      const pack = args.policyPack;
      if (!pack)
        throw new pulumi.ResourceError(
          `${name}: the pulumi mechanism needs the published policy pack (policyPack)`,
          this,
        );
      for (const env of args.model.environments) {
        const roleArnOfEnv = args.deployRoleArns.get(env);
        if (!roleArnOfEnv)
          throw new pulumi.ResourceError(`${name}: no tools deploy role for ${env}`, this);
        const vars: pulumi.Input<BuildVariable>[] = [
          { name: "WORKING_DIRECTORY", value: deploy.workingDirectory, type: "PLAINTEXT" },
          { name: "TARGET_ENV", value: env, type: "PLAINTEXT" },
          // Where the platform's pack is and where the build unpacks it: a location, not a secret.
          pulumi.output(pack.bucket).apply((b): BuildVariable => ({
            name: "POLICY_PACK_BUCKET",
            value: b,
            type: "PLAINTEXT",
          })),
          { name: "POLICY_PACK_KEY", value: pack.key, type: "PLAINTEXT" },
          { name: "POLICY_PACK_DIR", value: POLICY_PACK_BUILD_DIR, type: "PLAINTEXT" },
        ];
        if (backend.backend === "s3") {
          vars.push(
            pulumi.output(backend.bucket).apply((b): BuildVariable => ({
              name: "PULUMI_BACKEND_URL",
              value: `s3://${b}/${env}`,
              type: "PLAINTEXT",
            })),
            {
              name: "PULUMI_SECRETS_PROVIDER",
              value: `awskms://${backend.keyAlias}`,
              type: "PLAINTEXT",
            },
          );
        } else {
          vars.push(
            { name: "PULUMI_ACCESS_TOKEN", value: backend.tokenSecretArn, type: "SECRETS_MANAGER" },
            { name: "PULUMI_ORG", value: backend.organization, type: "PLAINTEXT" },
          );
        }
        const p = new aws.codebuild.Project(
          `${name}-deploy-${env}`,
          {
            name: n.deployProject(env),
            description: `Deploys ${app.name} to ${env} (pulumi preview with the policy pack, then up)`,
            serviceRole: roleArnOfEnv,
            source: { type: "CODEPIPELINE", buildspec: readBuildspec("deploy-pulumi.yml") },
            artifacts: { type: "CODEPIPELINE" },
            encryptionKey: home.keyArn,
            buildTimeout: 120,
            environment: {
              type: "LINUX_CONTAINER",
              image,
              computeType,
              privilegedMode: false,
              environmentVariables: vars,
            },
          },
          { ...child, dependsOn: [...(args.dependsOn ?? []), pack.resource] },
        );
        projects.set(n.deployProject(env), p);
      }
    }

    // Artifact stores: the tools region's, plus one per region a cross-region action runs in.
    const actionRegions = new Set<string>();
    for (const stage of args.model.stages)
      for (const a of stage.actions)
        if (a.target && app.deploy.mechanism === "cloudformation")
          actionRegions.add(a.target.region);
    actionRegions.delete(args.toolsRegion);
    const storeRegions = [args.toolsRegion, ...[...actionRegions].sort()];
    const crossRegion = storeRegions.length > 1;
    const artifactStores = storeRegions.map((region) => {
      const store = args.artifactStores.get(region);
      if (!store)
        throw new pulumi.ResourceError(
          `${name}: no artifact store in ${region}, where a cloudformation action of ${app.name} runs`,
          this,
        );
      return {
        type: "S3",
        location: store.bucket,
        encryptionKey: { id: store.keyArn, type: "KMS" },
        ...(crossRegion ? { region } : {}),
      };
    });

    const stageInputs = args.model.stages.map((stage) => this.stage(stage, args, n, checkProjects));
    const pipeline = new aws.codepipeline.Pipeline(
      name,
      {
        name: n.pipeline,
        pipelineType: "V2",
        executionMode: app.executionMode,
        roleArn: args.pipelineRoleArn,
        artifactStores,
        stages: stageInputs,
        // V2 triggers accept only CodeStarSourceConnection: a CodeCommit source is started by
        // the EventBridge rule of components/tools/codecommit-trigger.ts instead.
        triggers:
          app.source.provider === "codecommit"
            ? undefined
            : [
                {
                  providerType: "CodeStarSourceConnection",
                  gitConfiguration: {
                    sourceActionName: "Source",
                    pushes: [
                      {
                        branches: { includes: [app.source.branch] },
                        ...(app.source.filePaths
                          ? {
                              filePaths: {
                                ...(app.source.filePaths.includes
                                  ? { includes: app.source.filePaths.includes }
                                  : {}),
                                ...(app.source.filePaths.excludes
                                  ? { excludes: app.source.filePaths.excludes }
                                  : {}),
                              },
                            }
                          : {}),
                      },
                    ],
                  },
                },
              ],
      },
      { parent: this, dependsOn: [...(args.dependsOn ?? []), ...projects.values()] },
    );
    this.pipelineName = pipeline.name;
    this.pipelineArn = pipeline.arn;
    this.projects = projects;
    this.registerOutputs({ pipelineName: this.pipelineName, pipelineArn: this.pipelineArn });
  }

  private stage(
    stage: StageModel,
    args: ApplicationPipelineArgs,
    n: ReturnType<typeof applicationNames>,
    checkProjects: ReadonlyMap<string, string>,
  ): aws.types.input.codepipeline.PipelineStage {
    const actions = stage.actions.map((a) => this.action(a, stage, args, n, checkProjects));
    const condition = (c: StageCondition) => ({
      result: c.result,
      rules: c.alarms.map((g) => ({
        name: `health-${g.target.label}-${g.target.region}`,
        ruleTypeId: { category: "Rule", owner: "AWS", provider: "CloudWatchAlarm", version: "1" },
        region: g.target.region,
        // The workload account's alarm-reader role lets the pipeline read the alarm's state.
        roleArn: roleArn(
          args.partition,
          g.target.account,
          environmentNames(args.prefix, stage.environment ?? "").alarmReaderRole,
        ),
        configuration: {
          AlarmName: environmentNames(args.prefix, stage.environment ?? "").deploymentHealthAlarm,
          AlarmStates: "ALARM",
          ...(c.waitMinutes > 0 ? { WaitTime: String(c.waitMinutes) } : {}),
        },
      })),
    });
    return {
      name: stage.name,
      actions,
      ...(stage.beforeEntry ? { beforeEntry: { condition: condition(stage.beforeEntry) } } : {}),
      ...(stage.onSuccess ? { onSuccess: { condition: condition(stage.onSuccess) } } : {}),
      ...(stage.onFailure ? { onFailure: { result: stage.onFailure } } : {}),
    };
  }

  private action(
    a: ActionModel,
    stage: StageModel,
    args: ApplicationPipelineArgs,
    n: ReturnType<typeof applicationNames>,
    checkProjects: ReadonlyMap<string, string>,
  ): aws.types.input.codepipeline.PipelineStageAction {
    const app = args.application;
    const env = stage.environment ?? "";
    const envNames = environmentNames(args.prefix, env);
    const codebuild = (
      category: string,
      projectName: string,
      inputs: string[],
      outputs: string[],
      vars: Record<string, string> = {},
    ) => ({
      name: a.name,
      category,
      owner: "AWS",
      provider: "CodeBuild",
      version: "1",
      runOrder: a.runOrder,
      inputArtifacts: inputs,
      ...(outputs.length > 0 ? { outputArtifacts: outputs } : {}),
      configuration: {
        ProjectName: projectName,
        ...(Object.keys(vars).length > 0
          ? {
              EnvironmentVariables: JSON.stringify(
                Object.entries(vars).map(([name, value]) => ({ name, value, type: "PLAINTEXT" })),
              ),
            }
          : {}),
      },
    });
    switch (a.kind) {
      case "source":
        if (app.source.provider === "codecommit")
          return {
            name: a.name,
            category: "Source",
            owner: "AWS",
            provider: "CodeCommit",
            version: "1",
            runOrder: a.runOrder,
            outputArtifacts: ["source"],
            configuration: {
              RepositoryName: app.source.repository,
              BranchName: app.source.branch,
              PollForSourceChanges: "false",
            },
          };
        return {
          name: a.name,
          category: "Source",
          owner: "AWS",
          provider: "CodeStarSourceConnection",
          version: "1",
          runOrder: a.runOrder,
          outputArtifacts: ["source"],
          configuration: {
            ConnectionArn: args.connectionArn as pulumi.Input<string>,
            FullRepositoryId: app.source.repository,
            BranchName: app.source.branch,
            OutputArtifactFormat: "CODE_ZIP",
            DetectChanges: "true",
          },
        };
      case "build":
        return codebuild("Build", n.buildProject, ["source"], ["build"]);
      case "check":
        return codebuild("Test", checkProjects.get(a.check?.name ?? "") ?? "", ["source"], []);
      case "approval":
        return {
          name: a.name,
          category: "Approval",
          owner: "AWS",
          provider: "Manual",
          version: "1",
          runOrder: a.runOrder,
          configuration: {
            NotificationArn: args.approvalTopicArn,
            CustomData: `Approve deploying ${app.name} to ${env}. Check the ${stage.environment} plan in the previous stages before approving.`,
          },
        };
      case "test":
        return codebuild("Test", n.testProject, ["build"], [], {
          TARGET_ENV: env,
          ...(a.check ? { CHECK_NAME: a.check.name } : {}),
          ...(a.check?.commands ? { CHECK_COMMANDS: a.check.commands.join("\n") } : {}),
        });
      case "deploy": {
        const t = a.target;
        if (!t) throw new pulumi.ResourceError(`deploy action ${a.name} has no target`, this);
        if (app.deploy.mechanism !== "pulumi")
          throw new pulumi.ResourceError(
            `deploy action ${a.name} needs the pulumi mechanism`,
            this,
          );
        const targets = stageTargets(args.model, env);
        return codebuild("Build", n.deployProject(env), ["build"], [], {
          STACK_NAME: stackNameFor(app.deploy.stackName, env, t, targets),
          DEPLOY_ROLE_ARN: roleArn(args.partition, t.account, envNames.workloadDeployRole),
          TARGET_ACCOUNT: t.account,
          TARGET_REGION: t.region,
        });
      }
      case "change-set":
      case "execute-change-set": {
        const t = a.target;
        if (!t || app.deploy.mechanism !== "cloudformation")
          throw new pulumi.ResourceError(`action ${a.name} needs a cloudformation target`, this);
        const stackName = stackNameFor(app.deploy.stackName ?? `${app.name}-{env}`, env, t, 1);
        return {
          name: a.name,
          category: "Deploy",
          owner: "AWS",
          provider: "CloudFormation",
          version: "1",
          runOrder: a.runOrder,
          region: t.region,
          // Assumed by the pipeline role in the target account; it passes the cfn-exec role.
          roleArn: roleArn(args.partition, t.account, envNames.cfnActionRole),
          ...(a.kind === "change-set" ? { inputArtifacts: ["build"] } : {}),
          configuration:
            a.kind === "change-set"
              ? {
                  ActionMode: "CHANGE_SET_REPLACE",
                  StackName: stackName,
                  ChangeSetName: "pipeline",
                  TemplatePath: `build::${app.deploy.templatePath}`,
                  RoleArn: roleArn(args.partition, t.account, envNames.cfnExecutionRole),
                  Capabilities: "CAPABILITY_IAM,CAPABILITY_NAMED_IAM,CAPABILITY_AUTO_EXPAND",
                }
              : {
                  ActionMode: "CHANGE_SET_EXECUTE",
                  StackName: stackName,
                  ChangeSetName: "pipeline",
                },
        };
      }
    }
  }
}

/** Variables that replace a check's default commands. */
function checkCommands(check: BuildCheck): BuildVariable[] {
  return check.commands
    ? [{ name: "CHECK_COMMANDS", value: check.commands.join("\n"), type: "PLAINTEXT" }]
    : [];
}

/** How many targets an environment's deploy stages hold together. */
function stageTargets(model: PipelineModel, env: string): number {
  const targets = new Set<string>();
  for (const s of model.stages)
    if (s.kind === "deploy" && s.environment === env)
      for (const a of s.actions)
        if (a.target) targets.add(`${a.target.account}/${a.target.region}`);
  return targets.size;
}
