// One application's delivery pipeline: the CodeBuild projects (build, one per check, tests, one
// deploy project per environment for the pulumi mechanism, which runs the published policy pack)
// and the CodePipeline V2 pipeline that the engine-neutral model (model/pipeline.ts)
// describes. Buildspecs are read from the repository's buildspecs/ directory, which a platform
// team edits.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Application } from "../../model/config/schema";
import { deploysNatively, hasTestStage, PipelineModel } from "../../model/pipeline";
import { applicationNames } from "../../model/naming";
import { POLICY_PACK_BUILD_DIR, PRODUCTION_POLICY_CONFIG } from "./policy-pack";
import {
  applicationVariables,
  secretsProviderUrl,
  stateBackendUrl,
  BuildVariable,
  checkCommands,
  cloudFormationBuildspec,
  DEFAULT_IMAGE,
  readBuildspec,
} from "./build-variables";
import { stageDeclaration } from "./pipeline-stages";
import { applicationReports, deployReports, ReportGroups, withReports } from "./report-groups";

export { BUILDSPEC_DIR } from "./build-variables";

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
  /** The role the codedeploy-lambda deploy projects run as. */
  readonly codeDeployRunnerRoleArn?: pulumi.Input<string>;
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
  /** Environments whose deploys run the pack with its production policy config. Default: none. */
  readonly productionEnvironments?: readonly string[];
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
    // Each check, the test project and each deploy project that runs the smoke test publish to
    // report groups of their own, created first.
    const reporting = new Map(
      [
        ...applicationReports(args.prefix, app),
        ...deployReports(args.prefix, app, args.model.environments),
      ].map((r) => {
        const groups = new ReportGroups(
          `${name}-${r.project.slice(args.prefix.length + app.name.length + 2)}-reports`,
          { project: r.project, specs: r.specs, bucket: home.bucket, keyArn: home.keyArn },
          { parent: this },
        );
        return [r.project, { specs: r.specs, groups: [...groups.groups.values()] }] as const;
      }),
    );
    const at = { partition: args.partition, region: args.toolsRegion, account: args.toolsAccount };
    const reported = (projectName: string, buildspec: string) => {
      const r = reporting.get(projectName);
      return r ? withReports(buildspec, projectName, r.specs, at) : buildspec;
    };
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
          source: { type: "CODEPIPELINE", buildspec: reported(projectName, buildspec) },
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
        {
          ...child,
          dependsOn: [...(args.dependsOn ?? []), ...(reporting.get(projectName)?.groups ?? [])],
        },
      );
      projects.set(projectName, p);
      return p;
    };

    const appVars = applicationVariables(app);
    project(
      n.buildProject,
      args.buildRoleArn,
      app.deploy.mechanism === "cloudformation"
        ? cloudFormationBuildspec(app.deploy.templatePath, app.deploy.templateFiles)
        : readBuildspec("build.yml"),
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
    // Without a test stage the deploy builds run the smoke test (model/pipeline.ts).
    if (hasTestStage(app))
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
          // Production runs the pack with its production config (tracing policies mandatory).
          ...((args.productionEnvironments ?? []).includes(env)
            ? [
                {
                  name: "POLICY_PACK_CONFIG",
                  value: PRODUCTION_POLICY_CONFIG,
                  type: "PLAINTEXT" as const,
                },
              ]
            : []),
        ];
        if (backend.backend === "s3") {
          vars.push(
            pulumi.output(backend.bucket).apply((b): BuildVariable => ({
              name: "PULUMI_BACKEND_URL",
              value: stateBackendUrl(b, env, args.toolsRegion),
              type: "PLAINTEXT",
            })),
            {
              name: "PULUMI_SECRETS_PROVIDER",
              value: secretsProviderUrl(backend.keyAlias, args.toolsRegion),
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
            description: `Deploys ${app.name} to ${env} (pulumi preview with the policy pack, up, then its smoke test)`,
            serviceRole: roleArnOfEnv,
            source: {
              type: "CODEPIPELINE",
              buildspec: reported(n.deployProject(env), readBuildspec("deploy-pulumi.yml")),
            },
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
          {
            ...child,
            dependsOn: [
              ...(args.dependsOn ?? []),
              pack.resource,
              ...(reporting.get(n.deployProject(env))?.groups ?? []),
            ],
          },
        );
        projects.set(n.deployProject(env), p);
      }
    }

    if (app.deploy.mechanism === "codedeploy-lambda") {
      const d = app.deploy;
      const runner = args.codeDeployRunnerRoleArn;
      if (!runner)
        throw new pulumi.ResourceError(
          `${name}: the codedeploy-lambda mechanism needs its runner role (codeDeployRunnerRoleArn)`,
          this,
        );
      for (const env of args.model.environments) {
        const vars: BuildVariable[] = [
          { name: "TARGET_ENV", value: env, type: "PLAINTEXT" as const },
          { name: "FUNCTION_NAME", value: d.functionName, type: "PLAINTEXT" as const },
          { name: "FUNCTION_ALIAS", value: d.alias, type: "PLAINTEXT" as const },
          { name: "PACKAGE_PATH", value: d.packagePath, type: "PLAINTEXT" as const },
          ...(d.hooks?.beforeAllowTraffic
            ? [
                {
                  name: "HOOK_BEFORE_ALLOW_TRAFFIC",
                  value: d.hooks.beforeAllowTraffic,
                  type: "PLAINTEXT" as const,
                },
              ]
            : []),
          ...(d.hooks?.afterAllowTraffic
            ? [
                {
                  name: "HOOK_AFTER_ALLOW_TRAFFIC",
                  value: d.hooks.afterAllowTraffic,
                  type: "PLAINTEXT" as const,
                },
              ]
            : []),
        ];
        project(
          n.deployProject(env),
          runner,
          readBuildspec("deploy-codedeploy-lambda.yml"),
          vars,
          `Deploys ${app.name} to ${env}: publishes a version, shifts the ${d.alias} alias with CodeDeploy (${d.deploymentConfig})`,
        );
      }
    }

    // Artifact stores: the tools region's, plus one per region a cross-region action runs in.
    const actionRegions = new Set<string>();
    for (const stage of args.model.stages)
      for (const a of stage.actions)
        if (a.target && deploysNatively(app.deploy.mechanism)) actionRegions.add(a.target.region);
    actionRegions.delete(args.toolsRegion);
    const storeRegions = [args.toolsRegion, ...[...actionRegions].sort()];
    const crossRegion = storeRegions.length > 1;
    const artifactStores = storeRegions.map((region) => {
      const store = args.artifactStores.get(region);
      if (!store)
        throw new pulumi.ResourceError(
          `${name}: no artifact store in ${region}, where a deploy action of ${app.name} runs`,
          this,
        );
      return {
        type: "S3",
        location: store.bucket,
        encryptionKey: { id: store.keyArn, type: "KMS" },
        ...(crossRegion ? { region } : {}),
      };
    });

    const stageInputs = args.model.stages.map((stage) =>
      stageDeclaration(this, stage, args, n, checkProjects),
    );
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
}
