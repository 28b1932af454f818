// A config problem (its path and the fix), the ConfigError that lists them all, and the
// conversion of zod's issues into problems with paths as `pulumi config set --path` writes them.
import { z } from "zod";
import { describeValue, escapeControls } from "../../policies/lib/display";

/** One problem in the config: where it is and what to do about it. */
export interface ConfigProblem {
  /** Config path, for example `organization.environments[2].accounts[1].id`. */
  readonly path: string;
  /** What is wrong and how to fix it. */
  readonly message: string;
}

/** Thrown when the config has problems; lists all of them. Nothing is created after it. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(formatProblems(problems));
    this.name = "ConfigError";
  }
}

export function formatProblems(problems: readonly ConfigProblem[]): string {
  const head =
    problems.length === 1 ? "1 problem in config:" : `${problems.length} problems in config:`;
  return [
    head,
    ...problems.map((p) => `  - ${escapeControls(p.path)}: ${escapeControls(p.message, true)}`),
  ].join("\n");
}

/** Renders a zod path the way `pulumi config set --path` writes it: a.b[0].c */
export function renderPath(root: string, path: readonly PropertyKey[]): string {
  let out = root;
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? String(part) : `.${String(part)}`;
  }
  return out;
}

export function zodProblems(root: string, error: z.ZodError): ConfigProblem[] {
  return error.issues.map((issue) => {
    const path = renderPath(root, issue.path);
    switch (issue.code) {
      case "unrecognized_keys":
        return {
          path,
          message: `unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys
            .map((k) => describeValue(k))
            .join(", ")}; remove ${issue.keys.length > 1 ? "them" : "it"} or check the spelling`,
        };
      case "invalid_type":
        // A field's own message names what to write; the generic one only says it is missing.
        if (issue.input === undefined)
          return {
            path,
            message: issue.message.startsWith("is required:")
              ? issue.message
              : `is required; add it`,
          };
        if (!issue.message.startsWith("Invalid input")) return { path, message: issue.message };
        return {
          path,
          message: `expected ${issue.expected}, got ${describe(issue.input)}; write a ${issue.expected}`,
        };
      default:
        return { path, message: issue.message };
    }
  });
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "a map" : `${typeof value} ${describeValue(value)}`;
}

/** Drops repeated problems (same path, same message), keeping the first. */
export function dedupe(problems: ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const k = `${p.path}\u0000${p.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
