// The account-wide steps of the tools program: the artifact stores, the Pulumi state store with
// the published policy pack, one deploy role and one alarm gate per environment, and the
// organization's notifications.
import * as pulumi from "@pulumi/pulumi";
import { PulumiBackend } from "../../components/tools/application-pipeline";
import { AlarmGate } from "../../components/tools/alarm-gate";
import { ConfigCompliance } from "../../components/shared/config-compliance";
import { ConfigAggregator } from "../../components/tools/config-aggregator";
import { aggregationOf, aggregatorSources, toolsConfigSettings } from "../../model/compliance";
import { ArtifactStore } from "../../components/tools/artifact-store";
import {
  ArtifactAccess,
  deployRolePolicy,
  PolicyPackAccess,
  serviceTrust,
  StateAccess,
} from "../../model/iam/tools";
import { DutyRole } from "../../components/tools/duty-role";
import { DeliveryDashboards } from "../../components/tools/delivery-dashboard";
import { DeliveryMetrics } from "../../components/tools/delivery-metrics";
import { isProduction } from "../../model/config";
import { Application } from "../../model/config/schema";
import { NotificationKey, NotificationTopic } from "../../components/tools/notifications";
import { POLICY_PACK_PREFIX, PolicyPackObject } from "../../components/tools/policy-pack";
import { StateStore } from "../../components/tools/state-store";
import {
  applicationNames,
  environmentNames,
  platformNames,
  reportGroupName,
  toolsNames,
} from "../../model/naming";
import {
  buildChecks,
  deploysFromProject,
  hasTestStage,
  isWatched,
  PipelineModel,
} from "../../model/pipeline";
import { ToolsBase } from "./base";
import { driftEnabled } from "../../model/drift";

/** One artifact store per region: the tools region and every CloudFormation target region. */
export function artifactStores(b: ToolsBase) {
  // Who moves artifacts: every pipeline and build role, the deploy role of each environment, and
  // the alarm gates (CodeBuild hands every action its input artifact).
  const toolsRoleArns = [
    b.pipelineRolePattern,
    b.arnOf(applicationNames(b.prefix, "*").buildRole),
    ...b.deployRoleArns,
    ...(b.org.platform ? [b.arnOf(platformNames(b.prefix).validateRole)] : []),
    ...(b.org.environments.some(isWatched)
      ? [b.arnOf(environmentNames(b.prefix, "*").alarmGateRole)]
      : []),
  ];
  const stores = new Map<string, ArtifactStore>();
  for (const region of b.providers.byRegion.keys())
    stores.set(
      region,
      new ArtifactStore(
        `${b.prefix}-artifacts-${region}`,
        { scope: b.scope, region, toolsRoleArns },
        { providers: [b.providers.forRegion(region)] },
      ),
    );
  const access: pulumi.Output<ArtifactAccess> = pulumi
    .all([...stores.values()].map((s) => pulumi.all([s.bucketArn, s.keyArn])))
    .apply((pairs) => ({ bucketArns: pairs.map((p) => p[0]), keyArns: pairs.map((p) => p[1]) }));
  return { stores, access };
}

/**
 * The platform's Pulumi bucket: it holds the published policy pack whenever an application
 * deploys with Pulumi, and the state too with the S3 backend (else a Pulumi Cloud token in
 * Secrets Manager).
 */
export function pulumiStateStore(b: ToolsBase) {
  const { org } = b;
  let stateStore: StateStore | undefined;
  let policyPack: PolicyPackObject | undefined;
  let packAccess: pulumi.Output<PolicyPackAccess | undefined> = pulumi.output(undefined);
  let state: pulumi.Output<StateAccess> = pulumi.output<StateAccess>({ backend: "none" });
  let backend: PulumiBackend | undefined;
  // The platform pipeline keeps its own stacks' state there too (under platform/).
  if (org.platform || org.applications.some((a) => a.deploy.mechanism === "pulumi")) {
    const store = new StateStore(
      `${b.prefix}-state`,
      { scope: b.scope, region: b.ctx.region, deployRoleArns: b.deployRoleArns },
      b.home,
    );
    stateStore = store;
    // The platform pipeline runs the pack from its own source: published for applications only.
    if (org.applications.some((a) => a.deploy.mechanism === "pulumi")) {
      policyPack = new PolicyPackObject(
        `${b.prefix}-policy-pack`,
        { bucket: store.bucket, kmsKeyArn: store.keyArn },
        { ...b.home, dependsOn: [store] },
      );
      packAccess = pulumi
        .all([store.bucketArn, store.keyArn])
        .apply(([bucketArn, keyArn]) => ({ bucketArn, keyArn, prefix: POLICY_PACK_PREFIX }));
    }
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
  return { stateStore, policyPack, packAccess, state, backend };
}

/** One deploy role per environment: it may assume only that environment's workload deploy role. */
export function environmentDeployRoles(
  b: ToolsBase,
  artifacts: pulumi.Output<ArtifactAccess>,
  pulumiState: PulumiState,
): Map<string, DutyRole> {
  const { org, prefix, scope } = b;
  const deployRoles = new Map<string, DutyRole>();
  for (const env of org.promotionOrder) {
    // Every application's deploy project of this environment, as one name pattern: the role's
    // policy stays the same size however many applications deploy.
    const usesEnv = org.applications.some(
      (a) =>
        a.deploy.mechanism === "pulumi" &&
        b.models.find((m) => m.application === a.name)?.environments.includes(env),
    );
    const projects = usesEnv ? [applicationNames(prefix, "*").deployProject(env)] : [];
    const { state, packAccess } = pulumiState;
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
              region: b.ctx.region,
              environment: env,
              projects,
              // The smoke tests each deploy project runs after its target deploys.
              reportGroups: projects.map((p) => reportGroupName(p, "tests")),
              artifacts: a,
              state: s,
              policyPack: projects.length > 0 ? p : undefined,
            }),
          ),
        },
        b.home,
      ),
    );
  }
  return deployRoles;
}

/**
 * One alarm gate per environment whose deployments are gated or bake, when an application
 * deploys there: the pipelines run it before and after they deploy to the environment.
 */
export function alarmGates(
  b: ToolsBase,
  artifacts: pulumi.Output<ArtifactAccess>,
  homeStore: ArtifactStore,
  notifications: Notifications,
): Map<string, AlarmGate> {
  const gates = new Map<string, AlarmGate>();
  for (const env of b.org.environments.filter(isWatched)) {
    if (!b.models.some((m) => m.environments.includes(env.name))) continue;
    gates.set(
      env.name,
      new AlarmGate(
        `${b.prefix}-alarm-gate-${env.name}`,
        {
          scope: b.scope,
          environment: env.name,
          region: b.ctx.region,
          artifacts,
          encryptionKey: homeStore.keyArn,
          topicArn: notifications.topic.arn,
        },
        { ...b.home, dependsOn: [notifications.topic.policy] },
      ),
    );
  }
  return gates;
}

/** One encrypted topic for the organization, behind one notification key. */
export function organizationNotifications(b: ToolsBase) {
  const tn = toolsNames(b.prefix, b.ctx.account);
  const key = new NotificationKey(
    `${b.prefix}-notifications`,
    {
      scope: b.scope,
      alias: tn.notificationKeyAlias,
      region: b.ctx.region,
      // The drift role publishes the drifted stacks (stacks/tools/drift.ts).
      publisherRoleArns: [
        b.pipelineRolePattern,
        ...(driftEnabled(b.org) ? [b.arnOf(platformNames(b.prefix).driftRole)] : []),
      ],
    },
    b.home,
  );
  const topic = new NotificationTopic(
    `${b.prefix}-pipeline-events`,
    {
      scope: b.scope,
      topicName: tn.notificationTopic,
      keyArn: key.arn,
      subscribers: b.org.notifications.subscribers,
    },
    b.home,
  );
  return { key, topic };
}

/** The CodeBuild projects of one application's pipeline (what its failed-builds widget reads). */
export function applicationProjectNames(
  prefix: string,
  app: Application,
  model: PipelineModel,
): string[] {
  const n = applicationNames(prefix, app.name);
  return [
    n.buildProject,
    ...buildChecks(app).map((c) => n.checkProject(c.name)),
    ...(hasTestStage(app) ? [n.testProject] : []),
    ...(deploysFromProject(app.deploy.mechanism)
      ? model.environments.map((e) => n.deployProject(e))
      : []),
  ];
}

/**
 * The delivery metrics of every pipeline (once, in the home region): the function that computes
 * them from the pipelines' events, the dashboards and the production alarms.
 */
export function deliveryMetrics(b: ToolsBase, notifications: Notifications) {
  const { org, prefix } = b;
  const productionEnvironments = org.environments.filter(isProduction).map((e) => e.name);
  const opts = { ...b.home, dependsOn: [notifications.topic.policy] };
  const metrics = new DeliveryMetrics(
    `${prefix}-delivery-metrics`,
    {
      scope: b.scope,
      region: b.ctx.region,
      productionEnvironments,
      logRetentionDays: org.delivery.logRetentionDays,
      topicArn: notifications.topic.arn,
    },
    opts,
  );
  const dashboards = new DeliveryDashboards(
    `${prefix}-delivery`,
    {
      prefix,
      region: b.ctx.region,
      toolsAccount: b.ctx.account,
      productionEnvironments,
      thresholds: org.delivery.thresholds,
      topicArn: notifications.topic.arn,
      applications: org.applications.map((app, i) => ({
        name: app.name,
        environments: b.models[i]!.environments,
        projects: applicationProjectNames(prefix, app, b.models[i]!),
      })),
    },
    opts,
  );
  return { metrics, dashboards };
}

export type PulumiState = ReturnType<typeof pulumiStateStore>;
export type Notifications = ReturnType<typeof organizationNotifications>;

/**
 * AWS Config of the tools account (its home region, where the notification topic is), when the
 * organization turns it on there, and the aggregator of every account with Config on.
 */
export function toolsCompliance(b: ToolsBase, notifications: Notifications) {
  const settings = toolsConfigSettings(b.org);
  const compliance = settings.enabled
    ? new ConfigCompliance(`${b.prefix}-tools-config`, {
        partition: b.ctx.partition,
        prefix: b.prefix,
        account: b.ctx.account,
        regions: [b.ctx.region],
        providerFor: () => b.providers.home,
        settings,
        topicArnFor: () => notifications.topic.arn,
        topicReady: () => [notifications.topic.policy],
      })
    : undefined;
  const sources = aggregatorSources(b.org);
  const aggregation = aggregationOf(b.org);
  const aggregator =
    sources.length > 0
      ? new ConfigAggregator(
          `${b.prefix}-config-aggregator`,
          { scope: b.scope, aggregation, sources },
          b.home,
        )
      : undefined;
  return { compliance, aggregator };
}
