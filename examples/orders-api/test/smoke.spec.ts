// The smoke test against the real API logic (an in-memory store behind a fake HTTP client): it
// passes on a healthy service and fails when the key check is gone.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { createApi, type HttpEvent } from "../src/api";
import { memoryStore } from "../src/store";
import { apiUrl, junitXml, runSmoke, type Fetch } from "../scripts/smoke";

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

describe("where the smoke test finds the API", () => {
  const outputsFile = (outputs: unknown) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "smoke-"));
    const file = path.join(dir, "outputs.json");
    fs.writeFileSync(file, typeof outputs === "string" ? outputs : JSON.stringify(outputs));
    return file;
  };

  it("reads the url output from the file the deploy build writes (pulumi stack output --json)", () => {
    const file = outputsFile({
      environment: "prod",
      url: "https://abc123.execute-api.eu-west-1.amazonaws.com",
      apiKey: "[secret]",
    });
    assert.deepEqual(apiUrl({ STACK_OUTPUTS_FILE: file }), {
      url: "https://abc123.execute-api.eu-west-1.amazonaws.com",
    });
  });

  it("prefers ORDERS_API_URL, for a run by hand", () => {
    const file = outputsFile({ url: "https://from-file.example.com" });
    assert.deepEqual(
      apiUrl({ ORDERS_API_URL: "https://by-hand.example.com", STACK_OUTPUTS_FILE: file }),
      {
        url: "https://by-hand.example.com",
      },
    );
  });

  it("names what is missing instead of passing without calling the API", () => {
    const none = apiUrl({ TARGET_ENV: "prod", STACK_NAME: "prod-444444444444" });
    assert.ok("missing" in none);
    assert.match(none.missing, /no API URL for prod-444444444444: set ORDERS_API_URL/);
    const noUrl = apiUrl({ STACK_OUTPUTS_FILE: outputsFile({ url: "[secret]" }) });
    assert.ok("missing" in noUrl);
    assert.match(noUrl.missing, /has no https `url` output/);
    const broken = apiUrl({ STACK_OUTPUTS_FILE: outputsFile("{not json") });
    assert.ok("missing" in broken);
    assert.match(broken.missing, /is not readable JSON/);
  });

  it("reports its checks as JUnit XML, a failure per failed check", () => {
    const xml = junitXml("smoke prod-444444444444", [
      { name: "health", ok: true, detail: "GET /health: 200" },
      {
        name: "create without API key",
        ok: false,
        detail: 'POST /orders: 201 (expected 401) {"a":"<b>"}',
      },
    ]);
    assert.match(xml, /<testsuite name="smoke prod-444444444444" tests="2" failures="1">/);
    assert.match(xml, /<testcase classname="smoke prod-444444444444" name="health"><\/testcase>/);
    assert.match(
      xml,
      /<failure message="POST \/orders: 201 \(expected 401\) \{&#34;a&#34;:&#34;&#60;b&#62;&#34;\}"\/>/,
    );
  });
});
