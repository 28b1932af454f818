// An S3 bucket that meets the platform's storage rules: versioning, SSE-KMS with a bucket key,
// public access blocked, object ownership enforced (ACLs off), a bucket policy that denies
// non-TLS access, and lifecycle expiry of old objects. The artifact stores, the Pulumi state
// store and the audit trail all use it, so one place states the rules.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PolicyDocument } from "../../model/iam/tools";

export interface SecureBucketArgs {
  /** Physical bucket name (deterministic, from model/naming.ts). */
  readonly bucketName: string;
  /** ARN of the customer-managed KMS key that encrypts every object. */
  readonly kmsKeyArn: pulumi.Input<string>;
  /** The bucket policy, given the bucket ARN; it must deny non-TLS access. */
  readonly policy: (bucketArn: string) => PolicyDocument;
  /** Days after which current objects expire. Default: no expiry of current objects. */
  readonly expirationDays?: number;
  /** Days after which replaced (noncurrent) versions expire. Default: 90. */
  readonly noncurrentDays?: number;
  /** Protect the bucket from deletion (`protect` and `retainOnDelete`). Default: true. */
  readonly protect?: boolean;
}

/** A versioned, KMS-encrypted, private, TLS-only bucket with lifecycle expiry. */
export class SecureBucket extends pulumi.ComponentResource {
  /** The bucket name. */
  readonly bucket: pulumi.Output<string>;
  /** The bucket ARN. */
  readonly arn: pulumi.Output<string>;
  /** The bucket policy resource (dependents that need the policy in place wait on it). */
  readonly policy: aws.s3.BucketPolicy;

  constructor(name: string, args: SecureBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:tools:SecureBucket", name, {}, opts);
    const protect = args.protect ?? true;
    const noncurrentDays = args.noncurrentDays ?? 90;
    const bucket = new aws.s3.Bucket(
      name,
      { bucket: args.bucketName, forceDestroy: false },
      { parent: this, protect, retainOnDelete: protect },
    );
    const child = { parent: this };
    new aws.s3.BucketOwnershipControls(
      `${name}-ownership`,
      { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
      child,
    );
    const publicAccess = new aws.s3.BucketPublicAccessBlock(
      `${name}-public-access`,
      {
        bucket: bucket.id,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      },
      child,
    );
    const versioning = new aws.s3.BucketVersioning(
      `${name}-versioning`,
      { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } },
      child,
    );
    new aws.s3.BucketServerSideEncryptionConfiguration(
      `${name}-encryption`,
      {
        bucket: bucket.id,
        rules: [
          {
            applyServerSideEncryptionByDefault: {
              sseAlgorithm: "aws:kms",
              kmsMasterKeyId: args.kmsKeyArn,
            },
            bucketKeyEnabled: true,
          },
        ],
      },
      child,
    );
    new aws.s3.BucketLifecycleConfiguration(
      `${name}-lifecycle`,
      {
        bucket: bucket.id,
        rules: [
          {
            id: "expire-old-objects",
            status: "Enabled",
            filter: {},
            noncurrentVersionExpiration: { noncurrentDays },
            abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
            ...(args.expirationDays !== undefined
              ? { expiration: { days: args.expirationDays } }
              : {}),
          },
        ],
      },
      { parent: this, dependsOn: [versioning] },
    );
    this.policy = new aws.s3.BucketPolicy(
      `${name}-policy`,
      { bucket: bucket.id, policy: bucket.arn.apply((arn) => JSON.stringify(args.policy(arn))) },
      { parent: this, dependsOn: [publicAccess] },
    );
    this.bucket = bucket.bucket;
    this.arn = bucket.arn;
    this.registerOutputs({ bucket: this.bucket, arn: this.arn });
  }
}
