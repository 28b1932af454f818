// The permissions boundary of the deploy role, the CloudFormation execution role and every role
// they create: the environment's services, bounded IAM and the guardrails' denies.
import { boundedIamStatements } from "./bounded-iam";
import { complianceGuardrails } from "./config";
import { doc, PolicyDocument, WorkloadPolicyInputs } from "./documents";
import { guardrailStatements } from "./guardrails";
import { servicesStatement } from "./services";

/**
 * The permissions boundary: the most any bounded role (the deploy role, the CloudFormation
 * execution role and every role they create) can ever do. It allows the environment's services and
 * IAM under the boundary, and denies the same escalations as the guardrails.
 */
export function permissionsBoundaryPolicy(
  i: WorkloadPolicyInputs,
  services: readonly string[],
): PolicyDocument {
  return doc(
    servicesStatement(services),
    ...boundedIamStatements(i),
    ...guardrailStatements(i),
    // Recording and trace encryption are account-wide: no role the deployments create may turn
    // them off (the rule-level part is in the deploy roles' guardrails policy; size).
    complianceGuardrails(i)[0]!,
  );
}
