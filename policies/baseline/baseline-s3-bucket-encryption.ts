// Buckets that hold build artifacts and state should be encrypted with a key the platform controls;
// the configuration must be explicit so a reviewer can see which key protects which bucket.
import { configSchema, type BaseConfig } from "../lib/config";
import { stackPolicy, type StackFinding } from "../lib/policy";
import { T } from "../lib/resources";
import { ofType, referrersOf, type StackResource } from "../lib/stack";
import { read } from "../lib/unknowns";

/** One finding per bucket without server-side encryption configuration. */
export function findUnencryptedBuckets(resources: readonly StackResource[]): StackFinding[] {
  const buckets = ofType(resources, T.bucket, T.bucketV2);
  const configsOf = referrersOf(buckets, ofType(resources, T.bucketSse, T.bucketSseV2), "bucket");
  return buckets
    .filter(
      (b) =>
        read(b.props, "serverSideEncryptionConfiguration") === undefined &&
        configsOf.get(b)!.length === 0,
    )
    .map((b) => ({
      resource: b,
      message: `S3 bucket "${b.name}" has no server-side encryption configuration (no aws.s3.BucketServerSideEncryptionConfiguration for it).`,
    }));
}

export const baselineS3BucketEncryption = stackPolicy<BaseConfig>({
  name: "baseline-s3-bucket-encryption",
  family: "baseline",
  description:
    "Flags S3 buckets (aws:s3/bucket:Bucket, BucketV2) without an explicit server-side encryption configuration: neither the inline setting nor a linked BucketServerSideEncryptionConfiguration resource. Advisory, since S3 applies SSE-S3 by default.",
  severity: "medium",
  enforcementLevel: "advisory",
  remediationSteps:
    'Add an aws.s3.BucketServerSideEncryptionConfiguration for the bucket with sseAlgorithm "aws:kms", a customer-managed kmsMasterKeyId and bucketKeyEnabled: true.',
  configSchema: configSchema(),
  check: (resources) => findUnencryptedBuckets(resources),
});
