// A pipeline that fails silently blocks every release behind it until someone happens to look.
// Every pipeline needs a failure notification: a CodeStar Notifications rule on the pipeline with
// the execution-failed event, or an EventBridge rule on it that has a target.
import { configSchema, type BaseConfig } from "../lib/config";
import { stackPolicy, type StackFinding } from "../lib/policy";
import { T } from "../lib/resources";
import { ofType, referrersOf, type StackResource } from "../lib/stack";
import { elementsOf, isUnknown, knownString, read } from "../lib/unknowns";

export const PIPELINE_FAILED_EVENT = "codepipeline-pipeline-pipeline-execution-failed";

/** An enabled notification rule whose events include a failed execution (or are unknown yet). */
function notifiesFailure(rule: StackResource): boolean {
  if (knownString(rule.props, "status") === "DISABLED") return false;
  const events = read(rule.props, "eventTypeIds");
  if (isUnknown(events)) return true;
  return elementsOf(events).some((e) => isUnknown(e) || e === PIPELINE_FAILED_EVENT);
}

function enabled(rule: StackResource): boolean {
  return !(
    knownString(rule.props, "state") === "DISABLED" || read(rule.props, "isEnabled") === false
  );
}

/** One finding per pipeline without a failure notification. */
export function findPipelinesWithoutFailureNotifications(
  resources: readonly StackResource[],
): StackFinding[] {
  const pipelines = ofType(resources, T.pipeline);
  const eventRules = ofType(resources, T.eventRule);
  const targetsOf = referrersOf(eventRules, ofType(resources, T.eventTarget), "rule");
  const notifying = ofType(resources, T.notificationRule).filter(notifiesFailure);
  const targeted = eventRules.filter((r) => enabled(r) && targetsOf.get(r)!.length > 0);
  const notified = [
    referrersOf(pipelines, notifying, "resource"),
    referrersOf(pipelines, targeted, "eventPattern"),
  ];
  return pipelines
    .filter((p) => notified.every((byPipeline) => byPipeline.get(p)!.length === 0))
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
