// Reads a project's Pulumi.<stack>.yaml files for resolveStacks (model/stacks.ts): the offline
// plan, `npm run stacks` and the tools program (which names the stacks the platform deploys) all
// read them the same way.
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { StackFile } from "./stacks";

/** A stack file's name: `Pulumi.<stack>.yaml` (or `.yml`); group 1 is the stack. */
export const STACK_FILE = /^Pulumi\.(.+)\.ya?ml$/;

const isMap = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** Every Pulumi.<stack>.yaml (or .yml) beside Pulumi.yaml in `projectDir`, by name. */
export function readStackFiles(projectDir: string): StackFile[] {
  const files: StackFile[] = [];
  for (const f of fs.readdirSync(projectDir).sort()) {
    const name = STACK_FILE.exec(f)?.[1];
    if (name === undefined) continue;
    const text = fs.readFileSync(path.join(projectDir, f), "utf8");
    let doc: unknown;
    try {
      doc = parse(text);
    } catch {
      doc = undefined;
    }
    const config = isMap(doc) && isMap(doc["config"]) ? doc["config"] : undefined;
    files.push({ name, path: f, text, config });
  }
  return files;
}
