// The workload roles the tools roles assume: name patterns of one environment's roles in any
// account, and the statement that assumes them inside the organization.
import { environmentNames, roleArn } from "../../naming";
import { Statement, ToolsScope } from "./documents";

/** The ARN pattern of one environment's workload deploy role in any account. */
export function workloadDeployRolePattern(scope: ToolsScope, env: string): string {
  return roleArn(scope.partition, "*", environmentNames(scope.prefix, env).workloadDeployRole);
}

/** The ARN pattern of one environment's alarm-reader role in any account. */
export function alarmReaderPattern(scope: ToolsScope, env: string): string {
  return roleArn(scope.partition, "*", environmentNames(scope.prefix, env).alarmReaderRole);
}

/**
 * sts:AssumeRole on the named workload roles, by name pattern in any account: inside the
 * organization (aws:ResourceOrgID) when an org id is configured. Without one the statement is the
 * name pattern alone. Listing every account's role ARN instead costs about 50 characters per
 * account and outgrows the 10,240-character role limit near 165 accounts (about 72 for a
 * CloudFormation pipeline role, which lists two roles per account); a 15-character
 * aws:ResourceAccount list still reaches 93% of it at 500 accounts. What the name pattern gives
 * up: a tools role could assume a same-named role in an account outside the organization if that
 * account's owner trusts it, which grants nothing in the organization's accounts. Which accounts
 * a deployment reaches is still fixed by the pipeline (DEPLOY_ROLE_ARN, roleArn), and every
 * workload role trusts only the one tools role of its environment.
 */
export function assumeWorkloadRoles(
  scope: ToolsScope,
  sid: string,
  roles: readonly { readonly env: string; readonly name: string }[],
): Statement {
  return {
    Sid: sid,
    Effect: "Allow",
    Action: ["sts:AssumeRole", "sts:TagSession"],
    Resource: roles.map((r) => roleArn(scope.partition, "*", r.name)),
    ...(scope.orgId ? { Condition: { StringEquals: { "aws:ResourceOrgID": scope.orgId } } } : {}),
  };
}
