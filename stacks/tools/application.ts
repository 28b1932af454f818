// The per-application step of the tools program: topic, build and pipeline roles, the pipeline
// with its projects, the CodeCommit trigger and the monitoring.
import * as pulumi from "@pulumi/pulumi";
import { AlarmGate } from "../../components/tools/alarm-gate";
import { ApplicationPipeline } from "../../components/tools/application-pipeline";
import { ArtifactStore } from "../../components/tools/artifact-store";
import { CodeCommitTrigger } from "../../components/tools/codecommit-trigger";
import {
  ArtifactAccess,
  buildRolePolicy,
  codeCommitRepositoryArn,
  codeDeployRunnerPolicy,
  pipelineRolePolicy,
  pullRequestBuildRolePolicy,
  serviceTrust,
} from "../../model/iam/tools";
import { DutyRole } from "../../components/tools/duty-role";
import { NotificationTopic } from "../../components/tools/notifications";
import { PipelineMonitoring } from "../../components/tools/pipeline-monitoring";
import { PullRequestPipeline } from "../../components/tools/pull-request-pipeline";
import {
  applicationReports,
  pullRequestReports,
  reportExportPrefix,
  reportGroupsOf,
} from "../../components/tools/report-groups";
import { SourceConnections } from "../../components/tools/source-connection";
import { isCodeDeploy, Organization } from "../../model/config/schema";
import { isProduction } from "../../model/config";
import {
  deploysFromProject,
  deploysNatively,
  hasTestStage,
  PipelineModel,
  pullRequestModel,
  pullRequestPlan,
} from "../../model/pipeline";
import { applicationNames, environmentNames } from "../../model/naming";
import { ToolsBase } from "./base";
import { Notifications, PulumiState } from "./account";

/** What the application steps share from the account-wide steps. */
export interface SharedDelivery {
  readonly stores: Map<string, ArtifactStore>;
  readonly artifacts: pulumi.Output<ArtifactAccess>;
  readonly connections: SourceConnections;
  readonly pulumiState: PulumiState;
  readonly deployRoles: Map<string, DutyRole>;
  /** The alarm gate of each watched environment. */
  readonly gates: Map<string, AlarmGate>;
  readonly notifications: Notifications;
}

/**
 * One application's delivery: its topic (when it has subscribers), its build and pipeline roles,
 * the pipeline with its projects, the CodeCommit trigger and the monitoring. Returns the pipeline.
 */
export function applicationDelivery(
  b: ToolsBase,
  shared: SharedDelivery,
  app: Organization["applications"][number],
  model: PipelineModel,
): ApplicationPipeline {
  const { ctx, prefix, scope, home } = b;
  const { partition } = ctx;
  const { artifacts, notifications, deployRoles } = shared;
  const projectArn = (name: string) =>
    `arn:${partition}:codebuild:${ctx.region}:${ctx.account}:project/${name}`;
  const n = applicationNames(prefix, app.name);
  const appTopic =
    (app.notifications?.subscribers.length ?? 0) > 0
      ? new NotificationTopic(
          `${prefix}-${app.name}-events`,
          {
            scope,
            topicName: n.notificationTopic,
            keyArn: notifications.key.arn,
            subscribers: app.notifications?.subscribers,
          },
          home,
        )
      : undefined;
  const topics = [notifications.topic, ...(appTopic ? [appTopic] : [])];
  const checkProjects = app.build.checks
    .filter((c) => c.kind !== "integration-tests")
    .map((c) => n.checkProject(c.name));
  const buildProjects = [
    n.buildProject,
    ...checkProjects,
    ...(hasTestStage(app) ? [n.testProject] : []),
  ];
  const deployProjects = deploysFromProject(app.deploy.mechanism)
    ? model.environments.map((e) => n.deployProject(e))
    : [];
  const connectionArn = shared.connections.arnFor(app);
  const buildRole = new DutyRole(
    `${prefix}-${app.name}-build`,
    {
      roleName: n.buildRole,
      description: `Builds, checks and tests ${app.name}; assumes no role`,
      trust: serviceTrust(scope, "codebuild.amazonaws.com"),
      policy: artifacts.apply((a) =>
        buildRolePolicy(scope, {
          region: ctx.region,
          projects: buildProjects,
          artifacts: a,
          secrets: app.secrets,
          reportGroups: reportGroupsOf(applicationReports(prefix, app)),
        }),
      ),
    },
    home,
  );
  // The alarm gates this pipeline starts: those of the watched environments it deploys to.
  const gates = model.environments
    .map((e) => shared.gates.get(e))
    .filter((g): g is AlarmGate => g !== undefined);
  const gateProjects = b.org.environments
    .filter((e) => model.environments.includes(e.name) && shared.gates.has(e.name))
    .map((e) => environmentNames(prefix, e.name).alarmGateProject);
  const repositoryArn =
    app.source.provider === "codecommit"
      ? codeCommitRepositoryArn(partition, ctx.region, ctx.account, app.source.repository)
      : undefined;
  const pipelineRole = new DutyRole(
    `${prefix}-${app.name}-pipeline`,
    {
      roleName: n.pipelineRole,
      description: `Runs the ${app.name} pipeline`,
      trust: serviceTrust(scope, "codepipeline.amazonaws.com"),
      policy: pulumi
        .all([
          artifacts,
          pulumi.output(connectionArn),
          pulumi.all(topics.map((t) => t.arn)),
          notifications.key.arn,
        ])
        .apply(([a, conn, topicArns, notificationKeyArn]) =>
          pipelineRolePolicy(scope, {
            artifacts: a,
            connectionArn: conn,
            codeCommitRepositoryArn: repositoryArn,
            projectArns: [...buildProjects, ...deployProjects, ...gateProjects].map(projectArn),
            topicArns,
            notificationKeyArn,
            region: ctx.region,
            cloudFormationEnvironments:
              app.deploy.mechanism === "cloudformation" ? model.environments : [],
            // Native CodeDeploy actions run with this application's own action role of each
            // environment; a codedeploy-lambda deployment assumes it from its deploy project.
            codeDeployActionRoles:
              isCodeDeploy(app.deploy) && deploysNatively(app.deploy.mechanism)
                ? model.environments.map((env) => ({ env, name: n.codeDeployActionRole(env) }))
                : [],
          }),
        ),
    },
    home,
  );
  const runnerRole =
    app.deploy.mechanism === "codedeploy-lambda"
      ? new DutyRole(
          `${prefix}-${app.name}-codedeploy`,
          {
            roleName: n.codeDeployRunnerRole,
            description: `Deploys ${app.name} with CodeDeploy; assumes only ${app.name}'s CodeDeploy action roles`,
            trust: serviceTrust(scope, "codebuild.amazonaws.com"),
            policy: artifacts.apply((a) =>
              codeDeployRunnerPolicy(scope, {
                region: ctx.region,
                application: app.name,
                environments: model.environments,
                artifacts: a,
              }),
            ),
          },
          home,
        )
      : undefined;
  const { policyPack, backend } = shared.pulumiState;
  const pipeline = new ApplicationPipeline(
    `${prefix}-${app.name}`,
    {
      application: app,
      model,
      prefix,
      partition,
      toolsAccount: ctx.account,
      toolsRegion: ctx.region,
      artifactStores: shared.stores,
      connectionArn,
      pipelineRoleArn: pipelineRole.arn,
      buildRoleArn: buildRole.arn,
      ...(runnerRole ? { codeDeployRunnerRoleArn: runnerRole.arn } : {}),
      deployRoleArns: new Map([...deployRoles].map(([e, r]) => [e, r.arn])),
      dependsOn: [
        pipelineRole.policy,
        buildRole.policy,
        ...(runnerRole ? [runnerRole.policy] : []),
        ...[...deployRoles.values()].map((r) => r.policy),
        ...gates.map((g) => g.project),
      ],
      pulumiBackend: backend,
      policyPack: policyPack && {
        bucket: policyPack.bucket,
        key: policyPack.key,
        resource: policyPack.object,
      },
      approvalTopicArn: notifications.topic.arn,
      productionEnvironments: b.org.environments.filter(isProduction).map((e) => e.name),
    },
    home,
  );
  // V2 triggers serve connections only: pushes to a CodeCommit branch arrive through EventBridge.
  if (app.source.provider === "codecommit")
    new CodeCommitTrigger(
      `${prefix}-${app.name}-source`,
      {
        scope,
        region: ctx.region,
        application: app.name,
        repository: app.source.repository,
        branch: app.source.branch,
        pipelineName: n.pipeline,
        pipelineArn: pipeline.pipelineArn,
      },
      home,
    );
  pullRequestDelivery(b, shared, app, model, connectionArn, topics);
  new PipelineMonitoring(
    `${prefix}-${app.name}-monitoring`,
    {
      prefix,
      application: app.name,
      pipelineName: pipeline.pipelineName,
      pipelineArn: pipeline.pipelineArn,
      projects: pipeline.projects,
      topicArns: topics.map((t) => t.arn),
      dependsOn: topics.map((t) => t.policy),
    },
    home,
  );
  return pipeline;
}

/**
 * The pull-request pipeline of an application with a connection source: its own pipeline and
 * build roles (the build role assumes only the application's read-only preview role), the
 * pipeline with its projects and report groups, and the same failure notifications and alarms
 * as the deploy pipeline. Nothing when the application has none (CodeCommit, or disabled).
 */
function pullRequestDelivery(
  b: ToolsBase,
  shared: SharedDelivery,
  app: Organization["applications"][number],
  deployModel: PipelineModel,
  connectionArn: pulumi.Input<string> | undefined,
  topics: readonly NotificationTopic[],
): PullRequestPipeline | undefined {
  const plan = pullRequestPlan(b.org, app);
  const model = pullRequestModel(b.org, app);
  if (!plan || !model || connectionArn === undefined) return undefined;
  const { ctx, prefix, scope, home } = b;
  const n = applicationNames(prefix, app.name);
  const env = plan.previewEnvironment;
  // The projects the pipeline role starts, each by name.
  const projects = [
    n.prBuildProject,
    ...plan.checks.map((c) => n.prCheckProject(c.name)),
    ...(env ? [n.prPreviewProject(env)] : []),
  ];
  const reports = pullRequestReports(prefix, app, plan.checks);
  const store = shared.stores.get(ctx.region)!;
  const pulumiPreview = env !== undefined && app.deploy.mechanism === "pulumi";
  const buildRole = new DutyRole(
    `${prefix}-${app.name}-pr-build`,
    {
      roleName: n.prBuildRole,
      description: `Builds, checks and previews pull requests of ${app.name}; assumes only its read-only preview role`,
      trust: serviceTrust(scope, "codebuild.amazonaws.com"),
      policy: pulumi
        .all([shared.artifacts, store.bucketArn, shared.pulumiState.packAccess])
        .apply(([a, bucketArn, pack]) =>
          pullRequestBuildRolePolicy(scope, {
            region: ctx.region,
            // `<prefix>-<app>-pr-*` names this application's pull-request projects and their
            // report groups alone (no application may be named `<app>-pr...`), in a document
            // that does not grow with its checks.
            projects: [`${n.prPipeline}-*`],
            artifacts: a,
            reportExports: {
              bucketArn,
              prefixes: [reportExportPrefix(`${n.prPipeline}-*`)],
            },
            reportGroups: reports.length > 0 ? [`${n.prPipeline}-*`] : [],
            previewRoles: env ? [{ env, name: n.previewRole(env) }] : [],
            ...(pulumiPreview && pack ? { policyPack: pack } : {}),
          }),
        ),
    },
    home,
  );
  const projectArn = (name: string) =>
    `arn:${ctx.partition}:codebuild:${ctx.region}:${ctx.account}:project/${name}`;
  const pipelineRole = new DutyRole(
    `${prefix}-${app.name}-pr-pipeline`,
    {
      roleName: n.prPipelineRole,
      description: `Runs the ${app.name} pull-request pipeline; assumes no role`,
      trust: serviceTrust(scope, "codepipeline.amazonaws.com"),
      policy: pulumi
        .all([shared.artifacts, pulumi.output(connectionArn), shared.notifications.key.arn])
        .apply(([a, conn, notificationKeyArn]) =>
          pipelineRolePolicy(scope, {
            artifacts: a,
            connectionArn: conn,
            projectArns: projects.map(projectArn),
            // No approval, no native deploy action: no topic and no role to assume.
            topicArns: [],
            notificationKeyArn,
            region: ctx.region,
            cloudFormationEnvironments: [],
            codeDeployActionRoles: [],
          }),
        ),
    },
    home,
  );
  const { policyPack } = shared.pulumiState;
  const pipeline = new PullRequestPipeline(
    `${prefix}-${app.name}-pr`,
    {
      application: app,
      plan,
      model,
      deployModel,
      prefix,
      partition: ctx.partition,
      toolsAccount: ctx.account,
      toolsRegion: ctx.region,
      artifactStore: { bucket: store.bucket, keyArn: store.keyArn },
      connectionArn,
      pipelineRoleArn: pipelineRole.arn,
      buildRoleArn: buildRole.arn,
      policyPack: policyPack && {
        bucket: policyPack.bucket,
        key: policyPack.key,
        resource: policyPack.object,
      },
      approvalTopicArn: shared.notifications.topic.arn,
      dependsOn: [pipelineRole.policy, buildRole.policy],
    },
    home,
  );
  new PipelineMonitoring(
    `${prefix}-${app.name}-pr-monitoring`,
    {
      prefix,
      application: `${app.name}-pr`,
      pipelineName: pipeline.pipelineName,
      pipelineArn: pipeline.pipelineArn,
      projects: pipeline.projects,
      topicArns: topics.map((t) => t.arn),
      dependsOn: topics.map((t) => t.policy),
    },
    home,
  );
  return pipeline;
}
