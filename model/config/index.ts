// Validation of the organization config and of one stack's settings. Every problem is collected
// with its config path and the fix, and thrown once as a ConfigError before any resource exists.
//
// This barrel re-exports the problems, the organization and application rules, the secrets scan
// and the stack validation.

export { ConfigError, type ConfigProblem, formatProblems, renderPath } from "./problems";
export { isProduction, organizationProblems, validateOrganization } from "./organization";
export { applicationPipelineProblems, secretReferenceProblem } from "./applications";
export { subscriberProblem } from "./subscribers";
export { scanSecrets } from "./secrets";
export {
  PLATFORM_KEYS,
  type BootstrapContext,
  type StackContext,
  type ToolsContext,
  type WorkloadContext,
  validateStackConfig,
} from "./stack";
