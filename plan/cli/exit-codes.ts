// The CLI's exit codes and the one a plan or check ends with: 0 clean, 1 a mandatory violation
// (or a policy error), 2 bad config or usage, or any stack that could not be evaluated.
import type { ReportStack } from "../report";
import { summarize } from "./report-document";

export const EXIT_OK = 0;
export const EXIT_VIOLATIONS = 1;
export const EXIT_USAGE = 2;

export function exitCodeFor(stacks: readonly ReportStack[], configFailures: number): number {
  const s = summarize(stacks);
  // A stack not evaluated is a plan not made: never a clean exit, whatever the others found.
  if (configFailures > 0 || s.stackErrors > 0) return EXIT_USAGE;
  return s.mandatory > 0 || s.policyErrors > 0 ? EXIT_VIOLATIONS : EXIT_OK;
}
