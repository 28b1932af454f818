// A bucket without a public access block is one ACL or policy change away from being public.
import { configSchema, type BaseConfig } from "../lib/config";
import { stackPolicy, type StackFinding } from "../lib/policy";
import { T } from "../lib/resources";
import { ofType, referrersOf, type StackResource } from "../lib/stack";
import { isUnknown, read } from "../lib/unknowns";

const SETTINGS = [
  "blockPublicAcls",
  "blockPublicPolicy",
  "ignorePublicAcls",
  "restrictPublicBuckets",
];

/** One finding per bucket without a linked public access block that sets all four settings. */
export function findBucketsWithoutPublicAccessBlock(
  resources: readonly StackResource[],
): StackFinding[] {
  const buckets = ofType(resources, T.bucket, T.bucketV2);
  const blocksOf = referrersOf(buckets, ofType(resources, T.bucketPublicAccessBlock), "bucket");
  const findings: StackFinding[] = [];
  for (const bucket of buckets) {
    const linked = blocksOf.get(bucket)!;
    if (linked.length === 0) {
      findings.push({
        resource: bucket,
        message: `S3 bucket "${bucket.name}" has no public access block.`,
      });
      continue;
    }
    const missingPerBlock = linked.map((block) =>
      SETTINGS.filter((s) => {
        const v = read(block.props, s);
        return !isUnknown(v) && v !== true;
      }),
    );
    if (missingPerBlock.every((missing) => missing.length > 0)) {
      findings.push({
        resource: bucket,
        message: `S3 bucket "${bucket.name}" has a public access block without ${missingPerBlock[0].join(", ")} set to true.`,
      });
    }
  }
  return findings;
}

export const baselineS3PublicAccessBlock = stackPolicy<BaseConfig>({
  name: "baseline-s3-public-access-block",
  family: "baseline",
  description:
    "Flags S3 buckets with no linked BucketPublicAccessBlock, or whose block does not set blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets to true.",
  severity: "high",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Add an aws.s3.BucketPublicAccessBlock for the bucket with blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets all true.",
  configSchema: configSchema(),
  check: (resources) => findBucketsWithoutPublicAccessBlock(resources),
});
