// The tools account program: the pipelines of every application and what they need.
import { AccountProviders } from "../components/account-providers";
import { ToolsContext } from "./config/validate";
import { environmentNames, roleArn } from "./naming";

/** Builds the tools account. Returns the stack outputs. */
export function toolsProgram(ctx: ToolsContext) {
  const { org } = ctx;
  const providers = new AccountProviders(`${org.prefix}-tools`, {
    account: ctx.account,
    regions: [ctx.region],
    tags: { "platform:stack": ctx.stack, "platform:role": "tools" },
  });
  return {
    role: ctx.role,
    account: ctx.account,
    region: ctx.region,
    providerRegions: [...providers.byRegion.keys()],
    // The workload roles each environment's deployments assume, computed from the shared names.
    workloadDeployRoles: Object.fromEntries(
      org.environments.map((env) => [
        env.name,
        env.accounts.map((a) =>
          roleArn(ctx.partition, a.id, environmentNames(org.prefix, env.name).workloadDeployRole),
        ),
      ]),
    ),
  };
}
