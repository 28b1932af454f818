// Statements the tools build, deploy and pipeline roles share: access to the artifact stores and
// the CloudWatch Logs of their CodeBuild projects.
import { Statement, ToolsScope } from "./documents";

/** Where artifacts live: bucket and key ARNs of every region's store. */
export interface ArtifactAccess {
  readonly bucketArns: readonly string[];
  readonly keyArns: readonly string[];
}

/** Reads (with `write`, also writes) the artifacts and uses their keys. */
export function artifactStatements(a: ArtifactAccess, write: boolean): Statement[] {
  return [
    {
      Sid: write ? "ReadWriteArtifacts" : "ReadArtifacts",
      Effect: "Allow",
      Action: write
        ? ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"]
        : ["s3:GetObject", "s3:GetObjectVersion"],
      Resource: a.bucketArns.map((b) => `${b}/*`),
    },
    {
      Sid: "ArtifactBuckets",
      Effect: "Allow",
      Action: ["s3:GetBucketVersioning", "s3:GetBucketLocation"],
      Resource: [...a.bucketArns],
    },
    {
      Sid: "ArtifactKeys",
      Effect: "Allow",
      Action: write
        ? ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*", "kms:DescribeKey"]
        : ["kms:Decrypt", "kms:DescribeKey"],
      Resource: [...a.keyArns],
    },
  ];
}

/** CloudWatch Logs of a set of CodeBuild projects. */
export function buildLogs(
  scope: ToolsScope,
  region: string,
  projects: readonly string[],
): Statement {
  return {
    Sid: "BuildLogs",
    Effect: "Allow",
    Action: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
    Resource: projects.flatMap((p) => [
      `arn:${scope.partition}:logs:${region}:${scope.toolsAccount}:log-group:/aws/codebuild/${p}`,
      `arn:${scope.partition}:logs:${region}:${scope.toolsAccount}:log-group:/aws/codebuild/${p}:*`,
    ]),
  };
}
