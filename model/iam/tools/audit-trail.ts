// The tools account's trail: the key CloudTrail encrypts its logs with and the bucket it writes
// them to.
import { doc, PolicyDocument, ToolsScope } from "./documents";
import { keyAdministration } from "./key-administration";
import { denyInsecureTransport } from "./tls-only";

/** The ARN of the tools account's trail. */
function trailArnOf(scope: ToolsScope, region: string, trailName: string): string {
  return `arn:${scope.partition}:cloudtrail:${region}:${scope.toolsAccount}:trail/${trailName}`;
}

/**
 * Key policy of the trail key: CloudTrail encrypts this trail's logs; principals of the tools
 * account decrypt them (this trail's only).
 */
export function trailKeyPolicy(
  scope: ToolsScope,
  region: string,
  trailName: string,
): PolicyDocument {
  const trailArn = trailArnOf(scope, region, trailName);
  return doc(
    keyAdministration(scope),
    {
      Sid: "CloudTrailEncryptsLogs",
      Effect: "Allow",
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: "kms:GenerateDataKey*",
      Resource: "*",
      Condition: {
        StringEquals: { "aws:SourceArn": trailArn },
        StringLike: {
          "kms:EncryptionContext:aws:cloudtrail:arn": `arn:${scope.partition}:cloudtrail:*:${scope.toolsAccount}:trail/*`,
        },
      },
    },
    // CloudTrail's documented "Allow principals in the account to decrypt log files" (the
    // console's default key policy): without kms:Decrypt nobody reads the logs, and with an S3
    // Bucket Key on the log bucket creating or updating the trail needs kms:Decrypt too. Scoped to
    // callers in the tools account and to this trail's encryption context.
    // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html
    // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/default-kms-key-policy.html
    {
      Sid: "AccountPrincipalsDecryptLogs",
      Effect: "Allow",
      Principal: { AWS: "*" },
      Action: ["kms:Decrypt", "kms:ReEncryptFrom"],
      Resource: "*",
      Condition: {
        StringEquals: {
          "kms:CallerAccount": scope.toolsAccount,
          "kms:EncryptionContext:aws:cloudtrail:arn": trailArn,
        },
      },
    },
    {
      Sid: "CloudTrailDescribesKey",
      Effect: "Allow",
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: "kms:DescribeKey",
      Resource: "*",
    },
  );
}

/** Bucket policy of the trail bucket: TLS only; CloudTrail writes this trail's logs. */
export function trailBucketPolicy(
  scope: ToolsScope,
  bucketArn: string,
  region: string,
  trailName: string,
): PolicyDocument {
  const trailArn = trailArnOf(scope, region, trailName);
  return doc(
    denyInsecureTransport(bucketArn),
    {
      Sid: "CloudTrailAclCheck",
      Effect: "Allow",
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: "s3:GetBucketAcl",
      Resource: bucketArn,
      Condition: { StringEquals: { "aws:SourceArn": trailArn } },
    },
    {
      Sid: "CloudTrailWrite",
      Effect: "Allow",
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: "s3:PutObject",
      Resource: `${bucketArn}/AWSLogs/${scope.toolsAccount}/*`,
      Condition: {
        StringEquals: { "aws:SourceArn": trailArn, "s3:x-amz-acl": "bucket-owner-full-control" },
      },
    },
  );
}
