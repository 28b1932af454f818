// Which CloudWatch alarm watches which resource: a metric alarm on a namespace and metric whose
// dimension (or a metric-math query's dimension) refers to the resource.
import { T } from "./resources";
import { ofType, refersTo, valueRefersTo, identifiersOf, type StackResource } from "./stack";
import { elementsOf, keysOf, knownString, read } from "./unknowns";

/** True when `alarm` is a metric alarm on `namespace`/`metricName` whose `dimension` is `target`. */
export function alarmWatches(
  alarm: StackResource,
  target: StackResource,
  namespace: string,
  metricName: string,
  dimension: string,
): boolean {
  const direct =
    knownString(alarm.props, "namespace") === namespace &&
    knownString(alarm.props, "metricName") === metricName &&
    keysOf(read(alarm.props, "dimensions")).includes(dimension) &&
    (refersTo(alarm, "dimensions", target) ||
      valueRefersTo(read(alarm.props, "dimensions", dimension), identifiersOf(target)));
  if (direct) return true;
  return elementsOf(read(alarm.props, "metricQueries")).some((q) => {
    const metric = read(q, "metric");
    return (
      knownString(metric, "namespace") === namespace &&
      knownString(metric, "metricName") === metricName &&
      keysOf(read(metric, "dimensions")).includes(dimension) &&
      refersTo(alarm, "metricQueries", target)
    );
  });
}

/** Resources of `type` that no metric alarm watches with the given metric. */
export function unwatched(
  resources: readonly StackResource[],
  type: string,
  namespace: string,
  metricName: string,
  dimension: string,
): StackResource[] {
  const alarms = ofType(resources, T.metricAlarm);
  return ofType(resources, type).filter(
    (r) => !alarms.some((a) => alarmWatches(a, r, namespace, metricName, dimension)),
  );
}
