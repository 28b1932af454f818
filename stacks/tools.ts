// The tools account program: the artifact stores, the source connections, the duty roles, one
// pipeline per application with its projects, notifications and alarms (and, for CodeCommit
// sources, the EventBridge rule that starts it), the Pulumi state store with the published policy
// pack, and the audit trail. Every name comes from model/naming.ts and every pipeline's shape
// from model/pipeline.ts.
import * as pulumi from "@pulumi/pulumi";
import { AccountProviders } from "../components/account-providers";
import { ApplicationPipeline, PulumiBackend } from "../components/tools/application-pipeline";
import { ArtifactStore } from "../components/tools/artifact-store";
import { AuditTrail } from "../components/tools/audit-trail";
import { CodeCommitTrigger } from "../components/tools/codecommit-trigger";
import {
  ArtifactAccess,
  buildRolePolicy,
  codeCommitRepositoryArn,
  deployRolePolicy,
  pipelineRolePolicy,
  PolicyPackAccess,
  serviceTrust,
  StateAccess,
  ToolsScope,
} from "../model/iam/tools";
import { DutyRole } from "../components/tools/duty-role";
import { NotificationKey, NotificationTopic } from "../components/tools/notifications";
import { PipelineMonitoring } from "../components/tools/pipeline-monitoring";
import { POLICY_PACK_PREFIX, PolicyPackObject } from "../components/tools/policy-pack";
import { SourceConnections } from "../components/tools/source-connection";
import { StateStore } from "../components/tools/state-store";
import { Organization } from "../model/config/schema";
import { ConfigError, ConfigProblem, ToolsContext } from "../model/config";
import { isWatched, modelProblems, pipelineModel, PipelineModel } from "../model/pipeline";
import { applicationNames, environmentNames, roleArn, toolsNames } from "../model/naming";

/** The organization facts every tools document needs. */
export function toolsScope(org: Organization, partition: string): ToolsScope {
  return {
    partition,
    prefix: org.prefix,
    toolsAccount: org.tools.account,
    orgId: org.id,
    environments: org.environments.map((e) => ({
      name: e.name,
      accounts: e.accounts.map((a) => a.id),
    })),
  };
}

/** Regions that need an artifact store: the tools region and every cloudformation target region. */
export function artifactRegions(toolsRegion: string, models: readonly PipelineModel[]): string[] {
  const regions = new Set<string>();
  for (const m of models)
    if (m.mechanism === "cloudformation")
      for (const s of m.stages)
        for (const a of s.actions) if (a.target) regions.add(a.target.region);
  regions.delete(toolsRegion);
  return [toolsRegion, ...[...regions].sort()];
}

/**
 * What CodePipeline would refuse in the tools account's pipelines, as config problems: a model
 * beyond CodePipeline's limits (too many stages once large gated environments split into waves),
 * and a CodeCommit repository name CodeCommit cannot have.
 */
export function toolsProblems(
  org: Organization,
  models: readonly PipelineModel[],
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  org.applications.forEach((app, i) => {
    const at = `organization.applications[${i}]`;
    for (const message of modelProblems(models[i]))
      problems.push({ path: at, message: `the ${app.name} pipeline: ${message}` });
    if (
      app.source.provider === "codecommit" &&
      !/^[A-Za-z0-9._-]{1,100}$/.test(app.source.repository)
    )
      problems.push({
        path: `${at}.source.repository`,
        message: `"${app.source.repository}" is not a CodeCommit repository name; write the repository's name alone (letters, digits, '.', '_', '-'; at most 100 characters)`,
      });
  });
  return problems;
}

/** Builds the tools account. Returns the stack outputs. */
export function toolsProgram(ctx: ToolsContext) {
  const { org, partition } = ctx;
  const prefix = org.prefix;
  const scope = toolsScope(org, partition);
  const tn = toolsNames(prefix, ctx.account);
  const models = org.applications.map((app) => pipelineModel(org, app));
  // Before the first resource: a pipeline CodePipeline would reject creates nothing.
  const problems = toolsProblems(org, models);
  if (problems.length > 0) throw new ConfigError(problems);
  const regions = artifactRegions(ctx.region, models);
  const providers = new AccountProviders(`${prefix}-tools`, {
    account: ctx.account,
    regions,
    tags: { "platform:stack": ctx.stack, "platform:role": "tools" },
  });
  const home = { providers: [providers.home] };
  const arnOf = (name: string) => roleArn(partition, ctx.account, name);
  const projectArn = (name: string) =>
    `arn:${partition}:codebuild:${ctx.region}:${ctx.account}:project/${name}`;

  // Who moves artifacts: every pipeline and build role, and the deploy role of each environment.
  const envNames = org.promotionOrder;
  const deployRoleArns = envNames.map((e) => arnOf(environmentNames(prefix, e).toolsDeployRole));
  // Application roles as name patterns (`<prefix>-*-pipeline`, `<prefix>-*-build`): only the
  // platform creates roles in the tools account, and a pattern keeps the key policies the same
  // size however many applications there are.
  const anyApp = applicationNames(prefix, "*");
  const pipelineRolePattern = arnOf(anyApp.pipelineRole);
  const toolsRoleArns = [pipelineRolePattern, arnOf(anyApp.buildRole), ...deployRoleArns];

  const stores = new Map<string, ArtifactStore>();
  for (const region of regions)
    stores.set(
      region,
      new ArtifactStore(
        `${prefix}-artifacts-${region}`,
        { scope, region, toolsRoleArns },
        { providers: [providers.forRegion(region)] },
      ),
    );
  const artifacts: pulumi.Output<ArtifactAccess> = pulumi
    .all([...stores.values()].map((s) => pulumi.all([s.bucketArn, s.keyArn])))
    .apply((pairs) => ({ bucketArns: pairs.map((p) => p[0]), keyArns: pairs.map((p) => p[1]) }));

  const connections = new SourceConnections(
    `${prefix}-source`,
    { prefix, toolsAccount: ctx.account, applications: org.applications },
    home,
  );

  // The platform's Pulumi bucket: it holds the published policy pack whenever an application
  // deploys with Pulumi, and the state too with the S3 backend (else a Pulumi Cloud token in
  // Secrets Manager).
  const usesPulumi = org.applications.some((a) => a.deploy.mechanism === "pulumi");
  let stateStore: StateStore | undefined;
  let policyPack: PolicyPackObject | undefined;
  let packAccess: pulumi.Output<PolicyPackAccess | undefined> = pulumi.output(undefined);
  let state: pulumi.Output<StateAccess> = pulumi.output<StateAccess>({ backend: "none" });
  let backend: PulumiBackend | undefined;
  if (usesPulumi) {
    const store = new StateStore(
      `${prefix}-state`,
      { scope, region: ctx.region, deployRoleArns },
      home,
    );
    stateStore = store;
    policyPack = new PolicyPackObject(
      `${prefix}-policy-pack`,
      { bucket: store.bucket, kmsKeyArn: store.keyArn },
      { ...home, dependsOn: [store] },
    );
    packAccess = pulumi
      .all([store.bucketArn, store.keyArn])
      .apply(([bucketArn, keyArn]) => ({ bucketArn, keyArn, prefix: POLICY_PACK_PREFIX }));
  }
  if (stateStore && org.pulumiState.backend === "s3") {
    state = pulumi
      .all([stateStore.bucketArn, stateStore.keyArn])
      .apply(([bucketArn, keyArn]): StateAccess => ({ backend: "s3", bucketArn, keyArn }));
    backend = { backend: "s3", bucket: stateStore.bucket, keyAlias: stateStore.keyAlias };
  } else if (stateStore && org.pulumiState.backend === "pulumi-cloud") {
    const tokenSecretArn = org.pulumiState.accessTokenSecretArn;
    state = pulumi.output<StateAccess>({ backend: "pulumi-cloud", tokenSecretArn });
    backend = {
      backend: "pulumi-cloud",
      tokenSecretArn,
      organization: org.pulumiState.organization,
    };
  }

  // One deploy role per environment: it may assume only that environment's workload deploy role.
  const deployRoles = new Map<string, DutyRole>();
  for (const env of envNames) {
    // Every application's deploy project of this environment, as one name pattern: the role's
    // policy stays the same size however many applications deploy.
    const usesEnv = org.applications.some(
      (a) =>
        a.deploy.mechanism === "pulumi" &&
        models.find((m) => m.application === a.name)?.environments.includes(env),
    );
    const projects = usesEnv ? [applicationNames(prefix, "*").deployProject(env)] : [];
    deployRoles.set(
      env,
      new DutyRole(
        `${prefix}-tools-deploy-${env}`,
        {
          roleName: environmentNames(prefix, env).toolsDeployRole,
          description: `Runs the ${env} deploy projects; assumes only ${env}'s workload deploy role`,
          trust: serviceTrust(scope, "codebuild.amazonaws.com"),
          policy: pulumi.all([artifacts, state, packAccess]).apply(([a, s, p]) =>
            deployRolePolicy(scope, {
              region: ctx.region,
              environment: env,
              projects,
              artifacts: a,
              state: s,
              policyPack: projects.length > 0 ? p : undefined,
            }),
          ),
        },
        home,
      ),
    );
  }

  // Notifications: one encrypted topic for the organization, one per application with subscribers.
  const key = new NotificationKey(
    `${prefix}-notifications`,
    { scope, alias: tn.notificationKeyAlias, publisherRoleArns: [pipelineRolePattern] },
    home,
  );
  const orgTopic = new NotificationTopic(
    `${prefix}-pipeline-events`,
    {
      scope,
      topicName: tn.notificationTopic,
      keyArn: key.arn,
      subscribers: org.notifications.subscribers,
    },
    home,
  );

  const pipelines: Record<string, pulumi.Output<string>> = {};
  org.applications.forEach((app, i) => {
    const model = models[i];
    const n = applicationNames(prefix, app.name);
    const appTopic =
      (app.notifications?.subscribers.length ?? 0) > 0
        ? new NotificationTopic(
            `${prefix}-${app.name}-events`,
            {
              scope,
              topicName: n.notificationTopic,
              keyArn: key.arn,
              subscribers: app.notifications?.subscribers,
            },
            home,
          )
        : undefined;
    const topics = [orgTopic, ...(appTopic ? [appTopic] : [])];
    const checkProjects = app.build.checks
      .filter((c) => c.kind !== "integration-tests")
      .map((c) => n.checkProject(c.name));
    const buildProjects = [n.buildProject, ...checkProjects, n.testProject];
    const deployProjects =
      app.deploy.mechanism === "pulumi" ? model.environments.map((e) => n.deployProject(e)) : [];
    const connectionArn = connections.arnFor(app);
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
          }),
        ),
      },
      home,
    );
    const gated = org.environments
      .filter((e) => model.environments.includes(e.name))
      .filter(isWatched)
      .map((e) => e.name);
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
          .all([artifacts, pulumi.output(connectionArn), pulumi.all(topics.map((t) => t.arn))])
          .apply(([a, conn, topicArns]) =>
            pipelineRolePolicy(scope, {
              artifacts: a,
              connectionArn: conn,
              codeCommitRepositoryArn: repositoryArn,
              projectArns: [...buildProjects, ...deployProjects].map(projectArn),
              topicArns,
              gatedEnvironments: gated,
              cloudFormationEnvironments:
                app.deploy.mechanism === "cloudformation" ? model.environments : [],
            }),
          ),
      },
      home,
    );
    const pipeline = new ApplicationPipeline(
      `${prefix}-${app.name}`,
      {
        application: app,
        model,
        prefix,
        partition,
        toolsAccount: ctx.account,
        toolsRegion: ctx.region,
        artifactStores: stores,
        connectionArn,
        pipelineRoleArn: pipelineRole.arn,
        buildRoleArn: buildRole.arn,
        deployRoleArns: new Map([...deployRoles].map(([e, r]) => [e, r.arn])),
        dependsOn: [
          pipelineRole.policy,
          buildRole.policy,
          ...[...deployRoles.values()].map((r) => r.policy),
        ],
        pulumiBackend: backend,
        policyPack: policyPack && {
          bucket: policyPack.bucket,
          key: policyPack.key,
          resource: policyPack.object,
        },
        approvalTopicArn: orgTopic.arn,
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
    pipelines[app.name] = pipeline.pipelineArn;
  });

  const trail = new AuditTrail(`${prefix}-audit`, { scope, region: ctx.region }, home);

  return {
    role: ctx.role,
    account: ctx.account,
    region: ctx.region,
    providerRegions: [...providers.byRegion.keys()],
    artifactBuckets: Object.fromEntries([...stores].map(([r, s]) => [r, s.bucket])),
    pipelines,
    stateBucket: stateStore?.bucket,
    policyPack: policyPack && { bucket: policyPack.bucket, key: policyPack.key },
    notificationTopic: orgTopic.arn,
    trail: trail.arn,
    // The workload roles each environment's deployments assume, computed from the shared names.
    workloadDeployRoles: Object.fromEntries(
      org.environments.map((env) => [
        env.name,
        env.accounts.map((a) =>
          roleArn(ctx.partition, a.id, environmentNames(org.prefix, env.name).workloadDeployRole),
        ),
      ]),
    ),
  };
}
