// The artifact store of one region: a customer-managed KMS key (rotation on, 30-day deletion
// window) whose policy admits exactly the roles that move artifacts, and a SecureBucket whose
// policy lets the workload deploy and CloudFormation execution roles read them. Both are
// protected from deletion: losing them loses the deployment history. CodePipeline needs one store
// in its own region and one in every region where a cross-region action runs.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { toolsNames } from "../../model/naming";
import { artifactBucketPolicy, artifactKeyPolicy, ToolsScope } from "../../model/iam/tools";
import { SecureBucket } from "./secure-bucket";

export interface ArtifactStoreArgs {
  /** The organization facts every tools document needs. */
  readonly scope: ToolsScope;
  /** Region of the store (the provider passed in opts must be of this region). */
  readonly region: string;
  /** ARNs of the tools roles that read and write artifacts (pipeline, build, deploy roles). */
  readonly toolsRoleArns: readonly string[];
  /** Days after which artifacts expire. Default: 90. */
  readonly expirationDays?: number;
  /** Protect key and bucket from deletion. Default: true. */
  readonly protect?: boolean;
}

/** One region's KMS-encrypted artifact bucket. */
export class ArtifactStore extends pulumi.ComponentResource {
  /** The region of the store. */
  readonly region: string;
  /** Bucket name. */
  readonly bucket: pulumi.Output<string>;
  /** Bucket ARN. */
  readonly bucketArn: pulumi.Output<string>;
  /** ARN of the KMS key (CodePipeline needs the ARN, not the alias, for cross-account use). */
  readonly keyArn: pulumi.Output<string>;

  constructor(name: string, args: ArtifactStoreArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:tools:ArtifactStore", name, {}, opts);
    const protect = args.protect ?? true;
    const names = toolsNames(args.scope.prefix, args.scope.toolsAccount);
    const key = new aws.kms.Key(
      `${name}-key`,
      {
        description: `Pipeline artifacts in ${args.region}`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        policy: JSON.stringify(artifactKeyPolicy(args.scope, args.toolsRoleArns)),
      },
      { parent: this, protect, retainOnDelete: protect },
    );
    new aws.kms.Alias(
      `${name}-alias`,
      { name: names.artifactKeyAlias(args.region), targetKeyId: key.keyId },
      { parent: this },
    );
    const bucket = new SecureBucket(
      `${name}-bucket`,
      {
        bucketName: names.artifactBucket(args.region),
        kmsKeyArn: key.arn,
        policy: (arn) => artifactBucketPolicy(args.scope, arn),
        expirationDays: args.expirationDays ?? 90,
        noncurrentDays: 30,
        protect,
      },
      { parent: this },
    );
    this.region = args.region;
    this.bucket = bucket.bucket;
    this.bucketArn = bucket.arn;
    this.keyArn = key.arn;
    this.registerOutputs({ bucket: this.bucket, keyArn: this.keyArn });
  }
}
