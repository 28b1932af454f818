// One AWS provider per region a stack deploys to, each pinned to the stack's account with
// `allowedAccountIds`: with the wrong credentials the provider refuses to act, so a mistake in one
// account's stack cannot touch another account. Every resource gets the platform's default tags.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface AccountProvidersArgs {
  /** The 12-digit account every provider is pinned to. */
  readonly account: string;
  /** Regions to create a provider for; the first is the stack's home region. */
  readonly regions: readonly string[];
  /** Tags added to every resource (merged with the platform's own). Default: none. */
  readonly tags?: Readonly<Record<string, string>>;
}

/** The providers of one account, by region. */
export class AccountProviders extends pulumi.ComponentResource {
  /** Provider per region. */
  readonly byRegion: ReadonlyMap<string, aws.Provider>;
  /** Provider of the home region (the first region). */
  readonly home: aws.Provider;

  constructor(name: string, args: AccountProvidersArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:core:AccountProviders", name, {}, opts);
    if (args.regions.length === 0)
      throw new pulumi.ResourceError(`${name}: regions is empty; give at least one region`, this);
    const tags = { "platform:managed-by": "cicd-platform", ...(args.tags ?? {}) };
    const byRegion = new Map<string, aws.Provider>();
    for (const region of args.regions) {
      byRegion.set(
        region,
        new aws.Provider(
          `${name}-${region}`,
          { region, allowedAccountIds: [args.account], defaultTags: { tags } },
          { parent: this },
        ),
      );
    }
    this.byRegion = byRegion;
    this.home = byRegion.get(args.regions[0]) as aws.Provider;
    this.registerOutputs({ account: args.account, regions: [...args.regions] });
  }

  /** The provider of a region this account deploys to. */
  forRegion(region: string): aws.Provider {
    const provider = this.byRegion.get(region);
    if (!provider)
      throw new pulumi.ResourceError(
        `no provider for region ${region}; this account deploys to ${[...this.byRegion.keys()].join(", ")}`,
        this,
      );
    return provider;
  }
}
