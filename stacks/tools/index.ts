// The tools account program: the artifact stores, the source connections, the duty roles, one
// pipeline per application with its projects, notifications and alarms (and, for CodeCommit
// sources, the EventBridge rule that starts it), the Pulumi state store with the published policy
// pack, the audit trail, and AWS Config with its aggregator when the organization turns it on.
// Every name comes from model/naming.ts and every pipeline's shape from model/pipeline.ts.
import * as pulumi from "@pulumi/pulumi";
import { ArtifactStore } from "../../components/tools/artifact-store";
import { AuditTrail } from "../../components/tools/audit-trail";
import { SourceConnections } from "../../components/tools/source-connection";
import { ToolsContext } from "../../model/config";
import { environmentNames, roleArn } from "../../model/naming";
import { ToolsBase, checkedModels, toolsBase } from "./base";
import {
  alarmGates,
  artifactStores,
  deliveryMetrics,
  pulumiStateStore,
  environmentDeployRoles,
  organizationNotifications,
  PulumiState,
  Notifications,
  toolsCompliance,
} from "./account";
import { applicationDelivery } from "./application";
import { driftDetection } from "./drift";
import { platformDelivery } from "./platform";

export { artifactRegions, toolsProblems, toolsScope } from "./base";

/** Builds the tools account. Returns the stack outputs. */
export function toolsProgram(ctx: ToolsContext) {
  // Before the first resource: a pipeline CodePipeline would reject creates nothing.
  const b = toolsBase(ctx, checkedModels(ctx));
  const { stores, access: artifacts } = artifactStores(b);
  const connections = new SourceConnections(
    `${b.prefix}-source`,
    { prefix: b.prefix, toolsAccount: ctx.account, applications: b.org.applications },
    b.home,
  );
  const pulumiState = pulumiStateStore(b);
  const deployRoles = environmentDeployRoles(b, artifacts, pulumiState);
  const notifications = organizationNotifications(b);
  const gates = alarmGates(b, artifacts, stores.get(ctx.region)!, notifications);
  const shared = {
    stores,
    artifacts,
    connections,
    pulumiState,
    deployRoles,
    gates,
    notifications,
  };
  const pipelines = Object.fromEntries(
    b.org.applications.map((app, i) => [
      app.name,
      applicationDelivery(b, shared, app, b.models[i]!).pipelineArn,
    ]),
  );
  const platform = platformDelivery(b, shared);
  deliveryMetrics(b, notifications);
  driftDetection(b, {
    pulumiState,
    notifications,
    connections,
    homeStore: stores.get(ctx.region)!,
  });
  const trail = new AuditTrail(`${b.prefix}-audit`, { scope: b.scope, region: ctx.region }, b.home);
  const { compliance, aggregator } = toolsCompliance(b, notifications);
  return {
    ...toolsOutputs(b, { stores, pulumiState, notifications, pipelines, trail }),
    ...(compliance ? { configRules: compliance.ruleNames } : {}),
    ...(aggregator ? { configAggregator: aggregator.aggregatorName } : {}),
    ...(platform ? { platformPipeline: platform.pipelineArn } : {}),
  };
}

/** The stack outputs the runbook and the workload stacks read. */
function toolsOutputs(
  b: ToolsBase,
  r: {
    stores: Map<string, ArtifactStore>;
    pulumiState: PulumiState;
    notifications: Notifications;
    pipelines: Record<string, pulumi.Output<string>>;
    trail: AuditTrail;
  },
) {
  const { ctx, org } = b;
  const { stateStore, policyPack } = r.pulumiState;
  return {
    role: ctx.role,
    account: ctx.account,
    region: ctx.region,
    providerRegions: [...b.providers.byRegion.keys()],
    artifactBuckets: Object.fromEntries([...r.stores].map(([region, s]) => [region, s.bucket])),
    pipelines: r.pipelines,
    // Only when some application deploys with Pulumi: a top-level undefined output is dropped
    // with an SDK warning, so the keys are left out instead.
    ...(stateStore ? { stateBucket: stateStore.bucket } : {}),
    ...(policyPack ? { policyPack: { bucket: policyPack.bucket, key: policyPack.key } } : {}),
    notificationTopic: r.notifications.topic.arn,
    trail: r.trail.arn,
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
