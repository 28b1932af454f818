// The tools account's notifications: the key and the topic CodeStar Notifications, EventBridge,
// CloudWatch alarms and the pipelines' manual approvals publish to.
import { doc, PolicyDocument, root, ToolsScope } from "./documents";
import { keyAdministration } from "./key-administration";

/** Key policy of the notification key: CodeStar Notifications, EventBridge and CloudWatch publish. */
export function notificationKeyPolicy(
  scope: ToolsScope,
  toolsRoleArns: readonly string[],
): PolicyDocument {
  return doc(
    keyAdministration(scope),
    {
      Sid: "ServicesPublishEncrypted",
      Effect: "Allow",
      Principal: {
        Service: [
          "codestar-notifications.amazonaws.com",
          "events.amazonaws.com",
          "cloudwatch.amazonaws.com",
        ],
      },
      Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
      Resource: "*",
      Condition: { StringEquals: { "aws:SourceAccount": scope.toolsAccount } },
    },
    {
      Sid: "PipelinesPublishApprovals",
      Effect: "Allow",
      Principal: { AWS: root(scope.partition, scope.toolsAccount) },
      Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
      Resource: "*",
      Condition: { ArnLike: { "aws:PrincipalArn": [...toolsRoleArns].sort() } },
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
        Service: [
          "codestar-notifications.amazonaws.com",
          "events.amazonaws.com",
          "cloudwatch.amazonaws.com",
        ],
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
