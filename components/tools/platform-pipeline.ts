// The platform pipeline (`<prefix>-platform`): the CodeBuild projects (Validate, Tools, one
// workload deploy project per environment) and the CodePipeline V2 pipeline that the
// engine-neutral model (model/platform-pipeline.ts) describes. Sourced from the blueprint's own
// repository through the tools account's source connection.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Organization } from "../../model/config/schema";
import { platformNames } from "../../model/naming";
import {
  environmentVariablesValue,
  PlatformAction,
  PlatformPipelineModel,
  PlatformStage,
} from "../../model/platform-pipeline";
import {
  BuildVariable,
  DEFAULT_IMAGE,
  readBuildspec,
  secretsProviderUrl,
  stateBackendUrl,
} from "./build-variables";

export interface PlatformPipelineArgs {
  /** The platform's source: the blueprint's own repository and branch. */
  readonly source: NonNullable<Organization["platform"]>["source"];
  /** The pipeline model. */
  readonly model: PlatformPipelineModel;
  /** Naming prefix. */
  readonly prefix: string;
  /** The tools region, where the pipeline and its projects live. */
  readonly toolsRegion: string;
  /** The tools region's artifact store. */
  readonly artifactStore: {
    readonly bucket: pulumi.Input<string>;
    readonly keyArn: pulumi.Input<string>;
  };
  /** The connection ARN of the source (GitHub, GitLab, Bitbucket). */
  readonly connectionArn: pulumi.Input<string>;
  /** Role of the pipeline. */
  readonly pipelineRoleArn: pulumi.Input<string>;
  /** Role of the Validate project. */
  readonly validateRoleArn: pulumi.Input<string>;
  /** Role of the Tools and workload deploy projects. */
  readonly deployerRoleArn: pulumi.Input<string>;
  /** The tools state bucket (the platform's stacks live under `platform/`). */
  readonly stateBucket: pulumi.Input<string>;
  /** Alias of the state key, the secrets provider. */
  readonly stateKeyAlias: string;
  /** Topic the manual approvals notify. */
  readonly approvalTopicArn: pulumi.Input<string>;
  /** Resources the projects and the pipeline wait for (role policies). Default: none. */
  readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/** The platform pipeline and its projects. */
export class PlatformPipeline extends pulumi.ComponentResource {
  readonly pipelineName: pulumi.Output<string>;
  readonly pipelineArn: pulumi.Output<string>;
  /** Every CodeBuild project, by physical name. */
  readonly projects: ReadonlyMap<string, aws.codebuild.Project>;

  constructor(name: string, args: PlatformPipelineArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:tools:PlatformPipeline", name, {}, opts);
    const n = platformNames(args.prefix);
    const projects = new Map<string, aws.codebuild.Project>();
    const backend = pulumi.output(args.stateBucket).apply((b): BuildVariable => ({
      name: "PULUMI_BACKEND_URL",
      value: stateBackendUrl(b, n.statePrefix, args.toolsRegion),
      type: "PLAINTEXT",
    }));
    const project = (
      key: string,
      projectName: string,
      roleArn: pulumi.Input<string>,
      buildspec: string,
      variables: pulumi.Input<BuildVariable>[],
      description: string,
    ) => {
      const p = new aws.codebuild.Project(
        `${name}-${key}`,
        {
          name: projectName,
          description,
          serviceRole: roleArn,
          source: { type: "CODEPIPELINE", buildspec },
          artifacts: { type: "CODEPIPELINE" },
          encryptionKey: args.artifactStore.keyArn,
          buildTimeout: 120,
          environment: {
            type: "LINUX_CONTAINER",
            image: DEFAULT_IMAGE,
            computeType: "BUILD_GENERAL1_MEDIUM",
            privilegedMode: false,
            environmentVariables: variables,
          },
        },
        { parent: this, dependsOn: args.dependsOn },
      );
      projects.set(projectName, p);
    };
    const deployVars = (mode: string): pulumi.Input<BuildVariable>[] => [
      { name: "MODE", value: mode, type: "PLAINTEXT" },
      { name: "PIPELINE_NAME", value: n.pipeline, type: "PLAINTEXT" },
      backend,
      {
        name: "PULUMI_SECRETS_PROVIDER",
        value: secretsProviderUrl(args.stateKeyAlias, args.toolsRegion),
        type: "PLAINTEXT",
      },
    ];
    project(
      "validate",
      n.validateProject,
      args.validateRoleArn,
      readBuildspec("platform-validate.yml"),
      [],
      "Validates the platform: npm ci, npm test, the offline plan with the policy pack",
    );
    project(
      "tools",
      n.toolsProject,
      args.deployerRoleArn,
      readBuildspec("platform-deploy.yml"),
      deployVars("tools"),
      "Previews and updates the tools stack with the policy pack",
    );
    for (const env of args.model.environments)
      project(
        `update-${env}`,
        n.workloadUpdateProject(env),
        args.deployerRoleArn,
        readBuildspec("platform-deploy.yml"),
        deployVars("workload"),
        `Previews and updates the ${env} workload stacks under each account's bootstrap role`,
      );

    const action = (
      stage: PlatformStage,
      a: PlatformAction,
    ): aws.types.input.codepipeline.PipelineStageAction => {
      const codebuild = (projectName: string, vars?: Readonly<Record<string, string>>) => ({
        name: a.name,
        category: "Build",
        owner: "AWS",
        provider: "CodeBuild",
        version: "1",
        runOrder: a.runOrder,
        inputArtifacts: ["source"],
        configuration: {
          ProjectName: projectName,
          ...(vars ? { EnvironmentVariables: environmentVariablesValue(vars) } : {}),
        },
      });
      switch (a.kind) {
        case "source":
          return {
            name: a.name,
            category: "Source",
            owner: "AWS",
            provider: "CodeStarSourceConnection",
            version: "1",
            runOrder: a.runOrder,
            outputArtifacts: ["source"],
            namespace: "SourceVariables",
            configuration: {
              ConnectionArn: args.connectionArn,
              FullRepositoryId: args.source.repository,
              BranchName: args.source.branch,
              OutputArtifactFormat: "CODE_ZIP",
              DetectChanges: "true",
            },
          };
        case "validate":
          return codebuild(n.validateProject);
        case "tools":
          // Pipeline variables resolve in action configuration
          // (https://docs.aws.amazon.com/codepipeline/latest/userguide/reference-variables.html).
          return codebuild(n.toolsProject, {
            PIPELINE_EXECUTION_ID: "#{codepipeline.PipelineExecutionId}",
            SOURCE_COMMIT: "#{SourceVariables.CommitId}",
          });
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
              CustomData: `Approve updating the platform's ${stage.environment} workload stacks.`,
            },
          };
        case "deploy":
          if (!a.variables)
            throw new pulumi.ResourceError(`platform action ${a.name} has no variables`, this);
          return codebuild(n.workloadUpdateProject(stage.environment ?? ""), a.variables);
      }
    };
    const pipeline = new aws.codepipeline.Pipeline(
      name,
      {
        name: n.pipeline,
        pipelineType: "V2",
        // One platform change at a time, in order: a later push waits for the earlier one.
        executionMode: "QUEUED",
        roleArn: args.pipelineRoleArn,
        artifactStores: [
          {
            type: "S3",
            location: args.artifactStore.bucket,
            encryptionKey: { id: args.artifactStore.keyArn, type: "KMS" },
          },
        ],
        stages: args.model.stages.map((stage) => ({
          name: stage.name,
          actions: stage.actions.map((a) => action(stage, a)),
        })),
        triggers: [
          {
            providerType: "CodeStarSourceConnection",
            gitConfiguration: {
              sourceActionName: "Source",
              pushes: [{ branches: { includes: [args.source.branch] } }],
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
}
