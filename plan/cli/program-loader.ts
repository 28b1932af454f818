// Loading the blueprint's program as the Pulumi Node.js runtime would: its compiled twin in dist/
// when the CLI runs compiled, else the TypeScript source through ts-node.
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "../../model/paths";
import { UsageError } from "./cli-errors";

/**
 * The file to load for a program entry. Running compiled (from dist/), a blueprint source has its
 * compiled twin there; any other TypeScript file is loaded through ts-node.
 */
function compiledOrSource(entry: string): string {
  if (!__filename.endsWith(".js") || !entry.endsWith(".ts")) return entry;
  const relative = path.relative(REPO_ROOT, entry);
  const twin = path.join(REPO_ROOT, "dist", relative.replace(/\.ts$/, ".js"));
  if (!relative.startsWith("..") && fs.existsSync(twin)) return twin;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require("ts-node").register({
    transpileOnly: true,
    project: path.join(REPO_ROOT, "tsconfig.json"),
  });
  return entry;
}

/**
 * The program as the Pulumi Node.js runtime runs it: a module exporting a function (`export =`
 * or default) is called and its result becomes the stack outputs.
 */
export function loadProgram(entry: string): () => unknown {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(compiledOrSource(entry)) as unknown;
  const fn =
    typeof mod === "function"
      ? mod
      : typeof (mod as { default?: unknown })?.default === "function"
        ? (mod as { default: () => unknown }).default
        : undefined;
  if (!fn)
    throw new UsageError(
      `${entry} does not export a program function; the offline plan evaluates programs written as \`export = async () => { ... }\``,
    );
  return fn as () => unknown;
}
