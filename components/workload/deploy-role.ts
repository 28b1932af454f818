// The role the tools account assumes to deploy one environment: trusted by that environment's
// tools deploy role only, bounded by the platform boundary, granted the shared deploy policies.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { environmentNames } from "../../model/naming";
import { deployTrustPolicy, WorkloadPolicyInputs } from "../../model/iam/workload";

export interface DeployRoleArgs {
  /** Account, environment and naming facts the trust is built from. Required. */
  readonly policy: WorkloadPolicyInputs;
  /** ARN of the permissions boundary the role carries. Required. */
  readonly boundaryArn: pulumi.Input<string>;
  /** Managed policies attached to the role (the DeployPolicies). Required. */
  readonly policyArns: readonly pulumi.Input<string>[];
  /**
   * Longest session in seconds. Default: 3600. The tools build assumes this role from its own
   * role session (role chaining), which AWS caps at one hour; the Pulumi AWS provider re-assumes
   * the role when the session expires, so long deployments keep working.
   */
  readonly maxSessionDuration?: number;
  /** Provider of the account's home region (IAM is global). Required. */
  readonly provider: aws.Provider;
}

/** The deploy role, named `<prefix>-<env>-deploy` so the tools stack can compute its ARN. */
export class DeployRole extends pulumi.ComponentResource {
  /** ARN of the deploy role. */
  readonly arn: pulumi.Output<string>;
  /** The role. */
  readonly role: aws.iam.Role;

  constructor(name: string, args: DeployRoleArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:workload:DeployRole", name, {}, opts);
    const maxSessionDuration = args.maxSessionDuration ?? 3600;
    if (maxSessionDuration < 3600 || maxSessionDuration > 43200)
      throw new pulumi.ResourceError(
        `${name}: maxSessionDuration ${maxSessionDuration} is outside 3600-43200 seconds; IAM accepts 1 to 12 hours`,
        this,
      );
    const n = environmentNames(args.policy.prefix, args.policy.environment);
    this.role = new aws.iam.Role(
      `${name}-role`,
      {
        name: n.workloadDeployRole,
        description: `Deploys ${args.policy.environment}; assumed by ${n.toolsDeployRole} in the tools account`,
        assumeRolePolicy: JSON.stringify(deployTrustPolicy(args.policy)),
        permissionsBoundary: args.boundaryArn,
        maxSessionDuration,
      },
      { parent: this, provider: args.provider },
    );
    args.policyArns.forEach(
      (policyArn, k) =>
        new aws.iam.RolePolicyAttachment(
          `${name}-policy-${k}`,
          { role: this.role.name, policyArn },
          { parent: this, provider: args.provider },
        ),
    );
    this.arn = this.role.arn;
    this.registerOutputs({ arn: this.arn });
  }
}
