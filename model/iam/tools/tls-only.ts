// TLS only: the statement that denies a bucket any request without TLS, and the policy of a
// bucket only the tools account uses.
import { doc, PolicyDocument, Statement } from "./documents";

/** Denies any request to the bucket that does not use TLS. */
export function denyInsecureTransport(bucketArn: string): Statement {
  return {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: [bucketArn, `${bucketArn}/*`],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
}

/** Bucket policy of a bucket only the tools account uses: TLS only. */
export function tlsOnlyBucketPolicy(bucketArn: string): PolicyDocument {
  return doc(denyInsecureTransport(bucketArn));
}
