// The deployment-health alarms of a workload account: the alarm reader the tools pipelines assume
// to read alarm state, and the key and topic the alarms publish to.
import { environmentNames, roleArn } from "../../naming";
import { complianceRulePublishes, complianceRuleUsesKey } from "./config";
import { doc, orgCondition, PolicyDocument, WorkloadPolicyInputs } from "./documents";

/**
 * Trust of the alarm reader: only this environment's alarm gate role in the tools account, the
 * one principal that reads these alarms (the pipelines start the gate; they read no alarm).
 */
export function alarmReaderTrustPolicy(i: WorkloadPolicyInputs): PolicyDocument {
  const n = environmentNames(i.prefix, i.environment);
  return doc({
    Sid: "ToolsAlarmGateReadsAlarmState",
    Effect: "Allow",
    Principal: { AWS: `arn:${i.partition}:iam::${i.toolsAccount}:root` },
    Action: "sts:AssumeRole",
    Condition: {
      ArnLike: { "aws:PrincipalArn": roleArn(i.partition, i.toolsAccount, n.alarmGateRole) },
      ...orgCondition(i.orgId),
    },
  });
}

/** What the alarm reader may do: read alarm state and history, nothing else. */
export function alarmReaderPolicy(): PolicyDocument {
  return doc({
    Sid: "ReadAlarmState",
    Effect: "Allow",
    Action: [
      "cloudwatch:DescribeAlarms",
      "cloudwatch:DescribeAlarmHistory",
      "cloudwatch:DescribeAlarmsForMetric",
      "cloudwatch:GetMetricData",
    ],
    Resource: "*",
  });
}

/**
 * Key policy of an alarm topic's key: the account administers it, CloudWatch alarms use it, and
 * EventBridge too when the account's AWS Config rules notify through the topic (`configRuleArn`).
 */
export function alarmKeyPolicy(
  i: WorkloadPolicyInputs,
  region: string,
  configRuleArn?: string,
): PolicyDocument {
  return doc(
    {
      Sid: "AccountAdministersKey",
      Effect: "Allow",
      Principal: { AWS: `arn:${i.partition}:iam::${i.account}:root` },
      Action: "kms:*",
      Resource: "*",
    },
    {
      Sid: "CloudWatchAlarmsPublish",
      Effect: "Allow",
      Principal: { Service: "cloudwatch.amazonaws.com" },
      Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
      Resource: "*",
      Condition: {
        StringEquals: { "aws:SourceAccount": i.account },
        ArnLike: {
          "aws:SourceArn": `arn:${i.partition}:cloudwatch:${region}:${i.account}:alarm:*`,
        },
      },
    },
    ...(configRuleArn ? [complianceRuleUsesKey(region)] : []),
  );
}

/** Topic policy of an alarm topic: the account and this account's CloudWatch alarms, over TLS. */
export function alarmTopicPolicy(
  i: WorkloadPolicyInputs,
  region: string,
  topicArn: string,
  configRuleArn?: string,
): PolicyDocument {
  return doc(
    {
      Sid: "AccountManagesTopic",
      Effect: "Allow",
      Principal: { AWS: `arn:${i.partition}:iam::${i.account}:root` },
      Action: [
        "sns:GetTopicAttributes",
        "sns:ListSubscriptionsByTopic",
        "sns:Publish",
        "sns:Subscribe",
      ],
      Resource: topicArn,
    },
    {
      Sid: "CloudWatchAlarmsPublish",
      Effect: "Allow",
      Principal: { Service: "cloudwatch.amazonaws.com" },
      Action: "sns:Publish",
      Resource: topicArn,
      Condition: {
        StringEquals: { "aws:SourceAccount": i.account },
        ArnLike: {
          "aws:SourceArn": `arn:${i.partition}:cloudwatch:${region}:${i.account}:alarm:*`,
        },
      },
    },
    // The account's AWS Config non-compliance rule (components/shared/config-compliance.ts).
    ...(configRuleArn ? [complianceRulePublishes(topicArn, configRuleArn)] : []),
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
