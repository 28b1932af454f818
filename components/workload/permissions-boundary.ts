// The platform permissions boundary of one environment's account: the most that the deploy role,
// the CloudFormation execution role and every role or user they create can ever do.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { environmentNames } from "../../model/naming";
import { permissionsBoundaryPolicy, WorkloadPolicyInputs } from "../../model/iam/workload";

export interface PermissionsBoundaryArgs {
  /** Account, environment and naming facts the document is built from. Required. */
  readonly policy: WorkloadPolicyInputs;
  /** Service prefixes bounded roles may use. Required (the caller applies the default set). */
  readonly services: readonly string[];
  /** Provider of the account's home region (IAM is global). Required. */
  readonly provider: aws.Provider;
}

/** The permissions boundary managed policy, named `<prefix>-<env>-boundary`. */
export class PermissionsBoundary extends pulumi.ComponentResource {
  /** ARN of the boundary policy. */
  readonly arn: pulumi.Output<string>;
  /** The boundary policy. */
  readonly policy: aws.iam.Policy;

  constructor(name: string, args: PermissionsBoundaryArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:workload:PermissionsBoundary", name, {}, opts);
    const names = environmentNames(args.policy.prefix, args.policy.environment);
    this.policy = new aws.iam.Policy(
      `${name}-policy`,
      {
        name: names.permissionsBoundary,
        path: "/",
        description: `Permissions boundary of every role deployments create in ${args.policy.environment}`,
        policy: JSON.stringify(permissionsBoundaryPolicy(args.policy, args.services)),
      },
      { parent: this, provider: args.provider },
    );
    this.arn = this.policy.arn;
    this.registerOutputs({ arn: this.arn });
  }
}
