// The stacks of an organization, derived from its config: the bootstrap stack (when the platform
// bootstraps the organization), the tools stack, and one workload stack per workload account.
// Adding an account to Pulumi.yaml adds its stack; a Pulumi.<stack>.yaml is an optional override
// that keeps a stack's existing name (plan/engine/stack-files.ts matches it by account).
import { Organization, StackRole } from "./config/schema";

/** One stack the organization needs, with the settings its stack file holds. */
export interface DerivedStack {
  /** The stack's name: `tools`, `bootstrap`, or the account's label (else `<env>-<account id>`). */
  readonly name: string;
  readonly role: StackRole;
  /** The account the stack deploys. */
  readonly account: string;
  /** The stack's home region (aws:region). */
  readonly region: string;
  /** The environment of a workload stack. */
  readonly environment?: string;
  /** Set when the environment has several accounts: the stack file must name its account. */
  readonly accountSetting?: string;
}

/** The default name of a workload account's stack: its label, else `<env>-<account id>`. */
export function workloadStackName(environment: string, account: { id: string; name?: string }) {
  return account.name ?? `${environment}-${account.id}`;
}

/**
 * Every stack of the organization, in deployment order: bootstrap, tools, then the workload
 * accounts in promotion order (accounts in config order). Names are stable: they depend only on
 * the account's label (or id) and environment, never on its position.
 */
export function derivedStacks(org: Organization): DerivedStack[] {
  const stacks: DerivedStack[] = [];
  const bootstrap = org.platform?.bootstrap;
  if (bootstrap)
    stacks.push({
      name: "bootstrap",
      role: "bootstrap",
      account: bootstrap.account,
      region: bootstrap.region ?? org.tools.region,
    });
  stacks.push({
    name: "tools",
    role: "tools",
    account: org.tools.account,
    region: org.tools.region,
  });
  const byName = new Map(org.environments.map((e) => [e.name, e]));
  for (const envName of org.promotionOrder) {
    const env = byName.get(envName);
    if (!env) continue;
    for (const account of env.accounts)
      stacks.push({
        name: workloadStackName(env.name, account),
        role: "workload",
        account: account.id,
        region: (account.regions ?? env.regions)[0]!,
        environment: env.name,
        ...(env.accounts.length > 1 ? { accountSetting: account.id } : {}),
      });
  }
  return stacks;
}

/** The workload stacks of one environment, in config order. */
export function environmentStacks(org: Organization, environment: string): DerivedStack[] {
  return derivedStacks(org).filter((s) => s.environment === environment);
}
