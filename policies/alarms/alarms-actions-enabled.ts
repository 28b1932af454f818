// An alarm without actions (or with actions disabled) changes state and tells no one.
import { configSchema, type BaseConfig } from "../lib/config";
import { stackPolicy, type StackFinding } from "../lib/policy";
import { T } from "../lib/resources";
import { ofType, type StackResource } from "../lib/stack";
import { elementsOf, isUnknown, read } from "../lib/unknowns";

/** One finding per metric or composite alarm whose actions are disabled or empty (when known). */
export function findAlarmsWithoutActions(resources: readonly StackResource[]): StackFinding[] {
  const findings: StackFinding[] = [];
  for (const alarm of ofType(resources, T.metricAlarm, T.compositeAlarm)) {
    const kind = alarm.type === T.metricAlarm ? "Metric alarm" : "Composite alarm";
    if (read(alarm.props, "actionsEnabled") === false) {
      findings.push({
        resource: alarm,
        message: `${kind} "${alarm.name}" has actionsEnabled set to false.`,
      });
      continue;
    }
    const actions = read(alarm.props, "alarmActions");
    if (isUnknown(actions)) continue;
    if (elementsOf(actions).length === 0) {
      findings.push({ resource: alarm, message: `${kind} "${alarm.name}" has no alarmActions.` });
    }
  }
  return findings;
}

export const alarmsActionsEnabled = stackPolicy<BaseConfig>({
  name: "alarms-actions-enabled",
  family: "alarms",
  description:
    "Flags CloudWatch metric and composite alarms whose actionsEnabled is false or whose alarmActions list is empty. Alarms that only gate pipeline stages can be exempted with a reason.",
  severity: "medium",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Set alarmActions to the environment's alarm topic (an SNS topic with subscribers) and leave actionsEnabled at its default (true).",
  configSchema: configSchema(),
  check: (resources) => findAlarmsWithoutActions(resources),
});
