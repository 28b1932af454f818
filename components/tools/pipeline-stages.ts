// The stages and actions of one application's CodePipeline V2 pipeline, declared from the
// engine-neutral pipeline model (model/pipeline.ts): CodeBuild actions, approvals, CloudFormation
// change sets, CodeDeploy deployments (CodeDeployToECS, CodeDeploy, or a CodeBuild action for
// Lambda), the alarm gates that run before and after a deploy, and rollback.
// https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-ECSbluegreen.html
// https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-CodeDeploy.html
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ActionModel, PipelineModel, StageModel } from "../../model/pipeline";
import { applicationNames, environmentNames, roleArn, stackNameFor } from "../../model/naming";
import { Application, isCodeDeploy } from "../../model/config/schema";
import { TEMPLATE_ARTIFACT } from "./build-variables";

/** What the stage declarations read of the pipeline's arguments (ApplicationPipelineArgs). */
export interface StageArgs {
  readonly application: Application;
  readonly model: PipelineModel;
  readonly prefix: string;
  readonly partition: string;
  /** Source connection ARN; undefined for CodeCommit. */
  readonly connectionArn?: pulumi.Input<string>;
  /** Topic the manual approvals notify. */
  readonly approvalTopicArn: pulumi.Input<string>;
}

/** Where a pipeline's build action differs: the pull-request pipeline's. */
export interface BuildActionOptions {
  /** The build action's project. Default: the application's build project. */
  readonly project?: string;
  /**
   * Whether the build hands on output artifacts. Default: true. A pull request's build hands on
   * none: its role may write no pipeline artifact, so code under review cannot replace one.
   */
  readonly outputs?: boolean;
}

/** One stage of the pipeline, with its actions and what a failure does. */
export function stageDeclaration(
  owner: pulumi.Resource,
  stage: StageModel,
  args: StageArgs,
  n: ReturnType<typeof applicationNames>,
  checkProjects: ReadonlyMap<string, string>,
  build: BuildActionOptions = {},
): aws.types.input.codepipeline.PipelineStage {
  const actions = stage.actions.map((a) =>
    actionDeclaration(owner, a, stage, args, n, checkProjects, build),
  );
  return {
    name: stage.name,
    actions,
    ...(stage.onFailure ? { onFailure: { result: stage.onFailure } } : {}),
  };
}

function actionDeclaration(
  owner: pulumi.Resource,
  a: ActionModel,
  stage: StageModel,
  args: StageArgs,
  n: ReturnType<typeof applicationNames>,
  checkProjects: ReadonlyMap<string, string>,
  build: BuildActionOptions,
): aws.types.input.codepipeline.PipelineStageAction {
  const app = args.application;
  const env = stage.environment ?? "";
  const envNames = environmentNames(args.prefix, env);
  const codebuild = (
    category: string,
    projectName: string,
    inputs: string[],
    outputs: string[],
    vars: Record<string, string> = {},
  ) => ({
    name: a.name,
    category,
    owner: "AWS",
    provider: "CodeBuild",
    version: "1",
    runOrder: a.runOrder,
    inputArtifacts: inputs,
    ...(outputs.length > 0 ? { outputArtifacts: outputs } : {}),
    configuration: {
      ProjectName: projectName,
      ...(Object.keys(vars).length > 0
        ? {
            EnvironmentVariables: JSON.stringify(
              Object.entries(vars).map(([name, value]) => ({ name, value, type: "PLAINTEXT" })),
            ),
          }
        : {}),
    },
  });
  switch (a.kind) {
    case "source":
      if (app.source.provider === "codecommit")
        return {
          name: a.name,
          category: "Source",
          owner: "AWS",
          provider: "CodeCommit",
          version: "1",
          runOrder: a.runOrder,
          outputArtifacts: ["source"],
          configuration: {
            RepositoryName: app.source.repository,
            BranchName: app.source.branch,
            PollForSourceChanges: "false",
          },
        };
      return {
        name: a.name,
        category: "Source",
        owner: "AWS",
        provider: "CodeStarSourceConnection",
        version: "1",
        runOrder: a.runOrder,
        outputArtifacts: ["source"],
        configuration: {
          ConnectionArn: args.connectionArn as pulumi.Input<string>,
          FullRepositoryId: app.source.repository,
          BranchName: app.source.branch,
          OutputArtifactFormat: "CODE_ZIP",
          DetectChanges: "true",
        },
      };
    case "build":
      return codebuild(
        "Build",
        build.project ?? n.buildProject,
        ["source"],
        build.outputs === false
          ? []
          : app.deploy.mechanism === "cloudformation"
            ? ["build", TEMPLATE_ARTIFACT]
            : ["build"],
      );
    case "check":
      return codebuild("Test", checkProjects.get(a.check?.name ?? "") ?? "", ["source"], []);
    case "approval":
      return {
        name: a.name,
        category: "Approval",
        owner: "AWS",
        provider: "Manual",
        version: "1",
        runOrder: a.runOrder,
        configuration: {
          NotificationArn: args.approvalTopicArn,
          CustomData: `Approve deploying ${app.name} to ${env}. Check the ${stage.environment} plan in the previous stages before approving.`,
        },
      };
    case "alarm-gate": {
      const gate = a.gate;
      if (!gate) throw new pulumi.ResourceError(`alarm gate action ${a.name} has no gate`, owner);
      // The gate finds the accounts of GATE_STAGES in the pipeline's own definition: a list of
      // targets would outgrow the 1,000 characters of an action configuration value
      // (https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_ActionConfiguration.html).
      return codebuild(
        "Test",
        environmentNames(args.prefix, gate.environment).alarmGateProject,
        ["build"],
        [],
        {
          GATE_PHASE: gate.phase,
          GATE_MINUTES: String(gate.minutes),
          GATE_STAGES: gate.stages.join(","),
        },
      );
    }
    case "test":
      return codebuild("Test", n.testProject, ["build"], [], {
        TARGET_ENV: env,
        ...(a.check ? { CHECK_NAME: a.check.name } : {}),
        ...(a.check?.commands ? { CHECK_COMMANDS: a.check.commands.join("\n") } : {}),
      });
    case "deploy": {
      const t = a.target;
      if (!t) throw new pulumi.ResourceError(`deploy action ${a.name} has no target`, owner);
      if (app.deploy.mechanism !== "pulumi")
        throw new pulumi.ResourceError(`deploy action ${a.name} needs the pulumi mechanism`, owner);
      const targets = stageTargets(args.model, env);
      return codebuild("Build", n.deployProject(env), ["build"], [], {
        STACK_NAME: stackNameFor(app.deploy.stackName, env, t, targets),
        DEPLOY_ROLE_ARN: roleArn(args.partition, t.account, envNames.workloadDeployRole),
        TARGET_ACCOUNT: t.account,
        TARGET_REGION: t.region,
      });
    }
    case "codedeploy": {
      const t = a.target;
      const d = app.deploy;
      if (!t || !isCodeDeploy(d))
        throw new pulumi.ResourceError(`action ${a.name} needs a CodeDeploy target`, owner);
      const names = {
        ApplicationName: n.codeDeployApplication,
        DeploymentGroupName: n.deploymentGroup(env),
      };
      const actionRole = roleArn(args.partition, t.account, n.codeDeployActionRole(env));
      if (d.mechanism === "codedeploy-lambda")
        // No CodePipeline action deploys Lambda through CodeDeploy (the CodeDeploy action deploys
        // to EC2 and on-premises fleets): the application's deploy project publishes a version and
        // creates the deployment with the action role, then waits for its result.
        return codebuild("Build", n.deployProject(env), ["build"], [], {
          CODEDEPLOY_ROLE_ARN: actionRole,
          TARGET_ACCOUNT: t.account,
          TARGET_REGION: t.region,
          CODEDEPLOY_APPLICATION: names.ApplicationName,
          DEPLOYMENT_GROUP: names.DeploymentGroupName,
        });
      return {
        name: a.name,
        category: "Deploy",
        owner: "AWS",
        provider: d.mechanism === "codedeploy-ecs" ? "CodeDeployToECS" : "CodeDeploy",
        version: "1",
        runOrder: a.runOrder,
        region: t.region,
        // Assumed by this application's pipeline role in the target account (and by no other).
        roleArn: actionRole,
        inputArtifacts: ["build"],
        configuration:
          d.mechanism === "codedeploy-ecs"
            ? {
                ...names,
                TaskDefinitionTemplateArtifact: "build",
                TaskDefinitionTemplatePath: d.taskDefinitionPath,
                AppSpecTemplateArtifact: "build",
                AppSpecTemplatePath: d.appSpecPath,
              }
            : names,
      };
    }
    case "preview": {
      // A pull request's preview (pull-request-pipeline.ts): it runs in the tools account as the
      // pull-request build role and assumes the application's read-only preview role of the
      // target, never a deploy role.
      const t = a.target;
      const d = app.deploy;
      if (!t || (d.mechanism !== "pulumi" && d.mechanism !== "cloudformation"))
        throw new pulumi.ResourceError(
          `preview action ${a.name} needs a pulumi or cloudformation target`,
          owner,
        );
      const stackName =
        d.mechanism === "pulumi"
          ? stackNameFor(d.stackName, env, t, stageTargets(args.model, env))
          : stackNameFor(d.stackName ?? `${app.name}-{env}`, env, t, 1);
      return codebuild(
        "Test",
        n.prPreviewProject(env),
        // The source: a pull request's preview builds what it previews itself.
        ["source"],
        [],
        {
          STACK_NAME: stackName,
          PREVIEW_ROLE_ARN: roleArn(args.partition, t.account, n.previewRole(env)),
          // PREVIEW_*, not TARGET_*: the plan and the alarm gates read TARGET_ACCOUNT as a
          // deployment's target, and a preview deploys nothing.
          PREVIEW_ACCOUNT: t.account,
          PREVIEW_REGION: t.region,
        },
      );
    }
    case "change-set":
    case "execute-change-set": {
      const t = a.target;
      if (!t || app.deploy.mechanism !== "cloudformation")
        throw new pulumi.ResourceError(`action ${a.name} needs a cloudformation target`, owner);
      const stackName = stackNameFor(app.deploy.stackName ?? `${app.name}-{env}`, env, t, 1);
      return {
        name: a.name,
        category: "Deploy",
        owner: "AWS",
        provider: "CloudFormation",
        version: "1",
        runOrder: a.runOrder,
        region: t.region,
        // Assumed by the pipeline role in the target account; it passes the cfn-exec role.
        roleArn: roleArn(args.partition, t.account, envNames.cfnActionRole),
        // The template artifact only: never the whole workspace.
        ...(a.kind === "change-set" ? { inputArtifacts: [TEMPLATE_ARTIFACT] } : {}),
        configuration:
          a.kind === "change-set"
            ? {
                ActionMode: "CHANGE_SET_REPLACE",
                StackName: stackName,
                ChangeSetName: "pipeline",
                TemplatePath: `${TEMPLATE_ARTIFACT}::${app.deploy.templatePath}`,
                RoleArn: roleArn(args.partition, t.account, envNames.cfnExecutionRole),
                Capabilities: "CAPABILITY_IAM,CAPABILITY_NAMED_IAM,CAPABILITY_AUTO_EXPAND",
              }
            : {
                ActionMode: "CHANGE_SET_EXECUTE",
                StackName: stackName,
                ChangeSetName: "pipeline",
              },
      };
    }
  }
}

/** How many targets an environment's deploy stages hold together. */
function stageTargets(model: PipelineModel, env: string): number {
  const targets = new Set<string>();
  for (const s of model.stages)
    if (s.kind === "deploy" && s.environment === env)
      for (const a of s.actions)
        if (a.target) targets.add(`${a.target.account}/${a.target.region}`);
  return targets.size;
}
