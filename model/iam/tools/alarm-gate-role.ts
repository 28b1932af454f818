// The alarm gate role of one environment: runs the CodeBuild project that reads the
// deployment-health alarms of that environment's accounts. It assumes only the environment's
// alarm-reader roles, reads the pipeline definitions to find which accounts a stage deploys to,
// and reads the build artifact CodeBuild hands every action.
import { environmentNames } from "../../naming";
import { doc, PolicyDocument, ToolsScope } from "./documents";
import { ArtifactAccess, artifactStatements, buildLogs } from "./role-statements";
import { assumeWorkloadRoles } from "./workload-roles";

/** Inputs of one environment's alarm gate role policy. */
export interface AlarmGateRoleInputs {
  readonly region: string;
  readonly environment: string;
  readonly artifacts: ArtifactAccess;
}

/** ARN pattern of the platform's pipelines in the tools account and region. */
export function platformPipelinesPattern(scope: ToolsScope, region: string): string {
  return `arn:${scope.partition}:codepipeline:${region}:${scope.toolsAccount}:${scope.prefix}-*`;
}

/** The alarm gate role's policy. */
export function alarmGateRolePolicy(scope: ToolsScope, i: AlarmGateRoleInputs): PolicyDocument {
  const n = environmentNames(scope.prefix, i.environment);
  return doc(
    buildLogs(scope, i.region, [n.alarmGateProject]),
    ...artifactStatements(i.artifacts, false),
    {
      Sid: "ReadPipelineDefinitions",
      Effect: "Allow",
      Action: "codepipeline:GetPipeline",
      Resource: platformPipelinesPattern(scope, i.region),
    },
    assumeWorkloadRoles(scope, "AssumeAlarmReaders", [
      { env: i.environment, name: n.alarmReaderRole },
    ]),
  );
}
