// A read-only role the tools pipelines assume to read this account's alarm state (promotion gates).
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { environmentNames } from "../../model/naming";
import {
  alarmReaderPolicy,
  alarmReaderTrustPolicy,
  WorkloadPolicyInputs,
} from "../../model/iam/workload";

export interface AlarmReaderRoleArgs {
  /** Account, environment and naming facts the trust is built from. Required. */
  readonly policy: WorkloadPolicyInputs;
  /** Provider of the account's home region (IAM is global). Required. */
  readonly provider: aws.Provider;
}

/** The alarm reader role, named `<prefix>-<env>-alarm-reader`. */
export class AlarmReaderRole extends pulumi.ComponentResource {
  /** ARN of the reader role. */
  readonly arn: pulumi.Output<string>;

  constructor(name: string, args: AlarmReaderRoleArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:workload:AlarmReaderRole", name, {}, opts);
    const n = environmentNames(args.policy.prefix, args.policy.environment);
    const role = new aws.iam.Role(
      `${name}-role`,
      {
        name: n.alarmReaderRole,
        description: `Tools pipelines read the alarm state of ${args.policy.environment} with this role`,
        assumeRolePolicy: JSON.stringify(alarmReaderTrustPolicy(args.policy)),
      },
      { parent: this, provider: args.provider },
    );
    new aws.iam.RolePolicy(
      `${name}-policy`,
      { role: role.name, name: n.alarmReaderRole, policy: JSON.stringify(alarmReaderPolicy()) },
      { parent: this, provider: args.provider },
    );
    this.arn = role.arn;
    this.registerOutputs({ arn: this.arn });
  }
}
