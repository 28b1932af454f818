// X-Ray tracing policies: Lambda functions trace actively, REST API stages trace, and ECS tasks
// that trace run the daemon or collector their traces go to. Each starts from a compliant
// resource and changes one property.
import * as assert from "node:assert/strict";
import fc from "fast-check";
import { baselineApiGatewayXrayTracing } from "../../policies/baseline/baseline-apigateway-xray-tracing";
import {
  addressHosts,
  baselineEcsTracingSidecar,
  imageRepository,
  isSidecarImage,
} from "../../policies/baseline/baseline-ecs-tracing-sidecar";
import { baselineLambdaTracing } from "../../policies/baseline/baseline-lambda-tracing";
import { resolvePackSettings, readPolicyConfigFile } from "../../plan/pack";
import { T } from "../../policies/lib/resources";
import {
  expected,
  messages,
  resource,
  runResourcePolicy,
  UNKNOWN_BOOLEAN,
  UNKNOWN_OBJECT,
  UNKNOWN_STRING,
} from "../helpers/policy";
import * as path from "node:path";
import { PROJECT_DIR } from "../helpers";

/** The tests judge every stack; "where the tracing policies report" tests the default scope. */
const EVERY_STACK = { stacks: ["*"] };

const lambda = (props: Record<string, unknown> = {}) =>
  resource(T.lambdaFunction, "orders", {
    name: "orders",
    runtime: "nodejs20.x",
    tracingConfig: { mode: "Active" },
    ...props,
  });

describe("Lambda functions trace actively", () => {
  const run = async (props: Record<string, unknown>) =>
    messages(await runResourcePolicy(baselineLambdaTracing, lambda(props), EVERY_STACK));
  const msg = (finding: string) => [expected(baselineLambdaTracing, finding)];

  it("passes a function with tracingConfig.mode Active", async () => {
    assert.deepEqual(await run({}), []);
  });

  it("flags a function without tracingConfig", async () => {
    assert.deepEqual(
      await run({ tracingConfig: undefined }),
      msg(
        'Lambda function "orders" has no tracingConfig, so it runs in PassThrough mode and traces only requests that arrive already sampled.',
      ),
    );
  });

  it("flags PassThrough", async () => {
    assert.deepEqual(
      await run({ tracingConfig: { mode: "PassThrough" } }),
      msg(
        'Lambda function "orders" has tracingConfig.mode "PassThrough": it traces only requests that arrive already sampled.',
      ),
    );
  });

  it("flags a tracingConfig without a mode, and a value that is no mode", async () => {
    assert.deepEqual(
      await run({ tracingConfig: {} }),
      msg(
        'Lambda function "orders" has a tracingConfig without a mode, so it runs in PassThrough mode.',
      ),
    );
    assert.deepEqual(
      await run({ tracingConfig: { mode: "active" } }),
      msg(
        'Lambda function "orders" has tracingConfig.mode "active", which is not a tracing mode (Active or PassThrough).',
      ),
    );
    assert.equal((await run({ tracingConfig: { mode: 7 } })).length, 1);
    assert.equal((await run({ tracingConfig: "Active" })).length, 1);
  });

  it("says nothing while the mode is unknown (preview)", async () => {
    assert.deepEqual(await run({ tracingConfig: UNKNOWN_OBJECT }), []);
    assert.deepEqual(await run({ tracingConfig: { mode: UNKNOWN_STRING } }), []);
  });

  it("names the function by its resource name when the function name is unknown", async () => {
    const [m] = await run({ name: UNKNOWN_STRING, tracingConfig: { mode: "PassThrough" } });
    assert.match(m!, /^Lambda function "orders" has tracingConfig.mode "PassThrough"/);
  });
});

const stage = (props: Record<string, unknown> = {}) =>
  resource(T.apiGatewayStage, "api-prod", {
    stageName: "prod",
    restApi: "abc123",
    deployment: "dep",
    xrayTracingEnabled: true,
    ...props,
  });

describe("API Gateway REST stages trace", () => {
  const run = async (props: Record<string, unknown>) =>
    messages(await runResourcePolicy(baselineApiGatewayXrayTracing, stage(props), EVERY_STACK));
  const msg = (finding: string) => [expected(baselineApiGatewayXrayTracing, finding)];

  it("passes a stage with xrayTracingEnabled true", async () => {
    assert.deepEqual(await run({}), []);
  });

  it("flags a stage that does not set it, or sets it false", async () => {
    assert.deepEqual(
      await run({ xrayTracingEnabled: undefined }),
      msg('API Gateway stage "prod" does not set xrayTracingEnabled, so X-Ray tracing is off.'),
    );
    assert.deepEqual(
      await run({ xrayTracingEnabled: false }),
      msg('API Gateway stage "prod" has xrayTracingEnabled false: X-Ray tracing is off.'),
    );
  });

  it("flags a value that is not a boolean", async () => {
    assert.deepEqual(
      await run({ xrayTracingEnabled: "true" }),
      msg(
        'API Gateway stage "prod" has xrayTracingEnabled "true", which is not a boolean; set it to true.',
      ),
    );
  });

  it("says nothing while the setting is unknown, and leaves HTTP API stages alone", async () => {
    assert.deepEqual(await run({ xrayTracingEnabled: UNKNOWN_BOOLEAN }), []);
    const v2 = resource("aws:apigatewayv2/stage:Stage", "http", { name: "$default" });
    const result = await runResourcePolicy(baselineApiGatewayXrayTracing, v2, EVERY_STACK);
    assert.deepEqual(messages(result), []);
    assert.ok(result.notApplicable !== undefined);
  });
});

const app = (environment: { name: string; value: unknown }[] = []) => ({
  name: "app",
  image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/orders:1.4",
  essential: true,
  environment,
});
const daemon = {
  name: "xray-daemon",
  image: "public.ecr.aws/xray/aws-xray-daemon:3.x",
  essential: false,
  portMappings: [{ containerPort: 2000, protocol: "udp" }],
};
const task = (containers: unknown, props: Record<string, unknown> = {}) =>
  resource(T.ecsTaskDefinition, "orders-task", {
    family: "orders",
    containerDefinitions: typeof containers === "string" ? containers : JSON.stringify(containers),
    ...props,
  });
const XRAY_LOCAL = [{ name: "AWS_XRAY_DAEMON_ADDRESS", value: "127.0.0.1:2000" }];

describe("ECS tasks that trace run a daemon or collector", () => {
  const run = async (containers: unknown, props: Record<string, unknown> = {}, config = {}) =>
    messages(
      await runResourcePolicy(baselineEcsTracingSidecar, task(containers, props), {
        ...EVERY_STACK,
        ...config,
      }),
    );
  const msg = (finding: string) => [expected(baselineEcsTracingSidecar, finding)];

  it("passes a tracing task with the X-Ray daemon sidecar", async () => {
    assert.deepEqual(await run([app(XRAY_LOCAL), daemon]), []);
  });

  it("flags the same task without its sidecar", async () => {
    assert.deepEqual(
      await run([app(XRAY_LOCAL)]),
      msg(
        'ECS task definition "orders" traces (containerDefinitions[0] (app) sets AWS_XRAY_DAEMON_ADDRESS to 127.0.0.1:2000) but runs no X-Ray daemon or OpenTelemetry collector container, so its traces go nowhere.',
      ),
    );
  });

  it("passes a task that does not trace", async () => {
    assert.deepEqual(await run([app([{ name: "NODE_ENV", value: "production" }])]), []);
  });

  it("counts OpenTelemetry exporters, their default endpoint and the ADOT collector", async () => {
    const otel = [{ name: "OTEL_TRACES_EXPORTER", value: "otlp" }];
    assert.deepEqual(
      await run([app(otel)]),
      msg(
        'ECS task definition "orders" traces (containerDefinitions[0] (app) sets OTEL_TRACES_EXPORTER) but runs no X-Ray daemon or OpenTelemetry collector container, so its traces go nowhere.',
      ),
    );
    const adot = {
      name: "aws-otel",
      image: "public.ecr.aws/aws-observability/aws-otel-collector:v0.40.0",
    };
    assert.deepEqual(await run([app(otel), adot]), []);
    assert.deepEqual(await run([app([{ name: "OTEL_TRACES_EXPORTER", value: "none" }])]), []);
  });

  it("needs no sidecar when traces go to another host, but does for a container of the task", async () => {
    const remote = [{ name: "AWS_XRAY_DAEMON_ADDRESS", value: "xray.internal:2000" }];
    assert.deepEqual(await run([app(remote)]), []);
    const url = [
      { name: "OTEL_EXPORTER_OTLP_ENDPOINT", value: "http://collector.observability:4317" },
    ];
    assert.deepEqual(await run([app(url)]), []);
    const linked = [
      { name: "AWS_XRAY_DAEMON_ADDRESS", value: "udp:sidecar:2000 tcp:sidecar:2000" },
    ];
    const other = { name: "sidecar", image: "busybox:1" };
    assert.equal((await run([app(linked), other])).length, 1);
  });

  it("counts the platform:tracing tag", async () => {
    assert.deepEqual(
      await run([app()], { tags: { "platform:tracing": "xray" } }),
      msg(
        'ECS task definition "orders" traces (the task definition has the tag platform:tracing) but runs no X-Ray daemon or OpenTelemetry collector container, so its traces go nowhere.',
      ),
    );
    assert.deepEqual(await run([app()], { tags: { "platform:tracing": "off" } }), []);
  });

  it("accepts a mirrored daemon listed in sidecarImages", async () => {
    const mirror = { name: "xray", image: "registry.example.com/tools/trace-agent:1" };
    assert.equal((await run([app(XRAY_LOCAL), mirror])).length, 1);
    assert.deepEqual(
      await run([app(XRAY_LOCAL), mirror], {}, { sidecarImages: ["trace-agent"] }),
      [],
    );
  });

  it("decides nothing from unknown values, and is not hidden by them", async () => {
    const unknownAddress = [{ name: "AWS_XRAY_DAEMON_ADDRESS", value: UNKNOWN_STRING }];
    assert.deepEqual(await run([app(unknownAddress)]), []);
    const unknownImage = { name: "maybe-daemon", image: UNKNOWN_STRING };
    assert.deepEqual(await run([app(XRAY_LOCAL), unknownImage]), []);
    assert.deepEqual(
      await runResourcePolicy(
        baselineEcsTracingSidecar,
        task([], { containerDefinitions: UNKNOWN_STRING }),
        EVERY_STACK,
      ).then(messages),
      [],
    );
    // An unknown address beside a known local one: the known one decides.
    assert.equal((await run([app([...XRAY_LOCAL]), app(unknownAddress)])).length, 1);
  });

  it("never throws on malformed definitions (the secrets policy reports them)", async () => {
    for (const bad of ["{not json", "42", JSON.stringify({ name: "x" }), JSON.stringify([null, 3])])
      assert.deepEqual(await run(bad), [], bad);
    assert.deepEqual(await run([{ name: "app", environment: "AWS_XRAY_DAEMON_ADDRESS" }]), []);
  });
});

describe("tracing image and address parsing", () => {
  it("reads repositories without tags or digests", () => {
    assert.equal(
      imageRepository("public.ecr.aws/xray/aws-xray-daemon:3.x"),
      "public.ecr.aws/xray/aws-xray-daemon",
    );
    assert.equal(
      imageRepository("localhost:5000/aws-otel-collector"),
      "localhost:5000/aws-otel-collector",
    );
    assert.equal(imageRepository("amazon/aws-xray-daemon@sha256:abc"), "amazon/aws-xray-daemon");
    for (const image of [
      "amazon/aws-xray-daemon",
      "public.ecr.aws/xray/aws-xray-daemon:latest",
      "public.ecr.aws/aws-observability/aws-otel-collector:v0.41.1",
      "otel/opentelemetry-collector-contrib:0.110.0",
    ])
      assert.ok(isSidecarImage(image), image);
    assert.ok(!isSidecarImage("nginx:1.27"));
    assert.ok(!isSidecarImage("example/aws-xray-daemon-exporter"));
  });

  it("reads the hosts of X-Ray and OTLP addresses", () => {
    assert.deepEqual(addressHosts("127.0.0.1:2000"), ["127.0.0.1"]);
    assert.deepEqual(addressHosts("udp:xray:2000 tcp:xray:2001"), ["xray", "xray"]);
    assert.deepEqual(addressHosts("http://localhost:4318/v1/traces"), ["localhost"]);
    assert.deepEqual(addressHosts("[::1]:2000"), ["[::1]"]);
  });
});

describe("where the tracing policies report", () => {
  const inStack = (stack: string) => ({
    ...lambda({ tracingConfig: undefined }),
    urn: `urn:pulumi:${stack}::orders::aws:lambda/function:Function::orders`,
  });
  const found = async (stack: string, config: Record<string, unknown> = {}) =>
    messages(await runResourcePolicy(baselineLambdaTracing, inStack(stack), config)).length;

  it("by default, in stacks whose names say production, and nowhere else", async () => {
    for (const stack of ["prod", "prod-prod-us-us-east-1", "production", "orders-prod"])
      assert.equal(await found(stack), 1, stack);
    for (const stack of ["dev", "staging", "corpus", "product", "preprod-x"])
      assert.equal(await found(stack), 0, stack);
  });

  it("in the stacks the policy's config names", async () => {
    assert.equal(await found("dev", { stacks: ["*"] }), 1);
    assert.equal(await found("prod", { stacks: ["live-*"] }), 0);
    assert.equal(await found("live-eu", { stacks: ["live-*"] }), 1);
  });
});

describe("tracing in production", () => {
  it("the production policy config makes the three tracing policies mandatory, and only them", () => {
    const file = path.join(PROJECT_DIR, "policies", "production.policy-config.json");
    const settings = resolvePackSettings(readPolicyConfigFile(file), file);
    const tracing = [
      "baseline-lambda-tracing",
      "baseline-apigateway-xray-tracing",
      "baseline-ecs-tracing-sidecar",
    ];
    for (const name of tracing) {
      assert.equal(settings.levels.get(name), "mandatory", name);
      // Production deploys judge their stack whatever it is called.
      assert.deepEqual(settings.configs.get(name)?.["stacks"], ["*"], name);
    }
    const defaults = resolvePackSettings({});
    for (const name of tracing) assert.equal(defaults.levels.get(name), "advisory", name);
    for (const [name, level] of settings.levels)
      if (!tracing.includes(name)) assert.equal(level, defaults.levels.get(name), name);
  });
});

describe("tracing policies on arbitrary input", () => {
  const anyValue = fc.anything({ withNullPrototype: false });
  const envVar = fc.record({
    name: fc.constantFrom(
      "AWS_XRAY_DAEMON_ADDRESS",
      "AWS_XRAY_TRACING_NAME",
      "OTEL_EXPORTER_OTLP_ENDPOINT",
      "OTEL_TRACES_EXPORTER",
      "NODE_ENV",
    ),
    value: fc.oneof(fc.string(), fc.constant("127.0.0.1:2000"), anyValue),
  });
  const container = fc.record({
    name: fc.oneof(fc.string(), anyValue),
    image: fc.oneof(fc.constant("nginx:1"), fc.string(), anyValue),
    environment: fc.oneof(fc.array(envVar, { maxLength: 4 }), anyValue),
  });

  it("never throw, and a task with the X-Ray daemon beside its containers is never flagged", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(container, { maxLength: 4 }),
        anyValue,
        async (containers, tags) => {
          const props = { family: "f", containerDefinitions: JSON.stringify(containers), tags };
          for (const policy of [
            baselineEcsTracingSidecar,
            baselineLambdaTracing,
            baselineApiGatewayXrayTracing,
          ])
            await runResourcePolicy(policy, resource(T.ecsTaskDefinition, "t", props), EVERY_STACK);
          const withDaemon = task([...containers, daemon], { tags });
          assert.deepEqual(
            messages(await runResourcePolicy(baselineEcsTracingSidecar, withDaemon, EVERY_STACK)),
            [],
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it("Lambda and stage checks never throw on any tracing value", async () => {
    await fc.assert(
      fc.asyncProperty(anyValue, anyValue, async (tracingConfig, xrayTracingEnabled) => {
        const l = await runResourcePolicy(
          baselineLambdaTracing,
          lambda({ tracingConfig }),
          EVERY_STACK,
        );
        const s = await runResourcePolicy(
          baselineApiGatewayXrayTracing,
          stage({ xrayTracingEnabled }),
          EVERY_STACK,
        );
        assert.ok(messages(l).length <= 1 && messages(s).length <= 1);
      }),
      { numRuns: 200 },
    );
  });
});
