// The read-only role a pull request's preview runs with in this account: one per application
// whose pull-request pipeline previews this environment, trusted only by that application's
// pull-request build role (model/iam/workload/preview-role.ts).
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { applicationNames } from "../../model/naming";
import { previewPolicy, PreviewRoleInputs, previewTrustPolicy } from "../../model/iam/workload";

export interface PreviewRoleArgs {
  /** The application, account and environment the documents are built from. Required. */
  readonly policy: PreviewRoleInputs;
  /** Provider of the account's home region (IAM is global). Required. */
  readonly provider: aws.Provider;
}

/** The preview role, named `<prefix>-<app>-preview-<env>`. */
export class PreviewRole extends pulumi.ComponentResource {
  /** ARN of the preview role. */
  readonly arn: pulumi.Output<string>;

  constructor(name: string, args: PreviewRoleArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:workload:PreviewRole", name, {}, opts);
    const p = args.policy;
    const roleName = applicationNames(p.prefix, p.application).previewRole(p.environment);
    const role = new aws.iam.Role(
      `${name}-role`,
      {
        name: roleName,
        description: `Pull-request previews of ${p.application} read ${p.environment} with this role; it changes nothing`,
        assumeRolePolicy: JSON.stringify(previewTrustPolicy(p)),
      },
      { parent: this, provider: args.provider },
    );
    new aws.iam.RolePolicy(
      `${name}-policy`,
      { role: role.name, name: "preview", policy: JSON.stringify(previewPolicy(p)) },
      { parent: this, provider: args.provider },
    );
    this.arn = role.arn;
    this.registerOutputs({ arn: this.arn });
  }
}
