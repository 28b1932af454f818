// The role a tools pipeline's CloudFormation action assumes in this account (cloudformation
// mechanism). CodePipeline assumes an action's role with the pipeline's own service role, so this
// role trusts the tools pipeline roles; it can only drive CloudFormation with the bounded execution
// role and read the pipeline artifacts (S3 objects and the tools artifact key).
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { environmentNames } from "../../model/naming";
import {
  cfnActionPolicy,
  cfnActionTrustPolicy,
  WorkloadPolicyInputs,
} from "../../model/iam/workload";

export interface CfnActionRoleArgs {
  /** Account, environment and naming facts the documents are built from. Required. */
  readonly policy: WorkloadPolicyInputs;
  /** Provider of the account's home region (IAM is global). Required. */
  readonly provider: aws.Provider;
}

/** The CloudFormation action role, named `<prefix>-<env>-cfn-action`. */
export class CfnActionRole extends pulumi.ComponentResource {
  /** ARN of the action role. */
  readonly arn: pulumi.Output<string>;

  constructor(name: string, args: CfnActionRoleArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:workload:CfnActionRole", name, {}, opts);
    const n = environmentNames(args.policy.prefix, args.policy.environment);
    const role = new aws.iam.Role(
      `${name}-role`,
      {
        name: n.cfnActionRole,
        description: `Tools pipelines run CloudFormation actions in ${args.policy.environment} with this role`,
        assumeRolePolicy: JSON.stringify(cfnActionTrustPolicy(args.policy)),
      },
      { parent: this, provider: args.provider },
    );
    new aws.iam.RolePolicy(
      `${name}-policy`,
      {
        role: role.name,
        name: n.cfnActionRole,
        policy: JSON.stringify(cfnActionPolicy(args.policy)),
      },
      { parent: this, provider: args.provider },
    );
    this.arn = role.arn;
    this.registerOutputs({ arn: this.arn });
  }
}
