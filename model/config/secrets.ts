// The scan of plain config for values that look like secrets: they belong in `pulumi config set
// --secret`, Secrets Manager or SSM, never in a plain value.
import { detectSecret } from "../../policies/lib/secrets";
import { isRecord } from "./raw-readers";

/** Walks every string in plain config and reports the ones that look like secrets. */
export function scanSecrets(
  path: string,
  value: unknown,
  add: (path: string, message: string) => void,
  key?: string,
) {
  if (typeof value === "string") {
    const finding = detectSecret(value, key);
    if (finding)
      add(
        path,
        `looks like ${finding.description}; never put secrets in plain config: store it with \`pulumi config set --secret\` or in Secrets Manager / SSM and reference it (applications[].secrets[].ref)`,
      );
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => scanSecrets(`${path}[${i}]`, v, add, key));
  } else if (isRecord(value)) {
    for (const [k, v] of Object.entries(value)) scanSecrets(`${path}.${k}`, v, add, k);
  }
}
