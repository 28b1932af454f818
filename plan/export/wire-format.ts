// The deployment v3 wire format that reading and writing share: the property signatures of
// secrets, assets, archives and resource references, the type tokens, and URNs and provider
// references as Pulumi parses them.

export const SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
export const ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17";
export const ARCHIVE_SIG = "0def7320c3a5731c473e5ecbe6d01bc7";
export const RESOURCE_REF_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
/** The root stack's type token. */
export const STACK_TYPE = "pulumi:pulumi:Stack";
export const PROVIDER_PREFIX = "pulumi:providers:";

export type Json = Record<string, unknown>;

export const isMap = (v: unknown): v is Json =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** The parts of a URN as Pulumi's `resource.URN` reads them: the name is all after the third "::". */
export function parseUrn(
  urn: string,
):
  | { stack: string; project: string; qualifiedType: string; type: string; name: string }
  | undefined {
  if (!urn.startsWith("urn:pulumi:")) return undefined;
  const parts = urn.slice("urn:pulumi:".length).split("::");
  if (parts.length < 4) return undefined;
  const [stack, project, qualifiedType] = parts as [string, string, string];
  if (stack === "" || project === "" || qualifiedType === "") return undefined;
  return {
    stack,
    project,
    qualifiedType,
    type: qualifiedType.split("$").pop()!,
    name: parts.slice(3).join("::"),
  };
}

/** Splits a provider reference "<urn>::<id>" at the last "::", as `providers.ParseReference` does. */
export function parseProviderReference(ref: string): { urn: string; id: string } | undefined {
  const at = ref.lastIndexOf("::");
  if (at < 0) return undefined;
  const urn = ref.slice(0, at);
  const parsed = parseUrn(urn);
  if (!parsed || !parsed.type.startsWith(PROVIDER_PREFIX)) return undefined;
  return { urn, id: ref.slice(at + 2) };
}

/** True for the providers the engine creates on its own (`pulumi:providers:aws::default_7_48_0`). */
export function isDefaultProviderUrn(urn: string): boolean {
  const parsed = parseUrn(urn);
  return (
    parsed !== undefined &&
    parsed.type.startsWith(PROVIDER_PREFIX) &&
    parsed.name.startsWith("default")
  );
}
