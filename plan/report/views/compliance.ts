// AWS Config of one stack, as the plan shows it: how many managed rules in which regions, whether
// the stack creates the recorder or relies on the account's own, and the aggregator the tools
// stack creates. Read from the recorded resources only; names and inputs are known in a preview.
import type { RecordedResource } from "../../engine";
import { isUnknown } from "./known-values";
import { plural } from "./wording";

const RULE = "aws:cfg/rule:Rule";
const RECORDER = "aws:cfg/recorder:Recorder";
const AGGREGATOR = "aws:cfg/configurationAggregator:ConfigurationAggregator";

/** What a stack does with AWS Config. */
export interface ComplianceSummary {
  /** Config rules, and the regions they are in. */
  readonly rules: number;
  readonly regions: readonly string[];
  /** The stack creates the recorders, or the account records already. */
  readonly recorder: "created" | "existing";
  /** The tools stack's aggregator: the listed accounts, or the whole organization. */
  readonly aggregator?: { readonly accounts: number | "organization"; readonly regions: number };
}

/** The stack's AWS Config, or undefined when it creates no rule and no aggregator. */
export function complianceSummary(
  resources: readonly RecordedResource[],
): ComplianceSummary | undefined {
  const rules = resources.filter((r) => r.type === RULE);
  const aggregator = resources.find((r) => r.type === AGGREGATOR);
  if (rules.length === 0 && !aggregator) return undefined;
  let agg: ComplianceSummary["aggregator"];
  if (aggregator) {
    const accounts = aggregator.inputs["accountAggregationSource"] as
      { accountIds?: unknown; regions?: unknown } | undefined;
    agg = accounts
      ? {
          accounts: Array.isArray(accounts.accountIds) ? accounts.accountIds.length : 0,
          regions: Array.isArray(accounts.regions) ? accounts.regions.length : 0,
        }
      : { accounts: "organization", regions: 0 };
  }
  return {
    rules: rules.length,
    regions: [...new Set(rules.map((r) => r.region).filter((r) => !isUnknown(r)))].sort(),
    recorder: resources.some((r) => r.type === RECORDER) ? "created" : "existing",
    ...(agg ? { aggregator: agg } : {}),
  };
}

/** One line for the rules, one for the aggregator. */
export function renderCompliance(s: ComplianceSummary | undefined): string[] {
  if (!s) return [];
  const lines: string[] = [];
  if (s.rules > 0)
    lines.push(
      `AWS Config: ${plural(s.rules, "rule")} in ${s.regions.join(", ")}, recorder: ${s.recorder === "created" ? "created (service-linked role, encrypted delivery bucket)" : "existing (the account's own)"}`,
    );
  if (s.aggregator)
    lines.push(
      s.aggregator.accounts === "organization"
        ? "AWS Config aggregator: every account of the organization, all regions"
        : `AWS Config aggregator: ${plural(s.aggregator.accounts, "account")} in ${plural(s.aggregator.regions, "region")}`,
    );
  return lines;
}
