// The audit trail of the tools account: a multi-region CloudTrail trail with log file
// validation, encrypted with its own KMS key, writing to a SecureBucket (the artifact-store rules:
// versioning, SSE-KMS with bucket key, public access blocked, ownership enforced, TLS only,
// lifecycle expiry). Key and bucket are protected from deletion.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { toolsNames } from "../../model/naming";
import { trailBucketPolicy, trailKeyPolicy, ToolsScope } from "../../model/iam/tools";
import { SecureBucket } from "./secure-bucket";

export interface AuditTrailArgs {
  /** The organization facts every tools document needs. */
  readonly scope: ToolsScope;
  /** Home region of the trail. */
  readonly region: string;
  /** Days the logs are kept. Default: 365. */
  readonly retentionDays?: number;
  /** Protect key and bucket from deletion. Default: true. */
  readonly protect?: boolean;
}

/** A CloudTrail trail with an encrypted, protected log bucket. */
export class AuditTrail extends pulumi.ComponentResource {
  /** The trail ARN. */
  readonly arn: pulumi.Output<string>;
  /** The log bucket name. */
  readonly bucket: pulumi.Output<string>;

  constructor(name: string, args: AuditTrailArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:tools:AuditTrail", name, {}, opts);
    const protect = args.protect ?? true;
    const names = toolsNames(args.scope.prefix, args.scope.toolsAccount);
    const key = new aws.kms.Key(
      `${name}-key`,
      {
        description: "Audit trail logs",
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        policy: JSON.stringify(trailKeyPolicy(args.scope, args.region, names.trail)),
      },
      { parent: this, protect, retainOnDelete: protect },
    );
    new aws.kms.Alias(
      `${name}-alias`,
      { name: names.trailKeyAlias, targetKeyId: key.keyId },
      { parent: this },
    );
    const bucket = new SecureBucket(
      `${name}-bucket`,
      {
        bucketName: names.trailBucket,
        kmsKeyArn: key.arn,
        policy: (arn) => trailBucketPolicy(args.scope, arn, args.region, names.trail),
        expirationDays: args.retentionDays ?? 365,
        noncurrentDays: 30,
        protect,
      },
      { parent: this },
    );
    const trail = new aws.cloudtrail.Trail(
      name,
      {
        name: names.trail,
        s3BucketName: bucket.bucket,
        kmsKeyId: key.arn,
        isMultiRegionTrail: true,
        includeGlobalServiceEvents: true,
        enableLogFileValidation: true,
      },
      { parent: this, dependsOn: [bucket.policy] },
    );
    this.arn = trail.arn;
    this.bucket = bucket.bucket;
    this.registerOutputs({ arn: this.arn, bucket: this.bucket });
  }
}
