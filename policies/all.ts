// Every policy of the pack, by family, and the pack-level defaults. `index.ts` only assembles these
// into a PolicyPack; tests, the docs generator and the offline plan import this module instead
// (constructing a PolicyPack starts a gRPC server).
import type { EnforcementLevel } from "@pulumi/policy";
import { alarmsActionsEnabled } from "./alarms/alarms-actions-enabled";
import { alarmsCodeBuildFailedBuilds } from "./alarms/alarms-codebuild-failed-builds";
import { alarmsLambdaErrors } from "./alarms/alarms-lambda-errors";
import { alarmsPipelineFailureNotifications } from "./alarms/alarms-pipeline-failure-notifications";
import { alarmsTopicSubscriptions } from "./alarms/alarms-topic-subscriptions";
import { baselineApiGatewayXrayTracing } from "./baseline/baseline-apigateway-xray-tracing";
import { baselineCodeBuildPrivilegedMode } from "./baseline/baseline-codebuild-privileged-mode";
import { baselineEcsTracingSidecar } from "./baseline/baseline-ecs-tracing-sidecar";
import { baselineKmsKeyRotation } from "./baseline/baseline-kms-key-rotation";
import { baselineLambdaTracing } from "./baseline/baseline-lambda-tracing";
import { baselinePipelineArtifactEncryption } from "./baseline/baseline-pipeline-artifact-encryption";
import { baselineS3BucketEncryption } from "./baseline/baseline-s3-bucket-encryption";
import { baselineS3PublicAccessBlock } from "./baseline/baseline-s3-public-access-block";
import { baselineS3TlsOnly } from "./baseline/baseline-s3-tls-only";
import { iamNoAdminStatements } from "./iam/iam-no-admin-statements";
import { iamNoAllowNotAction } from "./iam/iam-no-allow-not-action";
import { iamNoCombinedPrivilegeEscalation } from "./iam/iam-no-combined-privilege-escalation";
import { iamNoElevatedManagedPolicies } from "./iam/iam-no-elevated-managed-policies";
import { iamNoOpenTrustPolicies } from "./iam/iam-no-open-trust-policies";
import { iamNoPassRoleWildcard } from "./iam/iam-no-passrole-wildcard";
import { iamNoPrivilegeEscalation } from "./iam/iam-no-privilege-escalation";
import { iamNoPublicResourcePolicies } from "./iam/iam-no-public-resource-policies";
import { iamNoServiceWildcards } from "./iam/iam-no-service-wildcards";
import { iamNoWriteOnAllResources } from "./iam/iam-no-write-on-all-resources";
import { iamValidPolicyDocuments } from "./iam/iam-valid-policy-documents";
import type { Family, PackPolicy } from "./lib/policy";
import { secretsNoCredentialsInUrls } from "./secrets/secrets-no-credentials-in-urls";
import { secretsNoKnownTokens } from "./secrets/secrets-no-known-tokens";
import { secretsNoPipelineConfigurationSecrets } from "./secrets/secrets-no-pipeline-configuration-secrets";
import { secretsNoPlaintextCodeBuildVariables } from "./secrets/secrets-no-plaintext-codebuild-variables";
import { secretsNoPlaintextEcsEnvironment } from "./secrets/secrets-no-plaintext-ecs-environment";
import { secretsNoPlaintextLambdaEnvironment } from "./secrets/secrets-no-plaintext-lambda-environment";
import { secretsNoPlaintextServiceConfiguration } from "./secrets/secrets-no-plaintext-service-configuration";
import { secretsNoPlaintextSsmParameters } from "./secrets/secrets-no-plaintext-ssm-parameters";
import { secretsNoUserDataSecrets } from "./secrets/secrets-no-user-data-secrets";

/** The policies of each family, in the order the docs list them. */
export const policiesByFamily: Readonly<Record<Family, readonly PackPolicy[]>> = {
  iam: [
    iamNoAdminStatements,
    iamNoServiceWildcards,
    iamNoWriteOnAllResources,
    iamNoPassRoleWildcard,
    iamNoAllowNotAction,
    iamNoPrivilegeEscalation,
    iamNoCombinedPrivilegeEscalation,
    iamNoElevatedManagedPolicies,
    iamNoOpenTrustPolicies,
    iamNoPublicResourcePolicies,
    iamValidPolicyDocuments,
  ],
  secrets: [
    secretsNoKnownTokens,
    secretsNoCredentialsInUrls,
    secretsNoPlaintextCodeBuildVariables,
    secretsNoPlaintextLambdaEnvironment,
    secretsNoPlaintextEcsEnvironment,
    secretsNoPlaintextSsmParameters,
    secretsNoPipelineConfigurationSecrets,
    secretsNoUserDataSecrets,
    secretsNoPlaintextServiceConfiguration,
  ],
  alarms: [
    alarmsPipelineFailureNotifications,
    alarmsCodeBuildFailedBuilds,
    alarmsLambdaErrors,
    alarmsActionsEnabled,
    alarmsTopicSubscriptions,
  ],
  baseline: [
    baselineS3BucketEncryption,
    baselineS3PublicAccessBlock,
    baselineS3TlsOnly,
    baselineKmsKeyRotation,
    baselineCodeBuildPrivilegedMode,
    baselinePipelineArtifactEncryption,
    baselineLambdaTracing,
    baselineApiGatewayXrayTracing,
    baselineEcsTracingSidecar,
  ],
};

/** Every policy of the pack. */
export const allPolicies: readonly PackPolicy[] = Object.values(policiesByFamily).flat();

/** Pack-level settings; each policy's own enforcement level takes precedence over the pack's. */
export const packDefaults: {
  readonly name: string;
  readonly description: string;
  readonly enforcementLevel: EnforcementLevel;
} = {
  name: "aws-cicd-platform-guard",
  description:
    "Blocks over-broad IAM, hardcoded secrets and missing alarms in a multi-account AWS CI/CD platform and the applications it deploys.",
  enforcementLevel: "advisory",
};
