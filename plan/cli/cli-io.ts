// Where the CLI writes and what it knows about its terminal (CliIO), and how it writes a file
// the user named (relative to the project directory).
import * as fs from "node:fs";
import * as path from "node:path";

/** Where the CLI writes, and what it knows about its terminal. */
export interface CliIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly stdoutIsTTY: boolean;
  readonly stderrIsTTY: boolean;
  /** The project directory (where Pulumi.yaml lives). */
  readonly cwd: string;
  /** NO_COLOR and friends. */
  readonly env: Readonly<Record<string, string | undefined>>;
}

export function writeFile(io: CliIO, file: string, text: string): void {
  const full = path.resolve(io.cwd, file);
  fs.mkdirSync(path.dirname(full), { recursive: true });
  fs.writeFileSync(full, text);
}
