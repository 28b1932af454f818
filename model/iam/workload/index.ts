// The IAM, KMS and SNS policy documents of a workload account, as small pure functions of plain
// values (no resources), so they can be evaluated and measured without deploying anything.
//
// How the deploy role is contained:
// - it may use only the services the environment allows (DEFAULT_ALLOWED_SERVICES unless config
//   says otherwise), never iam:*, organizations:* or sts:* wholesale;
// - it may create and change IAM roles, users, policies and instance profiles only under the
//   application path (`/app/`), and roles and users only with the platform permissions boundary
//   attached; it may pass only `/app/` roles, which therefore always carry the boundary;
// - explicit denies (the guardrails, repeated in the boundary) stop it from removing or editing the
//   boundary, attaching AdministratorAccess / PowerUserAccess / IAMFullAccess, touching any role,
//   user or policy whose name starts with `<prefix>-` (its own role and policies included) and
//   changing the alarms, topic and key that gate promotion.
// Every document is independent of the number of accounts and applications.
//
// This barrel re-exports the documents of every workload role, key and topic.

export {
  boundaryArn,
  IAM_INLINE_POLICIES_LIMIT,
  IAM_MANAGED_POLICY_LIMIT,
  IAM_TRUST_POLICY_LIMIT,
  type PolicyDocument,
  policySize,
  type PolicyStatement,
  type WorkloadPolicyInputs,
} from "./documents";
export {
  DEFAULT_ALLOWED_SERVICES,
  FORBIDDEN_SERVICES,
  forbiddenServiceReason,
  serviceActions,
  servicesPolicy,
} from "./services";
export { deployTrustPolicy } from "./deploy-role";
export {
  alarmKeyPolicy,
  alarmReaderPolicy,
  alarmReaderTrustPolicy,
  alarmTopicPolicy,
} from "./alarms";
export {
  cfnActionPolicy,
  cfnActionTrustPolicy,
  cfnExecutionTrustPolicy,
} from "./cloudformation-roles";
export { boundedIamPolicy } from "./bounded-iam";
export { elevatedManagedPolicies, guardrailsPolicy, guardrailStatements } from "./guardrails";
export { permissionsBoundaryPolicy } from "./permissions-boundary";
export {
  artifactReadStatements,
  type CodeDeployAppInputs,
  codeDeployActionPolicy,
  codeDeployActionTrustPolicy,
  codeDeployServicePolicy,
  codeDeployServiceRoleArn,
  codeDeployServiceTrustPolicy,
  hostPolicy,
  hostTrustPolicy,
} from "./codedeploy";
export {
  PREVIEW_DENIED_DATA_READS,
  PREVIEW_NO_GET_SERVICES,
  previewReadPatterns,
  previewPolicy,
  type PreviewRoleInputs,
  previewStackName,
  previewTrustPolicy,
} from "./preview-role";
export {
  complianceRulePublishes,
  complianceRuleUsesKey,
  configBucketPolicy,
  configKeyPolicy,
  configServiceLinkedRoleArn,
  eventRuleArn,
  NON_COMPLIANT_PATTERN,
} from "./config";
export { xrayKeyPolicy } from "./xray";
