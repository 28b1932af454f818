// What starts a pipeline whose source is CodeCommit. V2 pipeline triggers accept only the
// CodeStarSourceConnection provider, and the CodeCommit source action is configured with
// PollForSourceChanges "false", so without this nothing would ever start the pipeline: an
// EventBridge rule on the repository's "CodeCommit Repository State Change" events for the
// pipeline's branch, whose target is the pipeline, started through a role that may start only
// that pipeline and that only EventBridge, for only this rule, may assume. CodeCommit is closed
// to new AWS customers; the blueprint supports it as an option for those who still have it.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
  codeCommitRepositoryArn,
  eventRuleTrust,
  startPipelinePolicy,
  ToolsScope,
} from "../../model/iam/tools";
import { DutyRole } from "./duty-role";

/**
 * Names of the rule and its role: `<prefix>-<app>-source`. The suffix is no longer than
 * `-pipeline` (the pipeline role, checked against IAM's 64) nor `-failed` (the failed-executions
 * rule, checked against EventBridge's 64), so the names fit whenever the validated ones do.
 */
export function codeCommitTriggerNames(prefix: string, application: string) {
  return { rule: `${prefix}-${application}-source`, role: `${prefix}-${application}-source` };
}

/** The event pattern of pushes (branch created or updated) to one branch of one repository. */
export function codeCommitEventPattern(repositoryArn: string, branch: string) {
  return {
    source: ["aws.codecommit"],
    "detail-type": ["CodeCommit Repository State Change"],
    resources: [repositoryArn],
    detail: {
      event: ["referenceCreated", "referenceUpdated"],
      referenceType: ["branch"],
      referenceName: [branch],
    },
  };
}

export interface CodeCommitTriggerArgs {
  /** The organization facts every tools document needs. */
  readonly scope: ToolsScope;
  /** Region of the pipeline and the repository (the provider passed in opts must be of it). */
  readonly region: string;
  /** Application name. */
  readonly application: string;
  /** CodeCommit repository name (in the tools account and region). */
  readonly repository: string;
  /** Branch whose pushes start the pipeline. */
  readonly branch: string;
  /** Name of the pipeline to start. */
  readonly pipelineName: string;
  /** ARN of the pipeline to start (the target waits for the pipeline through it). */
  readonly pipelineArn: pulumi.Input<string>;
}

/** An EventBridge rule and role that start one pipeline on pushes to its CodeCommit branch. */
export class CodeCommitTrigger extends pulumi.ComponentResource {
  /** The rule's name. */
  readonly ruleName: pulumi.Output<string>;

  constructor(name: string, args: CodeCommitTriggerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:tools:CodeCommitTrigger", name, {}, opts);
    const { partition, toolsAccount, prefix } = args.scope;
    const names = codeCommitTriggerNames(prefix, args.application);
    const ruleArn = `arn:${partition}:events:${args.region}:${toolsAccount}:rule/${names.rule}`;
    const pipelineArn = `arn:${partition}:codepipeline:${args.region}:${toolsAccount}:${args.pipelineName}`;
    const repositoryArn = codeCommitRepositoryArn(
      partition,
      args.region,
      toolsAccount,
      args.repository,
    );
    const role = new DutyRole(
      `${name}-role`,
      {
        roleName: names.role,
        description: `Lets EventBridge start the ${args.application} pipeline on pushes to ${args.branch}`,
        trust: eventRuleTrust(args.scope, ruleArn),
        policy: startPipelinePolicy(pipelineArn),
      },
      { parent: this },
    );
    const rule = new aws.cloudwatch.EventRule(
      name,
      {
        name: names.rule,
        description: `Pushes to ${args.repository}:${args.branch} start the ${args.application} pipeline`,
        eventPattern: JSON.stringify(codeCommitEventPattern(repositoryArn, args.branch)),
      },
      { parent: this },
    );
    new aws.cloudwatch.EventTarget(
      `${name}-pipeline`,
      { rule: rule.name, arn: args.pipelineArn, roleArn: role.arn },
      { parent: this, dependsOn: [role.policy] },
    );
    this.ruleName = rule.name;
    this.registerOutputs({ ruleName: this.ruleName });
  }
}
