// The published privilege-escalation catalogue, one entry per path: what a principal must be
// granted to give itself (or a role it can use) more permissions than it holds. Each path names the
// catalogues that describe it in `sources`, so a reader can check it against the original:
//
// - rhino:N           Rhino Security Labs, "AWS IAM Privilege Escalation - Methods and Mitigation"
//                     (https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/),
//                     methods 1-21, as numbered in its aws_escalate.py
//                     (RhinoSecurityLabs/Security-Research tools/aws-pentest-tools/aws_escalate.py)
// - rhino-part-2:Name the same authors' part 2
//                     (https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation-part-2/);
//                     the names are ours and the article's permission lists unconfirmed here: its
//                     CodeStar paths are as Pacu implements them, the others as iam-vulnerable
//                     and cloudsplaining cite it
// - pacu:Name         Pacu's iam__privesc_scan module (pacu/modules/iam__privesc_scan/main.py)
// - iam-vulnerable:X  BishopFox/iam-vulnerable, modules/free-resources/privesc-paths/X.tf
// - cloudsplaining:X  salesforce/cloudsplaining, PRIVILEGE_ESCALATION_METHODS in
//                     cloudsplaining/shared/constants.py
// - pathfinding:X     Datadog's https://pathfinding.cloud/paths/X, as linked by cloudsplaining
// - https://...       an AWS documentation page for a path none of the above names
//
// A catalogue entry that needs more actions than one of ours is covered by ours (it is a superset):
// cloudsplaining's CreatePolicyVersionThenAssumeRole is reported as create-policy-version.
//
// Not paths here, by decision: iam:CreateServiceLinkedRole (the role's trust and permissions are
// fixed by AWS and only the service assumes it; none of the catalogues lists it), and
// iam:DeleteRolePolicy / iam:DetachRolePolicy (removing a policy that holds a Deny only restores
// permissions the principal already holds; none of the catalogues lists it). CodeStar's
// CreateProjectFromTemplate (pacu, rhino-part-2) is no longer in the IAM catalogue, so it cannot be
// granted; CodeStar's other actions still are.

/** A privilege-escalation path: every step must be granted; a step is one of several actions. */
export interface EscalationPath {
  readonly id: string;
  /** A short human name: "EC2 Instance Connect onto a privileged instance". */
  readonly name: string;
  /** What the holder can do, completing "a principal with these permissions can ...". */
  readonly impact: string;
  readonly steps: readonly (readonly string[])[];
  /**
   * The services a role passed with iam:PassRole goes to on this path (`iam:PassedToService`
   * values). An iam:PassRole statement whose iam:PassedToService condition names none of them does
   * not complete the path.
   */
  readonly passedTo?: readonly string[];
  /**
   * True when the path needs its actions on every resource of their type, not on named ones:
   * sts:AssumeRole on any role is a path, on a named role it is how roles are used.
   */
  readonly anyResource?: boolean;
  /** The catalogues that describe the path (see the top of this file). */
  readonly sources: readonly string[];
}

const PASS = ["iam:PassRole"];

/** The escalation paths the pack knows. */
export const ESCALATION_PATHS: readonly EscalationPath[] = [
  // Permissions on policies.
  {
    id: "create-policy-version",
    name: "new default version of a managed policy",
    impact: "publish a new default version of a managed policy it is attached to",
    steps: [["iam:CreatePolicyVersion"]],
    sources: [
      "rhino:1",
      "pacu:CreateNewPolicyVersion",
      "iam-vulnerable:privesc1-CreateNewPolicyVersion",
      "cloudsplaining:CreateNewPolicyVersion",
      "cloudsplaining:CreatePolicyVersionThenAssumeRole",
      "cloudsplaining:CreatePolicyVersionThenUpdateAssumeRolePolicy",
      "pathfinding:iam-016",
      "pathfinding:iam-020",
      "pathfinding:iam-001",
    ],
  },
  {
    id: "set-default-policy-version",
    name: "older default version of a managed policy",
    impact: "switch a managed policy to an older, broader version",
    steps: [["iam:SetDefaultPolicyVersion"]],
    sources: [
      "rhino:2",
      "pacu:SetExistingDefaultPolicyVersion",
      "iam-vulnerable:privesc2-SetExistingDefaultPolicyVersion",
      "cloudsplaining:SetExistingDefaultPolicyVersion",
    ],
  },
  {
    id: "attach-user-policy",
    name: "managed policy attached to a user",
    impact: "attach any managed policy, AdministratorAccess included, to a user",
    steps: [["iam:AttachUserPolicy"]],
    sources: [
      "rhino:7",
      "pacu:AttachUserPolicy",
      "iam-vulnerable:privesc7-AttachUserPolicy",
      "cloudsplaining:AttachUserPolicy",
      "cloudsplaining:AttachUserPolicyThenCreateAccessKey",
      "pathfinding:iam-015",
      "pathfinding:iam-008",
    ],
  },
  {
    id: "attach-group-policy",
    name: "managed policy attached to a group",
    impact: "attach any managed policy to a group it belongs to",
    steps: [["iam:AttachGroupPolicy"]],
    sources: [
      "rhino:8",
      "pacu:AttachGroupPolicy",
      "iam-vulnerable:privesc8-AttachGroupPolicy",
      "cloudsplaining:AttachGroupPolicy",
      "pathfinding:iam-010",
    ],
  },
  {
    id: "attach-role-policy",
    name: "managed policy attached to a role",
    impact: "attach any managed policy to a role it can use",
    steps: [["iam:AttachRolePolicy"]],
    sources: [
      "rhino:9",
      "pacu:AttachRolePolicy",
      "iam-vulnerable:privesc9-AttachRolePolicy",
      "cloudsplaining:AttachRolePolicy",
      "cloudsplaining:AttachRolePolicyThenUpdateAssumeRolePolicy",
      "pathfinding:iam-019",
      "pathfinding:iam-009",
    ],
  },
  {
    id: "put-user-policy",
    name: "inline policy written on a user",
    impact: "write an inline policy granting anything to a user",
    steps: [["iam:PutUserPolicy"]],
    sources: [
      "rhino:10",
      "pacu:PutUserPolicy",
      "iam-vulnerable:privesc10-PutUserPolicy",
      "cloudsplaining:PutUserPolicy",
      "cloudsplaining:PutUserPolicyThenCreateAccessKey",
      "pathfinding:iam-018",
      "pathfinding:iam-007",
    ],
  },
  {
    id: "put-group-policy",
    name: "inline policy written on a group",
    impact: "write an inline policy granting anything to a group",
    steps: [["iam:PutGroupPolicy"]],
    sources: [
      "rhino:11",
      "pacu:PutGroupPolicy",
      "iam-vulnerable:privesc11-PutGroupPolicy",
      "cloudsplaining:PutGroupPolicy",
      "pathfinding:iam-011",
    ],
  },
  {
    id: "put-role-policy",
    name: "inline policy written on a role",
    impact: "write an inline policy granting anything to a role",
    steps: [["iam:PutRolePolicy"]],
    sources: [
      "rhino:12",
      "pacu:PutRolePolicy",
      "iam-vulnerable:privesc12-PutRolePolicy",
      "cloudsplaining:PutRolePolicy",
      "cloudsplaining:PutRolePolicyThenUpdateAssumeRolePolicy",
      "pathfinding:iam-021",
      "pathfinding:iam-005",
    ],
  },
  {
    id: "remove-permissions-boundary",
    name: "permissions boundary removed or replaced",
    impact: "remove or replace the permissions boundary that caps a user or role",
    steps: [
      [
        "iam:DeleteRolePermissionsBoundary",
        "iam:DeleteUserPermissionsBoundary",
        "iam:PutRolePermissionsBoundary",
        "iam:PutUserPermissionsBoundary",
      ],
    ],
    // AWS's delegation example denies these actions because they let the delegate escape the
    // boundary.
    sources: [
      "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html#access_policies_boundaries-delegate",
    ],
  },
  // Permissions on other principals.
  {
    id: "update-assume-role-policy",
    name: "trust policy rewritten to admit the holder",
    impact: "rewrite a role's trust policy and assume the role",
    steps: [["iam:UpdateAssumeRolePolicy"]],
    sources: [
      "rhino:14",
      "pacu:UpdateRolePolicyToAssumeIt",
      "iam-vulnerable:privesc14-UpdatingAssumeRolePolicy",
      "cloudsplaining:UpdateRolePolicyToAssumeIt",
      "pathfinding:iam-012",
    ],
  },
  {
    id: "assume-any-role",
    name: "any role of the account assumed",
    impact: "assume every role whose trust policy admits its account",
    steps: [["sts:AssumeRole"]],
    anyResource: true,
    sources: ["iam-vulnerable:privesc-AssumeRole"],
  },
  {
    id: "create-access-key",
    name: "access key created for another user",
    impact: "create access keys for other users and act as them",
    steps: [["iam:CreateAccessKey"]],
    sources: [
      "rhino:4",
      "pacu:CreateAccessKey",
      "iam-vulnerable:privesc4-CreateAccessKey",
      "cloudsplaining:CreateAccessKey",
      "cloudsplaining:CreateAndRotateAccessKey",
      "pathfinding:iam-002",
      "pathfinding:iam-003",
    ],
  },
  {
    id: "create-login-profile",
    name: "console password set for another user",
    impact: "set a console password for a user that has none and sign in as them",
    steps: [["iam:CreateLoginProfile"]],
    sources: [
      "rhino:5",
      "pacu:CreateLoginProfile",
      "iam-vulnerable:privesc5-CreateLoginProfile",
      "cloudsplaining:CreateLoginProfile",
      "pathfinding:iam-004",
    ],
  },
  {
    id: "update-login-profile",
    name: "another user's console password changed",
    impact: "change another user's console password",
    steps: [["iam:UpdateLoginProfile"]],
    sources: [
      "rhino:6",
      "pacu:UpdateLoginProfile",
      "iam-vulnerable:privesc6-UpdateLoginProfile",
      "cloudsplaining:UpdateLoginProfile",
      "pathfinding:iam-006",
    ],
  },
  {
    id: "add-user-to-group",
    name: "user added to a more privileged group",
    impact: "add a user to a more privileged group",
    steps: [["iam:AddUserToGroup"]],
    sources: [
      "rhino:13",
      "pacu:AddUserToGroup",
      "iam-vulnerable:privesc13-AddUserToGroup",
      "cloudsplaining:AddUserToGroup",
      "pathfinding:iam-013",
    ],
  },
  // A role passed to a new resource that runs the holder's code.
  {
    id: "passrole-ec2",
    name: "new EC2 instance with a passed role",
    impact: "pass a role to a new EC2 instance and use its credentials",
    steps: [PASS, ["ec2:RunInstances"]],
    passedTo: ["ec2.amazonaws.com"],
    sources: [
      "rhino:3",
      "pacu:CreateEC2WithExistingIP",
      "iam-vulnerable:privesc3-CreateEC2WithExistingIP",
      "cloudsplaining:CreateEC2WithExistingIP",
      "pathfinding:ec2-001",
    ],
  },
  {
    id: "passrole-ec2-spot",
    name: "new EC2 Spot instance with a passed role",
    impact: "pass a role to a new Spot instance and use its credentials",
    steps: [PASS, ["ec2:RequestSpotInstances"]],
    passedTo: ["ec2.amazonaws.com"],
    sources: ["cloudsplaining:PassExistingRoleToNewEC2SpotInstance", "pathfinding:ec2-003"],
  },
  {
    id: "passrole-autoscaling",
    name: "Auto Scaling group launching a passed role",
    impact:
      "pass a role to a launch configuration or template and have an Auto Scaling group launch instances with it",
    steps: [
      PASS,
      ["autoscaling:CreateLaunchConfiguration", "ec2:CreateLaunchTemplate"],
      ["autoscaling:CreateAutoScalingGroup", "autoscaling:UpdateAutoScalingGroup"],
    ],
    passedTo: ["ec2.amazonaws.com", "autoscaling.amazonaws.com"],
    sources: [
      "https://docs.aws.amazon.com/autoscaling/ec2/userguide/us-iam-role.html",
      "https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-launch-template-permissions.html",
    ],
  },
  {
    id: "passrole-lambda",
    name: "new Lambda function with a passed role",
    impact: "pass a role to a new Lambda function and run it",
    steps: [
      PASS,
      ["lambda:CreateFunction"],
      ["lambda:InvokeFunction", "lambda:CreateEventSourceMapping", "lambda:AddPermission"],
    ],
    passedTo: ["lambda.amazonaws.com"],
    sources: [
      "rhino:15",
      "rhino:16",
      "pacu:PassExistingRoleToNewLambdaThenInvoke",
      "pacu:PassExistingRoleToNewLambdaThenInvokeCrossAccount",
      "pacu:PassExistingRoleToNewLambdaThenTriggerWithExistingDynamo",
      "pacu:PassExistingRoleToNewLambdaThenTriggerWithNewDynamo",
      "iam-vulnerable:privesc15-PassExistingRoleToNewLambdaThenInvoke",
      "iam-vulnerable:privesc16-PassRoleToNewLambdaThenTriggerWithNewDynamo",
      "cloudsplaining:PassExistingRoleToNewLambdaThenInvoke",
      "cloudsplaining:PassExistingRoleToNewLambdaThenTriggerWithNewDynamo",
      "cloudsplaining:PassExistingRoleToNewLambdaThenTriggerWithExistingDynamo",
      "cloudsplaining:PassExistingRoleToNewLambdaThenAddPermission",
      "pathfinding:lambda-001",
      "pathfinding:lambda-002",
      "pathfinding:lambda-006",
    ],
  },
  {
    id: "passrole-cloudformation",
    name: "CloudFormation stack run with a passed role",
    impact: "pass a role to a CloudFormation stack that creates anything",
    steps: [PASS, ["cloudformation:CreateStack", "cloudformation:UpdateStack"]],
    passedTo: ["cloudformation.amazonaws.com"],
    sources: [
      "rhino:20",
      "pacu:PassExistingRoleToNewCloudFormation",
      "iam-vulnerable:privesc20-PassExistingRoleToCloudFormation",
      "cloudsplaining:PassExistingRoleToCloudFormation",
      "pathfinding:cloudformation-001",
    ],
  },
  {
    id: "passrole-cloudformation-stackset",
    name: "new CloudFormation StackSet with a passed role",
    impact: "pass an administration role to a new StackSet and deploy its instances",
    steps: [PASS, ["cloudformation:CreateStackSet"], ["cloudformation:CreateStackInstances"]],
    passedTo: ["cloudformation.amazonaws.com"],
    sources: [
      "cloudsplaining:PassExistingRoleToNewCloudFormationStackSet",
      "pathfinding:cloudformation-003",
    ],
  },
  {
    id: "passrole-cloudformation-stackset-update",
    name: "CloudFormation StackSet updated with a passed role",
    impact: "pass a role to an existing StackSet and update what it deploys",
    steps: [PASS, ["cloudformation:UpdateStackSet"]],
    passedTo: ["cloudformation.amazonaws.com"],
    sources: [
      "cloudsplaining:PassRoleToUpdateCloudFormationStackSet",
      "pathfinding:cloudformation-004",
    ],
  },
  {
    id: "passrole-codebuild",
    name: "CodeBuild project built with a passed role",
    impact: "pass a role to a new or updated CodeBuild project and run a build with it",
    steps: [
      PASS,
      ["codebuild:CreateProject", "codebuild:UpdateProject"],
      ["codebuild:StartBuild", "codebuild:StartBuildBatch"],
    ],
    passedTo: ["codebuild.amazonaws.com"],
    sources: [
      "iam-vulnerable:privesc-codeBuildCreateProjectPassRole",
      "cloudsplaining:PassExistingRoleToNewCodeBuildProjectThenBuild",
      "cloudsplaining:PassExistingRoleToNewCodeBuildProjectThenBuildBatch",
      "pathfinding:codebuild-001",
      "pathfinding:codebuild-004",
    ],
  },
  {
    id: "passrole-ecs",
    name: "ECS task run with a passed role",
    impact: "pass a role to an ECS task definition and run it",
    steps: [
      PASS,
      ["ecs:RegisterTaskDefinition"],
      ["ecs:RunTask", "ecs:StartTask", "ecs:CreateService", "ecs:UpdateService"],
    ],
    passedTo: ["ecs-tasks.amazonaws.com"],
    sources: [
      "cloudsplaining:PassExistingRoleToNewECSClusterServiceTask",
      "cloudsplaining:PassExistingRoleToNewECSClusterRunTask",
      "cloudsplaining:PassExistingRoleToNewECSService",
      "cloudsplaining:PassExistingRoleToNewECSTaskViaRunTask",
      "cloudsplaining:PassExistingRoleToNewECSTaskViaStartTask",
      "pathfinding:ecs-001",
      "pathfinding:ecs-002",
      "pathfinding:ecs-003",
      "pathfinding:ecs-004",
      "pathfinding:ecs-005",
    ],
  },
  {
    id: "passrole-glue",
    name: "new Glue development endpoint with a passed role",
    impact: "pass a role to a new Glue development endpoint and log in to it",
    steps: [PASS, ["glue:CreateDevEndpoint"]],
    passedTo: ["glue.amazonaws.com"],
    sources: [
      "rhino:18",
      "pacu:PassExistingRoleToNewGlueDevEndpoint",
      "iam-vulnerable:privesc18-PassExistingRoleToNewGlueDevEndpoint",
      "cloudsplaining:PassExistingRoleToNewGlueDevEndpoint",
      "pathfinding:glue-001",
    ],
  },
  {
    id: "passrole-glue-job",
    name: "Glue job run with a passed role",
    impact: "pass a role to a new or updated Glue job and run it",
    steps: [PASS, ["glue:CreateJob", "glue:UpdateJob"], ["glue:StartJobRun", "glue:CreateTrigger"]],
    passedTo: ["glue.amazonaws.com"],
    sources: [
      "cloudsplaining:PassExistingRoleToNewGlueJobThenRun",
      "cloudsplaining:PassExistingRoleToNewGlueJobViaTrigger",
      "cloudsplaining:PassExistingRoleToUpdatedGlueJobThenRun",
      "cloudsplaining:PassExistingRoleToUpdatedGlueJobViaTrigger",
      "pathfinding:glue-003",
      "pathfinding:glue-004",
      "pathfinding:glue-005",
      "pathfinding:glue-006",
    ],
  },
  {
    id: "passrole-sagemaker",
    name: "SageMaker notebook or job with a passed role",
    impact: "pass a role to a new SageMaker notebook, training or processing job",
    steps: [
      PASS,
      [
        "sagemaker:CreateNotebookInstance",
        "sagemaker:CreateTrainingJob",
        "sagemaker:CreateProcessingJob",
      ],
    ],
    passedTo: ["sagemaker.amazonaws.com"],
    sources: [
      "rhino-part-2:SageMakerCreateNotebookInstance",
      "iam-vulnerable:privesc-sageMakerCreateNotebookPassRole",
      "iam-vulnerable:privesc-sageMakerCreateTrainingJob",
      "iam-vulnerable:privesc-sageMakerCreateProcessingJob",
      "cloudsplaining:PassExistingRoleToNewSageMakerNotebookInstance",
      "cloudsplaining:PassExistingRoleToNewSageMakerTrainingJob",
      "cloudsplaining:PassExistingRoleToNewSageMakerProcessingJob",
      "pathfinding:sagemaker-001",
      "pathfinding:sagemaker-002",
      "pathfinding:sagemaker-003",
    ],
  },
  {
    id: "passrole-datapipeline",
    name: "Data Pipeline run with a passed role",
    impact: "pass a role to a Data Pipeline that runs commands",
    steps: [PASS, ["datapipeline:CreatePipeline"]],
    passedTo: ["datapipeline.amazonaws.com", "elasticmapreduce.amazonaws.com", "ec2.amazonaws.com"],
    sources: [
      "rhino:21",
      "pacu:PassExistingRoleToNewDataPipeline",
      "iam-vulnerable:privesc21-PassExistingRoleToNewDataPipeline",
      "cloudsplaining:PassExistingRoleToNewDataPipeline",
      "pathfinding:datapipeline-001",
    ],
  },
  {
    id: "passrole-apprunner",
    name: "App Runner service with a passed role",
    impact: "pass an instance role to a new or updated App Runner service that runs its image",
    steps: [PASS, ["apprunner:CreateService", "apprunner:UpdateService"]],
    passedTo: [
      "apprunner.amazonaws.com",
      "tasks.apprunner.amazonaws.com",
      "build.apprunner.amazonaws.com",
    ],
    sources: ["cloudsplaining:PassExistingRoleToNewAppRunnerService", "pathfinding:apprunner-001"],
  },
  {
    id: "passrole-bedrock-code-interpreter",
    name: "new Bedrock AgentCore code interpreter with a passed role",
    impact: "pass a role to a new AgentCore code interpreter and run code in it",
    steps: [
      PASS,
      ["bedrock-agentcore:CreateCodeInterpreter"],
      ["bedrock-agentcore:StartCodeInterpreterSession"],
      ["bedrock-agentcore:InvokeCodeInterpreter"],
    ],
    passedTo: ["bedrock-agentcore.amazonaws.com"],
    sources: [
      "cloudsplaining:PassExistingRoleToNewBedrockCodeInterpreter",
      "pathfinding:bedrock-001",
    ],
  },
  {
    id: "passrole-codestar",
    name: "CodeStar project with a passed role",
    impact: "pass a role to a new CodeStar project whose template creates anything",
    steps: [PASS, ["codestar:CreateProject"]],
    passedTo: ["codestar.amazonaws.com"],
    sources: ["pacu:PassExistingRoleToNewCodeStarProject", "rhino-part-2:CodeStarCreateProject"],
  },
  // Code run by an existing resource with its own role.
  {
    id: "update-function-code",
    name: "existing Lambda function's code replaced",
    impact: "replace the code of a Lambda function and run with its role",
    steps: [["lambda:UpdateFunctionCode"]],
    sources: [
      "rhino:17",
      "pacu:EditExistingLambdaFunctionWithRole",
      "iam-vulnerable:privesc17-EditExistingLambdaFunctionWithRole",
      "cloudsplaining:EditExistingLambdaFunctionWithRole",
      "cloudsplaining:UpdateAndInvokeLambdaFunction",
      "cloudsplaining:UpdateLambdaFunctionAndAddPermission",
      "pathfinding:lambda-003",
      "pathfinding:lambda-004",
      "pathfinding:lambda-005",
    ],
  },
  {
    id: "update-function-layer",
    name: "layer added to an existing Lambda function",
    impact: "add a layer that overrides an existing function's libraries and run with its role",
    // The layer may be published in any account that shares it (a layer version's resource
    // policy can admit every account), so publishing one here is not a step.
    steps: [["lambda:UpdateFunctionConfiguration"]],
    sources: [
      "rhino-part-2:LambdaUpdateFunctionConfiguration",
      "https://docs.aws.amazon.com/lambda/latest/dg/permissions-layer-cross-account.html",
    ],
  },
  {
    id: "update-dev-endpoint",
    name: "SSH key added to a Glue development endpoint",
    impact: "add an SSH key to a Glue development endpoint and use its role",
    steps: [["glue:UpdateDevEndpoint"]],
    sources: [
      "rhino:19",
      "pacu:UpdateExistingGlueDevEndpoint",
      "iam-vulnerable:privesc19-UpdateExistingGlueDevEndpoint",
      "cloudsplaining:UpdateExistingGlueDevEndpoint",
      "pathfinding:glue-002",
    ],
  },
  {
    id: "cloudformation-change-set",
    name: "change set run with an existing stack's role",
    impact: "run a change set with an existing stack's service role",
    steps: [["cloudformation:CreateChangeSet"], ["cloudformation:ExecuteChangeSet"]],
    sources: ["cloudsplaining:ExecuteCloudFormationChangeSet", "pathfinding:cloudformation-005"],
  },
  {
    id: "cloudformation-update-stack",
    name: "existing stack updated with its own role",
    impact: "update an existing stack's template, which runs with the stack's service role",
    steps: [["cloudformation:UpdateStack"]],
    sources: ["iam-vulnerable:privesc-cloudFormationUpdateStack"],
  },
  {
    id: "codebuild-start-build",
    name: "build of an existing CodeBuild project with an overridden buildspec",
    impact:
      "start a build of an existing project with its own buildspec and use the project's role",
    steps: [["codebuild:StartBuild", "codebuild:StartBuildBatch"]],
    // StartBuild's buildspecOverride replaces the project's build commands for one build.
    sources: ["https://docs.aws.amazon.com/codebuild/latest/APIReference/API_StartBuild.html"],
  },
  {
    id: "ec2-instance-connect",
    name: "EC2 Instance Connect onto a privileged instance",
    impact: "push an SSH key to an instance, log in and use its instance profile",
    steps: [
      [
        "ec2-instance-connect:SendSSHPublicKey",
        "ec2-instance-connect:SendSerialConsoleSSHPublicKey",
      ],
    ],
    sources: [
      "iam-vulnerable:privesc-ec2InstanceConnect",
      "cloudsplaining:EC2InstanceConnectSendSSHPublicKey",
      "pathfinding:ec2instanceconnect-003",
    ],
  },
  {
    id: "ec2-user-data",
    name: "instance user data replaced, then restarted",
    impact:
      "replace an instance's user data, restart it and run commands with its instance profile",
    steps: [["ec2:ModifyInstanceAttribute"], ["ec2:StopInstances"], ["ec2:StartInstances"]],
    sources: ["cloudsplaining:ModifyEC2InstanceUserDataThenRestart", "pathfinding:ec2-002"],
  },
  {
    id: "ec2-launch-template",
    name: "new default version of a launch template",
    impact: "publish a launch template version with its own user data that instances launch from",
    steps: [["ec2:CreateLaunchTemplateVersion"], ["ec2:ModifyLaunchTemplate"]],
    sources: ["cloudsplaining:ModifyExistingEC2LaunchTemplate", "pathfinding:ec2-004"],
  },
  {
    id: "ssm-send-command",
    name: "SSM command on a privileged instance",
    impact: "run commands on instances and use their roles",
    steps: [["ssm:SendCommand"]],
    sources: [
      "iam-vulnerable:privesc-ssmSendCommand",
      "https://docs.aws.amazon.com/systems-manager/latest/userguide/run-command.html",
    ],
  },
  {
    id: "ssm-start-session",
    name: "SSM session on a privileged instance",
    impact: "open a shell on instances and use their roles",
    steps: [["ssm:StartSession"]],
    sources: [
      "iam-vulnerable:privesc-ssmStartSession",
      "https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager.html",
    ],
  },
  {
    id: "ecs-execute-command",
    name: "ECS Exec into a privileged task",
    impact: "open a shell in a running ECS task and use its task role",
    steps: [["ecs:ExecuteCommand"]],
    sources: ["cloudsplaining:ECSExecuteCommandOnRunningTask", "pathfinding:ecs-006"],
  },
  {
    id: "sagemaker-presigned-notebook-url",
    name: "presigned URL to an existing SageMaker notebook",
    impact: "open an existing notebook instance and use its role",
    steps: [["sagemaker:CreatePresignedNotebookInstanceUrl"]],
    sources: [
      "rhino-part-2:SageMakerCreatePresignedNotebookInstanceUrl",
      "iam-vulnerable:privesc-sageMakerCreatePresignedNotebookURL",
      "cloudsplaining:CreatePresignedSageMakerNotebookUrl",
      "pathfinding:sagemaker-004",
    ],
  },
  {
    id: "sagemaker-notebook-lifecycle-config",
    name: "lifecycle configuration added to a SageMaker notebook",
    impact: "attach a lifecycle script to a notebook instance, restart it and run with its role",
    steps: [
      ["sagemaker:CreateNotebookInstanceLifecycleConfig"],
      ["sagemaker:StopNotebookInstance"],
      ["sagemaker:UpdateNotebookInstance"],
      ["sagemaker:StartNotebookInstance"],
    ],
    sources: ["cloudsplaining:UpdateSageMakerNotebookLifecycleConfig", "pathfinding:sagemaker-005"],
  },
  {
    id: "bedrock-code-interpreter-session",
    name: "session in an existing Bedrock AgentCore code interpreter",
    impact: "run code in an existing AgentCore code interpreter and use its role",
    steps: [
      ["bedrock-agentcore:StartCodeInterpreterSession"],
      ["bedrock-agentcore:InvokeCodeInterpreter"],
    ],
    sources: [
      "cloudsplaining:AccessExistingBedrockCodeInterpreterSession",
      "pathfinding:bedrock-002",
    ],
  },
  {
    id: "codestar-associate-team-member",
    name: "CodeStar project owner added",
    impact: "create a CodeStar project and make itself its owner, with the project's IAM policies",
    steps: [["codestar:CreateProject"], ["codestar:AssociateTeamMember"]],
    sources: [
      "pacu:CodeStarCreateProjectThenAssociateTeamMember",
      "rhino-part-2:CodeStarAssociateTeamMember",
    ],
  },
];
