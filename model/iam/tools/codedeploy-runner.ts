// The CodeDeploy runner role of a codedeploy-lambda application: its deploy projects run as this
// role in the tools account. It reads the build artifact (the function package), writes its own
// projects' logs, and assumes only this application's CodeDeploy action roles, which trust it and
// nothing else (model/iam/workload/codedeploy.ts). No CodePipeline action deploys Lambda through
// CodeDeploy (the CodeDeploy action deploys to EC2 and on-premises fleets:
// https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-CodeDeploy.html),
// so a CodeBuild action creates the deployment.
import { applicationNames } from "../../naming";
import { doc, PolicyDocument, ToolsScope } from "./documents";
import { ArtifactAccess, artifactStatements, buildLogs } from "./role-statements";
import { assumeWorkloadRoles } from "./workload-roles";

export interface CodeDeployRunnerInputs {
  readonly region: string;
  readonly application: string;
  /** The environments the application deploys to. */
  readonly environments: readonly string[];
  readonly artifacts: ArtifactAccess;
}

export function codeDeployRunnerPolicy(
  scope: ToolsScope,
  i: CodeDeployRunnerInputs,
): PolicyDocument {
  const n = applicationNames(scope.prefix, i.application);
  return doc(
    buildLogs(
      scope,
      i.region,
      i.environments.map((e) => n.deployProject(e)),
    ),
    ...artifactStatements(i.artifacts, false),
    assumeWorkloadRoles(
      scope,
      "AssumeOwnCodeDeployActionRoles",
      i.environments.map((env) => ({ env, name: n.codeDeployActionRole(env) })),
    ),
  );
}
