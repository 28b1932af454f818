// What reading an export gives: the parsed stack and its resources with where they live, the
// error that lists every problem of an unreadable export, and the versions the reader knows.
import type { PackResource } from "../pack";

/** One resource of an export, as the pack reads it, with where it lives. */
export type ExportedResource = PackResource & {
  /** False for component resources and the root stack. */
  readonly custom: boolean;
  /** Physical id (custom resources; absent when the export has none). */
  readonly id?: string;
  /** AWS account and region, from the resource's provider; "unknown" when nothing says. */
  readonly account: string;
  readonly region: string;
  /** Input and output paths (`a.b[0]`) that held secrets. */
  readonly secretPaths: string[];
  readonly protect: boolean;
  readonly retainOnDelete: boolean;
};

/** A parsed export: the stack it came from and its live resources (pending deletes left out). */
export interface ParsedExport {
  readonly project: string;
  readonly stack: string;
  readonly resources: ExportedResource[];
}

/** An export that cannot be read; every problem names its JSON path and the fix. */
export class StackExportError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(`${file}: ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "StackExportError";
  }
}

/** The deployment versions this reader understands. */
export const SUPPORTED_EXPORT_VERSIONS: readonly number[] = [3];

/** The account and region of a resource that nothing in the export places. */
export const UNKNOWN_TARGET = "unknown";
