// Baseline cases, after checkov's AWS checks (github.com/bridgecrewio/checkov, checkov/terraform/
// checks/resource/aws/*.py; the check id is the case's source): S3 encryption, public access block
// and TLS-only policy, KMS rotation, CodeBuild privileged mode, pipeline artifact encryption, and
// the alarms the pack requires (CloudWatch alarm actions, Lambda errors, CodeBuild failed builds,
// pipeline failure notifications, subscribed alarm topics); and the compliant stacks.
import type { CaseResource, DetectionCase } from "../corpus-types";
import { arn, bucket, codebuildProject, lambdaFunction, pipeline, sourceStage, T } from "../stacks";

const buildStage = {
  name: "Build",
  actions: [
    {
      name: "Build",
      category: "Build",
      owner: "AWS",
      provider: "CodeBuild",
      version: "1",
      inputArtifacts: ["source"],
      configuration: { ProjectName: "orders-build" },
    },
  ],
};

function mk(
  id: string,
  policy: string | undefined,
  source: string,
  resources: readonly CaseResource[],
): DetectionCase {
  return {
    id: `baseline-${id}`,
    family: "baseline",
    expect: policy ? { violation: true, policy } : { violation: false },
    source,
    resources,
  };
}

/** The resources with the one whose name is `name` changed by `change`. */
function changed(
  resources: readonly CaseResource[],
  name: string,
  change: (inputs: Record<string, unknown>) => Record<string, unknown>,
): CaseResource[] {
  return resources.map((r) => (r.name === name ? { ...r, inputs: change(r.inputs) } : r));
}

const without = (resources: readonly CaseResource[], ...names: string[]): CaseResource[] =>
  resources.filter((r) => !names.includes(r.name));

export function baselineCases(): DetectionCase[] {
  const fn = lambdaFunction("orders-api", {});
  const project = codebuildProject("orders-build", {});
  const pipe = pipeline("orders", [sourceStage(), buildStage]);
  return [
    // S3
    mk(
      "s3-compliant",
      undefined,
      "checkov CKV_AWS_19/CKV2_AWS_6/CKV_AWS_379: compliant bucket",
      bucket("orders-data"),
    ),
    mk(
      "s3-compliant-inline-encryption",
      undefined,
      "checkov CKV_AWS_19: inline serverSideEncryptionConfiguration",
      bucket("orders-inline-sse", { inlineEncryption: true }),
    ),
    mk(
      "s3-compliant-inline-policy",
      undefined,
      "checkov CKV_AWS_379 (TLS-only) with an inline policy",
      bucket("orders-inline-policy", { inlinePolicy: true }),
    ),
    mk(
      "s3-no-encryption",
      "baseline-s3-bucket-encryption",
      "checkov CKV_AWS_19 (S3 data encrypted at rest)",
      bucket("orders-plain", { noEncryption: true }),
    ),
    mk(
      "s3-no-public-access-block",
      "baseline-s3-public-access-block",
      "checkov CKV2_AWS_6 (S3 bucket has a public access block)",
      bucket("orders-open", { publicAccessBlock: false }),
    ),
    mk(
      "s3-block-public-acls-false",
      "baseline-s3-public-access-block",
      "checkov CKV_AWS_53 (block public ACLs)",
      bucket("orders-acls", { publicAccessBlock: { blockPublicAcls: false } }),
    ),
    mk(
      "s3-block-public-policy-false",
      "baseline-s3-public-access-block",
      "checkov CKV_AWS_54 (block public policy)",
      bucket("orders-policy", { publicAccessBlock: { blockPublicPolicy: false } }),
    ),
    mk(
      "s3-ignore-public-acls-false",
      "baseline-s3-public-access-block",
      "checkov CKV_AWS_55 (ignore public ACLs)",
      bucket("orders-ignore", { publicAccessBlock: { ignorePublicAcls: false } }),
    ),
    mk(
      "s3-restrict-public-buckets-false",
      "baseline-s3-public-access-block",
      "checkov CKV_AWS_56 (restrict public buckets)",
      bucket("orders-restrict", { publicAccessBlock: { restrictPublicBuckets: false } }),
    ),
    mk(
      "s3-no-tls-policy",
      "baseline-s3-tls-only",
      "checkov CKV_AWS_379 / AWS Config s3-bucket-ssl-requests-only",
      bucket("orders-http", { noTls: true }),
    ),
    mk(
      "s3-tls-condition-true",
      "baseline-s3-tls-only",
      "AWS Config s3-bucket-ssl-requests-only: the Deny must be on aws:SecureTransport false",
      changed(bucket("orders-tls-wrong"), "orders-tls-wrong-policy", (i) => ({
        ...i,
        policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "DenyInsecureTransport",
              Effect: "Deny",
              Principal: "*",
              Action: "s3:*",
              Resource: ["arn:aws:s3:::orders-tls-wrong", "arn:aws:s3:::orders-tls-wrong/*"],
              Condition: { Bool: { "aws:SecureTransport": "true" } },
            },
          ],
        }),
      })),
    ),
    // KMS
    mk("kms-rotation-on", undefined, "checkov CKV_AWS_7 (KMS rotation enabled)", [
      {
        type: T.kmsKey,
        name: "orders-key",
        inputs: { description: "orders data", enableKeyRotation: true, deletionWindowInDays: 30 },
      },
    ]),
    mk(
      "kms-rotation-off",
      "baseline-kms-key-rotation",
      "checkov CKV_AWS_7 (KMS rotation enabled)",
      [
        {
          type: T.kmsKey,
          name: "orders-key-norot",
          inputs: { description: "orders data", enableKeyRotation: false },
        },
      ],
    ),
    mk(
      "kms-rotation-missing",
      "baseline-kms-key-rotation",
      "checkov CKV_AWS_7 (rotation not set)",
      [{ type: T.kmsKey, name: "orders-key-default", inputs: { description: "orders data" } }],
    ),
    mk(
      "kms-rotation-explicit-symmetric",
      "baseline-kms-key-rotation",
      "checkov CKV_AWS_7 (SYMMETRIC_DEFAULT key without rotation)",
      [
        {
          type: T.kmsKey,
          name: "orders-key-sym",
          inputs: {
            description: "orders",
            customerMasterKeySpec: "SYMMETRIC_DEFAULT",
            keyUsage: "ENCRYPT_DECRYPT",
          },
        },
      ],
    ),
    mk(
      "kms-asymmetric-signing",
      undefined,
      "AWS KMS docs: asymmetric keys cannot rotate automatically (CKV_AWS_7 skips them)",
      [
        {
          type: T.kmsKey,
          name: "release-signing",
          inputs: {
            description: "release signing",
            customerMasterKeySpec: "RSA_2048",
            keyUsage: "SIGN_VERIFY",
          },
        },
      ],
    ),
    mk("kms-hmac", undefined, "AWS KMS docs: HMAC keys cannot rotate automatically", [
      {
        type: T.kmsKey,
        name: "webhook-hmac",
        inputs: {
          description: "webhook mac",
          customerMasterKeySpec: "HMAC_256",
          keyUsage: "GENERATE_VERIFY_MAC",
        },
      },
    ]),
    mk("kms-rotation-period", undefined, "checkov CKV_AWS_7 with rotationPeriodInDays", [
      {
        type: T.kmsKey,
        name: "orders-key-90",
        inputs: { description: "orders", enableKeyRotation: true, rotationPeriodInDays: 90 },
      },
    ]),
    // CodeBuild
    mk("codebuild-compliant", undefined, "checkov CKV_AWS_316 (privileged mode off)", project),
    mk(
      "codebuild-privileged",
      "baseline-codebuild-privileged-mode",
      "checkov CKV_AWS_316 (CodeBuild project not privileged)",
      changed(project, "orders-build", (i) => ({
        ...i,
        environment: { ...(i["environment"] as object), privilegedMode: true },
      })),
    ),
    mk(
      "codebuild-no-failed-alarm",
      "alarms-codebuild-failed-builds",
      "AWS CodeBuild docs: FailedBuilds metric alarm",
      without(project, "orders-build-failed"),
    ),
    mk(
      "codebuild-alarm-other-project",
      "alarms-codebuild-failed-builds",
      "AWS CodeBuild docs: the alarm's ProjectName dimension must name the project",
      changed(project, "orders-build-failed", (i) => ({
        ...i,
        dimensions: { ProjectName: "billing-build" },
      })).map((r) =>
        r.name === "orders-build-failed" ? { ...r, links: { alarmActions: ["ops-alerts"] } } : r,
      ),
    ),
    // CodePipeline
    mk(
      "pipeline-compliant",
      undefined,
      "checkov CKV_AWS_219 (artifact store encrypted with a CMK)",
      pipe,
    ),
    mk(
      "pipeline-no-encryption-key",
      "baseline-pipeline-artifact-encryption",
      "checkov CKV_AWS_219 (CodePipeline artifact store uses a CMK)",
      pipeline("orders-plain", [sourceStage(), buildStage], {}),
    ),
    mk(
      "pipeline-no-failure-notification",
      "alarms-pipeline-failure-notifications",
      "AWS CodePipeline docs: notification rule on pipeline-execution-failed",
      without(pipe, "orders-failed"),
    ),
    mk(
      "pipeline-notification-wrong-event",
      "alarms-pipeline-failure-notifications",
      "AWS CodePipeline docs: the rule must include codepipeline-pipeline-pipeline-execution-failed",
      changed(pipe, "orders-failed", (i) => ({
        ...i,
        eventTypeIds: ["codepipeline-pipeline-pipeline-execution-succeeded"],
      })),
    ),
    mk(
      "pipeline-eventbridge-failure-rule",
      undefined,
      "AWS CodePipeline docs: EventBridge rule on Pipeline Execution State Change FAILED",
      [
        ...without(pipe, "orders-failed"),
        {
          type: "aws:cloudwatch/eventRule:EventRule",
          name: "orders-failed-rule",
          inputs: {
            name: "orders-failed-rule",
            eventPattern: JSON.stringify({
              source: ["aws.codepipeline"],
              "detail-type": ["CodePipeline Pipeline Execution State Change"],
              resources: [arn("codepipeline", "orders")],
              detail: { state: ["FAILED"] },
            }),
          },
          links: {},
        },
        {
          type: "aws:cloudwatch/eventTarget:EventTarget",
          name: "orders-failed-target",
          inputs: { rule: "orders-failed-rule", arn: arn("sns", "ops-alerts") },
          links: { rule: ["orders-failed-rule"], arn: ["ops-alerts"] },
        },
      ],
    ),
    // Lambda
    mk("lambda-compliant", undefined, "AWS Lambda docs: Errors metric alarm", fn),
    mk(
      "lambda-no-errors-alarm",
      "alarms-lambda-errors",
      "AWS Lambda docs: Errors metric alarm",
      without(fn, "orders-api-errors"),
    ),
    mk(
      "lambda-alarm-throttles-only",
      "alarms-lambda-errors",
      "AWS Lambda docs: a Throttles alarm is not an Errors alarm",
      changed(fn, "orders-api-errors", (i) => ({ ...i, metricName: "Throttles" })),
    ),
    // Alarms
    mk(
      "alarm-actions-disabled",
      "alarms-actions-enabled",
      "checkov CKV_AWS_319 (CloudWatch alarm actions enabled)",
      changed(fn, "orders-api-errors", (i) => ({ ...i, actionsEnabled: false })),
    ),
    mk(
      "alarm-no-actions",
      "alarms-actions-enabled",
      "checkov CKV_AWS_319 (alarm with no action)",
      changed(fn, "orders-api-errors", (i) => ({ ...i, alarmActions: [] })).map((r) =>
        r.name === "orders-api-errors" ? { ...r, links: { dimensions: ["orders-api"] } } : r,
      ),
    ),
    mk(
      "alarm-topic-no-subscription",
      "alarms-topic-subscriptions",
      "AWS CloudWatch docs: an alarm's SNS topic needs a subscription",
      without(fn, "ops-alerts-email"),
    ),
    ...moreBaselineCases(fn, project, pipe),
    mk(
      "alarm-actions-explicitly-enabled",
      undefined,
      "checkov CKV_AWS_319 (actionsEnabled true)",
      changed(fn, "orders-api-errors", (i) => ({ ...i, actionsEnabled: true })),
    ),
  ];
}

/** More S3 forms (BucketV2, all blocks off, AES256), KMS, pipeline and alarm cases. */
function moreBaselineCases(
  fn: readonly CaseResource[],
  project: readonly CaseResource[],
  pipe: readonly CaseResource[],
): DetectionCase[] {
  const healthAlarm = (actionsEnabled: boolean): CaseResource => ({
    type: "aws:cloudwatch/compositeAlarm:CompositeAlarm",
    name: "orders-health",
    inputs: {
      alarmName: "orders-health",
      alarmRule: 'ALARM("orders-api-errors")',
      actionsEnabled,
      alarmActions: [arn("sns", "ops-alerts")],
    },
    links: { alarmRule: ["orders-api-errors"], alarmActions: ["ops-alerts"] },
  });
  return [
    mk(
      "s3-v2-compliant",
      undefined,
      "checkov CKV_AWS_19/CKV2_AWS_6 on a BucketV2 (split resources)",
      bucket("orders-v2", { type: T.bucketV2 }),
    ),
    mk(
      "s3-v2-no-public-access-block",
      "baseline-s3-public-access-block",
      "checkov CKV2_AWS_6 on a BucketV2",
      bucket("orders-v2-open", { type: T.bucketV2, publicAccessBlock: false }),
    ),
    mk(
      "s3-v2-no-encryption",
      "baseline-s3-bucket-encryption",
      "checkov CKV_AWS_145 / CKV_AWS_19 on a BucketV2",
      bucket("orders-v2-plain", { type: T.bucketV2, noEncryption: true }),
    ),
    mk(
      "s3-v2-no-tls",
      "baseline-s3-tls-only",
      "AWS Config s3-bucket-ssl-requests-only on a BucketV2",
      bucket("orders-v2-http", { type: T.bucketV2, noTls: true }),
    ),
    mk(
      "s3-all-blocks-false",
      "baseline-s3-public-access-block",
      "checkov CKV_AWS_53..56 all off",
      bucket("orders-unblocked", {
        publicAccessBlock: {
          blockPublicAcls: false,
          blockPublicPolicy: false,
          ignorePublicAcls: false,
          restrictPublicBuckets: false,
        },
      }),
    ),
    mk(
      "s3-aes256-inline",
      undefined,
      "checkov CKV_AWS_19 (AES256 counts as encryption)",
      changed(bucket("orders-aes", { inlineEncryption: true }), "orders-aes", (i) => ({
        ...i,
        serverSideEncryptionConfiguration: {
          rule: { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
        },
      })),
    ),
    mk("kms-multi-region-rotation", undefined, "checkov CKV_AWS_7 on a multi-Region key", [
      {
        type: T.kmsKey,
        name: "orders-mrk",
        inputs: { description: "orders replica key", multiRegion: true, enableKeyRotation: true },
      },
    ]),
    mk(
      "kms-multi-region-no-rotation",
      "baseline-kms-key-rotation",
      "checkov CKV_AWS_7 on a multi-Region key",
      [
        {
          type: T.kmsKey,
          name: "orders-mrk-norot",
          inputs: {
            description: "orders replica key",
            multiRegion: true,
            enableKeyRotation: false,
          },
        },
      ],
    ),
    mk(
      "pipeline-second-store-unencrypted",
      "baseline-pipeline-artifact-encryption",
      "checkov CKV_AWS_219 for every artifact store (cross-Region pipeline)",
      changed(pipe, "orders", (i) => ({
        ...i,
        artifactStores: [
          {
            location: "pipeline-artifacts-111122223333",
            type: "S3",
            region: "eu-west-1",
            encryptionKey: { id: arn("kms", "alias/pipeline-artifacts"), type: "KMS" },
          },
          { location: "pipeline-artifacts-us-111122223333", type: "S3", region: "us-east-1" },
        ],
      })),
    ),
    mk(
      "lambda-errors-metric-math",
      undefined,
      "AWS CloudWatch docs: metric math alarm on Errors / Invocations",
      fn.map((r) =>
        r.name === "orders-api-errors"
          ? {
              ...r,
              inputs: {
                name: "orders-api-errors",
                evaluationPeriods: 1,
                threshold: 5,
                comparisonOperator: "GreaterThanThreshold",
                alarmActions: [arn("sns", "ops-alerts")],
                metricQueries: [
                  {
                    id: "errors",
                    metric: {
                      namespace: "AWS/Lambda",
                      metricName: "Errors",
                      dimensions: { FunctionName: "orders-api" },
                      period: 300,
                      stat: "Sum",
                    },
                  },
                  {
                    id: "invocations",
                    metric: {
                      namespace: "AWS/Lambda",
                      metricName: "Invocations",
                      dimensions: { FunctionName: "orders-api" },
                      period: 300,
                      stat: "Sum",
                    },
                  },
                  {
                    id: "rate",
                    expression: "100 * errors / MAX([errors, invocations])",
                    label: "Error rate",
                    returnData: true,
                  },
                ],
              },
              links: { metricQueries: ["orders-api"], alarmActions: ["ops-alerts"] },
            }
          : r,
      ),
    ),
    mk(
      "alarm-ok-actions-only",
      "alarms-actions-enabled",
      "checkov CKV_AWS_319 (an alarm that only reports OK notifies no one of failures)",
      fn.map((r) =>
        r.name === "orders-api-errors"
          ? {
              ...r,
              inputs: { ...r.inputs, alarmActions: [], okActions: [arn("sns", "ops-alerts")] },
              links: { dimensions: ["orders-api"], okActions: ["ops-alerts"] },
            }
          : r,
      ),
    ),
    mk(
      "composite-alarm-disabled",
      "alarms-actions-enabled",
      "checkov CKV_AWS_319 on a composite alarm",
      [...fn, healthAlarm(false)],
    ),
    mk("composite-alarm-enabled", undefined, "checkov CKV_AWS_319 on a composite alarm", [
      ...fn,
      healthAlarm(true),
    ]),
    mk(
      "codebuild-privileged-docker",
      "baseline-codebuild-privileged-mode",
      "checkov CKV_AWS_316 (privileged for docker builds)",
      codebuildProject(
        "image-build",
        { privilegedMode: true },
        {
          type: "CODEPIPELINE",
          buildspec:
            "version: 0.2\nphases:\n  build:\n    commands:\n      - docker build -t orders .\n",
        },
      ),
    ),
    mk(
      "codebuild-second-project-no-alarm",
      "alarms-codebuild-failed-builds",
      "AWS CodeBuild docs: a FailedBuilds alarm per project",
      [
        ...project,
        {
          ...project[0]!,
          name: "orders-test",
          inputs: { ...project[0]!.inputs, name: "orders-test" },
          outputs: { arn: arn("codebuild", "project/orders-test") },
        },
      ],
    ),
  ];
}
