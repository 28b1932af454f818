// Notification subscribers: each endpoint matches its protocol, at every level that lists
// subscribers (organization, environment, application).
import { describeValue } from "../../policies/lib/display";
import { field, list, str } from "./raw-readers";

/** A raw value as a message shows it (quoted only when short and plainly not a secret). */
const q = (value: unknown): string => describeValue(value, "'");

/** Checks a subscriber endpoint against its protocol; undefined when it is usable. */
export function subscriberProblem(
  protocol: string | undefined,
  endpoint: string | undefined,
): string | undefined {
  if (!protocol || !endpoint) return undefined;
  switch (protocol) {
    case "email":
      return /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(endpoint)
        ? undefined
        : `${q(endpoint)} is not an email address`;
    case "https":
      return /^https:\/\/[^\s]+$/.test(endpoint)
        ? undefined
        : `${q(endpoint)} is not an https:// URL`;
    case "sqs":
      return /^arn:aws[a-z-]*:sqs:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]+(\.fifo)?$/.test(endpoint)
        ? undefined
        : `${q(endpoint)} is not an SQS queue ARN`;
    case "lambda":
      return /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9_$-]+)?$/.test(
        endpoint,
      )
        ? undefined
        : `${q(endpoint)} is not a Lambda function ARN`;
    default:
      return undefined;
  }
}

/** Subscribers: endpoints that match their protocol. */
export function subscriberEndpointProblems(
  root: string,
  raw: unknown,
  envs: unknown[],
  apps: unknown[],
  add: (path: string, message: string) => void,
) {
  const subscriberLists: [string, unknown][] = [
    [`${root}.notifications.subscribers`, field(field(raw, "notifications"), "subscribers")],
  ];
  envs.forEach((e, i) =>
    subscriberLists.push([
      `${root}.environments[${i}].notifications.subscribers`,
      field(field(e, "notifications"), "subscribers"),
    ]),
  );
  apps.forEach((p, i) =>
    subscriberLists.push([
      `${root}.applications[${i}].notifications.subscribers`,
      field(field(p, "notifications"), "subscribers"),
    ]),
  );
  for (const [path, subs] of subscriberLists) {
    list(subs).forEach((s, k) => {
      const problem = subscriberProblem(str(field(s, "protocol")), str(field(s, "endpoint")));
      if (problem) add(`${path}[${k}].endpoint`, problem);
    });
  }
}
