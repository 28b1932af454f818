// The workload account program: one environment's account, deployed by the tools pipelines.
import { AccountProviders } from "../components/account-providers";
import { WorkloadContext } from "./config/validate";
import { environmentNames, roleArn } from "./naming";

/** Builds one workload account of one environment. Returns the stack outputs. */
export function workloadProgram(ctx: WorkloadContext) {
  const { org, environment, account } = ctx;
  const providers = new AccountProviders(`${org.prefix}-${environment.name}-${account.id}`, {
    account: account.id,
    regions: [ctx.region, ...ctx.regions.filter((r) => r !== ctx.region)],
    tags: {
      "platform:stack": ctx.stack,
      "platform:role": "workload",
      "platform:environment": environment.name,
    },
  });
  const names = environmentNames(org.prefix, environment.name);
  return {
    role: ctx.role,
    environment: environment.name,
    account: account.id,
    regions: [...providers.byRegion.keys()],
    deployRoleArn: roleArn(ctx.partition, account.id, names.workloadDeployRole),
  };
}
