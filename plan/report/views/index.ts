// Read-only views of one evaluated stack, for the offline plan: the resources by account, region
// and component; every CodePipeline's stages, parallel actions and gates; and the cross-account
// trust graph (who may assume which role). Pure functions over what the engine recorded, with
// plain-text renderers (two-space indentation, no colour: the CLI adds it). They work on a preview
// too: ARNs the engine does not know yet are derived from names, paths and accounts, and a value
// that stays unknown prints as "(known after deploy)", never as the wire sentinel.
//
// This barrel re-exports the public names of the files of one view each.

export { KNOWN_AFTER_DEPLOY, isUnknown } from "./known-values";
export { arnAccount, partitionOf, roleArnOf } from "./arns";
export {
  renderGroups,
  resourceGroups,
  shortType,
  type AccountGroup,
  type ComponentGroup,
  type ProviderTarget,
  type RegionGroup,
  type ResourceGroups,
  type TypeCount,
} from "./resource-groups";
export type {
  ActionGate,
  ActionStep,
  ActionSummary,
  ConditionSummary,
  FailureSummary,
  GateSummary,
  PipelineSummary,
  RuleSummary,
  SourceSummary,
  StageSummary,
  TargetSource,
  TriggerSummary,
} from "./pipeline-summary";
export { applyOrder, renderApplyOrder } from "./apply-order";
export type { ApplyOrder, ApplyStep, OrderedStack } from "./apply-order";
export { pipelineSummaries } from "./pipeline-summaries";
export { describeStage, renderPipelines } from "./pipeline-text";
export {
  criticalPath,
  criticalPaths,
  DEFAULT_ASSUMPTIONS,
  describeCriticalPath,
  formatMinutes,
  parseAssumptions,
} from "./critical-path";
export type { CriticalPath, DurationAssumptions } from "./critical-path";
export {
  describeConditions,
  renderTrust,
  trustEdges,
  type ServiceTrust,
  type SkippedTrust,
  type TrustConditions,
  type TrustEdge,
  type TrustView,
} from "./trust-edges";
export { deliverySummary, renderDelivery, type DeliverySummary } from "./delivery-summary";
export { complianceSummary, renderCompliance, type ComplianceSummary } from "./compliance";
