// The IAM documents of the tools account, built by pure functions from names and ARNs so each can
// be read, evaluated and measured without creating a resource.
//
// Size: IAM caps a role's inline policies at 10,240 characters (CDK Pipelines hits it near 72
// accounts by listing every account's role), an S3 bucket policy at 20 KB and a KMS key policy at
// 32 KB. So workload roles are matched by name pattern across accounts
// (`arn:<p>:iam::*:role/<prefix>-<env>-deploy`) and every identity policy stays the same size
// however many accounts there are. With an organization id, `aws:ResourceOrgID` keeps what a tools
// role may assume inside the organization and `aws:PrincipalOrgID` keeps who may use the artifact
// key and bucket inside it: nothing grows. Without one, the artifact key and bucket policies list
// the target account ids in `aws:PrincipalAccount` (15 characters per account, the least a list
// can cost) and the identity policies match role names in any account (see assumeWorkloadRoles).
// docs/tools-account.md states the numbers.
//
// This barrel re-exports the documents of every tools role, key, bucket and topic.

export {
  doc,
  type PolicyDocument,
  serviceTrust,
  type Statement,
  type ToolsScope,
} from "./documents";
export { keyAdministration } from "./key-administration";
export { denyInsecureTransport, tlsOnlyBucketPolicy } from "./tls-only";
export {
  artifactBucketPolicy,
  artifactKeyPolicy,
  targetAccounts,
  workloadArtifactReaders,
  workloadReaderPrincipal,
} from "./artifact-store";
export { type PolicyPackAccess, type StateAccess, stateKeyPolicy } from "./state-store";
export { type ArtifactAccess } from "./role-statements";
export { secretReads, secretResourceArn } from "./secrets";
export {
  type BuildRoleInputs,
  buildRolePolicy,
  type PullRequestBuildRoleInputs,
  pullRequestBuildRolePolicy,
  REPORT_ACTIONS,
  reportGroupArn,
  reportStatement,
} from "./build-role";
export {
  alarmReaderPattern,
  assumeWorkloadRoles,
  workloadDeployRolePattern,
} from "./workload-roles";
export { type DeployRoleInputs, deployRolePolicy } from "./deploy-role";
export {
  type AlarmGateRoleInputs,
  alarmGateRolePolicy,
  platformPipelinesPattern,
} from "./alarm-gate-role";
export {
  CODECOMMIT_SOURCE_ACTIONS,
  codeCommitRepositoryArn,
  type PipelineRoleInputs,
  pipelineRolePolicy,
} from "./pipeline-role";
export { eventRuleTrust, startPipelinePolicy } from "./event-rule-role";
export { notificationKeyPolicy, topicPolicy } from "./notifications";
export { trailBucketPolicy, trailKeyPolicy } from "./audit-trail";
export { codeDeployRunnerPolicy, type CodeDeployRunnerInputs } from "./codedeploy-runner";
export {
  type DeliveryMetricsRoleInputs,
  deliveryMetricsPolicy,
  platformPipelineArns,
} from "./delivery-metrics";
export { configAggregatorPolicy, configAggregatorTrustPolicy } from "./config-aggregator";
