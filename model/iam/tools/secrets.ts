// Build secrets: the IAM resource ARN of a secret reference, and the statements that read exactly
// an application's secrets.
import { SecretRef } from "../../config/schema";
import { Statement, ToolsScope } from "./documents";

/** The IAM resource ARN of a secret reference, in the tools account and region. */
export function secretResourceArn(ref: SecretRef, scope: ToolsScope, region: string): string {
  if (ref.source === "secrets-manager") {
    // A json-key / version suffix (":key:stage:version") is not part of the secret's ARN.
    return ref.ref.split(":").slice(0, 7).join(":");
  }
  const name = ref.ref.startsWith("/") ? ref.ref.slice(1) : ref.ref;
  return `arn:${scope.partition}:ssm:${region}:${scope.toolsAccount}:parameter/${name}`;
}

/** Statements that read exactly these secrets; none when there are none. */
export function secretReads(
  scope: ToolsScope,
  region: string,
  refs: readonly SecretRef[],
): Statement[] {
  const sm = [
    ...new Set(
      refs
        .filter((r) => r.source === "secrets-manager")
        .map((r) => secretResourceArn(r, scope, region)),
    ),
  ];
  const ssm = [
    ...new Set(
      refs.filter((r) => r.source === "ssm").map((r) => secretResourceArn(r, scope, region)),
    ),
  ];
  const out: Statement[] = [];
  if (sm.length > 0)
    out.push({
      Sid: "ReadSecrets",
      Effect: "Allow",
      Action: "secretsmanager:GetSecretValue",
      Resource: sm,
    });
  if (ssm.length > 0)
    out.push({
      Sid: "ReadParameters",
      Effect: "Allow",
      Action: "ssm:GetParameters",
      Resource: ssm,
    });
  return out;
}
