// Which applications' pull-request previews run in one workload account: those whose pull-request
// pipeline previews this account's environment (its first environment, with the pulumi or the
// cloudformation mechanism), with what each preview role may read.
import { WorkloadContext } from "../model/config";
import { PreviewRoleInputs } from "../model/iam/workload";
import { stackNameFor } from "../model/naming";
import { pullRequestPlan } from "../model/pipeline";

/** The preview roles this account holds, one per application that previews its environment. */
export function previewApplications(
  ctx: WorkloadContext,
  services: readonly string[],
): PreviewRoleInputs[] {
  const { org, environment, account } = ctx;
  return org.applications.flatMap((app): PreviewRoleInputs[] => {
    if (pullRequestPlan(org, app)?.previewEnvironment !== environment.name) return [];
    const d = app.deploy;
    if (d.mechanism !== "pulumi" && d.mechanism !== "cloudformation") return [];
    const base = {
      partition: ctx.partition,
      prefix: org.prefix,
      environment: environment.name,
      account: account.id,
      toolsAccount: org.tools.account,
      orgId: org.id,
      application: app.name,
      services,
    };
    if (d.mechanism === "pulumi") return [{ ...base, mechanism: "pulumi" }];
    // The stacks the deploy stages use in this account, one per region (pipeline-stages.ts).
    const stackNames = ctx.regions.map((region) =>
      stackNameFor(
        d.stackName ?? `${app.name}-{env}`,
        environment.name,
        { account: account.id, label: account.name ?? account.id, region },
        1,
      ),
    );
    return [{ ...base, mechanism: "cloudformation", stackNames }];
  });
}
