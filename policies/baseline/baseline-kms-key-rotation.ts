// Yearly rotation of customer-managed keys limits how much data one key version protects; AWS keeps
// old versions for decryption, so turning it on breaks nothing.
import { configSchema, type BaseConfig } from "../lib/config";
import { resourcePolicy } from "../lib/policy";
import { T } from "../lib/resources";
import { isUnknown, knownString, read } from "../lib/unknowns";

/** A message when a symmetric encryption key does not have rotation enabled (as far as known). */
export function findKeyWithoutRotation(props: unknown): string[] {
  const spec = knownString(props, "customerMasterKeySpec") ?? "SYMMETRIC_DEFAULT";
  const usage = knownString(props, "keyUsage") ?? "ENCRYPT_DECRYPT";
  if (spec !== "SYMMETRIC_DEFAULT" || usage !== "ENCRYPT_DECRYPT") return [];
  const rotation = read(props, "enableKeyRotation");
  if (rotation === true || isUnknown(rotation)) return [];
  return [
    `KMS key has enableKeyRotation ${rotation === undefined ? "unset" : `set to ${JSON.stringify(rotation)}`}.`,
  ];
}

export const baselineKmsKeyRotation = resourcePolicy<BaseConfig>({
  name: "baseline-kms-key-rotation",
  family: "baseline",
  description:
    "Flags symmetric encryption KMS keys (aws:kms/key:Key) whose enableKeyRotation is not true. Asymmetric and HMAC keys, which cannot rotate, are skipped.",
  severity: "medium",
  enforcementLevel: "advisory",
  remediationSteps: "Set enableKeyRotation: true on the key (optionally rotationPeriodInDays).",
  configSchema: configSchema(),
  resourceTypes: [T.kmsKey],
  check: (r) => findKeyWithoutRotation(r.props),
});
