// Artifacts and state must not travel over plain HTTP: a bucket policy must deny any request made
// without TLS (aws:SecureTransport false).
import { configSchema, type BaseConfig } from "../lib/config";
import {
  conditionEntries,
  isDeny,
  parsePolicyDocument,
  provablyMatchesAction,
  type PolicyDocument,
} from "../lib/iam";
import { stackPolicy, type StackFinding } from "../lib/policy";
import { T } from "../lib/resources";
import { ofType, referrersOf, type StackResource } from "../lib/stack";
import { isUnknown, read } from "../lib/unknowns";

/** True when the document denies every principal S3 access without TLS (or cannot be known yet). */
export function deniesInsecureTransport(doc: PolicyDocument): boolean {
  if (doc.unknown) return true;
  return doc.statements.some((s) => {
    if (!isDeny(s) || !provablyMatchesAction(s, "s3:GetObject")) return false;
    const p = s.principal;
    const everyone = p !== undefined && !isUnknown(p) && (p.everyone || p.aws.known.includes("*"));
    if (!everyone) return false;
    return conditionEntries(s, "aws:SecureTransport").some(
      (e) => /^bool(ifexists)?$/i.test(e.operator) && e.values.known.some((v) => v === "false"),
    );
  });
}

/** One finding per bucket without a TLS-only bucket policy. */
export function findBucketsWithoutTlsOnly(resources: readonly StackResource[]): StackFinding[] {
  const buckets = ofType(resources, T.bucket, T.bucketV2);
  const policiesOf = referrersOf(buckets, ofType(resources, T.bucketPolicy), "bucket");
  return buckets
    .filter((bucket) => {
      const docs = [
        ...policiesOf.get(bucket)!.map((p) => read(p.props, "policy")),
        read(bucket.props, "policy"),
      ]
        .filter((d) => d !== undefined)
        .map((d) => parsePolicyDocument(d));
      return !docs.some(deniesInsecureTransport);
    })
    .map((bucket) => ({
      resource: bucket,
      message: `S3 bucket "${bucket.name}" has no bucket policy that denies requests without TLS (Deny with Bool aws:SecureTransport "false").`,
    }));
}

export const baselineS3TlsOnly = stackPolicy<BaseConfig>({
  name: "baseline-s3-tls-only",
  family: "baseline",
  description:
    'Flags S3 buckets without a bucket policy (linked BucketPolicy or inline policy) that denies every principal S3 access when aws:SecureTransport is "false".',
  severity: "medium",
  enforcementLevel: "advisory",
  remediationSteps:
    'Add an aws.s3.BucketPolicy with a statement { Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [bucket ARN, bucket ARN + "/*"], Condition: { Bool: { "aws:SecureTransport": "false" } } }.',
  configSchema: configSchema(),
  check: (resources) => findBucketsWithoutTlsOnly(resources),
});
