// Pipeline notifications: a customer-managed KMS key that CodeStar Notifications, EventBridge and
// CloudWatch alarms may use, and encrypted SNS topics (the organization's, plus one per
// application that has its own subscribers) whose policy lets those services publish, each with
// the subscribers from config. Email and HTTPS subscriptions stay pending until confirmed.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Subscriber } from "../../model/config/schema";
import { notificationKeyPolicy, ToolsScope, topicPolicy } from "../../model/iam/tools";

export interface NotificationKeyArgs {
  /** The organization facts every tools document needs. */
  readonly scope: ToolsScope;
  /** Alias of the key (from model/naming.ts). */
  readonly alias: string;
  /** Region of the key and its topics (the SNS endpoint that may use the key). */
  readonly region: string;
  /** Tools roles that publish to the topics (pipeline roles, for manual approvals). */
  readonly publisherRoleArns: readonly string[];
}

/** The KMS key of every notification topic. */
export class NotificationKey extends pulumi.ComponentResource {
  /** The key ARN. */
  readonly arn: pulumi.Output<string>;

  constructor(name: string, args: NotificationKeyArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:tools:NotificationKey", name, {}, opts);
    const key = new aws.kms.Key(
      name,
      {
        description: "Pipeline and alarm notifications",
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        policy: JSON.stringify(
          notificationKeyPolicy(args.scope, args.region, args.publisherRoleArns),
        ),
      },
      { parent: this },
    );
    new aws.kms.Alias(
      `${name}-alias`,
      { name: args.alias, targetKeyId: key.keyId },
      { parent: this },
    );
    this.arn = key.arn;
    this.registerOutputs({ arn: this.arn });
  }
}

export interface NotificationTopicArgs {
  /** The organization facts every tools document needs. */
  readonly scope: ToolsScope;
  /** Physical topic name (from model/naming.ts). */
  readonly topicName: string;
  /** ARN of the NotificationKey. */
  readonly keyArn: pulumi.Input<string>;
  /** Who receives the notifications. Default: nobody (the config validation warns). */
  readonly subscribers?: readonly Subscriber[];
}

/** An encrypted SNS topic that CodeStar Notifications, EventBridge and CloudWatch publish to. */
export class NotificationTopic extends pulumi.ComponentResource {
  /** The topic ARN. */
  readonly arn: pulumi.Output<string>;
  /** The topic policy (publishers wait for it). */
  readonly policy: aws.sns.TopicPolicy;

  constructor(name: string, args: NotificationTopicArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:tools:NotificationTopic", name, {}, opts);
    const topic = new aws.sns.Topic(
      name,
      { name: args.topicName, kmsMasterKeyId: args.keyArn },
      { parent: this },
    );
    this.policy = new aws.sns.TopicPolicy(
      `${name}-policy`,
      {
        arn: topic.arn,
        policy: topic.arn.apply((arn) => JSON.stringify(topicPolicy(args.scope, arn))),
      },
      { parent: this },
    );
    (args.subscribers ?? []).forEach((s, i) => {
      new aws.sns.TopicSubscription(
        `${name}-sub-${i}`,
        { topic: topic.arn, protocol: s.protocol, endpoint: s.endpoint },
        { parent: this },
      );
    });
    this.arn = topic.arn;
    this.registerOutputs({ arn: this.arn });
  }
}
