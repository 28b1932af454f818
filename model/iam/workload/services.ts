// The services a workload deploy role may use: the default set, the ones never allowed, the actions
// each allowed service grants and the policy of the environment's services.
import { doc, PolicyDocument, PolicyStatement } from "./documents";

/**
 * Services a deploy role may use when the environment lists none: what typical serverless,
 * container and database applications deploy. Never iam, organizations or sts (IAM is granted
 * separately, only under the permissions boundary).
 */
export const DEFAULT_ALLOWED_SERVICES: readonly string[] = [
  "acm",
  "apigateway",
  "application-autoscaling",
  "cloudformation",
  "cloudwatch",
  "dynamodb",
  "ec2",
  "ecr",
  "ecs",
  "elasticloadbalancing",
  "events",
  "kms",
  "lambda",
  "logs",
  "rds",
  "route53",
  "s3",
  "scheduler",
  "secretsmanager",
  "sns",
  "sqs",
  "ssm",
  "states",
  "tag",
  "xray",
];

/** Service prefixes an environment may never allow wholesale; the config validation refuses them. */
export const FORBIDDEN_SERVICES: Readonly<Record<string, string>> = {
  "*": "grants every action of every service: the deploy role would be an administrator",
  iam: "IAM is granted separately and only under the permissions boundary",
  organizations: "a workload deploy role must never manage the AWS organization",
  sts: "a workload deploy role must not assume other roles or mint credentials",
};

/** Why a service entry is refused (`*`, any wildcard, iam, organizations, sts), or undefined. */
export function forbiddenServiceReason(service: string): string | undefined {
  const key = service.toLowerCase();
  if (key.includes("*")) return FORBIDDEN_SERVICES["*"];
  return Object.prototype.hasOwnProperty.call(FORBIDDEN_SERVICES, key)
    ? FORBIDDEN_SERVICES[key]
    : undefined;
}

/**
 * Actions granted for one allowed service. Most services get `<service>:*`; SSM is narrowed to
 * Parameter Store, because ssm:SendCommand and ssm:StartSession run commands on hosts.
 */
export function serviceActions(service: string): string[] {
  if (service === "ssm")
    return [
      "ssm:DescribeParameters",
      "ssm:GetParameter*",
      "ssm:PutParameter",
      "ssm:DeleteParameter*",
      "ssm:LabelParameterVersion",
      "ssm:UnlabelParameterVersion",
      "ssm:AddTagsToResource",
      "ssm:RemoveTagsFromResource",
      "ssm:ListTagsForResource",
    ];
  return [`${service}:*`];
}

/** The allow statement of the environment's services. */
export function servicesStatement(services: readonly string[]): PolicyStatement {
  return {
    Sid: "EnvironmentServices",
    Effect: "Allow",
    Action: [...new Set(services.flatMap(serviceActions))],
    Resource: "*",
  };
}

/** Deploy and CloudFormation execution roles: the services the environment allows. */
export function servicesPolicy(services: readonly string[]): PolicyDocument {
  return doc(servicesStatement(services));
}
