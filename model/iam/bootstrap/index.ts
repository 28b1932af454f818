// The organization-wide bootstrap role's documents and the StackSet template made from them.
export {
  type BootstrapRoleInputs,
  bootstrapAllowStatements,
  bootstrapBoundaryPolicy,
  bootstrapDenyStatements,
  bootstrapPermissionsPolicy,
  bootstrapTrustPolicy,
} from "./documents";
export {
  BOOTSTRAP_TEMPLATE_PATH,
  type BootstrapTemplateParameters,
  bootstrapTemplate,
  parseCloudFormationYaml,
  renderBootstrapTemplate,
  TEMPLATE_TOKENS,
} from "./template";
