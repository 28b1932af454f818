// The organization-wide bootstrap stack (organization.platform.bootstrap): run once in the
// management account or a StackSets delegated administrator, it creates the StackSet that puts
// the bootstrap role in every account of the organization's workload OUs (docs/bootstrap.md).
import { AccountProviders } from "../components/account-providers";
import { BootstrapStackSet } from "../components/bootstrap/stack-set";
import { readBootstrapTemplate } from "../components/bootstrap/template-file";
import { BootstrapContext } from "../model/config";
import { platformNames } from "../model/naming";

/** The bootstrap stack's program. */
export async function bootstrapProgram(ctx: BootstrapContext): Promise<Record<string, unknown>> {
  const { org, bootstrap } = ctx;
  const providers = new AccountProviders(`${org.prefix}-bootstrap`, {
    account: ctx.account,
    regions: [ctx.region],
    tags: { "platform:stack": ctx.stack, "platform:role": "bootstrap" },
  });
  const stackSet = new BootstrapStackSet(`${org.prefix}-bootstrap`, {
    prefix: org.prefix,
    toolsAccount: org.tools.account,
    // Validated: a bootstrap stack requires organization.id (model/config/stack.ts).
    orgId: org.id as string,
    callAs: bootstrap.callAs,
    organizationalUnits: bootstrap.organizationalUnits,
    accounts: bootstrap.accounts,
    instanceRegion: ctx.region,
    templateBody: readBootstrapTemplate(),
    provider: providers.home,
  });
  return {
    stackSetName: stackSet.stackSetName,
    stackSetArn: stackSet.stackSetArn,
    bootstrapRoleName: stackSet.roleName,
    deployerRoleName: platformNames(org.prefix).deployerRole,
  };
}
