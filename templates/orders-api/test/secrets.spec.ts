// Secret references: SSM names and Secrets Manager ARNs are told apart, anything else (a value
// pasted in by mistake) is refused, and the value is cached for its time to live.
import * as assert from "node:assert/strict";
import { cachedSecret, parseSecretReference } from "../src/secrets";

const ARN = "arn:aws:secretsmanager:us-east-1:222222222222:secret:orders-api/dev/api-key-AbCdEf";

describe("secret references", () => {
  it("reads an SSM parameter name and a Secrets Manager ARN", () => {
    assert.deepEqual(parseSecretReference("/orders-api/dev/api-key"), {
      kind: "ssm",
      name: "/orders-api/dev/api-key",
    });
    assert.deepEqual(parseSecretReference(ARN), { kind: "secretsmanager", arn: ARN });
  });

  it("refuses a value that is not a reference", () => {
    for (const bad of [
      "s3cr3t-Value",
      "orders-api/dev",
      "",
      "//double",
      "arn:aws:ssm:us-east-1:1:parameter/x",
    ])
      assert.equal(
        parseSecretReference(bad),
        `"${bad}" is neither an SSM parameter name (/path/name) nor a Secrets Manager secret ARN`,
      );
  });

  it("reads once within the time to live, then again", async () => {
    let reads = 0;
    let now = 0;
    const get = cachedSecret(
      { kind: "ssm", name: "/k" },
      async () => `v${++reads}`,
      1000,
      () => now,
    );
    assert.equal(await get(), "v1");
    now = 999;
    assert.equal(await get(), "v1");
    now = 1000;
    assert.equal(await get(), "v2");
  });
});
