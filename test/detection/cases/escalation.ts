// Privilege-escalation cases: each method of cloudsplaining's PRIVILEGE_ESCALATION_METHODS
// (github.com/salesforce/cloudsplaining, cloudsplaining/shared/constants.py: Rhino Security Labs'
// 21 original methods and the newer pathfinding.cloud paths) and of BishopFox iam-vulnerable
// (modules/free-resources/privesc-paths/*.tf), granted as an identity policy on each kind of
// carrier in turn, or split over two documents attached to one principal; and clean cases where a
// resource constraint makes the path impossible, or a step is missing or denied.
import type { CaseResource, DetectionCase } from "../corpus-types";
import { arn, doc, iamArn, role, T } from "../stacks";
import { IDENTITY_CARRIERS } from "./iam-grammar";

const SINGLE = "iam-no-privilege-escalation";
const COMBINED = "iam-no-combined-privilege-escalation";
const CS = "cloudsplaining PRIVILEGE_ESCALATION_METHODS";
const IV = "iam-vulnerable privesc-paths";

interface Path {
  readonly name: string;
  readonly source: string;
  readonly actions: readonly string[];
  /** The resources the statement names (default "*", as iam-vulnerable's paths grant them). */
  readonly resource?: string | readonly string[];
}

const PATHS: readonly Path[] = [
  {
    name: "CreateAccessKey",
    source: `${CS}; ${IV}/privesc4-CreateAccessKey.tf`,
    actions: ["iam:CreateAccessKey"],
  },
  {
    name: "CreateLoginProfile",
    source: `${CS}; ${IV}/privesc5-CreateLoginProfile.tf`,
    actions: ["iam:CreateLoginProfile"],
  },
  {
    name: "UpdateLoginProfile",
    source: `${CS}; ${IV}/privesc6-UpdateLoginProfile.tf`,
    actions: ["iam:UpdateLoginProfile"],
  },
  {
    name: "AddUserToGroup",
    source: `${CS}; ${IV}/privesc13-AddUserToGroup.tf`,
    actions: ["iam:AddUserToGroup"],
  },
  {
    name: "CreateNewPolicyVersion",
    source: `${CS}; ${IV}/privesc1-CreateNewPolicyVersion.tf`,
    actions: ["iam:CreatePolicyVersion"],
  },
  {
    name: "CreateNewPolicyVersion (customer policies)",
    source: `${CS}: customer-managed policies can be versioned`,
    actions: ["iam:CreatePolicyVersion"],
    resource: iamArn("policy/*"),
  },
  {
    name: "SetExistingDefaultPolicyVersion",
    source: `${CS}; ${IV}/privesc2-SetExistingDefaultPolicyVersion.tf`,
    actions: ["iam:SetDefaultPolicyVersion"],
  },
  {
    name: "AttachUserPolicy",
    source: `${CS}; ${IV}/privesc7-AttachUserPolicy.tf`,
    actions: ["iam:AttachUserPolicy"],
  },
  {
    name: "AttachGroupPolicy",
    source: `${CS}; ${IV}/privesc8-AttachGroupPolicy.tf`,
    actions: ["iam:AttachGroupPolicy"],
  },
  {
    name: "AttachRolePolicy",
    source: `${CS}; ${IV}/privesc9-AttachRolePolicy.tf`,
    actions: ["iam:AttachRolePolicy"],
  },
  {
    name: "AttachRolePolicy (every role of the account)",
    source: `${CS}: role/* is every role`,
    actions: ["iam:AttachRolePolicy"],
    resource: iamArn("role/*"),
  },
  {
    name: "PutUserPolicy",
    source: `${CS}; ${IV}/privesc10-PutUserPolicy.tf`,
    actions: ["iam:PutUserPolicy"],
  },
  {
    name: "PutGroupPolicy",
    source: `${CS}; ${IV}/privesc11-PutGroupPolicy.tf`,
    actions: ["iam:PutGroupPolicy"],
  },
  {
    name: "PutRolePolicy",
    source: `${CS}; ${IV}/privesc12-PutRolePolicy.tf`,
    actions: ["iam:PutRolePolicy"],
  },
  {
    name: "UpdateRolePolicyToAssumeIt",
    source: `${CS}; ${IV}/privesc14-UpdatingAssumeRolePolicy.tf`,
    actions: ["iam:UpdateAssumeRolePolicy", "sts:AssumeRole"],
  },
  {
    name: "CreateEC2WithExistingIP",
    source: `${CS}; ${IV}/privesc3-CreateEC2WithExistingIP.tf`,
    actions: ["iam:PassRole", "ec2:RunInstances"],
  },
  {
    name: "PassExistingRoleToNewLambdaThenInvoke",
    source: `${CS}; ${IV}/privesc15-PassExistingRoleToNewLambdaThenInvoke.tf`,
    actions: ["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"],
  },
  {
    name: "PassExistingRoleToNewLambdaThenTriggerWithNewDynamo",
    source: `${CS}; ${IV}/privesc16-PassRoleToNewLambdaThenTriggerWithNewDynamo.tf`,
    actions: [
      "iam:PassRole",
      "lambda:CreateFunction",
      "lambda:CreateEventSourceMapping",
      "dynamodb:CreateTable",
      "dynamodb:PutItem",
    ],
  },
  {
    name: "PassExistingRoleToNewLambdaThenTriggerWithExistingDynamo",
    source: CS,
    actions: ["iam:PassRole", "lambda:CreateFunction", "lambda:CreateEventSourceMapping"],
  },
  {
    name: "PassExistingRoleToNewGlueDevEndpoint",
    source: `${CS}; ${IV}/privesc18-PassExistingRoleToNewGlueDevEndpoint.tf`,
    actions: ["iam:PassRole", "glue:CreateDevEndpoint"],
  },
  {
    name: "PassExistingRoleToCloudFormation",
    source: `${CS}; ${IV}/privesc20-PassExistingRoleToCloudFormation.tf`,
    actions: ["iam:PassRole", "cloudformation:CreateStack"],
  },
  {
    name: "PassExistingRoleToNewDataPipeline",
    source: `${CS}; ${IV}/privesc21-PassExistingRoleToNewDataPipeline.tf`,
    actions: [
      "iam:PassRole",
      "datapipeline:CreatePipeline",
      "datapipeline:PutPipelineDefinition",
      "datapipeline:ActivatePipeline",
    ],
  },
  {
    name: "UpdateExistingGlueDevEndpoint",
    source: `${CS}; ${IV}/privesc19-UpdateExistingGlueDevEndpoint.tf`,
    actions: ["glue:UpdateDevEndpoint"],
  },
  {
    name: "EditExistingLambdaFunctionWithRole",
    source: `${CS}; ${IV}/privesc17-EditExistingLambdaFunctionWithRole.tf`,
    actions: ["lambda:UpdateFunctionCode"],
  },
  {
    name: "AccessExistingBedrockCodeInterpreterSession",
    source: CS,
    actions: [
      "bedrock-agentcore:StartCodeInterpreterSession",
      "bedrock-agentcore:InvokeCodeInterpreter",
    ],
  },
  {
    name: "ExecuteCloudFormationChangeSet",
    source: CS,
    actions: ["cloudformation:CreateChangeSet", "cloudformation:ExecuteChangeSet"],
  },
  {
    name: "UpdateExistingCloudFormationStack",
    source: `${IV}/privesc-cloudFormationUpdateStack.tf`,
    actions: ["cloudformation:UpdateStack", "iam:PassRole"],
  },
  {
    name: "ModifyEC2InstanceUserDataThenRestart",
    source: CS,
    actions: ["ec2:ModifyInstanceAttribute", "ec2:StopInstances", "ec2:StartInstances"],
  },
  {
    name: "ModifyExistingEC2LaunchTemplate",
    source: CS,
    actions: ["ec2:CreateLaunchTemplateVersion", "ec2:ModifyLaunchTemplate"],
  },
  {
    name: "EC2InstanceConnectSendSSHPublicKey",
    source: `${CS}; ${IV}/privesc-ec2InstanceConnect.tf`,
    actions: ["ec2-instance-connect:SendSSHPublicKey", "ec2:DescribeInstances"],
  },
  {
    name: "ECSExecuteCommandOnRunningTask",
    source: CS,
    actions: ["ecs:ExecuteCommand", "ecs:DescribeTasks"],
  },
  {
    name: "UpdateAndInvokeLambdaFunction",
    source: CS,
    actions: ["lambda:UpdateFunctionCode", "lambda:InvokeFunction"],
  },
  {
    name: "UpdateLambdaFunctionAndAddPermission",
    source: CS,
    actions: ["lambda:UpdateFunctionCode", "lambda:AddPermission"],
  },
  {
    name: "CreatePresignedSageMakerNotebookUrl",
    source: `${CS}; ${IV}/privesc-sageMakerCreatePresignedNotebookURL.tf`,
    actions: ["sagemaker:CreatePresignedNotebookInstanceUrl"],
  },
  {
    name: "UpdateSageMakerNotebookLifecycleConfig",
    source: CS,
    actions: [
      "sagemaker:CreateNotebookInstanceLifecycleConfig",
      "sagemaker:StopNotebookInstance",
      "sagemaker:UpdateNotebookInstance",
      "sagemaker:StartNotebookInstance",
    ],
  },
  {
    name: "PassExistingRoleToNewAppRunnerService",
    source: CS,
    actions: ["iam:PassRole", "apprunner:CreateService"],
  },
  {
    name: "PassExistingRoleToNewBedrockCodeInterpreter",
    source: CS,
    actions: [
      "iam:PassRole",
      "bedrock-agentcore:CreateCodeInterpreter",
      "bedrock-agentcore:StartCodeInterpreterSession",
      "bedrock-agentcore:InvokeCodeInterpreter",
    ],
  },
  {
    name: "PassExistingRoleToNewCloudFormationStackSet",
    source: CS,
    actions: [
      "iam:PassRole",
      "cloudformation:CreateStackSet",
      "cloudformation:CreateStackInstances",
    ],
  },
  {
    name: "PassRoleToUpdateCloudFormationStackSet",
    source: CS,
    actions: ["iam:PassRole", "cloudformation:UpdateStackSet"],
  },
  {
    name: "PassExistingRoleToNewCodeBuildProjectThenBuild",
    source: `${CS}; ${IV}/privesc-codeBuildCreateProjectPassRole.tf`,
    actions: ["iam:PassRole", "codebuild:CreateProject", "codebuild:StartBuild"],
  },
  {
    name: "PassExistingRoleToNewCodeBuildProjectThenBuildBatch",
    source: CS,
    actions: ["iam:PassRole", "codebuild:CreateProject", "codebuild:StartBuildBatch"],
  },
  {
    name: "PassExistingRoleToNewEC2SpotInstance",
    source: CS,
    actions: ["iam:PassRole", "ec2:RequestSpotInstances"],
  },
  {
    name: "PassExistingRoleToNewECSClusterServiceTask",
    source: CS,
    actions: [
      "iam:PassRole",
      "ecs:CreateCluster",
      "ecs:RegisterTaskDefinition",
      "ecs:CreateService",
    ],
  },
  {
    name: "PassExistingRoleToNewECSTaskViaRunTask",
    source: CS,
    actions: ["iam:PassRole", "ecs:RegisterTaskDefinition", "ecs:RunTask"],
  },
  {
    name: "PassExistingRoleToNewECSTaskViaStartTask",
    source: CS,
    actions: ["iam:PassRole", "ecs:RegisterTaskDefinition", "ecs:StartTask"],
  },
  {
    name: "PassExistingRoleToNewGlueJobThenRun",
    source: CS,
    actions: ["iam:PassRole", "glue:CreateJob", "glue:StartJobRun"],
  },
  {
    name: "PassExistingRoleToNewGlueJobViaTrigger",
    source: CS,
    actions: ["iam:PassRole", "glue:CreateJob", "glue:CreateTrigger"],
  },
  {
    name: "PassExistingRoleToUpdatedGlueJobThenRun",
    source: CS,
    actions: ["iam:PassRole", "glue:UpdateJob", "glue:StartJobRun"],
  },
  {
    name: "PassExistingRoleToNewLambdaThenAddPermission",
    source: CS,
    actions: ["iam:PassRole", "lambda:CreateFunction", "lambda:AddPermission"],
  },
  {
    name: "PassExistingRoleToNewSageMakerNotebookInstance",
    source: `${CS}; ${IV}/privesc-sageMakerCreateNotebookPassRole.tf`,
    actions: ["iam:PassRole", "sagemaker:CreateNotebookInstance"],
  },
  {
    name: "PassExistingRoleToNewSageMakerTrainingJob",
    source: `${CS}; ${IV}/privesc-sageMakerCreateTrainingJob.tf`,
    actions: ["iam:PassRole", "sagemaker:CreateTrainingJob"],
  },
  {
    name: "PassExistingRoleToNewSageMakerProcessingJob",
    source: `${CS}; ${IV}/privesc-sageMakerCreateProcessingJob.tf`,
    actions: ["iam:PassRole", "sagemaker:CreateProcessingJob"],
  },
  {
    name: "SSMSendCommand",
    source: `${IV}/privesc-ssmSendCommand.tf`,
    actions: ["ssm:SendCommand", "ssm:ListCommandInvocations"],
  },
  {
    name: "SSMStartSession",
    source: `${IV}/privesc-ssmStartSession.tf`,
    actions: ["ssm:StartSession"],
  },
  { name: "AssumeAnyRole", source: `${IV}/privesc-AssumeRole.tf`, actions: ["sts:AssumeRole"] },
  {
    name: "CreateAndRotateAccessKey",
    source: CS,
    actions: ["iam:CreateAccessKey", "iam:DeleteAccessKey"],
  },
  {
    name: "CreatePolicyVersionThenAssumeRole",
    source: CS,
    actions: ["iam:CreatePolicyVersion", "sts:AssumeRole"],
  },
  {
    name: "PutRolePolicyThenUpdateAssumeRolePolicy",
    source: CS,
    actions: ["iam:PutRolePolicy", "iam:UpdateAssumeRolePolicy"],
  },
  {
    name: "PassRoleWildcardActionLambda",
    source: `${CS} (iam:Pass* and lambda:* wildcards expand to the path)`,
    actions: ["iam:Pass*", "lambda:Create*", "lambda:Invoke*"],
  },
];

function singleCases(): DetectionCase[] {
  return PATHS.map((p, i) => {
    const c = IDENTITY_CARRIERS[(i + 2) % IDENTITY_CARRIERS.length]!;
    const slug = `esc-${p.name.replace(/[^A-Za-z0-9]/g, "").toLowerCase()}`.slice(0, 48);
    const policy = doc({
      Sid: p.name.replace(/[^A-Za-z0-9]/g, ""),
      Effect: "Allow",
      Action: [...p.actions],
      Resource: p.resource ?? "*",
    });
    return {
      id: `escalation-${p.name
        .replace(/[^A-Za-z0-9]+/g, "-")
        .replace(/-$/, "")
        .toLowerCase()}-${c.id}`,
      family: "escalation" as const,
      expect: { violation: true as const, policy: SINGLE },
      source: p.source,
      resources: c.build(slug, policy),
    };
  });
}

/** A role with a RolePolicy and a customer-managed policy attached to it. */
function splitOverRole(
  slug: string,
  a: Record<string, unknown>,
  b: Record<string, unknown>,
): CaseResource[] {
  const policyName = `${slug}-extra`;
  return [
    role(slug),
    {
      type: T.rolePolicy,
      name: `${slug}-inline`,
      inputs: { name: `${slug}-inline`, role: slug, policy: doc(a) },
      links: { role: [slug] },
    },
    {
      type: T.managedPolicy,
      name: policyName,
      inputs: { name: policyName, policy: doc(b) },
      outputs: { arn: iamArn(`policy/${policyName}`) },
    },
    {
      type: T.rolePolicyAttachment,
      name: `${slug}-attach`,
      inputs: { role: slug, policyArn: iamArn(`policy/${policyName}`) },
      links: { role: [slug], policyArn: [policyName] },
    },
  ];
}

/** A role with two customer-managed policies in managedPolicyArns. */
function splitOverManaged(
  slug: string,
  a: Record<string, unknown>,
  b: Record<string, unknown>,
): CaseResource[] {
  const pa = `${slug}-a`;
  const pb = `${slug}-b`;
  return [
    {
      type: T.managedPolicy,
      name: pa,
      inputs: { name: pa, policy: doc(a) },
      outputs: { arn: iamArn(`policy/${pa}`) },
    },
    {
      type: T.managedPolicy,
      name: pb,
      inputs: { name: pb, policy: doc(b) },
      outputs: { arn: iamArn(`policy/${pb}`) },
    },
    {
      ...role(slug, { managedPolicyArns: [iamArn(`policy/${pa}`), iamArn(`policy/${pb}`)] }),
      links: { managedPolicyArns: [pa, pb] },
    },
  ];
}

function combinedCases(): DetectionCase[] {
  const passRole = {
    Sid: "PassAppRoles",
    Effect: "Allow",
    Action: "iam:PassRole",
    Resource: iamArn("role/*"),
  };
  const s = (Sid: string, Action: string[], Resource: string | string[] = "*") => ({
    Sid,
    Effect: "Allow",
    Action,
    Resource,
  });
  const mk = (id: string, source: string, build: () => CaseResource[]): DetectionCase => ({
    id: `escalation-combined-${id}`,
    family: "escalation",
    expect: { violation: true, policy: COMBINED },
    source,
    resources: build(),
  });
  return [
    mk(
      "lambda-invoke-role-and-attached",
      `${CS}: PassExistingRoleToNewLambdaThenInvoke over two documents`,
      () =>
        splitOverRole(
          "deployer-lambda",
          passRole,
          s("Lambda", ["lambda:CreateFunction", "lambda:InvokeFunction"]),
        ),
    ),
    mk("ec2-run-managed-arns", `${CS}: CreateEC2WithExistingIP over two managed policies`, () =>
      splitOverManaged("deployer-ec2", passRole, s("Run", ["ec2:RunInstances"])),
    ),
    mk(
      "cloudformation-role-and-attached",
      `${CS}: PassExistingRoleToCloudFormation over two documents`,
      () => splitOverRole("deployer-cfn", passRole, s("Stacks", ["cloudformation:CreateStack"])),
    ),
    mk(
      "codebuild-managed-arns",
      `${CS}: PassExistingRoleToNewCodeBuildProjectThenBuild over two documents`,
      () =>
        splitOverManaged(
          "deployer-cb",
          s("Builds", ["codebuild:CreateProject", "codebuild:StartBuild"]),
          passRole,
        ),
    ),
    mk(
      "glue-job-role-and-attached",
      `${CS}: PassExistingRoleToNewGlueJobThenRun over two documents`,
      () =>
        splitOverRole("deployer-glue", s("Glue", ["glue:CreateJob", "glue:StartJobRun"]), passRole),
    ),
    mk(
      "ec2-instance-connect-split",
      `${CS}: EC2InstanceConnectSendSSHPublicKey over two documents`,
      () =>
        splitOverManaged(
          "ops-connect",
          s("Connect", ["ec2-instance-connect:SendSSHPublicKey"], arn("ec2", "instance/*")),
          s("Describe", ["ec2:DescribeInstances"]),
        ),
    ),
    mk(
      "user-data-restart-split",
      `${CS}: ModifyEC2InstanceUserDataThenRestart over two documents`,
      () =>
        splitOverRole(
          "ops-userdata",
          s("Modify", ["ec2:ModifyInstanceAttribute"], arn("ec2", "instance/*")),
          s("Restart", ["ec2:StopInstances", "ec2:StartInstances"], arn("ec2", "instance/*")),
        ),
    ),
    mk(
      "sagemaker-notebook-managed-arns",
      `${CS}: PassExistingRoleToNewSageMakerNotebookInstance over two documents`,
      () =>
        splitOverManaged(
          "ml-notebooks",
          passRole,
          s(
            "Notebooks",
            ["sagemaker:CreateNotebookInstance"],
            arn("sagemaker", "notebook-instance/*"),
          ),
        ),
    ),
  ];
}

function cleanCases(): DetectionCase[] {
  const mk = (
    id: string,
    source: string,
    statements: Record<string, unknown>[],
    i: number,
  ): DetectionCase => {
    const c = IDENTITY_CARRIERS[i % IDENTITY_CARRIERS.length]!;
    return {
      id: `escalation-clean-${id}-${c.id}`,
      family: "escalation",
      expect: { violation: false },
      source,
      resources: c.build(`esc-clean-${id}`.slice(0, 48), doc(...statements)),
    };
  };
  const fnRole = iamArn("role/orders-fn");
  return [
    mk(
      "policy-version-aws-managed",
      "AWS docs: AWS managed policies (arn:aws:iam::aws:policy/*) cannot be versioned by customers",
      [
        {
          Effect: "Allow",
          Action: "iam:CreatePolicyVersion",
          Resource: "arn:aws:iam::aws:policy/*",
        },
      ],
      0,
    ),
    mk(
      "passrole-other-service",
      "AWS docs: iam:PassedToService limits where a role can be passed",
      [
        {
          Sid: "PassTaskRole",
          Effect: "Allow",
          Action: "iam:PassRole",
          Resource: iamArn("role/orders-task"),
          Condition: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } },
        },
        {
          Sid: "Functions",
          Effect: "Allow",
          Action: ["lambda:CreateFunction", "lambda:InvokeFunction"],
          Resource: arn("lambda", "function:orders-*"),
        },
      ],
      1,
    ),
    mk(
      "lambda-missing-invoke",
      `${CS}: PassExistingRoleToNewLambdaThenInvoke needs a way to run the function`,
      [
        {
          Sid: "PassFnRole",
          Effect: "Allow",
          Action: "iam:PassRole",
          Resource: fnRole,
          Condition: { StringEquals: { "iam:PassedToService": "lambda.amazonaws.com" } },
        },
        {
          Sid: "Create",
          Effect: "Allow",
          Action: "lambda:CreateFunction",
          Resource: arn("lambda", "function:orders-*"),
        },
      ],
      2,
    ),
    mk(
      "lambda-invoke-denied",
      "IAM policy evaluation: an explicit Deny overrides the Allow",
      [
        {
          Sid: "PassFnRole",
          Effect: "Allow",
          Action: "iam:PassRole",
          Resource: fnRole,
          Condition: { StringEquals: { "iam:PassedToService": "lambda.amazonaws.com" } },
        },
        {
          Sid: "Create",
          Effect: "Allow",
          Action: ["lambda:CreateFunction", "lambda:InvokeFunction"],
          Resource: arn("lambda", "function:orders-*"),
        },
        {
          Sid: "NoInvoke",
          Effect: "Deny",
          Action: [
            "lambda:InvokeFunction",
            "lambda:CreateEventSourceMapping",
            "lambda:AddPermission",
          ],
          Resource: "*",
        },
      ],
      3,
    ),
    mk(
      "own-access-keys",
      "AWS docs: allow IAM users to manage their own access keys (user/${aws:username})",
      [
        {
          Effect: "Allow",
          Action: ["iam:CreateAccessKey", "iam:DeleteAccessKey", "iam:ListAccessKeys"],
          Resource: iamArn("user/${aws:username}"),
        },
      ],
      4,
    ),
    mk(
      "own-login-profile",
      "AWS docs: allow users to change their own password",
      [
        {
          Effect: "Allow",
          Action: ["iam:UpdateLoginProfile", "iam:GetLoginProfile"],
          Resource: iamArn("user/${aws:username}"),
        },
      ],
      0,
    ),
    mk(
      "boundary-delegation",
      "AWS docs: permissions boundaries for delegated role creation (iam:PermissionsBoundary)",
      [
        {
          Sid: "CreateBoundedRoles",
          Effect: "Allow",
          Action: ["iam:CreateRole", "iam:PutRolePolicy", "iam:AttachRolePolicy"],
          Resource: iamArn("role/app-*"),
          Condition: { StringEquals: { "iam:PermissionsBoundary": iamArn("policy/app-boundary") } },
        },
      ],
      1,
    ),
    mk(
      "iam-read-only",
      "cloudsplaining: List/Read IAM actions are not privilege escalation",
      [
        {
          Effect: "Allow",
          Action: [
            "iam:GetRole",
            "iam:GetRolePolicy",
            "iam:ListRoles",
            "iam:ListAttachedRolePolicies",
          ],
          Resource: "*",
        },
      ],
      2,
    ),
    mk(
      "policy-version-denied",
      "IAM policy evaluation: an explicit Deny overrides the Allow",
      [
        {
          Sid: "Versions",
          Effect: "Allow",
          Action: ["iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion"],
          Resource: iamArn("policy/app/*"),
        },
        {
          Sid: "NoVersions",
          Effect: "Deny",
          Action: ["iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion"],
          Resource: "*",
        },
      ],
      3,
    ),
    mk(
      "lambda-update-denied",
      "IAM policy evaluation: Deny on lambda:UpdateFunctionCode",
      [
        {
          Sid: "Read",
          Effect: "Allow",
          Action: ["lambda:GetFunction", "lambda:ListFunctions"],
          Resource: "*",
        },
        { Sid: "NoUpdates", Effect: "Deny", Action: "lambda:UpdateFunctionCode", Resource: "*" },
      ],
      4,
    ),
    mk(
      "assume-one-role",
      "AWS docs: sts:AssumeRole on one named role is not AssumeAnyRole",
      [
        {
          Effect: "Allow",
          Action: "sts:AssumeRole",
          Resource: `arn:aws:iam::444455556666:role/orders-readonly`,
        },
      ],
      0,
    ),
    mk(
      "ec2-connect-tagged",
      `${CS}: EC2InstanceConnectSendSSHPublicKey needs ec2:DescribeInstances too (missing step)`,
      [
        {
          Effect: "Allow",
          Action: "ec2-instance-connect:SendSSHPublicKey",
          Resource: arn("ec2", "instance/i-0123456789abcdef0"),
          Condition: { StringEquals: { "ec2:osuser": "ec2-user" } },
        },
      ],
      1,
    ),
    mk(
      "codebuild-start-only",
      `${CS}: StartBuild on an existing project without CreateProject or PassRole`,
      [
        {
          Effect: "Allow",
          Action: ["codebuild:StartBuild", "codebuild:BatchGetBuilds"],
          Resource: arn("codebuild", "project/orders-build"),
        },
      ],
      2,
    ),
    mk(
      "cloudformation-no-passrole",
      `${CS}: PassExistingRoleToCloudFormation needs iam:PassRole`,
      [
        {
          Effect: "Allow",
          Action: ["cloudformation:CreateStack", "cloudformation:DescribeStacks"],
          Resource: arn("cloudformation", "stack/orders-*/*"),
        },
      ],
      3,
    ),
    mk(
      "sagemaker-list-only",
      "cloudsplaining: read and list SageMaker actions are not escalation",
      [
        {
          Effect: "Allow",
          Action: ["sagemaker:ListNotebookInstances", "sagemaker:DescribeNotebookInstance"],
          Resource: "*",
        },
      ],
      4,
    ),
  ];
}

export function escalationCases(): DetectionCase[] {
  return [...singleCases(), ...combinedCases(), ...cleanCases()];
}
