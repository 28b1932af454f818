// The smoke test against the real API logic (an in-memory store behind a fake HTTP client): it
// passes on a healthy service and fails when the key check is gone.
import * as assert from "node:assert/strict";
import { createApi, type HttpEvent } from "../src/api";
import { memoryStore } from "../src/store";
import { runSmoke, type Fetch } from "../scripts/smoke";

function fetchOf(handler: (e: HttpEvent) => Promise<{ statusCode: number; body: string }>): Fetch {
  return async (url, init) => {
    const path = new URL(url).pathname;
    const method = init?.method ?? "GET";
    const order = /^\/orders\/([^/]+)$/.exec(path);
    const event: HttpEvent = order
      ? { routeKey: `${method} /orders/{id}`, pathParameters: { id: order[1] } }
      : { routeKey: `${method} ${path}`, headers: init?.headers, body: init?.body };
    const res = await handler(event);
    return { status: res.statusCode, text: async () => res.body };
  };
}

describe("smoke test", () => {
  it("passes against a healthy service", async () => {
    const api = createApi({ store: memoryStore(), apiKey: async () => "k" });
    const checks = await runSmoke("https://api.example.com/", fetchOf(api));
    assert.deepEqual(
      checks.map((c) => [c.name, c.ok]),
      [
        ["health", true],
        ["unknown order", true],
        ["create without API key", true],
      ],
    );
  });

  it("fails when creating an order no longer needs the key", async () => {
    const open = async (e: HttpEvent) =>
      e.routeKey === "POST /orders"
        ? { statusCode: 201, body: "{}" }
        : createApi({ store: memoryStore(), apiKey: async () => "k" })(e);
    const checks = await runSmoke("https://api.example.com", fetchOf(open));
    const failed = checks.filter((c) => !c.ok);
    assert.deepEqual(
      failed.map((c) => c.detail),
      ["POST /orders: 201 (expected 401) {}"],
    );
  });
});
