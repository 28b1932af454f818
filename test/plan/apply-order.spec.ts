// The apply order on its own: stacks that name each other's roles, and what counts as naming one.
import * as assert from "node:assert/strict";
import { applyOrder, renderApplyOrder, type OrderedStack } from "../../plan/report/views";

const role = (account: string, name: string) => ({
  type: "aws:iam/role:Role",
  account,
  inputs: { name },
});
const keyNaming = (account: string, principal: string) => ({
  type: "aws:kms/key:Key",
  account,
  inputs: {
    policy: JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Principal: { AWS: principal }, Action: "kms:Decrypt", Resource: "*" },
      ],
    }),
  },
});

describe("apply order", () => {
  it("KMS refuses a key policy whose principal is a role that does not exist: the key's stack goes after the role's", () => {
    const stacks: OrderedStack[] = [
      { stack: "a", resources: [keyNaming("111111111111", "arn:aws:iam::222222222222:role/r")] },
      { stack: "b", resources: [role("222222222222", "r")] },
    ];
    const order = applyOrder(stacks);
    assert.deepEqual(
      order.steps.map((s) => [s.stack, s.after]),
      [
        ["b", []],
        ["a", ["b"]],
      ],
    );
    assert.deepEqual(order.steps[1]!.needs, ["arn:aws:iam::222222222222:role/r"]);
  });

  it("name patterns, the account root and roles of the same stack impose no order", () => {
    const stacks: OrderedStack[] = [
      {
        stack: "a",
        resources: [
          keyNaming("111111111111", "arn:aws:iam::222222222222:role/*"),
          keyNaming("111111111111", "arn:aws:iam::222222222222:root"),
          keyNaming("111111111111", "arn:aws:iam::111111111111:role/own"),
          role("111111111111", "own"),
        ],
      },
      { stack: "b", resources: [role("222222222222", "r")] },
    ];
    assert.deepEqual(
      applyOrder(stacks).steps.map((s) => s.stack),
      ["a", "b"],
    );
  });

  it("two stacks that name each other's roles have no order, and the plan says so", () => {
    const stacks: OrderedStack[] = [
      {
        stack: "a",
        resources: [
          role("111111111111", "x"),
          keyNaming("111111111111", "arn:aws:iam::222222222222:role/y"),
        ],
      },
      {
        stack: "b",
        resources: [
          role("222222222222", "y"),
          keyNaming("222222222222", "arn:aws:iam::111111111111:role/x"),
        ],
      },
    ];
    const order = applyOrder(stacks);
    assert.deepEqual(order.cycle, ["a", "b"]);
    assert.match(renderApplyOrder(order).join("\n"), /no order: a, b name roles of each other/);
  });

  it("a policy document that is not JSON names no role (the pack reports it)", () => {
    const stacks: OrderedStack[] = [
      {
        stack: "a",
        resources: [{ type: "aws:kms/key:Key", account: "1", inputs: { policy: "{not json" } }],
      },
    ];
    assert.deepEqual(
      applyOrder(stacks).steps.map((s) => s.stack),
      ["a"],
    );
  });
});
