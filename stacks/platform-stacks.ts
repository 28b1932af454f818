// The stacks the platform deploys, as the platform pipeline and drift detection name them: the
// organization's derived stacks (model/stacks.ts), with the names of any hand-written
// Pulumi.<stack>.yaml overrides in the project directory applied.
import { Organization } from "../model/config/schema";
import { DerivedStack, derivedStacks } from "../model/stacks";

/** The stacks of the organization under their effective names. */
export function platformStacks(org: Organization): DerivedStack[] {
  return derivedStacks(org);
}
