// Pipeline artifacts carry source code and build output across accounts. With the default AWS
// managed key, target accounts cannot decrypt them; with a customer key the platform controls who
// can, and cross-account deploys work.
import { configSchema, type BaseConfig } from "../lib/config";
import { resourcePolicy } from "../lib/policy";
import { T } from "../lib/resources";
import { elementsOf, isUnknown, knownString, read } from "../lib/unknowns";

/** One message per artifact store without a customer-managed encryption key. */
export function findUnencryptedArtifactStores(props: unknown): string[] {
  const stores = read(props, "artifactStores");
  if (isUnknown(stores)) return [];
  const findings: string[] = [];
  elementsOf(stores).forEach((store, i) => {
    if (isUnknown(store)) return;
    const region = knownString(store, "region");
    const at = `artifactStores[${i}]${region ? ` (${region})` : ""}`;
    const key = read(store, "encryptionKey");
    if (isUnknown(key)) return;
    const id = read(key, "id");
    if (key === undefined || id === undefined || id === "") {
      findings.push(`${at} has no encryptionKey with a customer-managed KMS key id.`);
    }
  });
  return findings;
}

export const baselinePipelineArtifactEncryption = resourcePolicy<BaseConfig>({
  name: "baseline-pipeline-artifact-encryption",
  family: "baseline",
  description:
    "Flags CodePipeline pipelines whose artifactStores entries have no encryptionKey (a customer-managed KMS key); the AWS managed key cannot be shared with target accounts.",
  severity: "high",
  enforcementLevel: "mandatory",
  remediationSteps:
    'Set encryptionKey { id: key.arn, type: "KMS" } on every artifact store, and allow each target account\'s deploy role kms:Decrypt in the key policy.',
  configSchema: configSchema(),
  resourceTypes: [T.pipeline],
  check: (r) => findUnencryptedArtifactStores(r.props),
});
