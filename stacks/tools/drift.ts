// Drift detection of the tools program: created when the organization configures its platform
// (organization.platform) and leaves drift on (platform.drift.enabled, default true). It checks
// the stacks of platformStacks(org) and every application stack the pipelines deploy.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ArtifactStore } from "../../components/tools/artifact-store";
import { DriftDetection } from "../../components/tools/drift-detection";
import {
  CONNECTION_PROVIDER_TYPES,
  SourceConnections,
} from "../../components/tools/source-connection";
import { ConfigError } from "../../model/config";
import { driftEnabled, driftPlan } from "../../model/drift";
import { platformStacks } from "../platform-stacks";
import { Notifications, PulumiState } from "./account";
import { ToolsBase } from "./base";

/** The drift detection of the organization's stacks, or undefined when it is off. */
export function driftDetection(
  b: ToolsBase,
  r: {
    pulumiState: PulumiState;
    notifications: Notifications;
    connections: SourceConnections;
    /** The artifact store of the home region: its key encrypts the project's build output. */
    homeStore: ArtifactStore;
  },
): DriftDetection | undefined {
  const { org } = b;
  const platform = org.platform;
  if (!platform || !driftEnabled(org)) return undefined;
  const at = "organization.platform";
  const store = r.pulumiState.stateStore;
  if (!store || org.pulumiState.backend !== "s3") {
    // Nothing to read the stacks' state from: the platform's own stacks keep their state in the
    // tools state bucket, which exists only with the s3 backend and a pulumi application.
    void pulumi.log.warn(
      `${at}.drift: drift detection is off because there is no tools state bucket to read the stacks' state from; set pulumiState.backend: s3 (with a pulumi application), or set drift.enabled: false to silence this`,
    );
    return undefined;
  }
  const src = platform.source;
  if (src.provider === "codecommit")
    throw new ConfigError([
      {
        path: `${at}.source.provider`,
        message:
          "the drift project checks the platform's repository out through a CodeConnections connection; use github, gitlab or bitbucket, or set drift.enabled: false",
      },
    ]);
  // The platform's repository through its own connectionArn, else the connection the
  // applications of the same provider use, else a connection of its own (PENDING until a person
  // approves it in the console, like every new connection).
  const connectionArn: pulumi.Input<string> =
    src.connectionArn ??
    r.connections.created.get(src.provider)?.arn ??
    new aws.codeconnections.Connection(
      `${b.prefix}-platform-source`,
      { name: `${b.prefix}-platform`, providerType: CONNECTION_PROVIDER_TYPES[src.provider] },
      { provider: b.providers.home },
    ).arn;
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
      encryptionKey: r.homeStore.keyArn,
    },
    { ...b.home, dependsOn: [r.notifications.topic.policy] },
  );
}
