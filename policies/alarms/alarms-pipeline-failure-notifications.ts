// A pipeline that fails silently blocks every release behind it until someone happens to look.
// Every pipeline needs a failure notification: a CodeStar Notifications rule on the pipeline with
// the execution-failed event, or an EventBridge rule on it that has a target.
import { configSchema, type BaseConfig } from "../lib/config";
import { stackPolicy, type StackFinding } from "../lib/policy";
import { T } from "../lib/resources";
import { ofType, refersTo, type StackResource } from "../lib/stack";
import { elementsOf, isUnknown, knownString, read } from "../lib/unknowns";

export const PIPELINE_FAILED_EVENT = "codepipeline-pipeline-pipeline-execution-failed";

function notifiesFailure(rule: StackResource, pipeline: StackResource): boolean {
  if (knownString(rule.props, "status") === "DISABLED") return false;
  if (!refersTo(rule, "resource", pipeline)) return false;
  const events = read(rule.props, "eventTypeIds");
  if (isUnknown(events)) return true;
  return elementsOf(events).some((e) => isUnknown(e) || e === PIPELINE_FAILED_EVENT);
}

function eventRuleWithTarget(
  rule: StackResource,
  pipeline: StackResource,
  targets: readonly StackResource[],
): boolean {
  const disabled =
    knownString(rule.props, "state") === "DISABLED" || read(rule.props, "isEnabled") === false;
  if (disabled || !refersTo(rule, "eventPattern", pipeline)) return false;
  return targets.some((t) => refersTo(t, "rule", rule));
}

/** One finding per pipeline without a failure notification. */
export function findPipelinesWithoutFailureNotifications(
  resources: readonly StackResource[],
): StackFinding[] {
  const rules = ofType(resources, T.notificationRule);
  const eventRules = ofType(resources, T.eventRule);
  const targets = ofType(resources, T.eventTarget);
  return ofType(resources, T.pipeline)
    .filter(
      (p) =>
        !rules.some((r) => notifiesFailure(r, p)) &&
        !eventRules.some((r) => eventRuleWithTarget(r, p, targets)),
    )
    .map((p) => ({
      resource: p,
      message: `Pipeline "${p.name}" has no failure notification: no enabled notification rule on it with ${PIPELINE_FAILED_EVENT}, and no EventBridge rule on it with a target.`,
    }));
}

export const alarmsPipelineFailureNotifications = stackPolicy<BaseConfig>({
  name: "alarms-pipeline-failure-notifications",
  family: "alarms",
  description: `Flags CodePipeline pipelines with no failure notification: neither a CodeStar Notifications rule whose resource is the pipeline and whose eventTypeIds include ${PIPELINE_FAILED_EVENT}, nor an EventBridge rule whose event pattern refers to the pipeline and that has a target. Links are found through dependencies, then known names and ARNs.`,
  severity: "high",
  enforcementLevel: "mandatory",
  remediationSteps: `Add an aws.codestarnotifications.NotificationRule with resource: pipeline.arn, eventTypeIds including "${PIPELINE_FAILED_EVENT}" and the platform notifications topic as target (the blueprint's monitoring component does this).`,
  configSchema: configSchema(),
  check: (resources) => findPipelinesWithoutFailureNotifications(resources),
});
