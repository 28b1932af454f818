// The self-managed Pulumi state backend of the application stacks: a SecureBucket (versioned, so
// every checkpoint can be recovered) and the KMS key of the `awskms://` secrets provider. Only the
// tools deploy roles use them, each under its environment's prefix (`s3://<bucket>/<env>`).
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { toolsNames } from "../../stacks/naming";
import { tlsOnlyBucketPolicy, toolsOnlyKeyPolicy, ToolsScope } from "./documents";
import { SecureBucket } from "./secure-bucket";

export interface StateStoreArgs {
  /** The organization facts every tools document needs. */
  readonly scope: ToolsScope;
  /** The tools deploy roles that read and write state. */
  readonly deployRoleArns: readonly string[];
  /** Protect key and bucket from deletion. Default: true. */
  readonly protect?: boolean;
}

/** Pulumi state bucket and secrets-provider key. */
export class StateStore extends pulumi.ComponentResource {
  /** Bucket name. */
  readonly bucket: pulumi.Output<string>;
  /** Bucket ARN. */
  readonly bucketArn: pulumi.Output<string>;
  /** Key ARN. */
  readonly keyArn: pulumi.Output<string>;
  /** Alias of the key, as the awskms:// secrets provider names it. */
  readonly keyAlias: string;

  constructor(name: string, args: StateStoreArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:tools:StateStore", name, {}, opts);
    const protect = args.protect ?? true;
    const names = toolsNames(args.scope.prefix, args.scope.toolsAccount);
    const key = new aws.kms.Key(
      `${name}-key`,
      {
        description: "Pulumi state secrets provider",
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        policy: JSON.stringify(toolsOnlyKeyPolicy(args.scope, args.deployRoleArns)),
      },
      { parent: this, protect, retainOnDelete: protect },
    );
    new aws.kms.Alias(
      `${name}-alias`,
      { name: names.stateKeyAlias, targetKeyId: key.keyId },
      { parent: this },
    );
    const bucket = new SecureBucket(
      `${name}-bucket`,
      {
        bucketName: names.stateBucket,
        kmsKeyArn: key.arn,
        policy: tlsOnlyBucketPolicy,
        noncurrentDays: 365,
        protect,
      },
      { parent: this },
    );
    this.bucket = bucket.bucket;
    this.bucketArn = bucket.arn;
    this.keyArn = key.arn;
    this.keyAlias = names.stateKeyAlias;
    this.registerOutputs({ bucket: this.bucket, keyArn: this.keyArn });
  }
}
