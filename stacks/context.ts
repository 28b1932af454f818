// Reads and validates this stack's configuration before any resource is registered.
import * as pulumi from "@pulumi/pulumi";
import { StackContext, validateStackConfig } from "../model/config";

/** Keys the CLI marked secret (decrypted values of `pulumi config set --secret`). */
function secretConfigKeys(): string[] {
  // The runtime keeps them beside the config; there is no public getter for the list.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { getStore } = require("@pulumi/pulumi/runtime/state");
  const raw = getStore().config?.["PULUMI_CONFIG_SECRET_KEYS"];
  try {
    const keys = raw ? JSON.parse(raw) : [];
    return Array.isArray(keys) ? keys.filter((k): k is string => typeof k === "string") : [];
  } catch {
    return [];
  }
}

/** The validated context of the running stack; throws ConfigError listing every problem. */
export function loadStackContext(): StackContext {
  return validateStackConfig(
    pulumi.getProject(),
    pulumi.getStack(),
    pulumi.runtime.allConfig(),
    secretConfigKeys(),
  );
}
