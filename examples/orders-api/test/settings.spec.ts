// Deployment settings: what the deploy build gives (stack, account, region, TARGET_ENV) plus the
// project's config; each bad value is named, all at once.
import * as assert from "node:assert/strict";
import {
  deploymentSettings,
  secretActions,
  secretArn,
  type DeploymentInputs,
} from "../infra/settings";

const inputs = (
  config: Record<string, string> = {},
  more: Partial<DeploymentInputs> = {},
): DeploymentInputs => ({
  project: "orders-api",
  stack: "prod-prod-us-us-east-1",
  account: "444444444444",
  region: "us-east-1",
  partition: "aws",
  targetEnv: "prod",
  config: (k) => ({ platformPrefix: "acme", alarmEmail: "team@example.com", ...config })[k],
  ...more,
});

describe("deployment settings", () => {
  it("derives the environment, boundary and names from what the deploy build passes", () => {
    const s = deploymentSettings(inputs());
    assert.equal(s.environment, "prod");
    assert.equal(s.production, true);
    assert.equal(s.baseName, "orders-api-prod-prod-us-us-east-1");
    assert.equal(s.permissionsBoundaryArn, "arn:aws:iam::444444444444:policy/acme-prod-boundary");
    assert.equal(s.iamPath, "/app/");
    assert.equal(s.apiKeyRef, "/orders-api/prod/api-key");
    assert.equal(s.logRetentionDays, 365);
  });

  it("takes the environment from config, then TARGET_ENV, then the stack name", () => {
    assert.equal(deploymentSettings(inputs({ environment: "staging" })).environment, "staging");
    assert.equal(
      deploymentSettings(inputs({}, { targetEnv: undefined, stack: "dev" })).environment,
      "dev",
    );
    const dev = deploymentSettings(inputs({}, { targetEnv: "dev", stack: "dev" }));
    assert.deepEqual([dev.production, dev.logRetentionDays], [false, 30]);
  });

  it("grants reading an SSM parameter or a Secrets Manager secret by its ARN", () => {
    const ssm = deploymentSettings(inputs());
    assert.equal(
      secretArn(ssm),
      "arn:aws:ssm:us-east-1:444444444444:parameter/orders-api/prod/api-key",
    );
    assert.deepEqual(secretActions(ssm), ["ssm:GetParameter"]);
    const arn = "arn:aws:secretsmanager:us-east-1:444444444444:secret:orders/key-AbCdEf";
    const sm = deploymentSettings(inputs({ apiKeyRef: arn }));
    assert.equal(secretArn(sm), arn);
    assert.deepEqual(secretActions(sm), ["secretsmanager:GetSecretValue"]);
  });

  it("refuses a project named like the platform's own resources", () => {
    assert.throws(() => deploymentSettings(inputs({}, { project: "acme-orders" })), {
      message:
        "1 problem in config: project name acme-orders: the platform's guardrails deny changes to roles, keys and alarms named acme-*; rename the project",
    });
  });

  it("reports every bad value at once", () => {
    assert.throws(
      () =>
        deploymentSettings(
          inputs({
            platformPrefix: "",
            alarmEmail: "nobody",
            apiKeyRef: "hunter2",
            logRetentionDays: "10",
          }),
        ),
      {
        message:
          "4 problems in config: orders-api:platformPrefix: set it to the platform's organization prefix (organization.prefix in the platform's Pulumi.yaml); " +
          'orders-api:apiKeyRef: "hunter2" is neither an SSM parameter name (/path/name) nor a Secrets Manager secret ARN; ' +
          "orders-api:alarmEmail: set the address that receives the service's alarms; " +
          "orders-api:logRetentionDays: 10 is not a CloudWatch Logs retention period (1, 3, 5, 7, 14, 30, 60, 90, ... 3653)",
      },
    );
  });
});
