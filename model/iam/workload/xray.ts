// X-Ray encryption in one region of a workload account: the key policy of the customer key X-Ray
// encrypts traces with. X-Ray uses the key on behalf of the caller ("you must have user-level
// access to a customer managed key to configure X-Ray to use it, and to then view encrypted
// traces": https://docs.aws.amazon.com/xray/latest/devguide/xray-console-encryption.html), so
// principals of this account may use it, but only through X-Ray in this region
// (kms:ViaService, kms:CallerAccount). That X-Ray's own requests carry kms:ViaService =
// xray.<region>.amazonaws.com is how KMS documents AWS services acting for a caller; no X-Ray
// page states it: unconfirmed.
import { doc, PolicyDocument } from "./documents";

/** Key policy of the X-Ray key of one region. */
export function xrayKeyPolicy(partition: string, account: string, region: string): PolicyDocument {
  const rootOf = `arn:${partition}:iam::${account}:root`;
  return doc(
    {
      Sid: "AccountAdministersKey",
      Effect: "Allow",
      Principal: { AWS: rootOf },
      Action: [
        "kms:Create*",
        "kms:Describe*",
        "kms:Enable*",
        "kms:List*",
        "kms:Put*",
        "kms:Update*",
        "kms:Revoke*",
        "kms:Disable*",
        "kms:Get*",
        "kms:Delete*",
        "kms:TagResource",
        "kms:UntagResource",
        "kms:ScheduleKeyDeletion",
        "kms:CancelKeyDeletion",
      ],
      Resource: "*",
    },
    {
      Sid: "XRayEncryptsForThisAccount",
      Effect: "Allow",
      Principal: { AWS: rootOf },
      Action: [
        "kms:Encrypt",
        "kms:Decrypt",
        "kms:ReEncrypt*",
        "kms:GenerateDataKey*",
        "kms:DescribeKey",
      ],
      Resource: "*",
      Condition: {
        StringEquals: {
          "kms:ViaService": `xray.${region}.amazonaws.com`,
          "kms:CallerAccount": account,
        },
      },
    },
  );
}
