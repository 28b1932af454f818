// The CLI's exit codes and the one a plan or check ends with: 0 clean, 1 a mandatory violation
// (or a policy or program error), 2 bad config or usage.
import type { ReportStack } from "../report";
import { summarize } from "./report-document";

export const EXIT_OK = 0;
export const EXIT_VIOLATIONS = 1;
export const EXIT_USAGE = 2;

export function exitCodeFor(stacks: readonly ReportStack[], configFailures: number): number {
  if (configFailures > 0) return EXIT_USAGE;
  const s = summarize(stacks);
  return s.mandatory > 0 || s.policyErrors > 0 || s.stackErrors > 0 ? EXIT_VIOLATIONS : EXIT_OK;
}
