// The platform step of the tools program, when organization.platform is set: the platform
// pipeline (`<prefix>-platform`) that validates the blueprint, updates the tools stack and then
// every workload stack (platformStacks) under its account's bootstrap role, with its three roles
// (pipeline, validate, deployer), its connection and its monitoring.
import * as pulumi from "@pulumi/pulumi";
import { ArtifactStore } from "../../components/tools/artifact-store";
import { DutyRole } from "../../components/tools/duty-role";
import { PipelineMonitoring } from "../../components/tools/pipeline-monitoring";
import { PlatformPipeline } from "../../components/tools/platform-pipeline";
import { SourceConnections } from "../../components/tools/source-connection";
import { ConfigError } from "../../model/config";
import { Application } from "../../model/config/schema";
import { ArtifactAccess, pipelineRolePolicy, serviceTrust } from "../../model/iam/tools";
import {
  deployerRolePolicy,
  projectTrust,
  validateRolePolicy,
} from "../../model/iam/tools/platform";
import { platformNames } from "../../model/naming";
import { platformModelProblems, platformPipelineModel } from "../../model/platform-pipeline";
import { platformStacks } from "../platform-stacks";
import { Notifications, PulumiState } from "./account";
import { ToolsBase } from "./base";

/** What the platform step uses of the account-wide steps. */
export interface PlatformShared {
  readonly stores: Map<string, ArtifactStore>;
  readonly artifacts: pulumi.Output<ArtifactAccess>;
  readonly connections: SourceConnections;
  readonly pulumiState: PulumiState;
  readonly notifications: Notifications;
}

/** The platform pipeline, or undefined when organization.platform is not set. */
export function platformDelivery(
  b: ToolsBase,
  shared: PlatformShared,
): PlatformPipeline | undefined {
  const platform = b.org.platform;
  if (!platform) return undefined;
  const { ctx, prefix, scope, home } = b;
  const n = platformNames(prefix);
  const source = platform.source;
  const model = platformPipelineModel(b.org, platformStacks(b.org), ctx.partition);
  const provider = source.provider;
  if (provider === "codecommit")
    throw new ConfigError([
      {
        path: "organization.platform.source.provider",
        message:
          "is codecommit; the platform pipeline reads its source through a connection: use github, gitlab or bitbucket",
      },
    ]);
  const problems = platformModelProblems(model);
  if (problems.length > 0)
    throw new ConfigError(problems.map((message) => ({ path: "organization.platform", message })));
  const { stateStore, packAccess } = shared.pulumiState;
  if (!stateStore)
    throw new ConfigError([
      {
        path: "organization.platform",
        message: "the platform pipeline needs the tools state bucket; it is created with platform",
      },
    ]);
  // The connection of the platform's provider: the one the applications share, else its own.
  const connectionArn: pulumi.Input<string> =
    source.connectionArn ??
    shared.connections.created.get(provider)?.arn ??
    // No application uses the provider: a connection of its own, named as the applications'
    // would be (SourceConnections reads only an application's source).
    new SourceConnections(
      `${prefix}-platform-source`,
      {
        prefix,
        toolsAccount: ctx.account,
        applications: [{ source } as unknown as Application],
      },
      home,
    ).created.get(provider)!.arn;
  const store = shared.stores.get(ctx.region)!;
  const projectArn = (name: string) =>
    `arn:${ctx.partition}:codebuild:${ctx.region}:${ctx.account}:project/${name}`;
  const deployProjects = [
    n.toolsProject,
    ...model.environments.map((e) => n.workloadUpdateProject(e)),
  ];
  const pipelineRole = new DutyRole(
    `${prefix}-platform-pipeline`,
    {
      roleName: n.pipelineRole,
      description: "Runs the platform pipeline; starts only the platform's projects",
      trust: serviceTrust(scope, "codepipeline.amazonaws.com"),
      policy: pulumi
        .all([
          shared.artifacts,
          pulumi.output(connectionArn),
          shared.notifications.topic.arn,
          shared.notifications.key.arn,
        ])
        .apply(([a, conn, topicArn, keyArn]) =>
          pipelineRolePolicy(scope, {
            artifacts: a,
            connectionArn: conn,
            projectArns: [n.validateProject, ...deployProjects].map(projectArn),
            topicArns: [topicArn],
            notificationKeyArn: keyArn,
            region: ctx.region,
            cloudFormationEnvironments: [],
            codeDeployActionRoles: [],
          }),
        ),
    },
    home,
  );
  const validateRole = new DutyRole(
    `${prefix}-platform-validate`,
    {
      roleName: n.validateRole,
      description: "Validates the platform (tests, offline plan); no deploy right",
      trust: projectTrust(scope, ctx.region, [n.validateProject]),
      policy: shared.artifacts.apply((a) =>
        validateRolePolicy(scope, { region: ctx.region, artifacts: a }),
      ),
    },
    home,
  );
  const deployer = new DutyRole(
    `${prefix}-platform-deployer`,
    {
      roleName: n.deployerRole,
      description: "Updates the tools stack and, through bootstrap roles only, the workload stacks",
      trust: projectTrust(scope, ctx.region, [n.toolsProject, n.workloadUpdateProject("*")]),
      policy: pulumi
        .all([shared.artifacts, stateStore.bucketArn, stateStore.keyArn, packAccess])
        .apply(([a, bucketArn, keyArn, pack]) =>
          deployerRolePolicy(scope, {
            region: ctx.region,
            artifacts: a,
            state: { bucketArn, keyArn },
            ...(pack ? { policyPack: pack } : {}),
          }),
        ),
    },
    home,
  );
  const pipeline = new PlatformPipeline(
    `${prefix}-platform`,
    {
      source,
      model,
      prefix,
      toolsRegion: ctx.region,
      artifactStore: { bucket: store.bucket, keyArn: store.keyArn },
      connectionArn,
      pipelineRoleArn: pipelineRole.arn,
      validateRoleArn: validateRole.arn,
      deployerRoleArn: deployer.arn,
      stateBucket: stateStore.bucket,
      stateKeyAlias: stateStore.keyAlias,
      approvalTopicArn: shared.notifications.topic.arn,
      dependsOn: [pipelineRole.policy, validateRole.policy, deployer.policy],
    },
    home,
  );
  new PipelineMonitoring(
    `${prefix}-platform-monitoring`,
    {
      prefix,
      application: "platform",
      pipelineName: pipeline.pipelineName,
      pipelineArn: pipeline.pipelineArn,
      projects: pipeline.projects,
      topicArns: [shared.notifications.topic.arn],
      dependsOn: [shared.notifications.topic.policy],
    },
    home,
  );
  return pipeline;
}
