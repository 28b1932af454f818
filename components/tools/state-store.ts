// The platform's Pulumi bucket: a SecureBucket (versioned, so every checkpoint can be recovered)
// and its KMS key, also the key of the `awskms://` secrets provider. It holds the application
// stacks' state with the self-managed S3 backend, each environment under its own prefix
// (`s3://<bucket>/<env>`), and the policy pack the tools stack publishes (`policy-pack/...`),
// whatever the backend. Only the tools deploy roles use them; nobody but the tools stack writes
// the pack.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { toolsNames } from "../../model/naming";
import { stateKeyPolicy, tlsOnlyBucketPolicy, ToolsScope } from "../../model/iam/tools";
import { SecureBucket } from "./secure-bucket";

export interface StateStoreArgs {
  /** The organization facts every tools document needs. */
  readonly scope: ToolsScope;
  /** Region of the bucket (the provider passed in opts must be of this region). */
  readonly region: string;
  /** The tools deploy roles that read and write state and read the policy pack. */
  readonly deployRoleArns: readonly string[];
  /** Protect key and bucket from deletion. Default: true. */
  readonly protect?: boolean;
}

/** Pulumi state (and policy pack) bucket and its key. */
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
        description: "Pulumi state, secrets provider and policy pack",
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        policy: JSON.stringify(
          stateKeyPolicy(args.scope, args.deployRoleArns, {
            region: args.region,
            bucketName: names.stateBucket,
          }),
        ),
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
