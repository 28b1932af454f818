// Where orders are kept: the OrderStore port, an in-memory store for tests and local runs, and the
// DynamoDB store the function uses. The DynamoDB store calls the AWS SDK for JavaScript v3 that
// the Lambda Node.js runtimes (18 and later) include, so the package ships no SDK
// (https://aws.amazon.com/blogs/developer/why-and-how-you-should-use-aws-sdk-for-javascript-v3-on-node-js-18/).
import type { Order } from "./orders";

export interface OrderStore {
  /** Stores a new order; fails if its id exists. */
  put(order: Order): Promise<void>;
  /** The order with this id, or undefined. */
  get(id: string): Promise<Order | undefined>;
}

/** A store in memory (tests, local runs). */
export function memoryStore(): OrderStore & { readonly orders: Map<string, Order> } {
  const orders = new Map<string, Order>();
  return {
    orders,
    async put(order) {
      if (orders.has(order.id)) throw new Error(`order ${order.id} exists`);
      orders.set(order.id, order);
    },
    async get(id) {
      return orders.get(id);
    },
  };
}

/** DynamoDB attribute values, as the low-level API reads and writes them. */
type Attribute = { S: string } | { N: string };
export type Item = Record<string, Attribute>;

/** The two DynamoDB calls the store makes (PutItem, GetItem). */
export interface DynamoDbCalls {
  putItem(input: { TableName: string; Item: Item; ConditionExpression: string }): Promise<unknown>;
  getItem(input: {
    TableName: string;
    Key: Item;
    ConsistentRead: boolean;
  }): Promise<{ Item?: Item }>;
}

/** An order as a DynamoDB item: the id is the key, the lines a JSON string. */
export function toItem(order: Order): Item {
  return {
    id: { S: order.id },
    customerId: { S: order.customerId },
    currency: { S: order.currency },
    lines: { S: JSON.stringify(order.lines) },
    totalCents: { N: String(order.totalCents) },
    createdAt: { S: order.createdAt },
  };
}

const text = (a: Attribute | undefined): string =>
  a !== undefined && "S" in a ? a.S : a !== undefined && "N" in a ? a.N : "";

/** The order a DynamoDB item holds. */
export function fromItem(item: Item): Order {
  return {
    id: text(item.id),
    customerId: text(item.customerId),
    currency: text(item.currency) as Order["currency"],
    lines: JSON.parse(text(item.lines) || "[]") as Order["lines"],
    totalCents: Number(text(item.totalCents)),
    createdAt: text(item.createdAt),
  };
}

/** A store on one DynamoDB table. */
export function dynamoDbStore(tableName: string, calls: DynamoDbCalls): OrderStore {
  return {
    async put(order) {
      await calls.putItem({
        TableName: tableName,
        Item: toItem(order),
        ConditionExpression: "attribute_not_exists(id)",
      });
    },
    async get(id) {
      const out = await calls.getItem({
        TableName: tableName,
        Key: { id: { S: id } },
        ConsistentRead: true,
      });
      return out.Item ? fromItem(out.Item) : undefined;
    },
  };
}

interface SdkClient {
  send(command: unknown): Promise<unknown>;
}
type Command = new (input: object) => unknown;

/** The DynamoDB calls through the runtime's SDK (loaded when the function first needs it). */
export function sdkDynamoDbCalls(): DynamoDbCalls {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sdk = require("@aws-sdk/client-dynamodb") as {
    DynamoDBClient: new (config: object) => SdkClient;
    PutItemCommand: Command;
    GetItemCommand: Command;
  };
  const client = new sdk.DynamoDBClient({});
  return {
    putItem: (input) => client.send(new sdk.PutItemCommand(input)),
    getItem: (input) => client.send(new sdk.GetItemCommand(input)) as Promise<{ Item?: Item }>,
  };
}
