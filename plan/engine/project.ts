// Loads a stack's configuration from Pulumi.yaml and Pulumi.<stack>.yaml the way the Pulumi CLI
// hands it to a program: project-level config first, stack config over it, keys namespaced
// (`<project>:<key>` when no namespace is given in Pulumi.yaml), every value a string (structured
// values as JSON), and `secure:` values replaced by clearly marked placeholders, since the offline
// plan cannot decrypt them and must never pretend to.
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { ConfigError, validateOrganization } from "../../model/config";
import { readStackFiles, STACK_FILE } from "../../model/stack-files";
import {
  resolveStacks,
  stackFileConfig,
  type ResolvedStack,
  type StackProblem,
} from "../../model/stacks";

export interface StackConfig {
  readonly project: string;
  readonly stack: string;
  /** Flat config map, as `pulumi.runtime.allConfig()` returns it. */
  readonly config: Record<string, string>;
  /** Keys whose value is (or contains) a secret. */
  readonly secretKeys: string[];
  /** The stack file that was read. */
  readonly stackFile: string;
}

/** Raised for a project or stack file the CLI itself would refuse. */
export class ProjectFileError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = "ProjectFileError";
  }
}

/** The placeholder a `secure:` value becomes. */
export function secretPlaceholder(key: string): string {
  return `[secret:${key}]`;
}

const SCHEMA_KEYS = new Set(["type", "description", "default", "value", "items", "secret"]);

/**
 * Parsed files by path, with the text they were parsed from. Every stack's config starts from
 * Pulumi.yaml, which holds the whole organization; a plan of a hundred stacks parses it once.
 * Callers only read the parsed value.
 */
const parsedFiles = new Map<string, { text: string; value: unknown }>();

function readYaml(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    throw new ProjectFileError(file, "cannot be read; does the file exist?");
  }
  const cached = parsedFiles.get(file);
  if (cached?.text === text) return cached.value;
  let value: unknown;
  try {
    value = parse(text) ?? {};
  } catch (e) {
    throw new ProjectFileError(file, `is not valid YAML: ${(e as Error).message.split("\n")[0]}`);
  }
  parsedFiles.set(file, { text, value });
  return value;
}

const isMap = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** Replaces `{secure: ...}` anywhere in a value; reports whether any was found. */
function replaceSecure(key: string, value: unknown): { value: unknown; secret: boolean } {
  if (isMap(value)) {
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === "secure") {
      return { value: secretPlaceholder(key), secret: true };
    }
    let secret = false;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const r = replaceSecure(key, v);
      out[k] = r.value;
      secret ||= r.secret;
    }
    return { value: out, secret };
  }
  if (Array.isArray(value)) {
    let secret = false;
    const out = value.map((v) => {
      const r = replaceSecure(key, v);
      secret ||= r.secret;
      return r.value;
    });
    return { value: out, secret };
  }
  return { value, secret: false };
}

function toConfigString(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** Names of the stacks that have a Pulumi.<stack>.yaml beside Pulumi.yaml. */
export function listStacks(projectDir: string): string[] {
  return fs
    .readdirSync(projectDir)
    .map((f) => STACK_FILE.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}

/** Reads the project name and its project-level config. */
export function readProject(projectDir: string): {
  project: string;
  config: Record<string, unknown>;
} {
  const file = path.join(projectDir, "Pulumi.yaml");
  const doc = readYaml(file);
  if (!isMap(doc) || typeof doc["name"] !== "string")
    throw new ProjectFileError(file, "has no project name; add `name: <project>`");
  const project = doc["name"];
  const config: Record<string, unknown> = {};
  const raw = doc["config"] ?? {};
  if (!isMap(raw)) throw new ProjectFileError(file, "config must be a map of keys to values");
  for (const [k, v] of Object.entries(raw)) {
    const key = k.includes(":") ? k : `${project}:${k}`;
    if (isMap(v)) {
      const unknown = Object.keys(v).filter((f) => !SCHEMA_KEYS.has(f));
      if (unknown.length > 0)
        throw new ProjectFileError(
          file,
          `config.${k}: a structured value must be written under \`value:\` (found ${unknown.join(", ")})`,
        );
      if ("secret" in v && v["secret"] === true && "value" in v)
        throw new ProjectFileError(
          file,
          `config.${k}: project-level config cannot hold secrets; use \`pulumi config set --secret\` per stack`,
        );
      if ("value" in v) config[key] = v["value"];
      else if ("default" in v) config[key] = v["default"];
    } else {
      config[key] = v;
    }
  }
  return { project, config };
}

/**
 * The project's stacks: the organization's (model/stacks.ts) under their effective names, each
 * with its stack file when it has one, and the problems of the stack files (a file for an account
 * the organization does not list, two files for one stack, a stale generated file). When the
 * organization itself is invalid, the stack files alone, so each stack reports the config errors.
 */
export function projectStacks(projectDir: string): {
  project: string;
  stacks: ResolvedStack[] | undefined;
  names: string[];
  problems: StackProblem[];
} {
  const { project, config } = readProject(projectDir);
  const raw = config[`${project}:organization`];
  const files = readStackFiles(projectDir);
  let org;
  try {
    org = raw === undefined ? undefined : validateOrganization(raw);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
  }
  if (!org) return { project, stacks: undefined, names: files.map((f) => f.name), problems: [] };
  const { stacks, problems } = resolveStacks(org, project, files);
  return { project, stacks, names: stacks.map((s) => s.name), problems };
}

/**
 * Loads the effective config of one stack as the CLI would hand it to the program. A stack of the
 * organization without a stack file gets the config `npm run stacks -- --write` would write.
 */
export function loadStackConfig(
  projectDir: string,
  stack: string,
  resolved?: ResolvedStack,
): StackConfig {
  const { project, config: projectConfig } = readProject(projectDir);
  const candidates = [`Pulumi.${stack}.yaml`, `Pulumi.${stack}.yml`].map((f) =>
    path.join(projectDir, f),
  );
  const stackFile = candidates.find((f) => fs.existsSync(f));
  if (!stackFile && resolved?.status === "missing")
    return flatten(project, stack, candidates[0]!, {
      ...projectConfig,
      ...stackFileConfig(project, resolved.derived),
    });
  if (!stackFile)
    throw new ProjectFileError(
      candidates[0],
      `no such stack; the project's stacks are ${listStacks(projectDir).join(", ") || "(none)"}`,
    );
  const doc = readYaml(stackFile);
  if (!isMap(doc)) throw new ProjectFileError(stackFile, "must be a YAML map");
  if (doc["environment"] !== undefined)
    throw new ProjectFileError(
      stackFile,
      "uses Pulumi ESC environments, which the offline plan cannot resolve; inline the values",
    );
  const stackRaw = doc["config"] ?? {};
  if (!isMap(stackRaw)) throw new ProjectFileError(stackFile, "config must be a map");

  const merged: Record<string, unknown> = { ...projectConfig };
  for (const [k, v] of Object.entries(stackRaw)) {
    if (!/^[^:]+:[^:]+$/.test(k) && !/^[^:]+:config:[^:]+$/.test(k))
      throw new ProjectFileError(
        stackFile,
        `could not parse ${k} as a configuration key (configuration keys should be of the form \`<namespace>:<name>\`)`,
      );
    merged[k.replace(/^([^:]+):config:/, "$1:")] = v;
  }
  return flatten(project, stack, stackFile, merged);
}

/** The flat string map the CLI hands a program, `secure:` values replaced by placeholders. */
function flatten(
  project: string,
  stack: string,
  stackFile: string,
  merged: Record<string, unknown>,
): StackConfig {
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [k, v] of Object.entries(merged)) {
    if (v === null || v === undefined) continue;
    const r = replaceSecure(k, v);
    config[k] = toConfigString(r.value);
    if (r.secret) secretKeys.push(k);
  }
  return { project, stack, config, secretKeys, stackFile };
}

/**
 * The program file `pulumi preview` would run: Pulumi.yaml's `main` (a file, or a directory holding
 * index.ts / index.js), else index.ts in the project directory.
 */
export function programEntry(projectDir: string): string {
  const file = path.join(projectDir, "Pulumi.yaml");
  const doc = readYaml(file);
  const main = isMap(doc) && typeof doc["main"] === "string" ? doc["main"] : ".";
  const target = path.resolve(projectDir, main);
  const candidates =
    fs.existsSync(target) && fs.statSync(target).isDirectory()
      ? [path.join(target, "index.ts"), path.join(target, "index.js")]
      : [target];
  const found = candidates.find((c) => fs.existsSync(c));
  if (!found)
    throw new ProjectFileError(
      file,
      `main: no program at ${candidates.join(" or ")}; point \`main\` at the program's entry file`,
    );
  return found;
}
