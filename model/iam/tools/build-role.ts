// The build role: runs an application's build, checks and tests, reads exactly its secrets and
// assumes no role.
import { SecretRef } from "../../config/schema";
import { doc, PolicyDocument, ToolsScope } from "./documents";
import { ArtifactAccess, artifactStatements, buildLogs } from "./role-statements";
import { secretReads } from "./secrets";

/** Inputs of the build role's policy. */
export interface BuildRoleInputs {
  readonly region: string;
  /** The projects the role runs (build, checks, tests). */
  readonly projects: readonly string[];
  readonly artifacts: ArtifactAccess;
  /** The application's secrets. */
  readonly secrets: readonly SecretRef[];
}

/**
 * The build role: runs the build, checks and tests. It reads the source and writes the build
 * output, reads exactly the application's secrets, and may assume no role at all.
 */
export function buildRolePolicy(scope: ToolsScope, i: BuildRoleInputs): PolicyDocument {
  return doc(
    buildLogs(scope, i.region, i.projects),
    ...artifactStatements(i.artifacts, true),
    ...secretReads(scope, i.region, i.secrets),
  );
}
