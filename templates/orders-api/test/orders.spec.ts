// Order validation: a valid order passes; each broken field is reported by name.
import * as assert from "node:assert/strict";
import { createOrder, validateNewOrder } from "../src/orders";

const valid = () => ({
  customerId: "c-42",
  currency: "EUR",
  lines: [
    { sku: "MUG-1", quantity: 2, unitPriceCents: 1250 },
    { sku: "TEA", quantity: 1, unitPriceCents: 499 },
  ],
});

function errorsOf(body: unknown): readonly string[] {
  const r = validateNewOrder(body);
  assert.equal(r.ok, false, "expected the order to be refused");
  return r.ok ? [] : r.errors;
}

describe("order validation", () => {
  it("accepts a valid order and keeps only the known fields", () => {
    const r = validateNewOrder(valid());
    assert.deepEqual(r, { ok: true, value: valid() });
  });

  it("refuses a body that is not an object", () => {
    assert.deepEqual(errorsOf([1]), ["the body must be a JSON object"]);
    assert.deepEqual(errorsOf(null), ["the body must be a JSON object"]);
  });

  it("names an unknown field", () => {
    assert.deepEqual(errorsOf({ ...valid(), discount: 10 }), ["discount: unknown field"]);
  });

  it("refuses a bad customer id", () => {
    assert.deepEqual(errorsOf({ ...valid(), customerId: "a b" }), [
      "customerId: 1 to 64 letters, digits, '_' or '-'",
    ]);
  });

  it("refuses an unknown currency", () => {
    assert.deepEqual(errorsOf({ ...valid(), currency: "XTS" }), ["currency: one of EUR, GBP, USD"]);
  });

  it("refuses an order without lines, and one with too many", () => {
    assert.deepEqual(errorsOf({ ...valid(), lines: [] }), ["lines: 1 to 50 order lines"]);
    const many = Array.from({ length: 51 }, () => valid().lines[0]);
    assert.deepEqual(errorsOf({ ...valid(), lines: many }), ["lines: 1 to 50 order lines"]);
  });

  it("names each bad line field", () => {
    const body = valid();
    body.lines[1] = { sku: "tea", quantity: 0, unitPriceCents: 1.5 };
    assert.deepEqual(errorsOf(body), [
      "lines[1].sku: 1 to 32 capital letters, digits or '-'",
      "lines[1].quantity: a whole number from 1 to 1000",
      "lines[1].unitPriceCents: a whole number of cents from 0 to 10000000",
    ]);
  });

  it("reports every problem at once", () => {
    assert.equal(errorsOf({ customerId: "", currency: 1, lines: "x" }).length, 3);
  });
});

describe("order creation", () => {
  it("totals the lines and stamps the id and time", () => {
    const r = validateNewOrder(valid());
    assert.ok(r.ok);
    const order = createOrder(r.value, new Date("2026-01-02T03:04:05Z"), () => "id-1");
    assert.equal(order.totalCents, 2 * 1250 + 499);
    assert.equal(order.id, "id-1");
    assert.equal(order.createdAt, "2026-01-02T03:04:05.000Z");
  });
});
