// The errors the CLI tells apart: a usage error (exit 2 with the usage text), a config error
// (exit 2), anything else (exit 1); and an error's message as the CLI prints it.

export class UsageError extends Error {}

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** True for errors that mean "the config is wrong" (exit 2), not "the program is broken". */
export function isConfigError(e: unknown): boolean {
  const name = (e as { name?: string } | undefined)?.name;
  return (
    name === "ConfigError" ||
    name === "ProjectFileError" ||
    name === "PolicyConfigError" ||
    name === "StackExportError"
  );
}
