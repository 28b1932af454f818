// The HTTP API over an in-memory store: create then read an order, refusals with their status
// and message, and errors answered 500 without their details.
import * as assert from "node:assert/strict";
import { createApi, type HttpEvent } from "../src/api";
import { memoryStore } from "../src/store";

const ID = "0a1b2c3d-0000-4000-8000-000000000001";
const KEY = "test-key-not-a-secret";

function api(overrides: Partial<Parameters<typeof createApi>[0]> = {}) {
  const store = memoryStore();
  const errors: string[] = [];
  const handler = createApi({
    store,
    apiKey: async () => KEY,
    now: () => new Date("2026-01-02T00:00:00Z"),
    newId: () => ID,
    logError: (m) => errors.push(m),
    ...overrides,
  });
  return { handler, store, errors };
}

const order = {
  customerId: "c-1",
  currency: "USD",
  lines: [{ sku: "A1", quantity: 3, unitPriceCents: 100 }],
};

const post = (body: string, key: string | null = KEY): HttpEvent => ({
  routeKey: "POST /orders",
  headers: key === null ? {} : { "x-api-key": key },
  body,
});
const get = (id: string): HttpEvent => ({ routeKey: "GET /orders/{id}", pathParameters: { id } });

describe("orders API", () => {
  it("creates an order and reads it back", async () => {
    const { handler } = api();
    const created = await handler(post(JSON.stringify(order)));
    assert.equal(created.statusCode, 201);
    assert.equal(created.headers.location, `/orders/${ID}`);
    assert.equal(JSON.parse(created.body).totalCents, 300);
    const read = await handler(get(ID));
    assert.equal(read.statusCode, 200);
    assert.deepEqual(JSON.parse(read.body), JSON.parse(created.body));
  });

  it("reads a base64-encoded body", async () => {
    const { handler } = api();
    const event = {
      ...post(Buffer.from(JSON.stringify(order)).toString("base64")),
      isBase64Encoded: true,
    };
    assert.equal((await handler(event)).statusCode, 201);
  });

  it("answers health", async () => {
    const res = await api().handler({ routeKey: "GET /health" });
    assert.deepEqual([res.statusCode, JSON.parse(res.body)], [200, { status: "ok" }]);
  });
});

describe("orders API refusals", () => {
  it("refuses a create without the key, or with a wrong one, and stores nothing", async () => {
    const { handler, store } = api();
    for (const key of [null, "wrong", KEY + "x", ""]) {
      const res = await handler(post(JSON.stringify(order), key));
      assert.deepEqual(
        [res.statusCode, JSON.parse(res.body).message],
        [401, "a valid x-api-key header is required"],
      );
    }
    assert.equal(store.orders.size, 0);
  });

  it("refuses every request when the configured key is empty", async () => {
    const res = await api({ apiKey: async () => "" }).handler(post(JSON.stringify(order), ""));
    assert.equal(res.statusCode, 401);
  });

  it("answers 400 with the validation errors", async () => {
    const res = await api().handler(post(JSON.stringify({ ...order, currency: "XTS" })));
    assert.equal(res.statusCode, 400);
    assert.deepEqual(JSON.parse(res.body), {
      message: "invalid order",
      errors: ["currency: one of EUR, GBP, USD"],
    });
  });

  it("answers 400 for a body that is not JSON", async () => {
    const res = await api().handler(post("{"));
    assert.deepEqual(
      [res.statusCode, JSON.parse(res.body).message],
      [400, "the body is not valid JSON"],
    );
  });

  it("answers 413 for a body over 64 KiB", async () => {
    const res = await api().handler(post(" ".repeat(64 * 1024 + 1)));
    assert.equal(res.statusCode, 413);
  });

  it("answers 404 for an unknown order and for an id it never issues", async () => {
    const { handler } = api();
    assert.equal((await handler(get(ID))).statusCode, 404);
    assert.equal((await handler(get("../etc"))).statusCode, 404);
  });

  it("answers 404 for an unknown route", async () => {
    const res = await api().handler({ routeKey: "DELETE /orders/{id}" });
    assert.deepEqual(
      [res.statusCode, JSON.parse(res.body).message],
      [404, "no route DELETE /orders/{id}"],
    );
  });

  it("answers 500 without details when the store fails, and logs the error", async () => {
    const store = memoryStore();
    const { handler, errors } = api({
      store: { ...store, get: async () => Promise.reject(new Error("throttled: table xyz")) },
    });
    const res = await handler(get(ID));
    assert.deepEqual(
      [res.statusCode, res.body],
      [500, JSON.stringify({ message: "internal error" })],
    );
    assert.deepEqual(errors, ["GET /orders/{id} failed"]);
  });
});
