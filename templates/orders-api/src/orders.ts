// The orders domain: what a new order must look like, and the order the service stores. Pure
// functions, tested without AWS.
import { randomUUID } from "node:crypto";

/** Currencies the service accepts (ISO 4217). */
export const CURRENCIES = ["EUR", "GBP", "USD"] as const;
export type Currency = (typeof CURRENCIES)[number];

/** Most lines one order may hold. */
export const MAX_LINES = 50;

/** One line of an order. */
export interface OrderLine {
  readonly sku: string;
  readonly quantity: number;
  /** Price of one unit in the currency's minor unit (cents). */
  readonly unitPriceCents: number;
}

/** What a client sends to create an order. */
export interface NewOrder {
  readonly customerId: string;
  readonly currency: Currency;
  readonly lines: readonly OrderLine[];
}

/** An order as stored and returned. */
export interface Order extends NewOrder {
  readonly id: string;
  readonly totalCents: number;
  /** ISO 8601 time the order was accepted. */
  readonly createdAt: string;
}

export type Validation<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly errors: readonly string[] };

const CUSTOMER_ID = /^[A-Za-z0-9_-]{1,64}$/;
const SKU = /^[A-Z0-9][A-Z0-9-]{0,31}$/;
/** Order ids are the UUIDs this service generates; anything else cannot name an order. */
export const ORDER_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

const isCount = (v: unknown, min: number, max: number): v is number =>
  typeof v === "number" && Number.isInteger(v) && v >= min && v <= max;

/** Checks a request body; every problem is reported, each naming the field. */
export function validateNewOrder(body: unknown): Validation<NewOrder> {
  if (!isRecord(body)) return { ok: false, errors: ["the body must be a JSON object"] };
  const errors: string[] = [];
  const known = new Set(["customerId", "currency", "lines"]);
  for (const key of Object.keys(body)) if (!known.has(key)) errors.push(`${key}: unknown field`);
  const { customerId, currency, lines } = body;
  if (typeof customerId !== "string" || !CUSTOMER_ID.test(customerId))
    errors.push("customerId: 1 to 64 letters, digits, '_' or '-'");
  if (typeof currency !== "string" || !(CURRENCIES as readonly string[]).includes(currency))
    errors.push(`currency: one of ${CURRENCIES.join(", ")}`);
  if (!Array.isArray(lines) || lines.length === 0 || lines.length > MAX_LINES) {
    errors.push(`lines: 1 to ${MAX_LINES} order lines`);
  } else {
    lines.forEach((line: unknown, i) => {
      if (!isRecord(line)) return void errors.push(`lines[${i}]: must be an object`);
      if (typeof line.sku !== "string" || !SKU.test(line.sku))
        errors.push(`lines[${i}].sku: 1 to 32 capital letters, digits or '-'`);
      if (!isCount(line.quantity, 1, 1000))
        errors.push(`lines[${i}].quantity: a whole number from 1 to 1000`);
      if (!isCount(line.unitPriceCents, 0, 10_000_000))
        errors.push(`lines[${i}].unitPriceCents: a whole number of cents from 0 to 10000000`);
    });
  }
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: {
      customerId: customerId as string,
      currency: currency as Currency,
      lines: (lines as OrderLine[]).map(({ sku, quantity, unitPriceCents }) => ({
        sku,
        quantity,
        unitPriceCents,
      })),
    },
  };
}

/** The stored order of a valid request: a new id, the total and the time. */
export function createOrder(
  order: NewOrder,
  now: Date = new Date(),
  newId: () => string = randomUUID,
): Order {
  const totalCents = order.lines.reduce((sum, l) => sum + l.quantity * l.unitPriceCents, 0);
  return { ...order, id: newId(), totalCents, createdAt: now.toISOString() };
}
