// The stacks the platform deploys, as the platform pipeline and drift detection name them: the
// organization's derived stacks (model/stacks.ts) under their effective names, a hand-written
// Pulumi.<stack>.yaml override keeping its stack's name. The program runs in the project
// directory (`pulumi up` there, and the offline plan), where the stack files are.
import * as pulumi from "@pulumi/pulumi";
import { Organization } from "../model/config/schema";
import { readStackFiles } from "../model/stack-files";
import { DerivedStack, resolveStacks } from "../model/stacks";

/** The stacks of the organization under their effective names. */
export function platformStacks(
  org: Organization,
  project = pulumi.getProject(),
  projectDir = process.cwd(),
): DerivedStack[] {
  const { stacks } = resolveStacks(org, project, readStackFiles(projectDir));
  return stacks.map((s) => ({ ...s.derived, name: s.name }));
}
