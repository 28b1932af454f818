// API Gateway REST API stages trace with X-Ray (xrayTracingEnabled), so a request's trace starts at
// the API and follows it into the functions and services behind it. HTTP APIs and WebSocket APIs
// (aws:apigatewayv2/stage:Stage) have no X-Ray tracing at all
// (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-vs-rest.html): they are
// not checked. Advisory by default; mandatory in production through
// policies/production.policy-config.json (docs/compliance.md).
import { configSchema, type BaseConfig } from "../lib/config";
import { inTracingScope, stacksProperty } from "../lib/tracing-scope";
import { describeValue } from "../lib/display";
import { resourcePolicy } from "../lib/policy";
import { T } from "../lib/resources";
import { isUnknown, knownString, read } from "../lib/unknowns";

/** A message when the stage does not trace; nothing while the setting is unknown. */
export function findStageTracing(props: unknown, resourceName: string): string[] {
  const name = knownString(props, "stageName") ?? resourceName;
  const enabled = read(props, "xrayTracingEnabled");
  if (enabled === true || isUnknown(enabled)) return [];
  if (enabled === undefined || enabled === null)
    return [
      `API Gateway stage "${name}" does not set xrayTracingEnabled, so X-Ray tracing is off.`,
    ];
  if (enabled === false)
    return [`API Gateway stage "${name}" has xrayTracingEnabled false: X-Ray tracing is off.`];
  return [
    `API Gateway stage "${name}" has xrayTracingEnabled ${describeValue(enabled)}, which is not a boolean; set it to true.`,
  ];
}

export interface TracingConfig extends BaseConfig {
  /** Stacks the policy reports in (lib/tracing-scope.ts). */
  readonly stacks: readonly string[];
}

export const baselineApiGatewayXrayTracing = resourcePolicy<TracingConfig>({
  name: "baseline-apigateway-xray-tracing",
  family: "baseline",
  description:
    "Flags API Gateway REST API stages without xrayTracingEnabled true. HTTP and WebSocket APIs (apigatewayv2) have no X-Ray tracing and are not checked. Reports in production stacks by name (config stacks); advisory, mandatory in production deploys through policies/production.policy-config.json.",
  severity: "low",
  enforcementLevel: "advisory",
  remediationSteps:
    "Set xrayTracingEnabled: true on the aws.apigateway.Stage (API Gateway adds the X-Ray permissions it needs itself).",
  configSchema: configSchema({ stacks: stacksProperty }),
  resourceTypes: [T.apiGatewayStage],
  check: (r, config) =>
    inTracingScope(r.urn, config.stacks) ? findStageTracing(r.props, r.name) : [],
});
