// One environment's alarm gate in the tools account: a CodeBuild project that the pipelines run
// before and after they deploy to the environment, and the role it runs as. The project reads the
// deployment-health alarm of every account the named deploy stages reach, through each account's
// alarm-reader role, and fails when one is in ALARM (buildspecs/alarm-gate.yml). A CodePipeline
// `CloudWatchAlarm` stage rule reads one alarm by name, and no AWS page says its roleArn may read
// an alarm in another account
// (https://docs.aws.amazon.com/codepipeline/latest/userguide/rule-reference-CloudWatchAlarm.html),
// so the blueprint's gates do not rest on it.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
  alarmGateRolePolicy,
  ArtifactAccess,
  serviceTrust,
  ToolsScope,
} from "../../model/iam/tools";
import { environmentNames } from "../../model/naming";
import { MAX_BAKE_MINUTES_PER_ACTION } from "../../model/pipeline";
import { DEFAULT_IMAGE, readBuildspec } from "./build-variables";
import { DutyRole } from "./duty-role";
import { anyOccurrenceAlarm } from "./pipeline-monitoring";

export interface AlarmGateArgs {
  readonly scope: ToolsScope;
  /** The environment whose alarms the gate reads. */
  readonly environment: string;
  /** The tools account's home region (the pipelines' region). */
  readonly region: string;
  /** The artifact stores (CodeBuild downloads the action's input artifact). */
  readonly artifacts: pulumi.Input<ArtifactAccess>;
  /** Key that encrypts the project's build output. */
  readonly encryptionKey: pulumi.Input<string>;
  /** Topic a failed gate notifies (a gate that saw an alarm stopped a deployment). */
  readonly topicArn: pulumi.Input<string>;
}

/** The alarm gate project of one environment, and its role. */
export class AlarmGate extends pulumi.ComponentResource {
  /** The project name (what gate actions run). */
  readonly projectName: pulumi.Output<string>;
  readonly project: aws.codebuild.Project;
  /** The role's inline policy: actions wait for it. */
  readonly policy: aws.iam.RolePolicy;

  constructor(name: string, args: AlarmGateArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:tools:AlarmGate", name, {}, opts);
    const { scope, environment } = args;
    const n = environmentNames(scope.prefix, environment);
    const role = new DutyRole(
      `${name}-role`,
      {
        roleName: n.alarmGateRole,
        description: `Reads the ${environment} deployment-health alarms through the ${environment} alarm readers`,
        trust: serviceTrust(scope, "codebuild.amazonaws.com"),
        policy: pulumi
          .output(args.artifacts)
          .apply((artifacts) =>
            alarmGateRolePolicy(scope, { region: args.region, environment, artifacts }),
          ),
      },
      { parent: this },
    );
    this.policy = role.policy;
    this.project = new aws.codebuild.Project(
      name,
      {
        name: n.alarmGateProject,
        description: `Fails when a ${environment} deployment-health alarm is in ALARM (before a deploy, and while it bakes)`,
        serviceRole: role.arn,
        source: { type: "CODEPIPELINE", buildspec: readBuildspec("alarm-gate.yml") },
        artifacts: { type: "CODEPIPELINE" },
        encryptionKey: args.encryptionKey,
        // A bake action watches at most MAX_BAKE_MINUTES_PER_ACTION; the rest is reading alarms.
        buildTimeout: MAX_BAKE_MINUTES_PER_ACTION + 10,
        environment: {
          type: "LINUX_CONTAINER",
          image: DEFAULT_IMAGE,
          computeType: "BUILD_GENERAL1_SMALL",
          privilegedMode: false,
          environmentVariables: [
            { name: "ALARM_NAME", value: n.deploymentHealthAlarm, type: "PLAINTEXT" },
            { name: "READER_ROLE_NAME", value: n.alarmReaderRole, type: "PLAINTEXT" },
            { name: "AWS_PARTITION", value: scope.partition, type: "PLAINTEXT" },
          ],
        },
      },
      { parent: this, dependsOn: [role.policy] },
    );
    new aws.cloudwatch.MetricAlarm(
      `${name}-failed-builds`,
      {
        name: `${n.alarmGateProject}-failed-builds`,
        alarmDescription: `The ${environment} alarm gate stopped a deployment (an alarm fired, or an account could not be read)`,
        namespace: "AWS/CodeBuild",
        metricName: "FailedBuilds",
        dimensions: { ProjectName: this.project.name },
        ...anyOccurrenceAlarm([args.topicArn]),
      },
      { parent: this },
    );
    this.projectName = this.project.name;
    this.registerOutputs({ projectName: this.projectName });
  }
}
