// AWS Config in one account (tools or workload): the bucket policy and the key policy of the
// delivery channel's encrypted bucket, and the topic and key statements that let the account's
// "compliance change" EventBridge rule publish to the topic it notifies. The recorder runs as
// the service-linked role AWSServiceRoleForConfig, which AWS recommends over a role of one's own
// (https://docs.aws.amazon.com/config/latest/developerguide/using-service-linked-roles-config.html);
// that role has no access to a customer key, so Config delivers as its service principal, which
// the bucket and key policies admit for this account only (aws:SourceAccount).
import { doc as bucketDoc, type PolicyDocument as BucketPolicyDocument } from "../tools/documents";
import { doc, PolicyDocument, PolicyStatement } from "./documents";

/** What the Config documents of one account are built from. */
export interface ConfigAccountInputs {
  readonly partition: string;
  readonly account: string;
}

/** ARN of the service-linked role the recorder runs as. */
export function configServiceLinkedRoleArn(i: ConfigAccountInputs): string {
  return `arn:${i.partition}:iam::${i.account}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`;
}

const fromThisAccount = (i: ConfigAccountInputs) => ({
  StringEquals: { "aws:SourceAccount": i.account },
});

/**
 * Bucket policy of the delivery channel's bucket: Config (this account only) checks the ACL,
 * lists the bucket and writes under AWSLogs/<account>/Config/ with bucket-owner-full-control;
 * nothing is accepted without TLS
 * (https://docs.aws.amazon.com/config/latest/developerguide/s3-bucket-policy.html).
 */
export function configBucketPolicy(
  i: ConfigAccountInputs,
  bucketArn: string,
): BucketPolicyDocument {
  const config = { Service: "config.amazonaws.com" };
  // The secure-bucket component's document type (model/iam/tools), the same JSON.
  return bucketDoc(
    {
      Sid: "AWSConfigBucketPermissionsCheck",
      Effect: "Allow",
      Principal: config,
      Action: "s3:GetBucketAcl",
      Resource: bucketArn,
      Condition: fromThisAccount(i),
    },
    {
      Sid: "AWSConfigBucketExistenceCheck",
      Effect: "Allow",
      Principal: config,
      Action: "s3:ListBucket",
      Resource: bucketArn,
      Condition: fromThisAccount(i),
    },
    {
      Sid: "AWSConfigBucketDelivery",
      Effect: "Allow",
      Principal: config,
      Action: "s3:PutObject",
      Resource: `${bucketArn}/AWSLogs/${i.account}/Config/*`,
      Condition: {
        StringEquals: {
          "s3:x-amz-acl": "bucket-owner-full-control",
          "aws:SourceAccount": i.account,
        },
      },
    },
    {
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: [bucketArn, `${bucketArn}/*`],
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    },
  );
}

/**
 * Key policy of the delivery channel's key: the account administers it; Config (this account
 * only) encrypts what it delivers with it
 * (https://docs.aws.amazon.com/config/latest/developerguide/s3-kms-key-policy.html, the
 * service-linked role case).
 */
export function configKeyPolicy(i: ConfigAccountInputs): PolicyDocument {
  return doc(
    {
      Sid: "AccountAdministersKey",
      Effect: "Allow",
      Principal: { AWS: `arn:${i.partition}:iam::${i.account}:root` },
      Action: "kms:*",
      Resource: "*",
    },
    {
      Sid: "AWSConfigKMSPolicy",
      Effect: "Allow",
      Principal: { Service: "config.amazonaws.com" },
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: "*",
      Condition: fromThisAccount(i),
    },
  );
}

/** ARN of an EventBridge rule on the default bus. */
export function eventRuleArn(
  partition: string,
  region: string,
  account: string,
  name: string,
): string {
  return `arn:${partition}:events:${region}:${account}:rule/${name}`;
}

/**
 * The statement of an alarm topic's policy that lets this account's compliance-change rule
 * publish (EventBridge publishes to SNS as events.amazonaws.com; aws:SourceArn names the rule:
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sns-permissions).
 */
export function complianceRulePublishes(topicArn: string, ruleArn: string): PolicyStatement {
  return {
    Sid: "ComplianceChangesPublish",
    Effect: "Allow",
    Principal: { Service: "events.amazonaws.com" },
    Action: "sns:Publish",
    Resource: topicArn,
    Condition: { ArnEquals: { "aws:SourceArn": ruleArn } },
  };
}

/**
 * The statement of an alarm key's policy that lets EventBridge encrypt what it publishes to the
 * topic: only through SNS in that region (the condition the tools account's notification key
 * uses; no AWS page documents aws:SourceArn on these KMS requests, which SNS makes).
 */
export function complianceRuleUsesKey(region: string): PolicyStatement {
  return {
    Sid: "ComplianceChangesPublishEncrypted",
    Effect: "Allow",
    Principal: { Service: "events.amazonaws.com" },
    Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
    Resource: "*",
    Condition: { StringEquals: { "kms:ViaService": `sns.${region}.amazonaws.com` } },
  };
}

/**
 * The EventBridge pattern of a Config rule turning NON_COMPLIANT
 * (https://docs.aws.amazon.com/config/latest/developerguide/monitor-config-with-cloudwatchevents.html).
 */
export const NON_COMPLIANT_PATTERN = {
  source: ["aws.config"],
  "detail-type": ["Config Rules Compliance Change"],
  detail: {
    messageType: ["ComplianceChangeNotification"],
    newEvaluationResult: { complianceType: ["NON_COMPLIANT"] },
  },
} as const;

/**
 * The guardrails that keep deployments from switching off what watches them: the account's
 * recorder and delivery channel and X-Ray's encryption setting (account-wide: no resource-level
 * permissions), the non-compliance EventBridge rule and the platform's sampling rule (by ARN, so
 * the applications' own rules stay theirs). Part of the deploy roles' guardrails and the
 * permissions boundary (guardrails.ts); the Config and X-Ray keys are covered by its alias rule.
 */
export function complianceGuardrails(i: {
  readonly partition: string;
  readonly prefix: string;
  readonly environment: string;
  readonly account: string;
}): PolicyStatement[] {
  const p = i.partition;
  return [
    {
      Sid: "DenyChangesToAccountRecording",
      Effect: "Deny",
      Action: [
        "config:StopConfigurationRecorder",
        "config:DeleteConfigurationRecorder",
        "config:PutConfigurationRecorder",
        "config:DeleteDeliveryChannel",
        "config:PutDeliveryChannel",
        "config:DeleteAggregationAuthorization",
        "xray:PutEncryptionConfig",
      ],
      Resource: "*",
    },
    {
      Sid: "DenyChangesToPlatformWatchers",
      Effect: "Deny",
      Action: [
        "events:DeleteRule",
        "events:DisableRule",
        "events:PutRule",
        "events:PutTargets",
        "events:RemoveTargets",
        "xray:UpdateSamplingRule",
        "xray:DeleteSamplingRule",
      ],
      Resource: [
        `arn:${p}:events:*:${i.account}:rule/${i.prefix}-config-noncompliant`,
        `arn:${p}:xray:*:${i.account}:sampling-rule/${i.prefix}-${i.environment}`,
      ],
    },
  ];
}
