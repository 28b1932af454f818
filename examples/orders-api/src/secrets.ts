// Secrets by reference: the function's environment names where the API key is (an SSM
// SecureString parameter or a Secrets Manager secret), never the key itself; the value is read
// at run time with the function's role and kept for a few minutes. A SecureString encrypted with
// the AWS managed key aws/ssm needs no kms:Decrypt in the role: that key's policy grants it to
// every principal of the account
// (https://docs.aws.amazon.com/systems-manager/latest/userguide/ps-restrict-decryption.html).

/** Where a secret is kept. */
export type SecretReference =
  | { readonly kind: "ssm"; readonly name: string }
  | { readonly kind: "secretsmanager"; readonly arn: string };

// SSM parameter names: letters, digits and . - _ / ; a hierarchy starts with "/"
// (https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-parameter-name-constraints.html).
const SSM_NAME = /^\/[A-Za-z0-9_.\-/]{1,1010}$/;
const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+$/;

/** Parses a reference: an SSM parameter name ("/...") or a Secrets Manager secret ARN. */
export function parseSecretReference(ref: string): SecretReference | string {
  if (SECRET_ARN.test(ref)) return { kind: "secretsmanager", arn: ref };
  if (SSM_NAME.test(ref) && !ref.includes("//")) return { kind: "ssm", name: ref };
  return `"${ref}" is neither an SSM parameter name (/path/name) nor a Secrets Manager secret ARN`;
}

/** Reads a secret's current value. */
export type SecretReader = (ref: SecretReference) => Promise<string>;

/**
 * A cached secret: the first call reads it, later calls within `ttlMs` reuse the value, so a
 * rotated key is picked up within minutes without a deployment.
 */
export function cachedSecret(
  ref: SecretReference,
  read: SecretReader,
  ttlMs = 5 * 60_000,
  clock: () => number = Date.now,
): () => Promise<string> {
  let cached: { value: string; at: number } | undefined;
  return async () => {
    if (cached && clock() - cached.at < ttlMs) return cached.value;
    const value = await read(ref);
    cached = { value, at: clock() };
    return value;
  };
}

interface SdkClient {
  send(command: unknown): Promise<unknown>;
}
type Command = new (input: object) => unknown;

/** Reads secrets through the runtime's AWS SDK (SSM GetParameter, Secrets Manager GetSecretValue). */
export const sdkSecretReader: SecretReader = async (ref) => {
  /* eslint-disable @typescript-eslint/no-require-imports */
  if (ref.kind === "ssm") {
    const ssm = require("@aws-sdk/client-ssm") as {
      SSMClient: new (config: object) => SdkClient;
      GetParameterCommand: Command;
    };
    const out = (await new ssm.SSMClient({}).send(
      new ssm.GetParameterCommand({ Name: ref.name, WithDecryption: true }),
    )) as { Parameter?: { Value?: string } };
    const value = out.Parameter?.Value;
    if (value === undefined) throw new Error(`SSM parameter ${ref.name} has no value`);
    return value;
  }
  const sm = require("@aws-sdk/client-secrets-manager") as {
    SecretsManagerClient: new (config: object) => SdkClient;
    GetSecretValueCommand: Command;
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
  const out = (await new sm.SecretsManagerClient({}).send(
    new sm.GetSecretValueCommand({ SecretId: ref.arn }),
  )) as { SecretString?: string };
  if (out.SecretString === undefined) throw new Error(`secret ${ref.arn} has no string value`);
  return out.SecretString;
};
