// Placeholders and references are not secrets. Each suppression is a named table row: when a rule
// matched a value but one of these explains it, the match is dropped and the suppression is
// reported (rule id + where), so a reviewer can see what the scanner let through and why. The
// lists follow what the scanners' own allowlists hold: gitleaks' global allowlist and stop words
// (config/gitleaks.toml), detect-secrets' filters (detect_secrets/filters/heuristic.py: templated
// secrets, sequential strings, id strings, indirect references).

/** What a suppression looks at. */
export interface SuppressionInput {
  /** The matched secret (the rule's capture group, or the whole value for generic rules). */
  readonly secret: string;
  /** The whole value the secret is in. */
  readonly value: string;
  /** The key the value is stored under, when there is one. */
  readonly key: string | undefined;
  /** The rule's entropy floor, when it has one. */
  readonly minEntropy: number | undefined;
}

/** One named suppression. */
export interface SuppressionRule {
  readonly id: string;
  readonly description: string;
  /** "all": also applies to format rules; "generic": only to values without a known format. */
  readonly appliesTo: "all" | "generic";
  readonly test: (input: SuppressionInput) => boolean;
  readonly docs: string;
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

const GITLEAKS = "https://github.com/gitleaks/gitleaks/blob/master/config/gitleaks.toml";
const DS_FILTERS =
  "https://github.com/Yelp/detect-secrets/blob/master/detect_secrets/filters/heuristic.py";

/** References a platform resolves at run time, each matching a whole value. */
const REFERENCES: readonly RegExp[] = [
  /^\$\{\{.*\}\}$/s, // GitHub Actions ${{ secrets.X }}
  /^\$\{[^}]*\}$/, // shell, Terraform, CloudFormation Sub: ${VAR}
  /^\$[A-Za-z_][A-Za-z0-9_]*$/, // $VAR
  /^\$\d+$|^\$\{\d+\}$/, // $1
  /^\$\(.*\)$/s, // $(command), Azure Pipelines $(var)
  /^\{\{.*\}\}$/s, // {{resolve:ssm:...}}, {{resolve:secretsmanager:...}}, Jinja, Helm
  /^&\{.*\}$/, // Ansible Tower / Spring &{...}
  /^#\{.*\}$/, // Octopus / Ruby #{...}
  /^%\(.*\)s$/, // Python %(name)s
  /^%[A-Za-z_][A-Za-z0-9_]*%$/, // Windows %VAR%
  /^@[A-Za-z_][A-Za-z0-9_]*@$/, // Autoconf @VAR@
  // An indirect reference in code: os.environ['TOKEN'], os.getenv("KEY"), ENV.fetch(:key)
  // (detect-secrets' is_indirect_reference).
  /^[A-Za-z_$][\w$.]*(?:\[[^\]\n]*\]|\([^)\n]*\))$/,
];
const EMBEDDED_REFERENCE = /\$\{\{[^}]*\}\}|\$\{[^}]*\}|\{\{[^}]*\}\}|\$\([^)]*\)|#\{[^}]*\}/g;

/** True when `v` is a run-time reference, or is one with only a short fixed text around it. */
export function isRuntimeReference(v: string): boolean {
  const t = v.trim().replace(/^["'`]|["'`]$/g, "");
  if (REFERENCES.some((r) => r.test(t))) return true;
  if (!/[$#{]/.test(t)) return false;
  const rest = t.replace(EMBEDDED_REFERENCE, "");
  return rest.length < t.length && (rest.length < 8 || shannonEntropy(rest) < 3);
}

/** A reference to a secret store: Secrets Manager / SSM / KMS ARNs and resolve prefixes. */
export function isSecretStoreReference(v: string): boolean {
  const t = v.trim();
  return (
    /^arn:aws[a-z-]*:(?:secretsmanager|ssm|kms):/.test(t) ||
    /^(?:resolve:)?(?:ssm|ssm-secure|secretsmanager|vault|op|gcp-sm|azure-kv):\/?[A-Za-z0-9_/.:-]+$/.test(
      t,
    )
  );
}

/** An SSM parameter name or an absolute file path. */
const PARAMETER_PATH = /^\/[A-Za-z0-9_.\-/@]+$/;

/** Whole values (case-insensitive, punctuation around them ignored) that are placeholders. */
const STOP_WORDS = new Set([
  "password",
  "passwd",
  "pass",
  "pwd",
  "secret",
  "token",
  "apikey",
  "key",
  "changeme",
  "changeit",
  "example",
  "placeholder",
  "dummy",
  "test",
  "testing",
  "sample",
  "redacted",
  "masked",
  "hidden",
  "none",
  "null",
  "nil",
  "undefined",
  "todo",
  "tbd",
  "fixme",
  "default",
  "notset",
  "unset",
  "empty",
  "fake",
  "mock",
  "foo",
  "bar",
  "baz",
  "admin",
  "root",
  "letmein",
  "qwerty",
  "hunter2",
]);
/** Words that together with stop words still spell a placeholder ("your_api_key_here"). */
const FILLER = new Set([
  "my",
  "your",
  "our",
  "the",
  "a",
  "some",
  "here",
  "goes",
  "value",
  "api",
  "access",
  "auth",
  "db",
  "database",
  "app",
  "user",
  "client",
  "private",
  "public",
  "insert",
  "replace",
  "me",
  "put",
  "enter",
  "new",
  "real",
  "not",
  "set",
  "this",
  "with",
  "dev",
  "local",
  "demo",
  "aws",
]);
/** Substrings that mark a value as a placeholder wherever they are. */
const STOP_SUBSTRINGS = [
  "example",
  "placeholder",
  "changeme",
  "change_me",
  "change-me",
  "dummy",
  "redacted",
  "your_",
  "your-",
  "yourkey",
  "yourtoken",
  "yourpassword",
  "_here",
  "-here",
  "xxxxx",
  "*****",
  "notreal",
  "not_real",
  "not-a-real",
  "lorem",
];

/** True when the value is a stop word, a sentence of stop words and fillers, or holds a marker. */
export function isStopWord(v: string): boolean {
  const t = v.trim();
  if (/^<[^<>]*>$|^\[[^[\]]*\]$|^\(\s*[A-Za-z _-]*\s*\)$/.test(t)) return true; // <token>, [secret]
  const lower = t.toLowerCase();
  if (STOP_SUBSTRINGS.some((s) => lower.includes(s))) return true;
  const words = lower.split(/[^a-z0-9]+/).filter((w) => w !== "");
  if (words.length === 0) return true;
  let stop = 0;
  for (const w of words) {
    if (STOP_WORDS.has(w)) stop++;
    else if (!FILLER.has(w) && !/^\d{1,6}$/.test(w)) return false;
  }
  return stop > 0 || words.length <= 3;
}

const SEQUENCES = [
  "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/",
  "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZ+/",
  "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ",
  "01234567890123456789",
  "0123456789ABCDEF0123456789ABCDEF",
  "ABCDEFGHIJKLMNOPQRSTUVWXYZ=/",
];

/** A run of one character covering half the secret or more, or an alphabet in order. */
export function isRepeatedOrSequential(secret: string): boolean {
  const t = secret.trim();
  if (t.length === 0) return true;
  let longest = 1;
  let run = 1;
  for (let i = 1; i < t.length; i++) {
    run = t[i] === t[i - 1] ? run + 1 : 1;
    if (run > longest) longest = run;
  }
  if (longest === t.length || (longest >= 6 && longest * 2 >= t.length)) return true;
  // The random part after a short prefix such as ghp_ or sk_live_.
  const body = t.replace(/^(?:[A-Za-z0-9]{1,12}[_-]){1,3}(?=[A-Za-z0-9]{12,}$)/, "").toUpperCase();
  return body.length >= 8 && SEQUENCES.some((s) => s.includes(body));
}

/** Keys whose values are content hashes: commit shas, image digests, checksums. */
const HASH_KEY = /(commit|sha\d*|revision|digest|checksum|hash|etag|fingerprint|integrity|md5)/i;
const HASH_VALUE =
  /^(?:[0-9a-f]{7,128}|[A-Za-z0-9+/]{22,86}={0,2})$|^(?:sha(?:1|224|256|384|512)|md5)[:-][A-Za-z0-9+/=]+$/i;

/** Shapes that are plainly not secrets, for values without a known format. */
function isNonSecretShape(v: string, key: string | undefined): boolean {
  const t = v.trim();
  if (/^(?:true|false|yes|no|on|off|null|none|enabled|disabled)$/i.test(t)) return true;
  if (/^[-+]?\d+(?:\.\d+)?(?:e[-+]?\d+)?$/i.test(t)) return true; // a number
  if (/^v?\d+(?:\.\d+){1,3}(?:[-+][0-9A-Za-z.-]+)?$/.test(t)) return true; // a version
  if (/^arn:[a-z-]+:/.test(t)) return true; // any ARN
  if (/^[a-z][a-z0-9+.-]*:\/\/[^\s@]+$/i.test(t) && !/:\/\/[^/]*:[^/]*@/.test(t)) return true;
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(t)) return true;
  if (/^[^\s@]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+$/i.test(t)) return true; // an e-mail address
  if (/^[a-zA-Z_.-]+$/.test(t)) return true; // letters only: a word or a name (gitleaks)
  if (/^[a-z0-9]+(?:[-_.][a-z0-9]+)*$/.test(t) && shannonEntropy(t) < 3.6) return true; // a name
  // A relative path, an S3 key, an image reference: words between / : and .
  if (/^[\w.@-]+(?:[/:][\w.@-]*)+$/.test(t) && t.split(/[/:]/).every(isWordish)) return true;
  if (key !== undefined && /(?:^|[^a-z])(?:id|ids|name|arn|url|uri|region|version)$/i.test(key))
    return !/[^A-Za-z0-9_.:/-]/.test(t) && shannonEntropy(t) < 4.5;
  return false;
}

/** A path segment made of words: lower-case words, versions, CamelCase words, a file name. */
function isWordish(segment: string): boolean {
  return (
    /^(?:[a-z0-9]+(?:[._@-][a-z0-9]+)*)?$/.test(segment) ||
    /^(?:[A-Z][a-z]+)+(?:[._-][A-Za-z0-9]+)*$/.test(segment) ||
    /^[A-Za-z][A-Za-z0-9_-]*\.[a-z0-9]{1,5}$/.test(segment) ||
    shannonEntropy(segment) < 3
  );
}

/** True when base64 text decodes to printable text (non-secret JSON, a template, a script). */
export function decodesToText(v: string): boolean {
  const t = v.trim();
  if (t.length < 24 || !/^[A-Za-z0-9+/]+={0,2}$/.test(t) || t.length % 4 !== 0) return false;
  const decoded = Buffer.from(t, "base64").toString("latin1");
  let printable = 0;
  for (let i = 0; i < decoded.length; i++) {
    const c = decoded.charCodeAt(i);
    if ((c >= 32 && c < 127) || c === 9 || c === 10 || c === 13) printable++;
  }
  return printable / decoded.length > 0.95 && /[\s{}":=]/.test(decoded);
}

/** The suppression rules, in the order they are tried; the first that explains a match wins. */
export const SUPPRESSIONS: readonly SuppressionRule[] = [
  {
    id: "aws-documented-example",
    description:
      "AWS's documented example credentials (AKIAIOSFODNN7EXAMPLE, wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY and every key ending in EXAMPLE or EXAMPLEKEY)",
    appliesTo: "all",
    test: ({ secret }) => /EXAMPLE(?:KEY)?$/.test(secret) || /EXAMPLEKEY/.test(secret),
    docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/security-creds.html",
  },
  {
    id: "runtime-reference",
    description:
      "a reference resolved at run time: ${VAR}, $VAR, $(...), {{resolve:ssm:...}} / {{resolve:secretsmanager:...}}, &{...}, ${{ secrets.X }}, #{...}, %(name)s, %VAR%, os.environ['X'] / getenv(\"X\")",
    appliesTo: "all",
    test: ({ secret }) => isRuntimeReference(secret),
    docs: DS_FILTERS,
  },
  {
    id: "secret-store-reference",
    description:
      "a Secrets Manager, SSM or KMS ARN or a resolve: prefix (ssm:, secretsmanager:): the name of a secret, not its value",
    appliesTo: "all",
    test: ({ secret }) => isSecretStoreReference(secret),
    docs: "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references.html",
  },
  {
    id: "parameter-path",
    description: "an SSM parameter name or a file path (/app/db/password, /etc/app/key.pem)",
    appliesTo: "generic",
    test: ({ secret }) => PARAMETER_PATH.test(secret.trim()),
    docs: GITLEAKS,
  },
  {
    id: "repeated-character",
    description:
      "runs of one character (xxxx..., 0000..., ****) and alphabets in order (abcdef..., 0123...)",
    appliesTo: "all",
    test: ({ secret }) => isRepeatedOrSequential(secret),
    docs: DS_FILTERS,
  },
  {
    id: "stop-word",
    description:
      "placeholder words: password, changeme, example, placeholder, dummy, test, sample, redacted, your_api_key_here, <token>, [secret], ...",
    appliesTo: "all",
    test: ({ secret }) => isStopWord(secret),
    docs: GITLEAKS,
  },
  {
    id: "content-hash",
    description:
      "a content hash under a commit / sha / revision / digest / checksum / hash / etag key, or a sha256:... digest",
    appliesTo: "generic",
    test: ({ secret, key }) =>
      HASH_VALUE.test(secret.trim()) &&
      ((key !== undefined && HASH_KEY.test(key)) || /^(?:sha\d+|md5)[:-]/i.test(secret.trim())),
    docs: DS_FILTERS,
  },
  {
    id: "non-secret-shape",
    description:
      "a number, a boolean, a version string, an ARN, a URL without credentials, a UUID, an e-mail address, a word or resource name, a relative path or image reference, an id under an *Id / *Name / *Arn / *Url key",
    appliesTo: "generic",
    test: ({ secret, key }) => isNonSecretShape(secret, key),
    docs: DS_FILTERS,
  },
  {
    id: "encoded-text",
    description:
      "base64 of printable text (JSON, a template, a script) holding no known token: encoded configuration, not a key",
    appliesTo: "generic",
    test: ({ secret }) => decodesToText(secret),
    docs: "https://github.com/Yelp/detect-secrets/blob/master/detect_secrets/plugins/high_entropy_strings.py",
  },
  {
    id: "below-entropy",
    description: "a match whose entropy is below the rule's floor (a placeholder in the format)",
    appliesTo: "all",
    test: ({ secret, minEntropy }) =>
      minEntropy !== undefined && shannonEntropy(secret) < minEntropy,
    docs: GITLEAKS,
  },
];

/** The id of the suppression that explains `input`, if any; generic rules try every row. */
export function suppressionFor(input: SuppressionInput, generic: boolean): string | undefined {
  for (const s of SUPPRESSIONS) {
    if (s.appliesTo === "generic" && !generic) continue;
    if (s.test(input)) return s.id;
  }
  return undefined;
}

/** The id reported when a match is on a rule's own allowlist, or its key block has no body. */
export const RULE_ALLOWLIST = "rule-allowlist";
export const DUMMY_KEY_BLOCK = "dummy-key-block";

/** Rows documented beside SUPPRESSIONS for the two checks that live on the rules themselves. */
export const RULE_SUPPRESSIONS: readonly Pick<SuppressionRule, "id" | "description" | "docs">[] = [
  {
    id: DUMMY_KEY_BLOCK,
    description:
      "an empty or dummy key block: BEGIN / END lines with nothing, '...' or one repeated character between",
    docs: "https://github.com/gitleaks/gitleaks/blob/master/config/gitleaks.toml (rule private-key needs a 64+ character body)",
  },
  {
    id: RULE_ALLOWLIST,
    description:
      "a match on the rule's own allowlist (for example an AWS secret key candidate that is all lower case or all hex)",
    docs: GITLEAKS,
  },
];
