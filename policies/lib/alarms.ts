// Which CloudWatch alarm watches which resource: a metric alarm on a namespace and metric whose
// dimension (or a metric-math query's dimension) refers to the resource.
import { T } from "./resources";
import { ofType, refersTo, valueRefersTo, identifiersOf, type StackResource } from "./stack";
import { elementsOf, keysOf, knownString, read, walkStrings } from "./unknowns";

/** How an alarm reads `namespace`/`metricName` with `dimension`: directly, in a query, or not. */
function metricUse(
  alarm: StackResource,
  namespace: string,
  metricName: string,
  dimension: string,
): { direct: boolean; query: boolean } {
  const direct =
    knownString(alarm.props, "namespace") === namespace &&
    knownString(alarm.props, "metricName") === metricName &&
    keysOf(read(alarm.props, "dimensions")).includes(dimension);
  const query = elementsOf(read(alarm.props, "metricQueries")).some((q) => {
    const metric = read(q, "metric");
    return (
      knownString(metric, "namespace") === namespace &&
      knownString(metric, "metricName") === metricName &&
      keysOf(read(metric, "dimensions")).includes(dimension)
    );
  });
  return { direct, query };
}

/** True when an alarm that reads the metric (see metricUse) has `target` as its dimension. */
function watchesTarget(
  alarm: StackResource,
  use: { direct: boolean; query: boolean },
  target: StackResource,
  dimension: string,
): boolean {
  if (
    use.direct &&
    (refersTo(alarm, "dimensions", target) ||
      valueRefersTo(read(alarm.props, "dimensions", dimension), identifiersOf(target)))
  )
    return true;
  return use.query && refersTo(alarm, "metricQueries", target);
}

/** True when `alarm` is a metric alarm on `namespace`/`metricName` whose `dimension` is `target`. */
export function alarmWatches(
  alarm: StackResource,
  target: StackResource,
  namespace: string,
  metricName: string,
  dimension: string,
): boolean {
  return watchesTarget(
    alarm,
    metricUse(alarm, namespace, metricName, dimension),
    target,
    dimension,
  );
}

/**
 * Resources of `type` that no metric alarm watches with the given metric. Each alarm's metric is
 * read once, so only the alarms on that metric are matched against each resource.
 */
export function unwatched(
  resources: readonly StackResource[],
  type: string,
  namespace: string,
  metricName: string,
  dimension: string,
): StackResource[] {
  const candidates = ofType(resources, T.metricAlarm)
    .map((alarm) => ({ alarm, use: metricUse(alarm, namespace, metricName, dimension) }))
    .filter((c) => c.use.direct || c.use.query);
  // An index of what the candidates certainly refer to (linked URNs, exact known names), so a
  // watched resource is found without pairing it with every alarm; only resources the index
  // does not vouch for are checked against each candidate.
  const linkedUrns = new Set<string>();
  const knownNames = new Set<string>();
  for (const { alarm, use } of candidates) {
    const byProperty = alarm.propertyDependencies ?? {};
    const properties = [
      ...(use.direct ? ["dimensions"] : []),
      ...(use.query ? ["metricQueries"] : []),
    ];
    const links =
      keysOf(byProperty).length === 0
        ? (alarm.dependencies ?? [])
        : properties.flatMap((p) => byProperty[p] ?? []);
    for (const link of Array.isArray(links) ? links : []) linkedUrns.add(link.urn);
    for (const p of properties) walkStrings(read(alarm.props, p), (text) => knownNames.add(text));
  }
  const vouched = (r: StackResource) =>
    linkedUrns.has(r.urn) || identifiersOf(r).some((id) => knownNames.has(id));
  return ofType(resources, type).filter(
    (r) => !vouched(r) && !candidates.some((c) => watchesTarget(c.alarm, c.use, r, dimension)),
  );
}
