// The tools account's view of every account's AWS Config data: a configuration aggregator over
// the listed accounts and their regions (each source authorizes it: the workload stacks create
// an aws.cfg.AggregateAuthorization for the tools account), or over the whole AWS organization,
// with a role Config assumes to list its accounts. Organization aggregation works only from the
// management account or a delegated administrator for Config
// (https://docs.aws.amazon.com/config/latest/developerguide/aggregate-data.html).
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Aggregation, AggregatorSource } from "../../model/compliance";
import {
  configAggregatorPolicy,
  configAggregatorTrustPolicy,
  ToolsScope,
} from "../../model/iam/tools";
import { complianceNames } from "../../model/naming";

export interface ConfigAggregatorArgs {
  /** The organization facts every tools document needs. Required. */
  readonly scope: ToolsScope;
  /** The listed accounts, or the whole organization. Required. */
  readonly aggregation: Aggregation;
  /** The accounts with Config on and their regions (account aggregation). Required. */
  readonly sources: readonly AggregatorSource[];
}

/** Checks the arguments; returns every problem, each naming the argument and the fix. */
export function configAggregatorProblems(args: ConfigAggregatorArgs): string[] {
  const problems: string[] = [];
  if (args.aggregation === "accounts" && args.sources.length === 0)
    problems.push("sources is empty; turn Config on in some account or create no aggregator");
  if (args.aggregation === "organization" && !args.scope.orgId)
    problems.push("organization aggregation needs scope.orgId (organization.id)");
  return problems;
}

/** A Config aggregator in the tools account's home region. */
export class ConfigAggregator extends pulumi.ComponentResource {
  /** The aggregator's name. */
  readonly aggregatorName: pulumi.Output<string>;

  constructor(name: string, args: ConfigAggregatorArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:tools:ConfigAggregator", name, {}, opts);
    const problems = configAggregatorProblems(args);
    if (problems.length > 0)
      throw new pulumi.ResourceError(`${name}: ${problems.join("; ")}`, this);
    const n = complianceNames(args.scope.prefix, args.scope.toolsAccount);
    let source: Pick<
      aws.cfg.ConfigurationAggregatorArgs,
      "accountAggregationSource" | "organizationAggregationSource"
    >;
    const deps: pulumi.Resource[] = [];
    if (args.aggregation === "organization") {
      const role = new aws.iam.Role(
        `${name}-role`,
        {
          name: n.aggregatorRole,
          description: "AWS Config lists the organization's accounts for the aggregator",
          assumeRolePolicy: JSON.stringify(configAggregatorTrustPolicy(args.scope)),
        },
        { parent: this },
      );
      deps.push(
        new aws.iam.RolePolicy(
          `${name}-role-policy`,
          { role: role.name, policy: JSON.stringify(configAggregatorPolicy()) },
          { parent: this },
        ),
      );
      source = { organizationAggregationSource: { allRegions: true, roleArn: role.arn } };
    } else {
      const regions = [...new Set(args.sources.flatMap((s) => s.regions))].sort();
      source = {
        accountAggregationSource: {
          accountIds: args.sources.map((s) => s.account),
          regions,
        },
      };
    }
    const aggregator = new aws.cfg.ConfigurationAggregator(
      name,
      { name: n.aggregator, ...source },
      { parent: this, dependsOn: deps },
    );
    this.aggregatorName = aggregator.name;
    this.registerOutputs({ aggregatorName: this.aggregatorName });
  }
}
