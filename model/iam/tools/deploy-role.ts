// A tools deploy role: runs one environment's deploy projects, assumes only that environment's
// workload deploy role, and keeps its Pulumi state under its own prefix.
import { environmentNames } from "../../naming";
import { doc, PolicyDocument, Statement, ToolsScope } from "./documents";
import { reportStatement } from "./build-role";
import { ArtifactAccess, artifactStatements, buildLogs } from "./role-statements";
import { PolicyPackAccess, StateAccess } from "./state-store";
import { assumeWorkloadRoles } from "./workload-roles";

/** Inputs of one environment's tools deploy role policy. */
export interface DeployRoleInputs {
  readonly region: string;
  /** The environment this role deploys. */
  readonly environment: string;
  /** The deploy projects of this environment (one per pulumi application), names or patterns. */
  readonly projects: readonly string[];
  /**
   * The report groups the deploy projects publish their smoke tests to, names or patterns.
   * Default: none.
   */
  readonly reportGroups?: readonly string[];
  readonly artifacts: ArtifactAccess;
  readonly state: StateAccess;
  /** The published policy pack the deploy projects download; none without pulumi applications. */
  readonly policyPack?: PolicyPackAccess;
}

/**
 * A tools deploy role: runs the deploy projects of one environment. It may assume only that
 * environment's workload deploy role, reads the build output, keeps the environment's Pulumi
 * state under its own prefix of the state bucket (`<env>/`) and reads (never writes) the
 * platform's policy pack under its prefix of the same bucket.
 */
export function deployRolePolicy(scope: ToolsScope, i: DeployRoleInputs): PolicyDocument {
  const statements: Statement[] = [
    buildLogs(scope, i.region, i.projects),
    ...artifactStatements(i.artifacts, false),
    assumeWorkloadRoles(scope, "AssumeEnvironmentDeployRole", [
      {
        env: i.environment,
        name: environmentNames(scope.prefix, i.environment).workloadDeployRole,
      },
    ]),
  ];
  if ((i.reportGroups ?? []).length > 0)
    statements.push(reportStatement(scope, i.region, i.reportGroups ?? []));
  if (i.state.backend === "s3") {
    statements.push(
      {
        Sid: "StateObjects",
        Effect: "Allow",
        Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
        Resource: `${i.state.bucketArn}/${i.environment}/*`,
      },
      {
        Sid: "StateListing",
        Effect: "Allow",
        Action: "s3:ListBucket",
        Resource: i.state.bucketArn,
        Condition: { StringLike: { "s3:prefix": [`${i.environment}/*`, i.environment] } },
      },
      {
        Sid: "StateSecretsProvider",
        Effect: "Allow",
        Action: ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey*", "kms:DescribeKey"],
        Resource: i.state.keyArn,
      },
    );
  } else if (i.state.backend === "pulumi-cloud") {
    statements.push({
      Sid: "ReadPulumiToken",
      Effect: "Allow",
      Action: "secretsmanager:GetSecretValue",
      Resource: i.state.tokenSecretArn.split(":").slice(0, 7).join(":"),
    });
  }
  if (i.policyPack) {
    statements.push({
      Sid: "ReadPolicyPack",
      Effect: "Allow",
      Action: "s3:GetObject",
      Resource: `${i.policyPack.bucketArn}/${i.policyPack.prefix}*`,
    });
    // With the S3 backend the pack's key is the state key, already granted above.
    if (i.state.backend !== "s3" || i.state.keyArn !== i.policyPack.keyArn)
      statements.push({
        Sid: "DecryptPolicyPack",
        Effect: "Allow",
        Action: "kms:Decrypt",
        Resource: i.policyPack.keyArn,
      });
  }
  return doc(...statements);
}
