// The HTTP API: routes of API Gateway HTTP API events (payload format 2.0) to the orders logic.
// POST /orders needs the API key in x-api-key; GET /orders/{id} and GET /health do not.
import { timingSafeEqual } from "node:crypto";
import { createOrder, ORDER_ID, validateNewOrder } from "./orders";
import type { OrderStore } from "./store";

/** The fields of an HTTP API (payload 2.0) event the service reads. */
export interface HttpEvent {
  readonly routeKey: string;
  readonly headers?: Readonly<Record<string, string | undefined>>;
  readonly pathParameters?: Readonly<Record<string, string | undefined>>;
  readonly body?: string;
  readonly isBase64Encoded?: boolean;
}

/** An HTTP API (payload 2.0) response. */
export interface HttpResponse {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface ApiDependencies {
  readonly store: OrderStore;
  /** The API key clients must send to create orders. */
  readonly apiKey: () => Promise<string>;
  readonly now?: () => Date;
  readonly newId?: () => string;
  /** Where unexpected errors are logged (default: console.error). */
  readonly logError?: (message: string, error: unknown) => void;
}

/** Most bytes a request body may hold. */
export const MAX_BODY_BYTES = 64 * 1024;

const json = (statusCode: number, body: unknown): HttpResponse => ({
  statusCode,
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

function sameKey(given: string | undefined, expected: string): boolean {
  if (given === undefined || expected === "") return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function header(event: HttpEvent, name: string): string | undefined {
  // HTTP API lower-cases header names in payload 2.0.
  return event.headers?.[name];
}

/** The Lambda handler of the API, over the given store and key. */
export function createApi(deps: ApiDependencies): (event: HttpEvent) => Promise<HttpResponse> {
  const now = deps.now ?? (() => new Date());
  const logError = deps.logError ?? ((m, e) => console.error(m, e));
  return async (event) => {
    try {
      switch (event.routeKey) {
        case "GET /health":
          return json(200, { status: "ok" });
        case "GET /orders/{id}": {
          const id = event.pathParameters?.id ?? "";
          if (!ORDER_ID.test(id)) return json(404, { message: "no such order" });
          const order = await deps.store.get(id);
          return order ? json(200, order) : json(404, { message: "no such order" });
        }
        case "POST /orders": {
          if (!sameKey(header(event, "x-api-key"), await deps.apiKey()))
            return json(401, { message: "a valid x-api-key header is required" });
          const raw = event.isBase64Encoded
            ? Buffer.from(event.body ?? "", "base64").toString("utf8")
            : (event.body ?? "");
          if (Buffer.byteLength(raw) > MAX_BODY_BYTES)
            return json(413, { message: `the body may hold at most ${MAX_BODY_BYTES} bytes` });
          let body: unknown;
          try {
            body = JSON.parse(raw);
          } catch {
            return json(400, { message: "the body is not valid JSON", errors: [] });
          }
          const checked = validateNewOrder(body);
          if (!checked.ok) return json(400, { message: "invalid order", errors: checked.errors });
          const order = createOrder(checked.value, now(), deps.newId);
          await deps.store.put(order);
          return {
            ...json(201, order),
            headers: { "content-type": "application/json", location: `/orders/${order.id}` },
          };
        }
        default:
          return json(404, { message: `no route ${event.routeKey}` });
      }
    } catch (e) {
      logError(`${event.routeKey} failed`, e);
      return json(500, { message: "internal error" });
    }
  };
}
