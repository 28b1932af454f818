// The JSON report a command writes (`--json FILE`): the tool, the policy config, every stack and
// the summary of their findings.
import * as path from "node:path";
import { REPO_ROOT } from "../../model/paths";
import { REPORT_VERSION, type Report, type ReportStack } from "../report";
import { URN_SCHEME } from "../engine/urn";

/**
 * The resources a stack plans: its custom resources but providers (the root stack and components
 * are groupings, not resources AWS holds); none for a stack that was not evaluated.
 */
export function plannedResources(stack: ReportStack): ReportStack["resources"] {
  if (stack.error !== undefined) return [];
  return stack.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"));
}

export function summarize(stacks: readonly ReportStack[]): Report["summary"] {
  const count = (level: string) =>
    stacks.reduce((n, s) => n + s.findings.filter((f) => f.level === level).length, 0);
  return {
    stacks: stacks.length,
    resources: stacks.reduce((n, s) => n + plannedResources(s).length, 0),
    mandatory: count("mandatory"),
    advisory: count("advisory"),
    policyErrors: stacks.reduce((n, s) => n + s.policyErrors.length, 0),
    stackErrors: stacks.filter((s) => s.error !== undefined).length,
  };
}

/** The closing line of a plan: `<title>: N stack(s), N resources; … Nothing was deployed.` */
export function planVerdict(title: string, summary: Report["summary"]): string {
  return (
    `${title}: ${summary.stacks} stack(s), ${summary.resources} resources; ` +
    `${summary.mandatory} mandatory and ${summary.advisory} advisory finding(s)` +
    (summary.policyErrors ? `, ${summary.policyErrors} policy error(s)` : "") +
    (summary.stackErrors ? `, ${summary.stackErrors} stack(s) not evaluated` : "") +
    `. Nothing was deployed.`
  );
}

function toolInfo(): Report["tool"] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pkg = require(path.join(REPO_ROOT, "package.json")) as { name: string; version: string };
  return { name: pkg.name, version: pkg.version };
}

export function report(
  stacks: readonly ReportStack[],
  policyConfig?: string,
  applyOrder?: Report["applyOrder"],
): Report {
  return {
    reportVersion: REPORT_VERSION,
    tool: toolInfo(),
    urnScheme: { ...URN_SCHEME },
    ...(policyConfig ? { policyConfig } : {}),
    stacks,
    ...(applyOrder ? { applyOrder } : {}),
    summary: summarize(stacks),
  };
}
