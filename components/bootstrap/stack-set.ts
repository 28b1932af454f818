// The organization-wide bootstrap: a service-managed CloudFormation StackSet, in the management
// account (or a StackSets delegated administrator), whose template creates the bootstrap role and
// its boundary in every account of the target OUs, and again in each account that moves in later.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { platformNames } from "../../model/naming";
import { BootstrapTemplateParameters } from "../../model/iam/bootstrap";

export interface BootstrapStackSetArgs {
  /** The organization's naming prefix. Required. */
  readonly prefix: string;
  /** The tools account (its platform deployer role assumes the bootstrap role). Required. */
  readonly toolsAccount: string;
  /** The AWS Organizations id (the trust's aws:PrincipalOrgID). Required. */
  readonly orgId: string;
  /** SELF in the management account, DELEGATED_ADMIN in a delegated administrator. Required. */
  readonly callAs: "SELF" | "DELEGATED_ADMIN";
  /** OUs (or the root) whose accounts get the role, now and when they move in. Required, 1+. */
  readonly organizationalUnits: readonly string[];
  /** Accounts outside those OUs that get the role too. Default: none. */
  readonly accounts?: readonly string[];
  /** The one region the stack instances are created in (IAM is global). Required. */
  readonly instanceRegion: string;
  /** The template text (bootstrap/platform-bootstrap.yaml). Required. */
  readonly templateBody: string;
  /** Provider of the management (or delegated admin) account. Required. */
  readonly provider: aws.Provider;
}

/**
 * Concurrency for 500+ accounts. Percentages scale with the organization; 100 is the documented
 * maximum of MaxConcurrentPercentage and FailureTolerancePercentage (0-100), and with
 * SOFT_FAILURE_TOLERANCE the concurrency no longer drops to FailureToleranceCount + 1
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_StackSetOperationPreferences.html).
 * The failure tolerance stops a broken template after a tenth of the accounts, not all of them.
 */
export const BOOTSTRAP_OPERATION_PREFERENCES = {
  maxConcurrentPercentage: 100,
  failureTolerancePercentage: 10,
  regionConcurrencyType: "PARALLEL",
} as const;

/** Deployment targets: the OUs, plus the listed accounts (UNION) when there are any. */
export function bootstrapDeploymentTargets(
  organizationalUnits: readonly string[],
  accounts: readonly string[],
): { organizationalUnitIds: string[]; accounts?: string[]; accountFilterType?: string } {
  // UNION: "StackSets includes additional accounts deployment targets ... an entire OU and
  // individual accounts from a different OU in one request"; with OUs alone, NONE deploys to every
  // account of the OUs (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DeploymentTargets.html).
  return accounts.length === 0
    ? { organizationalUnitIds: [...organizationalUnits], accountFilterType: "NONE" }
    : {
        organizationalUnitIds: [...organizationalUnits],
        accounts: [...accounts],
        accountFilterType: "UNION",
      };
}

/** The StackSet and its stack instances. */
export class BootstrapStackSet extends pulumi.ComponentResource {
  /** The StackSet's name. */
  readonly stackSetName: pulumi.Output<string>;
  /** The StackSet's ARN. */
  readonly stackSetArn: pulumi.Output<string>;
  /** The role the platform pipeline assumes in each account. */
  readonly roleName: string;

  constructor(name: string, args: BootstrapStackSetArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:bootstrap:BootstrapStackSet", name, {}, opts);
    if (args.organizationalUnits.length === 0)
      throw new pulumi.ResourceError(
        `${name}: organizationalUnits is empty; list the OUs of the workload accounts`,
        this,
      );
    const n = platformNames(args.prefix);
    const parameters: BootstrapTemplateParameters = {
      Prefix: args.prefix,
      ToolsAccount: args.toolsAccount,
      OrganizationId: args.orgId,
    };
    const stackSet = new aws.cloudformation.StackSet(
      `${name}-stack-set`,
      {
        name: n.stackSet,
        description: `Creates ${n.bootstrapRole} (and its boundary) in every account of the platform's OUs`,
        permissionModel: "SERVICE_MANAGED",
        callAs: args.callAs,
        autoDeployment: {
          enabled: true,
          // An account that leaves the OUs loses the role: the platform no longer deploys there,
          // and a role that a tools account can assume should not outlive the account's membership.
          retainStacksOnAccountRemoval: false,
        },
        // The template names its role and policy (deterministic names the tools stack builds ARNs from).
        capabilities: ["CAPABILITY_NAMED_IAM"],
        // StackSets queues an operation that overlaps a running one instead of failing it
        // (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-concepts.html).
        managedExecution: { active: true },
        operationPreferences: { ...BOOTSTRAP_OPERATION_PREFERENCES },
        parameters: { ...parameters },
        templateBody: args.templateBody,
      },
      { parent: this, provider: args.provider },
    );
    new aws.cloudformation.StackSetInstance(
      `${name}-instances`,
      {
        stackSetName: stackSet.name,
        callAs: args.callAs,
        deploymentTargets: bootstrapDeploymentTargets(
          args.organizationalUnits,
          args.accounts ?? [],
        ),
        // One region only: the template creates global IAM names, and a second region's stack
        // would fail on "already exists" (docs/bootstrap.md).
        stackSetInstanceRegion: args.instanceRegion,
        operationPreferences: {
          ...BOOTSTRAP_OPERATION_PREFERENCES,
          concurrencyMode: "SOFT_FAILURE_TOLERANCE",
        },
        retainStack: false,
      },
      { parent: this, provider: args.provider },
    );
    this.stackSetName = stackSet.name;
    this.stackSetArn = stackSet.arn;
    this.roleName = n.bootstrapRole;
    this.registerOutputs({
      stackSetName: this.stackSetName,
      stackSetArn: this.stackSetArn,
      roleName: this.roleName,
    });
  }
}
