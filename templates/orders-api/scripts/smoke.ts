// Smoke test of a deployed orders API, run by the platform's smoke-tests build after each
// deployment (`npm run test:smoke`) and by hand (`ORDERS_API_URL=https://... npm run test:smoke`).
// It changes nothing: it reads the health route, asks for an order that cannot exist and checks
// that creating an order without the API key is refused.
export type Fetch = (
  url: string,
  init?: { method?: string; headers?: Record<string, string>; body?: string },
) => Promise<{ status: number; text(): Promise<string> }>;

export interface Check {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

/** Runs the checks against `baseUrl`; never throws for an HTTP answer, only for no answer. */
export async function runSmoke(baseUrl: string, fetch: Fetch): Promise<Check[]> {
  const base = baseUrl.replace(/\/+$/, "");
  const expect = async (
    name: string,
    path: string,
    status: number,
    init?: Parameters<Fetch>[1],
  ): Promise<Check> => {
    const res = await fetch(`${base}${path}`, init);
    const body = await res.text();
    return {
      name,
      ok: res.status === status,
      detail: `${init?.method ?? "GET"} ${path}: ${res.status} (expected ${status}) ${body.slice(0, 200)}`,
    };
  };
  return [
    await expect("health", "/health", 200),
    await expect("unknown order", "/orders/00000000-0000-4000-8000-000000000000", 404),
    await expect("create without API key", "/orders", 401, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ customerId: "smoke", currency: "EUR", lines: [] }),
    }),
  ];
}

async function main(): Promise<number> {
  const url = process.env.ORDERS_API_URL;
  if (!url) {
    console.error(
      `ORDERS_API_URL is not set: the smoke test needs the deployed API's URL (the stack output \`url\`: \`pulumi stack output url\`)${process.env.TARGET_ENV ? ` for ${process.env.TARGET_ENV}` : ""}.`,
    );
    return 1;
  }
  const checks = await runSmoke(url, (u, init) => globalThis.fetch(u, init));
  for (const c of checks) console.log(`${c.ok ? "ok  " : "FAIL"} ${c.name}: ${c.detail}`);
  return checks.every((c) => c.ok) ? 0 : 1;
}

if (require.main === module)
  main().then(
    (code) => (process.exitCode = code),
    (e: unknown) => {
      console.error(`smoke test could not reach the API: ${(e as Error).message}`);
      process.exitCode = 1;
    },
  );
