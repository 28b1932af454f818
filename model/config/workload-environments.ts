// The environment rules of the workload accounts: the services a deploy role may use, the size of
// the permissions boundary they make, and alarms that notify somebody.
import { describeValue } from "../../policies/lib/display";
import {
  DEFAULT_ALLOWED_SERVICES,
  forbiddenServiceReason,
  IAM_MANAGED_POLICY_LIMIT,
  permissionsBoundaryPolicy,
  policySize,
} from "../iam/workload";
import { field, list, str } from "./raw-readers";
import { isCodeDeployMechanism } from "./schema";

/** A raw value as a message shows it (quoted only when short and plainly not a secret). */
const q = (value: unknown): string => describeValue(value, "'");

/** Names of the applications that deploy to an environment with a CodeDeploy mechanism (raw config). */
function codeDeployApplicationsIn(raw: unknown, env: string): string[] {
  const order = list(field(raw, "promotionOrder"));
  return list(field(raw, "applications"))
    .filter((app) => isCodeDeployMechanism(str(field(field(app, "deploy"), "mechanism"))))
    .filter((app) => {
      const envs = field(app, "environments");
      return (Array.isArray(envs) ? envs : order).includes(env);
    })
    .map((app) => str(field(app, "name")) ?? "?");
}

/**
 * Environment rules of the workload accounts: the services a deploy role may use (never iam,
 * organizations, sts or "*", each once, and a permissions boundary that fits IAM's 6,144-character
 * managed-policy limit, and not codedeploy where the platform deploys with CodeDeploy), and alarms
 * that notify somebody.
 */
export function workloadEnvironmentProblems(
  raw: unknown,
  envs: unknown[],
  prefix: string | undefined,
  add: (path: string, message: string) => void,
) {
  const orgSubscribers = list(field(field(raw, "notifications"), "subscribers"));
  envs.forEach((env, i) => {
    const at = `organization.environments[${i}]`;
    const name = str(field(env, "name"));
    const services = field(env, "allowedServices");
    if (Array.isArray(services)) {
      if (services.length === 0)
        add(
          `${at}.allowedServices`,
          `is empty, so deployments could create nothing; list the service prefixes the applications use (for example "lambda") or remove the key for the default set (${DEFAULT_ALLOWED_SERVICES.join(", ")})`,
        );
      const seen = new Set<string>();
      services.forEach((svc, k) => {
        if (typeof svc !== "string") return;
        const reason = forbiddenServiceReason(svc);
        if (reason)
          add(
            `${at}.allowedServices[${k}]`,
            `${q(svc)} is never allowed: ${reason}; remove it and list the service prefixes the applications use (for example "lambda", "dynamodb")`,
          );
        else if (seen.has(svc))
          add(`${at}.allowedServices[${k}]`, `${q(svc)} is listed twice; list it once`);
        else if (svc === "codedeploy" && name) {
          const platform = codeDeployApplicationsIn(raw, name);
          if (platform.length > 0)
            add(
              `${at}.allowedServices[${k}]`,
              `"codedeploy" would let deployments change the platform's deployment groups of ${platform.map((a) => q(a)).join(", ")} (their alarms and rollback); remove it: the platform creates those deployment groups itself`,
            );
        }
        seen.add(svc);
      });
      const usable = [...seen].filter((s) => /^[a-z0-9-]+$/.test(s) && !forbiddenServiceReason(s));
      if (prefix && name) {
        const size = policySize(
          permissionsBoundaryPolicy(
            {
              partition: "aws-us-gov",
              prefix,
              environment: name,
              account: "000000000000",
              toolsAccount: "000000000000",
            },
            usable,
          ),
        );
        if (size > IAM_MANAGED_POLICY_LIMIT)
          add(
            `${at}.allowedServices`,
            `the permissions boundary for these ${usable.length} services would be ${size} characters; IAM allows ${IAM_MANAGED_POLICY_LIMIT} in a managed policy: list fewer services (about ${Math.ceil((size - IAM_MANAGED_POLICY_LIMIT) / 20)} fewer)`,
          );
      }
    }
    const envSubscribers = list(field(field(env, "notifications"), "subscribers"));
    if (name && orgSubscribers.length === 0 && envSubscribers.length === 0)
      add(
        `${at}.notifications.subscribers`,
        `environment ${q(name)} has no alarm subscribers, so its deployment-health alarms would notify nobody; add one here or in organization.notifications.subscribers`,
      );
  });
}
