// The Pulumi state store: how deployments keep state, where the published policy pack lives in
// the state bucket, and the state key's policy.
import { doc, PolicyDocument, root, ToolsScope } from "./documents";
import { keyAdministration, toolsRolesUseKey } from "./key-administration";

/** How deployments keep Pulumi state. */
export type StateAccess =
  | { readonly backend: "s3"; readonly bucketArn: string; readonly keyArn: string }
  | { readonly backend: "pulumi-cloud"; readonly tokenSecretArn: string }
  | { readonly backend: "none" };

/** Where the published policy pack lives: the state bucket and key, and its key prefix. */
export interface PolicyPackAccess {
  readonly bucketArn: string;
  readonly keyArn: string;
  /** Key prefix of every published pack version (ends with "/"). */
  readonly prefix: string;
}

/**
 * Key policy of the Pulumi state key: the tools deploy roles use it (state, secrets provider, the
 * policy pack), and principals of the tools account whose own IAM policies allow it may encrypt
 * and decrypt through S3 for this bucket only. The second statement is what lets the person or CI
 * role running `pulumi up` on the tools stack upload the policy pack: key administration alone
 * does not include kms:GenerateDataKey, and SSE-KMS uploads need it. The build and pipeline roles'
 * IAM policies grant nothing on this key, so they gain nothing from it.
 */
export function stateKeyPolicy(
  scope: ToolsScope,
  deployRoleArns: readonly string[],
  bucket: { readonly region: string; readonly bucketName: string },
): PolicyDocument {
  return doc(keyAdministration(scope), toolsRolesUseKey(scope, deployRoleArns), {
    Sid: "ToolsAccountThroughS3",
    Effect: "Allow",
    Principal: { AWS: root(scope.partition, scope.toolsAccount) },
    Action: ["kms:GenerateDataKey", "kms:Decrypt"],
    Resource: "*",
    Condition: {
      StringEquals: {
        "kms:ViaService": `s3.${bucket.region}.amazonaws.com`,
        "kms:CallerAccount": scope.toolsAccount,
        "kms:EncryptionContext:aws:s3:arn": `arn:${scope.partition}:s3:::${bucket.bucketName}`,
      },
    },
  });
}
