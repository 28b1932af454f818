// One IAM role for one duty (pipeline, build, deploy to one environment): a trust policy for the
// service that runs it and one inline policy with exactly what the duty needs. No managed policy,
// so the whole grant is visible in one document.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PolicyDocument } from "../../model/iam/tools";

export interface DutyRoleArgs {
  /** Physical role name (deterministic, from model/naming.ts). */
  readonly roleName: string;
  /** What the role is for, shown in the console. */
  readonly description: string;
  /** Trust policy: who may assume the role. */
  readonly trust: PolicyDocument;
  /** The role's only permissions. */
  readonly policy: pulumi.Input<PolicyDocument>;
  /** Maximum session length in seconds. Default: 3600. */
  readonly maxSessionDuration?: number;
}

/** A role with one trust policy and one inline policy. */
export class DutyRole extends pulumi.ComponentResource {
  /** The role ARN. */
  readonly arn: pulumi.Output<string>;
  /** The role name. */
  readonly roleName: pulumi.Output<string>;
  /** The inline policy (projects wait for it so builds never start without permissions). */
  readonly policy: aws.iam.RolePolicy;

  constructor(name: string, args: DutyRoleArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:tools:DutyRole", name, {}, opts);
    const role = new aws.iam.Role(
      name,
      {
        name: args.roleName,
        description: args.description,
        assumeRolePolicy: JSON.stringify(args.trust),
        maxSessionDuration: args.maxSessionDuration ?? 3600,
      },
      { parent: this },
    );
    this.policy = new aws.iam.RolePolicy(
      `${name}-policy`,
      {
        role: role.name,
        name: "duty",
        policy: pulumi.output(args.policy).apply((d) => JSON.stringify(d)),
      },
      { parent: this },
    );
    this.arn = role.arn;
    this.roleName = role.name;
    this.registerOutputs({ arn: this.arn });
  }
}
