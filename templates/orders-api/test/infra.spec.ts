// The Pulumi program under Pulumi's mocks, as the deploy build runs it for dev: the function's
// role is bounded and least-privilege, the function traced and alarmed, logs encrypted with a
// retention, the table encrypted with the service's key, and no secret value anywhere.
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";

interface Created {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
}

const ACCOUNT = "222222222222";
const REGION = "us-east-1";
const created: Created[] = [];

const mocks: pulumi.runtime.Mocks = {
  newResource(args) {
    created.push({ type: args.type, name: args.name, inputs: args.inputs });
    const name = (args.inputs.name as string | undefined) ?? args.name;
    const service = args.type.split(":")[1]?.split("/")[0] ?? "x";
    const arn =
      args.type === "aws:iam/role:Role"
        ? `arn:aws:iam::${ACCOUNT}:role${args.inputs.path ?? "/"}${name}`
        : `arn:aws:${service}:${REGION}:${ACCOUNT}:${name}`;
    return {
      id: `${args.name}-id`,
      state: {
        ...args.inputs,
        name,
        arn,
        keyId: "key-id",
        executionArn: `arn:aws:execute-api:${REGION}:${ACCOUNT}:api-id`,
        apiEndpoint: `https://api-id.execute-api.${REGION}.amazonaws.com`,
      },
    };
  },
  call(args) {
    switch (args.token) {
      case "aws:index/getCallerIdentity:getCallerIdentity":
        return {
          accountId: ACCOUNT,
          arn: `arn:aws:sts::${ACCOUNT}:assumed-role/deploy/ci`,
          userId: "x",
        };
      case "aws:index/getRegion:getRegion":
        return { name: REGION, region: REGION };
      case "aws:index/getPartition:getPartition":
        return { partition: "aws", dnsSuffix: "amazonaws.com" };
      default:
        throw new Error(`no mock for ${args.token}`);
    }
  },
};

const settle = async () => {
  for (let i = 0; i < 50; i++) await new Promise((r) => setImmediate(r));
};
const one = (type: string): Created => {
  const found = created.filter((c) => c.type === type);
  assert.equal(found.length, 1, `one ${type}`);
  return found[0];
};
const all = (type: string) => created.filter((c) => c.type === type);

describe("infrastructure (Pulumi mocks, dev)", () => {
  let outputs: Record<string, pulumi.Output<string> | string>;

  before(async () => {
    pulumi.runtime.setMocks(mocks, "orders-api", "dev", false);
    pulumi.runtime.setAllConfig({
      "orders-api:platformPrefix": "acme",
      "orders-api:alarmEmail": "team@example.com",
      "aws:region": REGION,
      "aws:allowedAccountIds": `["${ACCOUNT}"]`,
    });
    process.env.TARGET_ENV = "dev";
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const program = require("../infra/index") as () => Promise<typeof outputs>;
    outputs = await program();
    await settle();
  });
  after(() => delete process.env.TARGET_ENV);

  it("exports the URL the smoke test calls", async () => {
    const url = await new Promise((r) => pulumi.output(outputs.url).apply(r));
    assert.equal(url, `https://api-id.execute-api.${REGION}.amazonaws.com`);
    assert.equal(outputs.environment, "dev");
  });

  it("creates the function's role under /app/ with the platform's boundary, for Lambda only", () => {
    const role = one("aws:iam/role:Role").inputs;
    assert.equal(role.path, "/app/");
    assert.equal(role.permissionsBoundary, `arn:aws:iam::${ACCOUNT}:policy/acme-dev-boundary`);
    const trust = JSON.parse(role.assumeRolePolicy as string);
    assert.deepEqual(trust.Statement[0].Principal, { Service: "lambda.amazonaws.com" });
  });

  it("lets the function use only its table, key, secret, logs and traces", () => {
    const policy = JSON.parse(one("aws:iam/rolePolicy:RolePolicy").inputs.policy as string);
    const byResource = Object.fromEntries(
      policy.Statement.map((s: { Sid: string; Action: string[]; Resource: string }) => [
        s.Sid,
        [s.Action, s.Resource],
      ]),
    );
    assert.deepEqual(byResource, {
      OrdersTable: [
        ["dynamodb:GetItem", "dynamodb:PutItem"],
        `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/orders-api-dev-orders`,
      ],
      OrdersTableKey: [
        ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey"],
        `arn:aws:kms:${REGION}:${ACCOUNT}:key/*`,
      ],
      ApiKey: [
        ["ssm:GetParameter"],
        `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/orders-api/dev/api-key`,
      ],
      OwnLogs: [
        ["logs:CreateLogStream", "logs:PutLogEvents"],
        `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/lambda/orders-api-dev:*`,
      ],
      Traces: [["xray:PutTraceSegments", "xray:PutTelemetryRecords"], "*"],
    });
  });

  it("reaches the key only through DynamoDB and by the service's own alias", () => {
    const policy = JSON.parse(one("aws:iam/rolePolicy:RolePolicy").inputs.policy as string);
    const key = policy.Statement.find((st: { Sid: string }) => st.Sid === "OrdersTableKey");
    assert.deepEqual(key.Condition, {
      StringEquals: { "kms:ViaService": `dynamodb.${REGION}.amazonaws.com` },
      "ForAnyValue:StringEquals": { "kms:ResourceAliases": "alias/orders-api-dev" },
    });
    assert.equal(one("aws:kms/alias:Alias").inputs.name, "alias/orders-api-dev");
  });

  it("traces the function and passes the key by reference only", () => {
    const fn = one("aws:lambda/function:Function").inputs;
    assert.deepEqual(fn.tracingConfig, { mode: "Active" });
    const vars = (fn.environment as { variables: Record<string, string> }).variables;
    assert.equal(vars.API_KEY_REF, "/orders-api/dev/api-key");
    assert.deepEqual(Object.keys(vars).sort(), ["API_KEY_REF", "NODE_OPTIONS", "TABLE_NAME"]);
  });

  it("alarms on the function's errors and the API's 5xx, to a topic with a subscription", () => {
    const alarms = all("aws:cloudwatch/metricAlarm:MetricAlarm").map((a) => a.inputs);
    const errors = alarms.find((a) => a.metricName === "Errors");
    assert.deepEqual(
      [errors?.namespace, errors?.dimensions, errors?.alarmActions],
      [
        "AWS/Lambda",
        { FunctionName: "orders-api-dev" },
        [`arn:aws:sns:${REGION}:${ACCOUNT}:orders-api-dev-alarms`],
      ],
    );
    assert.ok(alarms.some((a) => a.metricName === "5xx"));
    const sub = one("aws:sns/topicSubscription:TopicSubscription").inputs;
    assert.deepEqual([sub.protocol, sub.endpoint], ["email", "team@example.com"]);
  });

  it("encrypts the table, logs and topic with the service's rotating key", () => {
    assert.equal(one("aws:kms/key:Key").inputs.enableKeyRotation, true);
    const keyArn = `arn:aws:kms:${REGION}:${ACCOUNT}:orders-key`;
    const table = one("aws:dynamodb/table:Table").inputs;
    assert.deepEqual(table.serverSideEncryption, { enabled: true, kmsKeyArn: keyArn });
    assert.equal(table.deletionProtectionEnabled, false);
    for (const g of all("aws:cloudwatch/logGroup:LogGroup"))
      assert.deepEqual([g.inputs.kmsKeyId, g.inputs.retentionInDays], [keyArn, 30]);
    assert.equal(one("aws:sns/topic:Topic").inputs.kmsMasterKeyId, keyArn);
  });

  it("routes the three routes to the function", () => {
    assert.deepEqual(
      all("aws:apigatewayv2/route:Route")
        .map((r) => r.inputs.routeKey)
        .sort(),
      ["GET /health", "GET /orders/{id}", "POST /orders"],
    );
  });
});
