// Reads and writes `pulumi stack export` files (untyped deployment, version 3): `check FILE` turns
// an export into the resources the policy pack reads, and `toStackExport` writes the plan's
// resources as the export Pulumi would hold after `pulumi up`. The format follows Pulumi's
// `apitype.DeploymentV3` / `ResourceV3` (sdk/go/common/apitype/core.go) and the property encoding
// of pkg/resource/stack/deployment.go: secrets are `{<sig>: <secret sig>, ciphertext | plaintext}`
// with the plaintext JSON-encoded, assets and archives carry their own signatures, resource
// references are `{<sig>: <ref sig>, urn, id?, packageVersion}`, unknowns are the computed sentinel.
// A provider reference is "<provider urn>::<provider id>", split at the last "::".
//
// This barrel re-exports the reader, the writer and the wire format they share.

export {
  type ExportedResource,
  type ParsedExport,
  StackExportError,
  SUPPORTED_EXPORT_VERSIONS,
  UNKNOWN_TARGET,
} from "./parsed-export";
export { isDefaultProviderUrn, parseProviderReference, parseUrn } from "./wire-format";
export { parseStackExport } from "./stack-export-reader";
export {
  type ExportResourceV3,
  placeholderProviderId,
  type StackExport,
  toStackExport,
} from "./stack-export-writer";
