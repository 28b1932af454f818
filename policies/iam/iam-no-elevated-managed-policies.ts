// Elevated AWS managed policies (AdministratorAccess, PowerUserAccess, IAMFullAccess, ...) on
// platform roles, users and groups: the top complaint against CI/CD bootstraps that deploy with
// administrator rights.
import { configSchema, type BaseConfig } from "../lib/config";
import { resourcePolicy } from "../lib/policy";
import { attachedPolicyArns, attachmentProperty, T } from "../lib/resources";

/** AWS managed policies refused by default. */
export const DEFAULT_ELEVATED_POLICIES: readonly string[] = [
  "AdministratorAccess",
  "PowerUserAccess",
  "IAMFullAccess",
  "AWSOrganizationsFullAccess",
  "AdministratorAccess-Amplify",
  "AdministratorAccess-AWSElasticBeanstalk",
  "AWSCloudFormationFullAccess",
  "AWSCodeBuildAdminAccess",
  "AWSLambda_FullAccess",
  "AmazonS3FullAccess",
  "AmazonEC2FullAccess",
  "SecretsManagerReadWrite",
];

export interface ElevatedManagedPoliciesConfig extends BaseConfig {
  readonly elevatedPolicies: readonly string[];
}

const AWS_MANAGED = /^arn:aws[a-z-]*:iam::aws:policy\/(?:[^/]*\/)*([^/]+)$/;

/** The AWS managed policy name of an ARN, or undefined for customer-managed policies. */
export function awsManagedPolicyName(arn: string): string | undefined {
  return AWS_MANAGED.exec(arn)?.[1];
}

/** One message per attached elevated AWS managed policy. */
export function findElevatedManagedPolicies(
  type: string,
  props: unknown,
  elevated: readonly string[] = DEFAULT_ELEVATED_POLICIES,
): string[] {
  const property = attachmentProperty(type);
  const findings: string[] = [];
  for (const arn of attachedPolicyArns(type, props)) {
    if (typeof arn !== "string") continue;
    const name = awsManagedPolicyName(arn);
    if (name !== undefined && elevated.includes(name)) {
      findings.push(`${property} attaches the elevated AWS managed policy ${name} ("${arn}").`);
    }
  }
  return findings;
}

export const iamNoElevatedManagedPolicies = resourcePolicy<ElevatedManagedPoliciesConfig>({
  name: "iam-no-elevated-managed-policies",
  family: "iam",
  description:
    "Flags roles (managedPolicyArns) and role, user, group and policy attachments that attach an elevated AWS managed policy such as AdministratorAccess, PowerUserAccess or IAMFullAccess (the list is configurable).",
  severity: "critical",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Attach a customer-managed policy that lists the actions and resources the principal needs; for deploy roles, require the platform permissions boundary on every role they create.",
  configSchema: configSchema({
    elevatedPolicies: {
      type: "array",
      description: "Names of AWS managed policies refused on any principal.",
      items: { type: "string", minLength: 1 },
      default: [...DEFAULT_ELEVATED_POLICIES],
    },
  }),
  resourceTypes: [
    T.role,
    T.rolePolicyAttachment,
    T.rolePolicyAttachmentsExclusive,
    T.policyAttachment,
    T.userPolicyAttachment,
    T.groupPolicyAttachment,
  ],
  check: (r, config) => findElevatedManagedPolicies(r.type, r.props, config.elevatedPolicies),
});
