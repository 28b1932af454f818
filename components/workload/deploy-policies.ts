// The managed policies a deployment runs with, shared by the deploy role and the CloudFormation
// execution role: the environment's services, IAM under the boundary, and the guardrail denies.
// Managed policies (6,144 characters each) keep every document far from IAM's size limits.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { environmentNames } from "../../model/naming";
import {
  boundedIamPolicy,
  guardrailsPolicy,
  servicesPolicy,
  WorkloadPolicyInputs,
} from "../../model/iam/workload";

export interface DeployPoliciesArgs {
  /** Account, environment and naming facts the documents are built from. Required. */
  readonly policy: WorkloadPolicyInputs;
  /** Service prefixes deployments may use. Required (the caller applies the default set). */
  readonly services: readonly string[];
  /** Provider of the account's home region (IAM is global). Required. */
  readonly provider: aws.Provider;
}

/** Three managed policies: `<prefix>-<env>-deploy-services`, `-deploy-iam`, `-deploy-guardrails`. */
export class DeployPolicies extends pulumi.ComponentResource {
  /** ARNs of the three policies, in attachment order. */
  readonly arns: pulumi.Output<string>[];

  constructor(name: string, args: DeployPoliciesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:workload:DeployPolicies", name, {}, opts);
    const n = environmentNames(args.policy.prefix, args.policy.environment);
    const env = args.policy.environment;
    const policies: [string, string, string, object][] = [
      [
        "services",
        n.servicesPolicy,
        `Services deployments to ${env} may use`,
        servicesPolicy(args.services),
      ],
      [
        "iam",
        n.boundedIamPolicy,
        `IAM changes deployments to ${env} may make, only under the boundary`,
        boundedIamPolicy(args.policy),
      ],
      [
        "guardrails",
        n.guardrailsPolicy,
        `What deployments to ${env} may never do`,
        guardrailsPolicy(args.policy),
      ],
    ];
    this.arns = policies.map(
      ([suffix, policyName, description, document]) =>
        new aws.iam.Policy(
          `${name}-${suffix}`,
          { name: policyName, path: "/", description, policy: JSON.stringify(document) },
          { parent: this, provider: args.provider },
        ).arn,
    );
    this.registerOutputs({ arns: this.arns });
  }
}
