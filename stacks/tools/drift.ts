// Drift detection of the tools program: created when the organization configures its platform
// (organization.platform) and leaves drift on (platform.drift.enabled, default true). It checks
// the stacks of platformStacks(org) and every application stack the pipelines deploy.
import * as pulumi from "@pulumi/pulumi";
import { DriftDetection } from "../../components/tools/drift-detection";
import { SourceConnections } from "../../components/tools/source-connection";
import { ConfigError } from "../../model/config";
import { Organization } from "../../model/config/schema";
import { driftPlan } from "../../model/drift";
import { platformStacks } from "../platform-stacks";
import { Notifications, PulumiState } from "./account";
import { ToolsBase } from "./base";

/** True when the tools stack creates drift detection. */
export function driftEnabled(org: Organization): boolean {
  return org.platform !== undefined && org.platform.drift.enabled;
}

/** The drift detection of the organization's stacks, or undefined when it is off. */
export function driftDetection(
  b: ToolsBase,
  r: {
    pulumiState: PulumiState;
    notifications: Notifications;
    connections: SourceConnections;
  },
): DriftDetection | undefined {
  const { org } = b;
  const platform = org.platform;
  if (!platform || !driftEnabled(org)) return undefined;
  const at = "organization.platform";
  const store = r.pulumiState.stateStore;
  if (!store || org.pulumiState.backend !== "s3")
    throw new ConfigError([
      {
        path: `${at}.drift.enabled`,
        message:
          "drift detection reads every stack's state from the tools state bucket, which exists only with the s3 Pulumi backend and a pulumi application; set pulumiState.backend: s3, or set drift.enabled: false",
      },
    ]);
  const src = platform.source;
  if (src.provider === "codecommit")
    throw new ConfigError([
      {
        path: `${at}.source.provider`,
        message:
          "the drift project checks the platform's repository out through a CodeConnections connection; use github, gitlab or bitbucket, or set drift.enabled: false",
      },
    ]);
  const connectionArn: pulumi.Input<string> | undefined =
    src.connectionArn ?? r.connections.created.get(src.provider)?.arn;
  if (!connectionArn)
    throw new ConfigError([
      {
        path: `${at}.source.connectionArn`,
        message: `no ${src.provider} connection exists for the platform's repository; set connectionArn to an existing CodeConnections connection ARN`,
      },
    ]);
  return new DriftDetection(
    `${b.prefix}-platform-drift`,
    {
      scope: b.scope,
      region: b.ctx.region,
      schedule: platform.drift.schedule,
      plan: driftPlan(org, platformStacks(org)),
      source: {
        provider: src.provider,
        repository: src.repository,
        branch: src.branch,
        connectionArn,
      },
      state: {
        bucket: store.bucket,
        bucketArn: store.bucketArn,
        keyArn: store.keyArn,
        keyAlias: store.keyAlias,
      },
      topicArn: r.notifications.topic.arn,
      topicKeyArn: r.notifications.key.arn,
    },
    { ...b.home, dependsOn: [r.notifications.topic.policy] },
  );
}
