// An ECS task whose containers trace must run the process their traces go to. The X-Ray SDKs send
// segments over UDP to the daemon at AWS_XRAY_DAEMON_ADDRESS (127.0.0.1:2000 when unset), and
// OpenTelemetry SDKs export to OTEL_EXPORTER_OTLP_ENDPOINT (localhost:4317 when unset); in a task
// that is a sidecar container, the X-Ray daemon or the AWS Distro for OpenTelemetry collector
// (https://docs.aws.amazon.com/xray/latest/devguide/xray-daemon-ecs.html,
// https://aws-otel.github.io/docs/setup/ecs). Without one, the traces are dropped silently.
//
// "Tracing on" means: a container sets AWS_XRAY_DAEMON_ADDRESS, AWS_XRAY_TRACING_NAME,
// OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT or OTEL_TRACES_EXPORTER (other
// than "none"), or the task definition carries the tag platform:tracing (any value but off, false,
// none). A daemon or collector address on another host (a central daemon service) needs no
// sidecar. Advisory by default; mandatory in production through
// policies/production.policy-config.json (docs/compliance.md).
import { configSchema, type BaseConfig } from "../lib/config";
import { resourcePolicy } from "../lib/policy";
import { inTracingScope, stacksProperty } from "../lib/tracing-scope";
import { T } from "../lib/resources";
import { elementsOf, isUnknown, keysOf, knownString, read } from "../lib/unknowns";

export interface TracingSidecarConfig extends BaseConfig {
  /** Image repositories (path or last segment) that also count as a tracing sidecar (mirrors). */
  readonly sidecarImages: readonly string[];
  /** Stacks the policy reports in (lib/tracing-scope.ts). */
  readonly stacks: readonly string[];
}

/** Repository names (last path segment) of the X-Ray daemon and OpenTelemetry collector images. */
export const SIDECAR_REPOSITORIES: readonly string[] = [
  "aws-xray-daemon", // amazon/aws-xray-daemon, public.ecr.aws/xray/aws-xray-daemon
  "xray-daemon",
  "aws-otel-collector", // public.ecr.aws/aws-observability/aws-otel-collector, amazon/aws-otel-collector
  "opentelemetry-collector-contrib", // otel/opentelemetry-collector-contrib (has the awsxray receiver)
  "opentelemetry-collector",
];

/** The tag that turns tracing on for the whole task definition. */
export const TRACING_TAG = "platform:tracing";

/** Variables that say a container traces with X-Ray, and the one that names the daemon. */
const XRAY_VARIABLES = ["AWS_XRAY_DAEMON_ADDRESS", "AWS_XRAY_TRACING_NAME"];
/** Variables that say a container exports traces with OpenTelemetry; endpoints, most specific first. */
const OTLP_VARIABLES = [
  "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
  "OTEL_EXPORTER_OTLP_ENDPOINT",
  "OTEL_TRACES_EXPORTER",
];
const OTLP_ENDPOINTS = ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT"];

/** Any tracing variable's name, for the prefilter. */
const TRACING_KEYWORDS = /AWS_XRAY_|OTEL_/;

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "0.0.0.0", "::1", "[::1]"]);

/**
 * The repository path of an image reference: registry kept, tag and digest dropped
 * ("public.ecr.aws/xray/aws-xray-daemon:3.x" → "public.ecr.aws/xray/aws-xray-daemon").
 */
export function imageRepository(image: string): string {
  const noDigest = image.split("@")[0] ?? image;
  const slash = noDigest.lastIndexOf("/");
  const colon = noDigest.lastIndexOf(":");
  return (colon > slash ? noDigest.slice(0, colon) : noDigest).toLowerCase();
}

/** True when the image is an X-Ray daemon or an OpenTelemetry collector (or a listed mirror). */
export function isSidecarImage(image: string, extra: readonly string[] = []): boolean {
  const repo = imageRepository(image);
  const last = repo.slice(repo.lastIndexOf("/") + 1);
  return (
    SIDECAR_REPOSITORIES.includes(last) ||
    extra.some((e) => {
      const x = e.toLowerCase();
      return x === repo || x === last;
    })
  );
}

/**
 * The hosts of an address value: "host:port", "udp:host:port tcp:host:port" (the X-Ray SDK's two
 * addresses) or a URL ("http://host:4317"). Undefined when the value names no host.
 */
export function addressHosts(value: string): string[] {
  const hosts: string[] = [];
  for (const part of value.trim().split(/\s+/)) {
    if (part === "") continue;
    let rest = part.replace(/^(udp|tcp):/i, "");
    const url = /^[a-z][a-z0-9+.-]*:\/\/([^/]+)/i.exec(rest);
    if (url) rest = url[1]!;
    rest = rest.replace(/^[^@]*@/, "");
    const host = rest.startsWith("[") ? rest.slice(0, rest.indexOf("]") + 1) : rest.split(":")[0]!;
    if (host) hosts.push(host.toLowerCase());
  }
  return hosts;
}

interface Evidence {
  readonly where: string;
  /** Traces go to a local address (or the default one): a sidecar must run. */
  readonly local: boolean;
}

function tagSaysTracing(props: unknown): boolean | "unknown" {
  const tags = read(props, "tags");
  if (isUnknown(tags)) return "unknown";
  if (!keysOf(tags).includes(TRACING_TAG)) return false;
  const value = read(tags, TRACING_TAG);
  if (isUnknown(value)) return "unknown";
  return typeof value !== "string" || !/^(off|false|none|disabled)$/i.test(value.trim());
}

/**
 * A message when the task traces but runs no daemon or collector container. Nothing while a value
 * that decides it is unknown; malformed containerDefinitions are left to the secrets policy,
 * which reports them.
 */
export function findMissingTracingSidecar(
  props: unknown,
  resourceName: string,
  extraImages: readonly string[] = [],
): string[] {
  const raw = read(props, "containerDefinitions");
  if (raw === undefined || isUnknown(raw)) return [];
  let containers: unknown = raw;
  // Prefilter, as the secret scanners do: a definition that names no tracing variable traces
  // only through the tag, and needs no parsing then.
  if (typeof raw === "string" && !TRACING_KEYWORDS.test(raw) && tagSaysTracing(props) !== true)
    return [];
  if (typeof raw === "string") {
    try {
      containers = JSON.parse(raw);
    } catch {
      return [];
    }
  }
  if (!Array.isArray(containers)) return [];
  const list = elementsOf(containers);
  const names = new Set(
    list.map((c) => knownString(c, "name")).filter((n): n is string => n !== undefined),
  );
  let unknownImage = false;
  let sidecar = false;
  const evidence: Evidence[] = [];
  const isLocal = (value: string) =>
    addressHosts(value).some((h) => LOCAL_HOSTS.has(h) || names.has(h));
  list.forEach((container, i) => {
    const image = read(container, "image");
    if (isUnknown(image)) unknownImage = true;
    else if (typeof image === "string" && isSidecarImage(image, extraImages)) sidecar = true;
    const label = `containerDefinitions[${i}] (${knownString(container, "name") ?? i})`;
    const env = new Map<string, unknown>();
    elementsOf(read(container, "environment")).forEach((variable) => {
      const name = knownString(variable, "name");
      if (name) env.set(name, read(variable, "value"));
    });
    // One destination per protocol: the address the SDK would use (its default is local). An
    // unknown address decides nothing.
    const destination = (traces: boolean, addressVars: readonly string[], what: string) => {
      if (!traces) return;
      const named = addressVars.find((v) => env.has(v));
      if (named === undefined) {
        evidence.push({ where: `${label} sets ${what}`, local: true });
        return;
      }
      const value = env.get(named);
      if (isUnknown(value) || typeof value !== "string" || value.trim() === "") return;
      evidence.push({ where: `${label} sets ${named} to ${value.trim()}`, local: isLocal(value) });
    };
    const xrayVar = XRAY_VARIABLES.find((v) => env.has(v));
    destination(xrayVar !== undefined, ["AWS_XRAY_DAEMON_ADDRESS"], xrayVar ?? "");
    const exporter = env.get("OTEL_TRACES_EXPORTER");
    const otlpVar = OTLP_VARIABLES.find((v) => env.has(v));
    const otlpOff =
      typeof exporter === "string" &&
      exporter.trim().toLowerCase() === "none" &&
      !env.has(OTLP_ENDPOINTS[0]!);
    if (!isUnknown(exporter))
      destination(otlpVar !== undefined && !otlpOff, OTLP_ENDPOINTS, otlpVar ?? "");
  });
  const tag = tagSaysTracing(props);
  if (tag === true)
    evidence.push({ where: `the task definition has the tag ${TRACING_TAG}`, local: true });
  const needed = evidence.filter((e) => e.local);
  if (needed.length === 0 || sidecar || unknownImage) return [];
  const family = knownString(props, "family") ?? resourceName;
  return [
    `ECS task definition "${family}" traces (${needed[0]!.where}) but runs no X-Ray daemon or OpenTelemetry collector container, so its traces go nowhere.`,
  ];
}

export const baselineEcsTracingSidecar = resourcePolicy<TracingSidecarConfig>({
  name: "baseline-ecs-tracing-sidecar",
  family: "baseline",
  description: `Flags ECS task definitions that trace (a container sets AWS_XRAY_DAEMON_ADDRESS, AWS_XRAY_TRACING_NAME or an OTEL_ exporter variable, or the task has the tag ${TRACING_TAG}) to a local address but run no X-Ray daemon or OpenTelemetry collector container (aws-xray-daemon, aws-otel-collector, opentelemetry-collector images, or sidecarImages). Reports in production stacks by name (config stacks); advisory, mandatory in production deploys through policies/production.policy-config.json.`,
  severity: "low",
  enforcementLevel: "advisory",
  remediationSteps:
    "Add a sidecar container with public.ecr.aws/xray/aws-xray-daemon (UDP 2000) or public.ecr.aws/aws-observability/aws-otel-collector, give the task role xray:PutTraceSegments and xray:PutTelemetryRecords, or point the address at a central daemon; list a mirrored image in sidecarImages.",
  configSchema: configSchema({
    stacks: stacksProperty,
    sidecarImages: {
      type: "array",
      description:
        "Image repositories (full path or last segment) that also count as an X-Ray daemon or collector, such as a mirror in your own registry.",
      default: [],
      items: { type: "string", minLength: 1 },
    },
  }),
  resourceTypes: [T.ecsTaskDefinition],
  check: (r, config) =>
    !inTracingScope(r.urn, config.stacks)
      ? []
      : findMissingTracingSidecar(
          r.props,
          r.name,
          Array.isArray(config.sidecarImages) ? config.sidecarImages : [],
        ),
});
