// The policy settings a command runs the pack with: the given policy config, the default one
// when present, or the pack's defaults.
import * as fs from "node:fs";
import * as path from "node:path";
import type { PackSettings } from "../pack";
import type { CliIO } from "./cli-io";

/** The policy config the plan uses when none is given (exempts the platform's own broad roles). */
export const DEFAULT_POLICY_CONFIG = path.join("policies", "platform.policy-config.json");

/** Reads the policy settings: the given file, the default file if present, or the pack's defaults. */
export async function loadSettings(
  io: CliIO,
  option: string | undefined,
  disabled: boolean,
): Promise<{ settings: PackSettings; file?: string }> {
  const pack = await import("../pack");
  if (disabled) return { settings: pack.resolvePackSettings() };
  const file = option ?? DEFAULT_POLICY_CONFIG;
  const full = path.resolve(io.cwd, file);
  if (option === undefined && !fs.existsSync(full)) return { settings: pack.resolvePackSettings() };
  return {
    settings: pack.resolvePackSettings(pack.readPolicyConfigFile(full), file),
    file,
  };
}
