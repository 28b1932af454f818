// The role CloudFormation uses to create an application's stack (cloudformation mechanism):
// trusted by CloudFormation for this account only, bounded and granted like the deploy role.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { environmentNames } from "../../model/naming";
import { cfnExecutionTrustPolicy, WorkloadPolicyInputs } from "../../model/iam/workload";

export interface CfnExecutionRoleArgs {
  /** Account, environment and naming facts the trust is built from. Required. */
  readonly policy: WorkloadPolicyInputs;
  /** ARN of the permissions boundary the role carries. Required. */
  readonly boundaryArn: pulumi.Input<string>;
  /** Managed policies attached to the role (the DeployPolicies). Required. */
  readonly policyArns: readonly pulumi.Input<string>[];
  /** Provider of the account's home region (IAM is global). Required. */
  readonly provider: aws.Provider;
}

/** The CloudFormation execution role, named `<prefix>-<env>-cfn-exec`. */
export class CfnExecutionRole extends pulumi.ComponentResource {
  /** ARN of the execution role. */
  readonly arn: pulumi.Output<string>;

  constructor(name: string, args: CfnExecutionRoleArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:workload:CfnExecutionRole", name, {}, opts);
    const n = environmentNames(args.policy.prefix, args.policy.environment);
    const role = new aws.iam.Role(
      `${name}-role`,
      {
        name: n.cfnExecutionRole,
        description: `CloudFormation creates application stacks in ${args.policy.environment} with this role`,
        assumeRolePolicy: JSON.stringify(cfnExecutionTrustPolicy(args.policy)),
        permissionsBoundary: args.boundaryArn,
      },
      { parent: this, provider: args.provider },
    );
    args.policyArns.forEach(
      (policyArn, k) =>
        new aws.iam.RolePolicyAttachment(
          `${name}-policy-${k}`,
          { role: role.name, policyArn },
          { parent: this, provider: args.provider },
        ),
    );
    this.arn = role.arn;
    this.registerOutputs({ arn: this.arn });
  }
}
