// What drift detection checks: every platform stack the tools account can reach and every
// application stack the pipelines deploy, each with how it is checked. Pure: the tools program
// writes this list where the drift build reads it (components/tools/drift-detection.ts).
import { Organization } from "./config/schema";
import { platformNames, stackNameFor } from "./naming";
import { pipelineModel } from "./pipeline";
import { DerivedStack } from "./stacks";

/** True when the tools stack creates drift detection (organization.platform, drift.enabled). */
export function driftEnabled(org: Organization): boolean {
  return org.platform !== undefined && org.platform.drift.enabled;
}

/**
 * How a stack is checked. `preview`: the program is at hand (the platform's own repository), so
 * `pulumi preview --refresh --expect-no-changes` compares program, state and cloud
 * (https://www.pulumi.com/docs/iac/cli/commands/pulumi_preview/). `refresh`: the program is not
 * (an application's repository), so `pulumi refresh --preview-only --expect-no-changes` compares
 * the state with the cloud only (https://www.pulumi.com/docs/deployments/concepts/drift/).
 */
export type DriftCheck = "preview" | "refresh";

/** One stack the drift build checks. */
export interface DriftTarget {
  /** The stack's name in its backend. */
  readonly stack: string;
  readonly kind: "platform" | "application";
  readonly check: DriftCheck;
  /** The account the stack deploys (its credentials are the drift reader role there). */
  readonly account: string;
  readonly region: string;
  /** The state prefix of the stack's backend: `platform` or the environment. */
  readonly statePrefix: string;
  /** The application, for an application stack. */
  readonly application?: string;
  /** The environment, for a workload or application stack. */
  readonly environment?: string;
}

/** A stack the drift build does not check, and why. */
export interface DriftExclusion {
  readonly stack: string;
  readonly reason: string;
}

/** The drift plan: the checked stacks in a stable order and the excluded ones. */
export interface DriftPlan {
  readonly targets: readonly DriftTarget[];
  readonly excluded: readonly DriftExclusion[];
}

/** Why the bootstrap stack is never previewed from the tools account. */
export const BOOTSTRAP_EXCLUSION =
  "deploys in the management (or StackSets delegated administrator) account, where no role trusts the tools account; CloudFormation StackSet drift detection covers its instances";

/**
 * The drift plan of an organization: the platform stacks (`platformStacks(org)`, bootstrap
 * excluded) checked with their program, then every application stack a pulumi pipeline deploys
 * (one per deploy target, named as the pipeline names it) checked against the cloud alone.
 */
export function driftPlan(org: Organization, stacks: readonly DerivedStack[]): DriftPlan {
  const { statePrefix } = platformNames(org.prefix);
  const targets: DriftTarget[] = [];
  const excluded: DriftExclusion[] = [];
  for (const s of stacks) {
    if (s.role === "bootstrap") {
      excluded.push({ stack: s.name, reason: BOOTSTRAP_EXCLUSION });
      continue;
    }
    targets.push({
      stack: s.name,
      kind: "platform",
      check: "preview",
      account: s.account,
      region: s.region,
      statePrefix,
      ...(s.environment ? { environment: s.environment } : {}),
    });
  }
  for (const app of org.applications) {
    if (app.deploy.mechanism !== "pulumi") continue;
    const template = app.deploy.stackName;
    const model = pipelineModel(org, app);
    const seen = new Set<string>();
    for (const env of model.environments) {
      const envTargets = model.stages
        .filter((st) => st.kind === "deploy" && st.environment === env)
        .flatMap((st) => st.actions.flatMap((a) => (a.target ? [a.target] : [])));
      const distinct = new Set(envTargets.map((t) => `${t.account}/${t.region}`)).size;
      for (const t of envTargets) {
        const stack = stackNameFor(template, env, t, distinct);
        const key = `${env}/${stack}`;
        if (seen.has(key)) continue;
        seen.add(key);
        targets.push({
          stack,
          kind: "application",
          check: "refresh",
          account: t.account,
          region: t.region,
          statePrefix: env,
          application: app.name,
          environment: env,
        });
      }
    }
  }
  return { targets, excluded };
}

/** The accounts outside the tools account the drift build reads, sorted (the reader roles it needs). */
export function driftAccounts(plan: DriftPlan, toolsAccount: string): string[] {
  return [...new Set(plan.targets.map((t) => t.account))].filter((a) => a !== toolsAccount).sort();
}
