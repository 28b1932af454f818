// One application's pull-request pipeline (`<prefix>-<app>-pr`): started by a CodePipeline V2
// trigger on pull requests opened or updated against the configured target branches, it runs the
// build and the chosen checks in parallel and then a preview of the first environment (a `pulumi
// preview` with the policy pack, or a CloudFormation change set that is never executed). It has
// no deploy action, its projects run as the pull-request build role, which may assume only the
// application's read-only preview role, and its executions run in PARALLEL: pull requests are
// independent, and one must neither wait for nor supersede another.
// https://docs.aws.amazon.com/codepipeline/latest/userguide/pipelines-filter.html
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Application } from "../../model/config/schema";
import { applicationNames } from "../../model/naming";
import { PipelineModel, PULL_REQUEST_EVENTS, PullRequestPlan } from "../../model/pipeline";
import { BuildVariable, checkCommands, DEFAULT_IMAGE, readBuildspec } from "./build-variables";
import { stageDeclaration } from "./pipeline-stages";
import { POLICY_PACK_BUILD_DIR } from "./policy-pack";
import { ReportGroups, ReportLocation, reportSpecs, withReports } from "./report-groups";
import { PublishedPolicyPack } from "./application-pipeline";
import { parse, stringify } from "yaml";

/**
 * A buildspec without its `artifacts` section: a pull request's build hands nothing on (the
 * pipeline declares no output artifact for it, and its role may write none).
 */
export function withoutArtifacts(buildspec: string): string {
  const spec = parse(buildspec) as Record<string, unknown>;
  delete spec["artifacts"];
  return `# Generated from build.yml for a pull request: no output artifacts.\n${stringify(spec)}`;
}

export interface PullRequestPipelineArgs {
  /** The application, as validated config. */
  readonly application: Application;
  /** Its pull-request plan (branches, file paths, checks, preview environment). */
  readonly plan: PullRequestPlan;
  /** The pull-request pipeline's model. */
  readonly model: PipelineModel;
  /** The deploy pipeline's model (stack names of the preview targets follow its deploy stages). */
  readonly deployModel: PipelineModel;
  /** Naming prefix. */
  readonly prefix: string;
  /** AWS partition. */
  readonly partition: string;
  /** The tools account and home region. */
  readonly toolsAccount: string;
  readonly toolsRegion: string;
  /** The artifact store of the tools region. */
  readonly artifactStore: {
    readonly bucket: pulumi.Output<string>;
    readonly keyArn: pulumi.Output<string>;
  };
  /** Source connection ARN. */
  readonly connectionArn: pulumi.Input<string>;
  /** Role of the pull-request pipeline. */
  readonly pipelineRoleArn: pulumi.Input<string>;
  /** Role of the pull-request projects. */
  readonly buildRoleArn: pulumi.Input<string>;
  /** The published policy pack (pulumi previews). */
  readonly policyPack?: PublishedPolicyPack;
  /** Topic named in the stage arguments (the pipeline has no approval; required by the shared declarations). */
  readonly approvalTopicArn: pulumi.Input<string>;
  /** Resources the projects and the pipeline wait for (role policies). */
  readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/** The pull-request pipeline and its projects. */
export class PullRequestPipeline extends pulumi.ComponentResource {
  readonly pipelineName: pulumi.Output<string>;
  readonly pipelineArn: pulumi.Output<string>;
  /** Every CodeBuild project, by physical name. */
  readonly projects: ReadonlyMap<string, aws.codebuild.Project>;

  constructor(name: string, args: PullRequestPipelineArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:tools:PullRequestPipeline", name, {}, opts);
    const app = args.application;
    const n = applicationNames(args.prefix, app.name);
    const image = app.build.image ?? DEFAULT_IMAGE;
    const computeType = app.build.computeType ?? "BUILD_GENERAL1_SMALL";
    const store = args.artifactStore;
    const at: ReportLocation = {
      partition: args.partition,
      region: args.toolsRegion,
      account: args.toolsAccount,
    };
    const child = { parent: this, dependsOn: args.dependsOn };
    const projects = new Map<string, aws.codebuild.Project>();
    // Code under review runs here: plain variables only, never the application's secrets.
    const plain: BuildVariable[] = Object.entries(app.build.environment ?? {}).map(
      ([k, value]): BuildVariable => ({ name: k, value, type: "PLAINTEXT" }),
    );
    const project = (
      projectName: string,
      buildspec: string,
      variables: pulumi.Input<BuildVariable>[],
      description: string,
      privileged: boolean,
      extraDependsOn: pulumi.Resource[] = [],
    ) => {
      const p = new aws.codebuild.Project(
        `${name}-${projectName.slice(n.prPipeline.length + 1)}`,
        {
          name: projectName,
          description,
          serviceRole: args.buildRoleArn,
          source: { type: "CODEPIPELINE", buildspec },
          artifacts: { type: "CODEPIPELINE" },
          encryptionKey: store.keyArn,
          buildTimeout: 60,
          environment: {
            type: "LINUX_CONTAINER",
            image,
            computeType,
            privilegedMode: privileged,
            environmentVariables: variables,
          },
        },
        { ...child, dependsOn: [...(args.dependsOn ?? []), ...extraDependsOn] },
      );
      projects.set(projectName, p);
      return p;
    };

    project(
      n.prBuildProject,
      withoutArtifacts(readBuildspec("build.yml")),
      [
        ...plain,
        { name: "BUILD_COMMANDS", value: app.build.commands.join("\n"), type: "PLAINTEXT" },
      ],
      `Builds a pull request of ${app.name}`,
      app.build.privileged,
    );
    const checkProjects = new Map<string, string>();
    for (const check of args.plan.checks) {
      const projectName = n.prCheckProject(check.name);
      const specs = reportSpecs(check.kind, check.coverage);
      const reports = new ReportGroups(
        `${name}-check-${check.name}-reports`,
        { project: projectName, specs, bucket: store.bucket, keyArn: store.keyArn },
        { parent: this },
      );
      checkProjects.set(check.name, projectName);
      project(
        projectName,
        withReports(readBuildspec(`${check.kind}.yml`), projectName, specs, at),
        [...plain, ...checkCommands(check)],
        `${check.kind} check '${check.name}' of a pull request of ${app.name}`,
        app.build.privileged,
        [...reports.groups.values()],
      );
    }
    const env = args.plan.previewEnvironment;
    if (env && app.deploy.mechanism === "pulumi") {
      const pack = args.policyPack;
      if (!pack)
        throw new pulumi.ResourceError(
          `${name}: a pulumi preview needs the published policy pack (policyPack)`,
          this,
        );
      project(
        n.prPreviewProject(env),
        readBuildspec("pr-preview-pulumi.yml"),
        [
          { name: "WORKING_DIRECTORY", value: app.deploy.workingDirectory, type: "PLAINTEXT" },
          { name: "TARGET_ENV", value: env, type: "PLAINTEXT" },
          pulumi.output(pack.bucket).apply((b): BuildVariable => ({
            name: "POLICY_PACK_BUCKET",
            value: b,
            type: "PLAINTEXT",
          })),
          { name: "POLICY_PACK_KEY", value: pack.key, type: "PLAINTEXT" },
          { name: "POLICY_PACK_DIR", value: POLICY_PACK_BUILD_DIR, type: "PLAINTEXT" },
        ],
        `Previews a pull request of ${app.name} in ${env} (pulumi preview with the policy pack; never up)`,
        false,
        [pack.resource],
      );
    } else if (env && app.deploy.mechanism === "cloudformation")
      project(
        n.prPreviewProject(env),
        readBuildspec("pr-preview-cloudformation.yml"),
        [
          ...plain,
          { name: "BUILD_COMMANDS", value: app.build.commands.join("\n"), type: "PLAINTEXT" },
          { name: "TEMPLATE_PATH", value: app.deploy.templatePath, type: "PLAINTEXT" },
          { name: "TARGET_ENV", value: env, type: "PLAINTEXT" },
        ],
        `Previews a pull request of ${app.name} in ${env} (a change set, shown and deleted; never executed)`,
        false,
      );

    const stageArgs = {
      application: app,
      model: args.deployModel,
      prefix: args.prefix,
      partition: args.partition,
      connectionArn: args.connectionArn,
      approvalTopicArn: args.approvalTopicArn,
    };
    const stages = args.model.stages.map((stage) =>
      stageDeclaration(this, stage, stageArgs, n, checkProjects, {
        project: n.prBuildProject,
        outputs: false,
      }),
    );
    const filePaths = args.plan.filePaths;
    const pipeline = new aws.codepipeline.Pipeline(
      name,
      {
        name: n.prPipeline,
        pipelineType: "V2",
        executionMode: "PARALLEL",
        roleArn: args.pipelineRoleArn,
        artifactStores: [
          { type: "S3", location: store.bucket, encryptionKey: { id: store.keyArn, type: "KMS" } },
        ],
        stages,
        triggers: [
          {
            providerType: "CodeStarSourceConnection",
            gitConfiguration: {
              sourceActionName: "Source",
              // OPEN and UPDATED only: a closed (merged or abandoned) pull request starts nothing.
              pullRequests: [
                {
                  events: [...PULL_REQUEST_EVENTS],
                  branches: { includes: [...args.plan.branches] },
                  ...(filePaths
                    ? {
                        filePaths: {
                          ...(filePaths.includes ? { includes: [...filePaths.includes] } : {}),
                          ...(filePaths.excludes ? { excludes: [...filePaths.excludes] } : {}),
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
}
