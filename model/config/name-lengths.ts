// The length check of names derived from the prefix, environments, applications and checks:
// each must fit the limit AWS sets for its kind of resource.
import { describeValue } from "../../policies/lib/display";
import { NAME_LIMITS } from "../naming";

/** A raw value as a message shows it (quoted only when short and plainly not a secret). */
const q = (value: unknown): string => describeValue(value, "'");

/** Reports a derived name over the AWS limit of its kind. */
export function checkNameLengths(
  path: string,
  names: readonly { kind: keyof typeof NAME_LIMITS; value: string }[],
  add: (path: string, message: string) => void,
) {
  // Report the longest name of each kind that is too long, once.
  const worst = new Map<string, string>();
  for (const n of names) {
    const limit = NAME_LIMITS[n.kind];
    if (n.value.length > limit && (worst.get(n.kind)?.length ?? 0) < n.value.length)
      worst.set(n.kind, n.value);
  }
  for (const [kind, value] of worst) {
    const limit = NAME_LIMITS[kind as keyof typeof NAME_LIMITS];
    add(
      path,
      `the derived ${KIND_LABEL[kind as keyof typeof NAME_LIMITS]} name ${q(value)} is ${value.length} characters; AWS allows ${limit}: shorten the name or the prefix by ${value.length - limit}`,
    );
  }
}

const KIND_LABEL: Record<keyof typeof NAME_LIMITS, string> = {
  iamRole: "IAM role",
  iamPolicy: "IAM policy",
  codePipeline: "CodePipeline",
  codeBuildProject: "CodeBuild project",
  eventRule: "EventBridge rule",
  alarm: "CloudWatch alarm",
  snsTopic: "SNS topic",
  s3Bucket: "S3 bucket",
  kmsAlias: "KMS alias",
  cloudTrail: "CloudTrail trail",
  codeDeployApplication: "CodeDeploy application",
  codeDeployGroup: "CodeDeploy deployment group",
  codeBuildReportGroup: "CodeBuild report group",
};
