// Lambda functions trace with X-Ray: tracingConfig.mode "Active" samples and records every
// invocation's segment; "PassThrough" (the default when tracingConfig is absent) traces only
// requests that arrive already sampled, so a function called by EventBridge, SQS or a schedule
// never appears in a trace (https://docs.aws.amazon.com/lambda/latest/dg/services-xray.html).
// Advisory by default; production deploys run the pack with policies/production.policy-config.json,
// which makes it mandatory (docs/compliance.md).
import { configSchema, type BaseConfig } from "../lib/config";
import { inTracingScope, stacksProperty } from "../lib/tracing-scope";
import { describeValue } from "../lib/display";
import { resourcePolicy } from "../lib/policy";
import { T } from "../lib/resources";
import { isUnknown, knownString, read } from "../lib/unknowns";

/** The modes the Lambda API accepts (TracingConfig.Mode). */
const MODES = ["Active", "PassThrough"];

/** A message when the function does not trace actively; nothing while the mode is unknown. */
export function findLambdaTracing(props: unknown, resourceName: string): string[] {
  const name = knownString(props, "name") ?? resourceName;
  const config = read(props, "tracingConfig");
  if (isUnknown(config)) return [];
  if (config === undefined || config === null)
    return [
      `Lambda function "${name}" has no tracingConfig, so it runs in PassThrough mode and traces only requests that arrive already sampled.`,
    ];
  const mode = read(config, "mode");
  if (isUnknown(mode) || mode === "Active") return [];
  if (mode === undefined)
    return [
      `Lambda function "${name}" has a tracingConfig without a mode, so it runs in PassThrough mode.`,
    ];
  if (mode === "PassThrough")
    return [
      `Lambda function "${name}" has tracingConfig.mode "PassThrough": it traces only requests that arrive already sampled.`,
    ];
  return [
    `Lambda function "${name}" has tracingConfig.mode ${describeValue(mode)}, which is not a tracing mode (${MODES.join(" or ")}).`,
  ];
}

export interface TracingConfig extends BaseConfig {
  /** Stacks the policy reports in (lib/tracing-scope.ts). */
  readonly stacks: readonly string[];
}

export const baselineLambdaTracing = resourcePolicy<TracingConfig>({
  name: "baseline-lambda-tracing",
  family: "baseline",
  description:
    'Flags Lambda functions whose tracingConfig.mode is not "Active" (absent, "PassThrough" or not a mode), so X-Ray records every invocation. Reports in production stacks by name (config stacks); advisory, mandatory in production deploys through policies/production.policy-config.json.',
  severity: "low",
  enforcementLevel: "advisory",
  remediationSteps:
    'Set tracingConfig: { mode: "Active" } on the function and give its role xray:PutTraceSegments and xray:PutTelemetryRecords (the AWSXRayDaemonWriteAccess managed policy).',
  configSchema: configSchema({ stacks: stacksProperty }),
  resourceTypes: [T.lambdaFunction],
  check: (r, config) =>
    inTracingScope(r.urn, config.stacks) ? findLambdaTracing(r.props, r.name) : [],
});
