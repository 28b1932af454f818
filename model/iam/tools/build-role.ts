// The build roles. The build role runs an application's build, checks and tests, reads exactly its
// secrets and assumes no role. The pull-request build role runs the code of a pull request: it
// reads the pipeline's artifacts, writes only its own test-report exports, reads no secret, and
// may assume only the application's read-only preview role of the environment it previews.
import { SecretRef } from "../../config/schema";
import { doc, PolicyDocument, Statement, ToolsScope } from "./documents";
import { ArtifactAccess, artifactStatements, buildLogs } from "./role-statements";
import { secretReads } from "./secrets";
import { PolicyPackAccess } from "./state-store";
import { assumeWorkloadRoles } from "./workload-roles";

/**
 * What a CodeBuild project needs to publish test and coverage reports to a report group that
 * exists (no codebuild:CreateReportGroup: the platform creates every group, so a buildspec that
 * names another group fails instead of creating one).
 * https://docs.aws.amazon.com/codebuild/latest/userguide/test-permissions.html
 */
export const REPORT_ACTIONS = [
  "codebuild:CreateReport",
  "codebuild:UpdateReport",
  "codebuild:BatchPutTestCases",
  "codebuild:BatchPutCodeCoverages",
] as const;

/** ARN of a CodeBuild report group. */
export function reportGroupArn(
  partition: string,
  region: string,
  account: string,
  name: string,
): string {
  return `arn:${partition}:codebuild:${region}:${account}:report-group/${name}`;
}

/** Publishing to exactly these report groups (by name, in the tools account and region). */
export function reportStatement(
  scope: ToolsScope,
  region: string,
  reportGroups: readonly string[],
): Statement {
  return {
    Sid: "PublishOwnReports",
    Effect: "Allow",
    Action: [...REPORT_ACTIONS],
    Resource: reportGroups.map((g) =>
      reportGroupArn(scope.partition, region, scope.toolsAccount, g),
    ),
  };
}

/** Inputs of the build role's policy. */
export interface BuildRoleInputs {
  readonly region: string;
  /** The projects the role runs (build, checks, tests). */
  readonly projects: readonly string[];
  readonly artifacts: ArtifactAccess;
  /** The application's secrets. */
  readonly secrets: readonly SecretRef[];
  /** The report groups its check and test projects publish to. Default: none. */
  readonly reportGroups?: readonly string[];
}

/**
 * The build role: runs the build, checks and tests. It reads the source and writes the build
 * output (and the exports of its report groups, under the artifact bucket's `reports/` prefix),
 * publishes to its own report groups, reads exactly the application's secrets, and may assume
 * no role at all.
 */
export function buildRolePolicy(scope: ToolsScope, i: BuildRoleInputs): PolicyDocument {
  const reports = i.reportGroups ?? [];
  return doc(
    buildLogs(scope, i.region, i.projects),
    ...artifactStatements(i.artifacts, true),
    ...(reports.length > 0 ? [reportStatement(scope, i.region, reports)] : []),
    ...secretReads(scope, i.region, i.secrets),
  );
}

/** Inputs of the pull-request build role's policy. */
export interface PullRequestBuildRoleInputs {
  readonly region: string;
  /** The pull-request projects (build, checks, preview). */
  readonly projects: readonly string[];
  readonly artifacts: ArtifactAccess;
  /** The bucket the report groups export to, and the object prefixes of this role's exports. */
  readonly reportExports: { readonly bucketArn: string; readonly prefixes: readonly string[] };
  /** The report groups of the pull-request projects. */
  readonly reportGroups: readonly string[];
  /** The read-only preview roles (by name, any account of the environment) the preview assumes. */
  readonly previewRoles: readonly { readonly env: string; readonly name: string }[];
  /** The published policy pack a Pulumi preview runs. */
  readonly policyPack?: PolicyPackAccess;
}

/**
 * The pull-request build role. Code under review runs with it, so it gets less than the build
 * role: it reads the pipeline artifacts but writes none (a pull request must not replace another
 * pipeline's build output), writes only its report exports, reads no secret, reads the policy
 * pack through S3 alone (the state key decrypts nothing else for it), and may assume only the
 * application's preview role of its preview environment, which is read-only. It can reach no
 * deploy role: none trusts it, and it is granted sts:AssumeRole on no other role.
 */
export function pullRequestBuildRolePolicy(
  scope: ToolsScope,
  i: PullRequestBuildRoleInputs,
): PolicyDocument {
  const [read, buckets, keys] = artifactStatements(i.artifacts, false);
  const statements: Statement[] = [
    buildLogs(scope, i.region, i.projects),
    read!,
    buckets!,
    keys!,
    {
      Sid: "ExportOwnReports",
      Effect: "Allow",
      Action: "s3:PutObject",
      Resource: i.reportExports.prefixes.map((p) => `${i.reportExports.bucketArn}/${p}*`),
    },
    {
      Sid: "EncryptReportExports",
      Effect: "Allow",
      Action: ["kms:GenerateDataKey*", "kms:Encrypt"],
      Resource: [...i.artifacts.keyArns],
    },
    reportStatement(scope, i.region, i.reportGroups),
  ];
  if (i.previewRoles.length > 0)
    statements.push(assumeWorkloadRoles(scope, "AssumePreviewRole", i.previewRoles));
  if (i.policyPack)
    statements.push(
      {
        Sid: "ReadPolicyPack",
        Effect: "Allow",
        Action: "s3:GetObject",
        Resource: `${i.policyPack.bucketArn}/${i.policyPack.prefix}*`,
      },
      {
        // Only through S3, for the pack's bucket (whose S3 Bucket Key makes the bucket ARN the
        // encryption context): the same key encrypts the secrets provider's data keys, which a
        // pull request must not decrypt; S3 reads stay limited to the pack's prefix above.
        Sid: "DecryptPolicyPackThroughS3",
        Effect: "Allow",
        Action: "kms:Decrypt",
        Resource: i.policyPack.keyArn,
        Condition: {
          StringEquals: {
            "kms:ViaService": `s3.${i.region}.amazonaws.com`,
            "kms:EncryptionContext:aws:s3:arn": i.policyPack.bucketArn,
          },
        },
      },
    );
  return doc(...statements);
}
