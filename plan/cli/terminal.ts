// How the CLI writes to a terminal: ANSI colours when wanted (NO_COLOR, FORCE_COLOR, a TTY) and
// durations in seconds.
import type { CliIO } from "./cli-io";

export interface Palette {
  readonly bold: (s: string) => string;
  readonly red: (s: string) => string;
  readonly yellow: (s: string) => string;
  readonly green: (s: string) => string;
  readonly dim: (s: string) => string;
}

export function palette(enabled: boolean): Palette {
  const wrap = (open: number, close: number) => (s: string) =>
    enabled ? `\u001b[${open}m${s}\u001b[${close}m` : s;
  return {
    bold: wrap(1, 22),
    red: wrap(31, 39),
    yellow: wrap(33, 39),
    green: wrap(32, 39),
    dim: wrap(2, 22),
  };
}

export function colourWanted(isTTY: boolean, env: CliIO["env"]): boolean {
  if (env["NO_COLOR"] !== undefined && env["NO_COLOR"] !== "") return false;
  if (env["FORCE_COLOR"] !== undefined && env["FORCE_COLOR"] !== "0") return true;
  return isTTY;
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
