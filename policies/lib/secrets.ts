// Secret detection shared by the policy pack's secrets family and the blueprint's config validation.
// The formats follow what widely used scanners (gitleaks, detect-secrets, trufflehog) match; the
// thresholds are detect-secrets' defaults. This module has no dependencies so the pack stays
// self-contained when published with `pulumi policy publish`.

/** What was found in one string value. */
export interface SecretFinding {
  /** Short machine-readable kind, for example `github-token`. */
  readonly kind: string;
  /** Human description used in messages, for example "a GitHub personal access token". */
  readonly description: string;
}

interface TokenFormat {
  readonly kind: string;
  readonly description: string;
  readonly pattern: RegExp;
}

/** Token formats matched anywhere inside a value. Order matters only for which name is reported. */
export const TOKEN_FORMATS: readonly TokenFormat[] = [
  {
    kind: "private-key",
    description: "a private key",
    pattern: /-----BEGIN ((RSA|EC|DSA|OPENSSH|ENCRYPTED|PGP) )?PRIVATE KEY( BLOCK)?-----/,
  },
  {
    kind: "putty-private-key",
    description: "a PuTTY private key",
    pattern: /PuTTY-User-Key-File-\d+:/,
  },
  {
    kind: "aws-access-key-id",
    description: "an AWS access key id",
    pattern: /(?<![A-Z0-9])(AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z2-7]{16}(?![A-Z0-9])/,
  },
  {
    kind: "github-token",
    description: "a GitHub token",
    pattern: /(?<![A-Za-z0-9_])(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}(?![A-Za-z0-9])/,
  },
  {
    kind: "github-fine-grained-token",
    description: "a GitHub fine-grained personal access token",
    pattern: /github_pat_[A-Za-z0-9_]{82}/,
  },
  {
    kind: "gitlab-token",
    description: "a GitLab personal access token",
    pattern: /glpat-[A-Za-z0-9_-]{20,}/,
  },
  {
    kind: "slack-token",
    description: "a Slack token",
    pattern: /xox[baprs]-[A-Za-z0-9-]{10,}/,
  },
  {
    kind: "slack-webhook",
    description: "a Slack incoming-webhook URL",
    pattern: /hooks\.slack\.com\/(services|workflows)\/[A-Za-z0-9+/_-]{20,}/,
  },
  {
    kind: "npm-token",
    description: "an npm access token",
    pattern: /(?<![A-Za-z0-9_])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9])/,
  },
  {
    kind: "jwt",
    description: "a JSON Web Token",
    pattern: /(?<![A-Za-z0-9_-])ey[A-Za-z0-9_-]{10,}\.ey[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/,
  },
  {
    kind: "url-credentials",
    description: "a URL with an embedded user name and password",
    pattern: /[a-z][a-z0-9+.-]*:\/\/[^\s/:@]+:[^\s/@]+@[^\s/]+/i,
  },
];

/** Key names that announce a secret value. Matched case-insensitively on word boundaries. */
const SECRET_KEY =
  /(^|[^a-z])(password|passwd|pwd|secret|token|api[_-]?key|apikey|private[_-]?key|credentials?|auth)([^a-z]|$)/i;

/** True when a key (an environment variable name, a config key) names a secret. */
export function isSecretLikeKey(key: string): boolean {
  // Split camelCase so `githubToken` and `dbPassword` match.
  const spaced = key.replace(/([a-z0-9])([A-Z])/g, "$1_$2");
  return SECRET_KEY.test(spaced);
}

/** Shannon entropy in bits per character. */
export function shannonEntropy(value: string): number {
  if (value.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let entropy = 0;
  for (const n of counts.values()) {
    const p = n / value.length;
    entropy -= p * Math.log2(p);
  }
  return entropy;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Values that are obviously not secrets: booleans, repeated characters, references to a secret
 * store or a variable, placeholders, UUIDs, ARNs, SSM parameter names.
 */
export function isReferenceOrPlaceholder(value: string): boolean {
  const v = value.trim();
  if (/^(true|false|null|none|undefined|changeme|redacted)$/i.test(v)) return true;
  if (/^(.)\1*$/.test(v)) return true;
  if (/^\$\{[^}]*\}$|^\{\{.*\}\}$|^\$\(.*\)$|^\$[A-Z_][A-Z0-9_]*$/.test(v)) return true;
  if (/^arn:aws[a-z-]*:(secretsmanager|ssm|kms):/.test(v)) return true;
  if (/^resolve:|^\{\{resolve:/.test(v)) return true;
  if (/^<[^<>]*>$|^\[secret[^\]]*\]$|^\*+$/i.test(v)) return true;
  if (UUID.test(v)) return true;
  if (/^\/[A-Za-z0-9_.\-/]+$/.test(v)) return true; // an SSM parameter name or a path
  return false;
}

/** True for a documented example value such as `AKIAIOSFODNN7EXAMPLE`. */
export function isDocumentedExample(match: string): boolean {
  return /EXAMPLE$/i.test(match) || /EXAMPLEKEY$/i.test(match);
}

/** Finds a known token format anywhere in the value. */
export function findTokenFormat(value: string): SecretFinding | undefined {
  // The shortest token any format matches is 15 characters (xoxb-0123456789); a URL needs "://".
  const hasUrl = value.includes("://");
  if (value.length < 15 && !hasUrl) return undefined;
  for (const format of TOKEN_FORMATS) {
    // The URL pattern can start at any letter, so it is the costly one; it needs "://".
    if (format.kind === "url-credentials" && !hasUrl) continue;
    const m = format.pattern.exec(value);
    if (m && !isDocumentedExample(m[0]) && !isExampleCredentialUrl(format.kind, m[0])) {
      return { kind: format.kind, description: format.description };
    }
  }
  return undefined;
}

function isExampleCredentialUrl(kind: string, match: string): boolean {
  if (kind !== "url-credentials") return false;
  const password = /:\/\/[^:]+:([^@]+)@/.exec(match)?.[1] ?? "";
  return isReferenceOrPlaceholder(password) || /^(password|pass|secret)$/i.test(password);
}

const BASE64 = /^[A-Za-z0-9+/=_-]+$/;
const HEX = /^[0-9a-fA-F]+$/;

/** A stand-alone high-entropy string (detect-secrets' limits: base64 >= 4.5, hex >= 3.0 bits). */
export function isHighEntropyString(value: string): boolean {
  const v = value.trim();
  if (v.length < 20 || isReferenceOrPlaceholder(v)) return false;
  if (HEX.test(v) && v.length >= 32) return shannonEntropy(v) >= 3.0;
  if (BASE64.test(v)) return shannonEntropy(v) >= 4.5;
  return false;
}

/**
 * Decides whether one string value carries a secret. `key` is the name the value is stored under
 * (an environment variable, a config key), when there is one: a secret-like key with a value of 10+
 * characters and entropy above 3.5 bits per character is a finding even without a known format.
 */
export function detectSecret(value: string, key?: string): SecretFinding | undefined {
  if (typeof value !== "string" || value.length < 8) return undefined;
  const token = findTokenFormat(value);
  if (token) return token;
  if (isReferenceOrPlaceholder(value)) return undefined;
  if (key !== undefined && isSecretLikeKey(key)) {
    const v = value.trim();
    if (v.length >= 10 && !/\s/.test(v) && shannonEntropy(v) > 3.5) {
      return {
        kind: "secret-like-value",
        description: `a high-entropy value under the secret-like name '${key}'`,
      };
    }
  }
  if (isHighEntropyString(value)) {
    return { kind: "high-entropy-string", description: "a high-entropy string" };
  }
  return undefined;
}
