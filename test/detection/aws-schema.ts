// What `@pulumi/aws` declares for a resource type token: the module file that registers it and the
// input property names of its `XxxArgs` interface, read from the package's own .d.ts files.
import * as fs from "node:fs";
import * as path from "node:path";

const AWS_DIR = path.dirname(require.resolve("@pulumi/aws/package.json"));

/**
 * The input property names `@pulumi/aws` declares for `token` (`aws:<module>/<file>:<Class>`), or
 * undefined when the package registers no resource with that token.
 */
export function awsInputNames(token: string): ReadonlySet<string> | undefined {
  const m = /^aws:([a-z0-9]+)\/([A-Za-z0-9]+):([A-Za-z0-9]+)$/.exec(token);
  if (!m) return undefined;
  const [, mod, file, cls] = m;
  const base = path.join(AWS_DIR, mod!, file!);
  let js: string;
  let dts: string;
  try {
    js = fs.readFileSync(`${base}.js`, "utf8");
    dts = fs.readFileSync(`${base}.d.ts`, "utf8");
  } catch {
    return undefined;
  }
  if (!js.includes(`__pulumiType = '${token}'`)) return undefined;
  const start = dts.indexOf(`export interface ${cls}Args {`);
  if (start < 0) return new Set();
  const end = dts.indexOf("\n}", start);
  const body = dts.slice(start, end);
  const names = new Set<string>();
  for (const line of body.matchAll(/^ {4}(?:readonly )?([A-Za-z0-9_]+)\??:/gm)) names.add(line[1]!);
  return names;
}
