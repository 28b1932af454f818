// Smoke test of a deployed orders API, run by the platform's deploy build right after each target
// deploys (`npm run test:smoke`, with STACK_OUTPUTS_FILE holding `pulumi stack output --json`) and
// by hand (`ORDERS_API_URL=https://... npm run test:smoke`). It changes nothing and needs no AWS
// credentials: it reads the health route, asks for an order that cannot exist and checks that
// creating an order without the API key is refused. With SMOKE_REPORT_FILE set it also writes its
// checks as JUnit XML there, for the deploy project's report group.
import * as fs from "node:fs";
import * as path from "node:path";

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

/**
 * The API's URL: ORDERS_API_URL when it is set, else the `url` output in the stack outputs file.
 * Returns a message naming what is missing instead of a URL.
 */
export function apiUrl(env: NodeJS.ProcessEnv): { url: string } | { missing: string } {
  const explicit = env.ORDERS_API_URL;
  if (explicit) return { url: explicit };
  const file = env.STACK_OUTPUTS_FILE;
  const where = env.TARGET_ENV ? ` for ${env.STACK_NAME ?? env.TARGET_ENV}` : "";
  if (!file)
    return {
      missing: `no API URL${where}: set ORDERS_API_URL (\`pulumi stack output url\`) or STACK_OUTPUTS_FILE (\`pulumi stack output --json\`; the platform's deploy build sets it)`,
    };
  let outputs: unknown;
  try {
    outputs = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    return { missing: `STACK_OUTPUTS_FILE ${file} is not readable JSON: ${(e as Error).message}` };
  }
  const url = (outputs as Record<string, unknown> | null)?.["url"];
  if (typeof url !== "string" || !/^https:\/\//.test(url))
    return {
      missing: `STACK_OUTPUTS_FILE ${file} has no https \`url\` output${where} (the program exports it: infra/index.ts)`,
    };
  return { url };
}

const escapeXml = (s: string) => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The checks as one JUnit XML test suite (what CodeBuild's JUNITXML report format reads). */
export function junitXml(suite: string, checks: readonly Check[]): string {
  const failures = checks.filter((c) => !c.ok).length;
  const cases = checks.map(
    (c) =>
      `  <testcase classname="${escapeXml(suite)}" name="${escapeXml(c.name)}">` +
      (c.ok ? "" : `<failure message="${escapeXml(c.detail)}"/>`) +
      "</testcase>",
  );
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuite name="${escapeXml(suite)}" tests="${checks.length}" failures="${failures}">`,
    ...cases,
    "</testsuite>",
    "",
  ].join("\n");
}

async function main(): Promise<number> {
  const found = apiUrl(process.env);
  if ("missing" in found) {
    console.error(found.missing);
    return 1;
  }
  const checks = await runSmoke(found.url, (u, init) => globalThis.fetch(u, init));
  for (const c of checks) console.log(`${c.ok ? "ok  " : "FAIL"} ${c.name}: ${c.detail}`);
  const report = process.env.SMOKE_REPORT_FILE;
  if (report) {
    fs.mkdirSync(path.dirname(report), { recursive: true });
    fs.writeFileSync(report, junitXml(`smoke ${process.env.STACK_NAME ?? found.url}`, checks));
  }
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
