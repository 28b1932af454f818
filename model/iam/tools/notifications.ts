// The tools account's notifications: the key and the topic CodeStar Notifications, EventBridge,
// CloudWatch alarms and the pipelines' manual approvals publish to.
import { doc, PolicyDocument, root, ToolsScope } from "./documents";
import { keyAdministration } from "./key-administration";

/** The AWS services that publish pipeline events and alarms to the notification topics. */
const PUBLISHING_SERVICES = [
  "codestar-notifications.amazonaws.com",
  "events.amazonaws.com",
  "cloudwatch.amazonaws.com",
] as const;

/** The condition that admits a key use only through SNS in the topics' region. */
export function viaSns(region: string): Record<string, Record<string, string>> {
  return { StringEquals: { "kms:ViaService": `sns.${region}.amazonaws.com` } };
}

/**
 * Key policy of the notification key: CodeStar Notifications, EventBridge and CloudWatch publish
 * through SNS; the pipeline roles (by name pattern) publish manual approvals through SNS, when
 * their IAM policy allows it too (pipeline-role.ts).
 */
export function notificationKeyPolicy(
  scope: ToolsScope,
  region: string,
  toolsRoleArns: readonly string[],
): PolicyDocument {
  return doc(
    keyAdministration(scope),
    // SNS's statement for AWS event sources on encrypted topics (kms:GenerateDataKey* and
    // kms:Decrypt to the service principal), with the condition AWS documents for CodeStar
    // Notifications: kms:ViaService = sns.<region>.amazonaws.com. No AWS page documents
    // aws:SourceAccount on these KMS requests (SNS makes them), so EventBridge and CloudWatch get
    // the same kms:ViaService condition instead: the key serves them only through SNS here.
    // https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html
    // https://docs.aws.amazon.com/dtconsole/latest/userguide/set-up-sns.html
    {
      Sid: "ServicesPublishEncrypted",
      Effect: "Allow",
      Principal: {
        Service: [...PUBLISHING_SERVICES],
      },
      Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
      Resource: "*",
      Condition: viaSns(region),
    },
    {
      Sid: "PipelinesPublishApprovals",
      Effect: "Allow",
      Principal: { AWS: root(scope.partition, scope.toolsAccount) },
      Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
      Resource: "*",
      Condition: {
        ArnLike: { "aws:PrincipalArn": [...toolsRoleArns].sort() },
        ...viaSns(region),
      },
    },
  );
}

/** Topic policy: CodeStar Notifications, EventBridge and CloudWatch alarms of the tools account publish. */
export function topicPolicy(scope: ToolsScope, topicArn: string): PolicyDocument {
  return doc(
    {
      Sid: "ServicesPublish",
      Effect: "Allow",
      Principal: {
        Service: [...PUBLISHING_SERVICES],
      },
      Action: "sns:Publish",
      Resource: topicArn,
      Condition: { StringEquals: { "aws:SourceAccount": scope.toolsAccount } },
    },
    {
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: "sns:Publish",
      Resource: topicArn,
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    },
  );
}
