// The DynamoDB store: an order survives the item round trip, and the calls name the table, refuse
// to overwrite and read consistently.
import * as assert from "node:assert/strict";
import type { Order } from "../src/orders";
import { dynamoDbStore, fromItem, toItem, type DynamoDbCalls } from "../src/store";

const order: Order = {
  id: "0a1b2c3d-0000-4000-8000-000000000001",
  customerId: "c-1",
  currency: "GBP",
  lines: [{ sku: "A1", quantity: 2, unitPriceCents: 150 }],
  totalCents: 300,
  createdAt: "2026-01-02T00:00:00.000Z",
};

describe("DynamoDB store", () => {
  it("round-trips an order through its item", () => {
    assert.deepEqual(fromItem(toItem(order)), order);
    assert.deepEqual(toItem(order).totalCents, { N: "300" });
  });

  it("puts with a condition on a new id and gets with a consistent read", async () => {
    const calls: unknown[] = [];
    const fake: DynamoDbCalls = {
      putItem: async (input) => void calls.push(["put", input]),
      getItem: async (input) => (calls.push(["get", input]), { Item: toItem(order) }),
    };
    const store = dynamoDbStore("orders-table", fake);
    await store.put(order);
    assert.deepEqual(await store.get(order.id), order);
    assert.deepEqual(calls, [
      [
        "put",
        {
          TableName: "orders-table",
          Item: toItem(order),
          ConditionExpression: "attribute_not_exists(id)",
        },
      ],
      ["get", { TableName: "orders-table", Key: { id: { S: order.id } }, ConsistentRead: true }],
    ]);
  });

  it("returns undefined for a missing item", async () => {
    const store = dynamoDbStore("t", { putItem: async () => ({}), getItem: async () => ({}) });
    assert.equal(await store.get("x"), undefined);
  });
});
