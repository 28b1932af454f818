// The Lambda entry point: the API over the DynamoDB table and the API key named in the
// function's environment (TABLE_NAME, API_KEY_REF). Configuration errors fail every request
// with 500 and are logged, so the Errors alarm sees them.
import { createApi, type HttpEvent, type HttpResponse } from "./api";
import { cachedSecret, parseSecretReference, sdkSecretReader } from "./secrets";
import { dynamoDbStore, sdkDynamoDbCalls } from "./store";

function build(env: NodeJS.ProcessEnv): (event: HttpEvent) => Promise<HttpResponse> {
  const table = env.TABLE_NAME;
  if (!table) throw new Error("TABLE_NAME is not set");
  const ref = parseSecretReference(env.API_KEY_REF ?? "");
  if (typeof ref === "string") throw new Error(`API_KEY_REF: ${ref}`);
  return createApi({
    store: dynamoDbStore(table, sdkDynamoDbCalls()),
    apiKey: cachedSecret(ref, sdkSecretReader),
  });
}

let api: ((event: HttpEvent) => Promise<HttpResponse>) | undefined;

export async function handler(event: HttpEvent): Promise<HttpResponse> {
  api ??= build(process.env);
  return api(event);
}
