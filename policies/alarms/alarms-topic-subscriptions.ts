// An SNS topic that receives alarm actions but has no subscriber delivers alarms to nobody.
import { configSchema, type BaseConfig } from "../lib/config";
import { stackPolicy, type StackFinding } from "../lib/policy";
import { T } from "../lib/resources";
import { ofType, referrersOf, type StackResource } from "../lib/stack";

const ACTION_PROPERTIES = ["alarmActions", "okActions", "insufficientDataActions"];

/** One finding per topic that alarms send to and that has no subscription. */
export function findAlarmTopicsWithoutSubscribers(
  resources: readonly StackResource[],
): StackFinding[] {
  const alarms = ofType(resources, T.metricAlarm, T.compositeAlarm);
  const topics = ofType(resources, T.snsTopic);
  const alarmed = ACTION_PROPERTIES.map((p) => referrersOf(topics, alarms, p));
  const subscriptionsOf = referrersOf(topics, ofType(resources, T.snsTopicSubscription), "topic");
  return topics
    .filter((topic) => alarmed.some((byTopic) => byTopic.get(topic)!.length > 0))
    .filter((topic) => subscriptionsOf.get(topic)!.length === 0)
    .map((topic) => ({
      resource: topic,
      message: `SNS topic "${topic.name}" receives alarm actions but has no subscription.`,
    }));
}

export const alarmsTopicSubscriptions = stackPolicy<BaseConfig>({
  name: "alarms-topic-subscriptions",
  family: "alarms",
  description:
    "Flags SNS topics that CloudWatch alarms send actions to (alarmActions, okActions, insufficientDataActions) but that have no aws.sns.TopicSubscription.",
  severity: "medium",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Add an aws.sns.TopicSubscription to the topic (email, HTTPS or a chat integration); the blueprint takes subscribers from the notifications section of the config.",
  configSchema: configSchema(),
  check: (resources) => findAlarmTopicsWithoutSubscribers(resources),
});
