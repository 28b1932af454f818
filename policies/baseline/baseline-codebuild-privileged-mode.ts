// Privileged mode gives a build root on the host's Docker daemon. Only projects that build
// container images need it, and each must opt in by name with a reason.
import { configSchema, reasonedList, type BaseConfig } from "../lib/config";
import { resourcePolicy } from "../lib/policy";
import { T } from "../lib/resources";
import { knownString, read } from "../lib/unknowns";

export interface PrivilegedModeConfig extends BaseConfig {
  readonly allowedProjects: readonly { readonly project: string; readonly reason: string }[];
}

/** A message when the project runs privileged without being allow-listed. */
export function findPrivilegedProject(
  props: unknown,
  resourceName: string,
  allowedProjects: readonly string[] = [],
): string[] {
  if (read(props, "environment", "privilegedMode") !== true) return [];
  const projectName = knownString(props, "name");
  if (allowedProjects.some((p) => p === resourceName || p === projectName)) return [];
  return [
    `CodeBuild project "${projectName ?? resourceName}" runs in privileged mode without an opt-in in allowedProjects.`,
  ];
}

export const baselineCodeBuildPrivilegedMode = resourcePolicy<PrivilegedModeConfig>({
  name: "baseline-codebuild-privileged-mode",
  family: "baseline",
  description:
    "Flags CodeBuild projects with environment.privilegedMode true unless the project (resource name or project name) is in the policy's allowedProjects list with a reason.",
  severity: "high",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Turn privilegedMode off; if the project builds container images, add it to allowedProjects in this policy's config with the reason, or build images with a rootless builder (kaniko, buildah).",
  configSchema: configSchema({
    allowedProjects: reasonedList(
      "project",
      "CodeBuild projects (resource or project name) that may run privileged, each with the reason.",
    ),
  }),
  resourceTypes: [T.codebuildProject],
  check: (r, config) =>
    findPrivilegedProject(
      r.props,
      r.name,
      (config.allowedProjects ?? []).map((p) => p.project),
    ),
});
