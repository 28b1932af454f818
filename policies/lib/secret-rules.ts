// Secret formats as data: one row per token family the pack recognises. The formats (prefixes,
// lengths, alphabets, keywords) are the facts published by the providers and encoded by the
// scanners engineers already trust: gitleaks' default config (config/gitleaks.toml) and
// detect-secrets' plugins (detect_secrets/plugins/*.py). Each row's `docs` names its source. The
// policy docs (policies/SECRET-RULES.md) are generated from this table.

/** Where a rule's keywords must appear before its pattern is tried. */
export type Anchor =
  /** In the value itself (a distinctive prefix such as `ghp_`): the value alone is the proof. */
  | "value"
  /**
   * In the key the value is stored under, or in the text just before the value on its line (up to
   * CONTEXT_CHARS characters): the value alone is only a UUID, hex or base62 string.
   */
  | "context";

/** One secret format. */
export interface SecretRule {
  /** Stable id (most follow gitleaks' rule ids), reported as a finding's kind. */
  readonly id: string;
  /** What it catches, as messages say it: "a GitHub token". */
  readonly description: string;
  /** The format; the secret itself is capture group 1 when the pattern has groups. */
  readonly pattern: RegExp;
  /** Lower-case strings of which one must appear (see `anchor`) before the pattern runs. */
  readonly keywords: readonly string[];
  /** Where the keywords must appear; "value" unless said. */
  readonly anchor?: Anchor;
  /** Minimum Shannon entropy (bits per character) of the secret; lower is a placeholder. */
  readonly minEntropy?: number;
  /** For "context" rules: a pattern the key / nearby text must also match. */
  readonly context?: RegExp;
  /** Values shorter than this never hold the format (a cheap prefilter for keyword-less rules). */
  readonly minLength?: number;
  /** Matches of these are not this secret (the rule's own known false positives). */
  readonly allowlist?: readonly RegExp[];
  /** Extra proof a structured secret needs (a key block's body, a key file's private key). */
  readonly validate?: (secret: string, value: string) => "secret" | "dummy";
  /** The provider's token-format page or the scanner rule this row follows. */
  readonly docs: string;
}

/** How far before a value the text counts as its context for keyword-anchored rules. */
export const CONTEXT_CHARS = 60;

const GITLEAKS = "https://github.com/gitleaks/gitleaks/blob/master/config/gitleaks.toml";
const DETECT_SECRETS = "https://github.com/Yelp/detect-secrets/tree/master/detect_secrets/plugins";

// Boundaries: the token is not part of a longer word (`\b` treats `-` and `.` as breaks, so the
// explicit classes say which characters a token may continue with).
const S = "(?<![A-Za-z0-9_])";
const SD = "(?<![A-Za-z0-9_-])";
const E = "(?![A-Za-z0-9_])";
const ED = "(?![A-Za-z0-9_-])";
const UUID = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";

const re = (source: string, flags = ""): RegExp => new RegExp(source, flags);

/** A keyword-anchored value: a run of `alphabet` of exactly the length the format has. */
const bare = (body: string): RegExp => re(`${SD}(${body})${ED}`);

/** Body of a PEM / OpenSSH / PGP / SSH2 key block: base64 lines, maybe headers, maybe \n escapes. */
function keyBlockBody(secret: string): "secret" | "dummy" {
  const body = secret
    .replace(/\\[nr]/g, "\n")
    .replace(/^[A-Za-z-]+: .*$/gm, "") // Proc-Type, DEK-Info, Comment headers
    .replace(/[\s"',]/g, "");
  return /^[A-Za-z0-9+/=]{16,}/.test(body) && !/^(.)\1*=*$/.test(body) ? "secret" : "dummy";
}

/** A service-account key file holds a private key block with a body. */
function serviceAccountKey(_secret: string, value: string): "secret" | "dummy" {
  const m = /"private_key"\s*:\s*"(-----BEGIN[^"]*)"/.exec(value);
  if (!m) return "dummy";
  const inner = /-----BEGIN[ A-Z0-9_-]{0,40}PRIVATE KEY-----([\s\S]*?)(?:-----END|$)/.exec(
    m[1] as string,
  );
  return inner ? keyBlockBody(inner[1] ?? "") : "dummy";
}

/** The format rules, most distinctive first (a value is reported under the first that fires). */
export const SECRET_RULES: readonly SecretRule[] = [
  // --- Structured secrets -------------------------------------------------------------------
  {
    id: "gcp-service-account-key",
    description: "a GCP service account key",
    pattern: /"type"\s*:\s*"service_account"/,
    keywords: ["service_account"],
    validate: serviceAccountKey,
    docs: "https://cloud.google.com/iam/docs/keys-create-delete",
  },
  {
    id: "private-key",
    description: "a private key",
    pattern:
      /-{4,5} ?BEGIN[ A-Z0-9_-]{0,40}PRIVATE KEY(?: BLOCK)? ?-{4,5}([\s\S]*?)(?:-{4,5} ?END[ A-Z0-9_-]{0,40}PRIVATE KEY(?: BLOCK)? ?-{4,5}|$)/,
    keywords: ["private key"],
    validate: (secret) => keyBlockBody(secret),
    docs: `${DETECT_SECRETS}/private_key.py`,
  },
  {
    id: "putty-private-key",
    description: "a PuTTY private key",
    pattern: /PuTTY-User-Key-File-\d+:[^\n]*[\s\S]*?Private-Lines: *\d+\s+([A-Za-z0-9+/=\s]+)/,
    keywords: ["putty-user-key-file"],
    validate: (secret) => keyBlockBody(secret),
    docs: `${DETECT_SECRETS}/private_key.py`,
  },
  {
    id: "age-secret-key",
    description: "an age secret key",
    pattern: /AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}/,
    keywords: ["age-secret-key-1"],
    docs: "https://github.com/FiloSottile/age (format); gitleaks rule age-secret-key",
  },
  // --- AWS ------------------------------------------------------------------------------------
  {
    id: "aws-access-key-id",
    description: "an AWS access key id",
    pattern: re(`(?<![A-Z0-9])((?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})(?![A-Z0-9])`),
    keywords: ["akia", "asia", "abia", "acca", "a3t"],
    minEntropy: 3,
    docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids",
  },
  {
    id: "aws-secret-access-key",
    description: "an AWS secret access key",
    pattern: re(`(?<![A-Za-z0-9/+])([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])`),
    keywords: ["aws", "secret_access", "secretaccess", "secret-access"],
    anchor: "context",
    context: /aws.{0,20}?(?:secret|key|pwd|pw|pass|token)|secret.?access/i,
    minEntropy: 4,
    // A real key mixes upper case, lower case and digits; paths and hex digests do not.
    allowlist: [/^(?:[^A-Z]*|[^a-z]*|[^0-9]*)$/],
    docs: `${DETECT_SECRETS}/aws.py`,
  },
  {
    id: "aws-mws-key",
    description: "an Amazon MWS auth token",
    pattern: re(`amzn\\.mws\\.${UUID}`),
    keywords: ["amzn.mws."],
    docs: "https://developer-docs.amazon.com/sp-api/docs (MWS auth token format); gitleaks v8.0 rule aws-mws-key",
  },
  {
    id: "aws-bedrock-api-key",
    description: "an Amazon Bedrock API key",
    pattern: re(`${S}(ABSK[A-Za-z0-9+/]{109,269}={0,2})`),
    keywords: ["absk"],
    minEntropy: 3,
    docs: GITLEAKS,
  },
  // --- Source hosts ------------------------------------------------------------------------
  {
    id: "github-pat",
    description: "a GitHub token",
    pattern: re(`${S}(ghp_[A-Za-z0-9]{36})${E}`),
    keywords: ["ghp_"],
    minEntropy: 3,
    docs: "https://github.blog/engineering/platform-security/behind-githubs-new-authentication-token-formats/",
  },
  {
    id: "github-oauth",
    description: "a GitHub OAuth access token",
    pattern: re(`${S}(gho_[A-Za-z0-9]{36})${E}`),
    keywords: ["gho_"],
    minEntropy: 3,
    docs: "https://github.blog/engineering/platform-security/behind-githubs-new-authentication-token-formats/",
  },
  {
    id: "github-app-token",
    description: "a GitHub App token",
    pattern: re(`${S}((?:ghu|ghs)_[A-Za-z0-9]{36})${E}`),
    keywords: ["ghu_", "ghs_"],
    minEntropy: 3,
    docs: "https://github.blog/engineering/platform-security/behind-githubs-new-authentication-token-formats/",
  },
  {
    id: "github-refresh-token",
    description: "a GitHub refresh token",
    pattern: re(`${S}(ghr_[A-Za-z0-9]{36})${E}`),
    keywords: ["ghr_"],
    minEntropy: 3,
    docs: "https://github.blog/engineering/platform-security/behind-githubs-new-authentication-token-formats/",
  },
  {
    id: "github-fine-grained-pat",
    description: "a GitHub fine-grained personal access token",
    pattern: re(`${S}(github_pat_[A-Za-z0-9_]{82})${E}`),
    keywords: ["github_pat_"],
    minEntropy: 3,
    docs: GITLEAKS,
  },
  {
    id: "gitlab-pat",
    description: "a GitLab personal access token",
    pattern: re(`${SD}(glpat-[A-Za-z0-9_-]{20,300}(?:\\.[0-9a-z]{9})?)${ED}`),
    keywords: ["glpat-"],
    minEntropy: 3,
    docs: "https://docs.gitlab.com/security/tokens/#token-prefixes",
  },
  {
    id: "gitlab-token",
    description: "a GitLab token",
    pattern: re(
      `${SD}((?:gldt|glrt|glft|glffct|glsoat|glcbt|glimt|glptt|gloas|glagent)-[A-Za-z0-9_-]{20,300}(?:\\.[0-9a-z]{9})?|GR1348941[A-Za-z0-9_-]{20,50})${ED}`,
    ),
    keywords: [
      "gldt-",
      "glrt-",
      "glft-",
      "glffct-",
      "glsoat-",
      "glcbt-",
      "glimt-",
      "glptt-",
      "gloas-",
      "glagent-",
      "gr1348941",
    ],
    minEntropy: 3,
    docs: "https://docs.gitlab.com/security/tokens/#token-prefixes",
  },
  {
    id: "atlassian-api-token",
    description: "an Atlassian API token",
    pattern: re(`${S}(ATATT3[A-Za-z0-9_=-]{186})${ED}`),
    keywords: ["atatt3"],
    minEntropy: 3.5,
    docs: GITLEAKS,
  },
  {
    id: "atlassian-legacy-api-token",
    description: "an Atlassian (Jira, Confluence) API token",
    pattern: bare("[A-Za-z0-9]{24}"),
    keywords: ["atlassian", "jira", "confluence"],
    anchor: "context",
    minEntropy: 3.5,
    docs: GITLEAKS,
  },
  // --- Chat and messaging -----------------------------------------------------------------
  {
    id: "slack-bot-token",
    description: "a Slack bot token",
    pattern: /xoxb-[0-9]{8,14}-(?:[0-9]{10,13}-)?[A-Za-z0-9-]{18,}/,
    keywords: ["xoxb-"],
    docs: "https://api.slack.com/concepts/token-types",
  },
  {
    id: "slack-user-token",
    description: "a Slack user token",
    pattern: /xox[pe](?:-[0-9]{10,13}){3}-[A-Za-z0-9-]{28,34}/,
    keywords: ["xoxp-", "xoxe-"],
    docs: "https://api.slack.com/concepts/token-types",
  },
  {
    id: "slack-app-token",
    description: "a Slack app-level token",
    pattern: /xapp-\d-[A-Z0-9]+-\d+-[a-z0-9]+/i,
    keywords: ["xapp-"],
    docs: "https://api.slack.com/concepts/token-types",
  },
  {
    id: "slack-config-token",
    description: "a Slack configuration token",
    pattern: /xoxe(?:\.xox[bp])?-\d-[A-Z0-9]{146,166}/i,
    keywords: ["xoxe"],
    docs: "https://api.slack.com/authentication/config-tokens",
  },
  {
    id: "slack-legacy-token",
    description: "a Slack legacy token",
    pattern: /xox[aors]-(?:\d+-)*[0-9A-Za-z]{8,48}/,
    keywords: ["xoxa-", "xoxo-", "xoxr-", "xoxs-"],
    minEntropy: 2.5,
    docs: GITLEAKS,
  },
  {
    id: "slack-webhook-url",
    description: "a Slack incoming-webhook URL",
    pattern:
      /hooks\.slack\.com\/(?:services|workflows|triggers)\/([A-Za-z0-9+/]{20,}|T[A-Z0-9]+\/B[A-Z0-9]+\/[A-Za-z0-9]+)/,
    keywords: ["hooks.slack.com"],
    minEntropy: 2.5,
    docs: "https://api.slack.com/messaging/webhooks",
  },
  {
    id: "discord-bot-token",
    description: "a Discord bot token",
    pattern: re(`${SD}([MNO][A-Za-z0-9_-]{23,25}\\.[A-Za-z0-9_-]{6}\\.[A-Za-z0-9_-]{27,38})${ED}`),
    keywords: ["."],
    minLength: 59,
    minEntropy: 3.5,
    docs: `${DETECT_SECRETS}/discord.py`,
  },
  {
    id: "discord-client-secret",
    description: "a Discord API key or client secret",
    pattern: bare("[a-f0-9]{64}|[A-Za-z0-9_-]{32}"),
    keywords: ["discord"],
    anchor: "context",
    minEntropy: 3,
    docs: GITLEAKS,
  },
  {
    id: "telegram-bot-token",
    description: "a Telegram bot token",
    pattern: re(`${S}([0-9]{5,16}:A[A-Za-z0-9_-]{34})${ED}`),
    keywords: [":a"],
    docs: "https://core.telegram.org/bots/api#authorizing-your-bot",
  },
  {
    id: "microsoft-teams-webhook",
    description: "a Microsoft Teams incoming-webhook URL",
    pattern:
      /webhook\.office\.com\/webhookb2\/[a-z0-9-]{36}@[a-z0-9-]{36}\/IncomingWebhook\/([a-z0-9]{32})\//i,
    keywords: ["webhook.office.com"],
    docs: GITLEAKS,
  },
  {
    id: "twilio-api-key",
    description: "a Twilio API key",
    pattern: re(`${S}(SK[0-9a-fA-F]{32})${E}`),
    keywords: ["sk"],
    minEntropy: 3,
    docs: `${DETECT_SECRETS}/twilio.py`,
  },
  {
    id: "sendgrid-api-key",
    description: "a SendGrid API key",
    pattern: re(`${S}(SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43})${ED}`),
    keywords: ["sg."],
    docs: `${DETECT_SECRETS}/sendgrid.py`,
  },
  {
    id: "mailchimp-api-key",
    description: "a Mailchimp API key",
    pattern: re(`${S}([0-9a-f]{32}-us[0-9]{1,2})${E}`),
    keywords: ["-us"],
    minEntropy: 3,
    docs: `${DETECT_SECRETS}/mailchimp.py`,
  },
  {
    id: "mailgun-api-key",
    description: "a Mailgun API or signing key",
    pattern: bare("key-[a-f0-9]{32}|pubkey-[a-f0-9]{32}|[a-h0-9]{32}-[a-h0-9]{8}-[a-h0-9]{8}"),
    keywords: ["mailgun"],
    anchor: "context",
    docs: GITLEAKS,
  },
  // --- Payments and commerce --------------------------------------------------------------
  {
    id: "stripe-secret-key",
    description: "a Stripe secret or restricted key",
    pattern: re(`${S}((?:sk|rk)_(?:live|test|prod)_[A-Za-z0-9]{10,99})${E}`),
    keywords: ["sk_live_", "sk_test_", "sk_prod_", "rk_live_", "rk_test_", "rk_prod_"],
    minEntropy: 2.5,
    docs: "https://docs.stripe.com/keys",
  },
  {
    id: "square-access-token",
    description: "a Square access token or OAuth secret",
    pattern: re(`${SD}((?:EAAA|sq0atp-)[A-Za-z0-9_-]{22,60}|sq0csp-[A-Za-z0-9_-]{43})${ED}`),
    keywords: ["eaaa", "sq0atp-", "sq0csp-"],
    minEntropy: 3,
    docs: `${DETECT_SECRETS}/square_oauth.py`,
  },
  {
    id: "shopify-token",
    description: "a Shopify access token or shared secret",
    pattern: re(`${S}(shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32})${E}`),
    keywords: ["shpat_", "shpca_", "shppa_", "shpss_"],
    docs: "https://shopify.dev/docs/apps/build/authentication-authorization",
  },
  {
    id: "kucoin-api-key",
    description: "a KuCoin API key or secret",
    pattern: bare(`[a-f0-9]{24}|${UUID}`),
    keywords: ["kucoin"],
    anchor: "context",
    docs: GITLEAKS,
  },
  {
    id: "squarespace-access-token",
    description: "a Squarespace access token",
    pattern: bare(UUID),
    keywords: ["squarespace"],
    anchor: "context",
    docs: GITLEAKS,
  },
  // --- Package registries and build tools -------------------------------------------------
  {
    id: "npm-token",
    description: "an npm access token",
    pattern: re(`${S}(npm_[A-Za-z0-9]{36})${E}`),
    keywords: ["npm_"],
    minEntropy: 3,
    docs: "https://docs.npmjs.com/about-access-tokens",
  },
  {
    id: "pypi-upload-token",
    description: "a PyPI upload token",
    pattern: /pypi-(?:AgEIcHlwaS5vcmc|AgENdGVzdC5weXBpLm9yZw)[A-Za-z0-9_-]{50,1000}/,
    keywords: ["pypi-ageichlwas5vcmc", "pypi-agendgvzdc5wexbplm9yzw"],
    docs: `${DETECT_SECRETS}/pypi_token.py`,
  },
  {
    id: "docker-hub-token",
    description: "a Docker Hub access token",
    pattern: re(`${S}(dckr_(?:pat|oat)_[A-Za-z0-9_-]{20,})${ED}`),
    keywords: ["dckr_pat_", "dckr_oat_"],
    minEntropy: 3,
    docs: "https://docs.docker.com/security/for-developers/access-tokens/",
  },
  {
    id: "jfrog-api-key",
    description: "a JFrog Artifactory API key or reference token",
    pattern: re(`${S}(AKCp[A-Za-z0-9]{69}|cmVmd[A-Za-z0-9]{59})${E}`),
    keywords: ["akcp", "cmvmd"],
    minEntropy: 4.5,
    docs: `${DETECT_SECRETS}/artifactory.py`,
  },
  {
    id: "jfrog-identity-token",
    description: "a JFrog identity token or API key",
    pattern: bare("[A-Za-z0-9]{73}|[A-Za-z0-9]{64}"),
    keywords: ["jfrog", "artifactory", "bintray", "xray"],
    anchor: "context",
    minEntropy: 3,
    docs: GITLEAKS,
  },
  {
    id: "snyk-api-token",
    description: "a Snyk API token",
    pattern: bare(UUID),
    keywords: ["snyk"],
    anchor: "context",
    docs: GITLEAKS,
  },
  {
    id: "sidekiq-secret",
    description: "a Sidekiq Enterprise / Pro credential",
    pattern: re(`${S}([a-f0-9]{8}:[a-f0-9]{8})(?:@(?:gems|enterprise)\\.contribsys\\.com)?${E}`),
    keywords: ["contribsys"],
    anchor: "context",
    docs: GITLEAKS,
  },
  {
    id: "postman-api-token",
    description: "a Postman API key",
    pattern: re(`${S}(PMAK-[a-fA-F0-9]{24}-[a-fA-F0-9]{34})${E}`),
    keywords: ["pmak-"],
    docs: "https://learning.postman.com/docs/developer/postman-api/authentication/",
  },
  // --- Cloud platforms --------------------------------------------------------------------
  {
    id: "gcp-api-key",
    description: "a Google Cloud API key",
    pattern: re(`${S}(AIza[A-Za-z0-9_-]{35})${ED}`),
    keywords: ["aiza"],
    minEntropy: 3.5,
    docs: "https://cloud.google.com/docs/authentication/api-keys",
  },
  {
    id: "azure-storage-account-key",
    description: "an Azure storage account key",
    pattern: /AccountKey=([A-Za-z0-9+/=]{86,88})/,
    keywords: ["accountkey="],
    minEntropy: 4,
    docs: `${DETECT_SECRETS}/azure_storage_key.py`,
  },
  {
    id: "azure-ad-client-secret",
    description: "an Azure AD client secret",
    pattern: /(?:^|[\\'"`\s>=:(,)])([a-zA-Z0-9_~.]{3}\dQ~[a-zA-Z0-9_~.-]{31,34})(?:$|[\\'"`\s<),])/,
    keywords: ["q~"],
    minEntropy: 3,
    docs: GITLEAKS,
  },
  {
    id: "digitalocean-token",
    description: "a DigitalOcean token",
    pattern: re(`${S}(do[opr]_v1_[a-f0-9]{64})${E}`),
    keywords: ["doo_v1_", "dop_v1_", "dor_v1_"],
    docs: "https://docs.digitalocean.com/reference/api/create-personal-access-token/",
  },
  {
    id: "alibaba-access-key-id",
    description: "an Alibaba Cloud access key id",
    pattern: re(`${S}(LTAI[A-Za-z0-9]{12,20})${E}`),
    keywords: ["ltai"],
    minEntropy: 2.5,
    docs: GITLEAKS,
  },
  {
    id: "alibaba-secret-key",
    description: "an Alibaba Cloud secret key",
    pattern: bare("[A-Za-z0-9]{30}"),
    keywords: ["alibaba", "aliyun"],
    anchor: "context",
    minEntropy: 3,
    docs: GITLEAKS,
  },
  {
    id: "heroku-api-key",
    description: "a Heroku API key",
    pattern: re(`${S}(HRKU-AA[0-9a-zA-Z_-]{58})${ED}`),
    keywords: ["hrku-aa"],
    minEntropy: 3.5,
    docs: "https://devcenter.heroku.com/articles/authentication",
  },
  {
    id: "heroku-legacy-api-key",
    description: "a Heroku API key",
    pattern: bare(UUID),
    keywords: ["heroku"],
    anchor: "context",
    docs: GITLEAKS,
  },
  {
    id: "pulumi-access-token",
    description: "a Pulumi access token",
    pattern: re(`${S}(pul-[a-f0-9]{40})${E}`),
    keywords: ["pul-"],
    docs: "https://www.pulumi.com/docs/pulumi-cloud/access-management/access-tokens/",
  },
  {
    id: "vault-token",
    description: "a HashiCorp Vault token",
    pattern: re(`${S}(hvs\\.[A-Za-z0-9_-]{90,120}|hvb\\.[A-Za-z0-9_-]{138,300})${ED}`),
    keywords: ["hvs.", "hvb."],
    minEntropy: 3.5,
    docs: "https://developer.hashicorp.com/vault/docs/concepts/tokens#token-prefixes",
  },
  {
    id: "vault-legacy-token",
    description: "a HashiCorp Vault token",
    pattern: re(`${S}(s\\.[A-Za-z0-9]{24})${E}`),
    keywords: ["vault"],
    anchor: "context",
    minEntropy: 3.5,
    docs: GITLEAKS,
  },
  {
    id: "terraform-api-token",
    description: "a Terraform Cloud / HCP Terraform API token",
    pattern: /[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=-]{60,70}/,
    keywords: ["atlasv1"],
    minEntropy: 3.5,
    docs: "https://developer.hashicorp.com/terraform/cloud-docs/users-teams-organizations/api-tokens",
  },
  {
    id: "doppler-token",
    description: "a Doppler token",
    pattern: re(`${S}(dp\\.(?:pt|st|sa|ct|scim|audit)\\.[A-Za-z0-9_-]{40,44})${ED}`),
    keywords: ["dp.pt.", "dp.st.", "dp.sa.", "dp.ct.", "dp.scim.", "dp.audit."],
    minEntropy: 2,
    docs: "https://docs.doppler.com/reference/auth-token-formats (dp.pt. confirmed in gitleaks; the other prefixes from Doppler's page, unconfirmed here)",
  },
  {
    id: "databricks-api-token",
    description: "a Databricks access token",
    pattern: re(`${S}(dapi[a-f0-9]{32}(?:-\\d)?)${E}`),
    keywords: ["dapi"],
    minEntropy: 3,
    docs: "https://docs.databricks.com/aws/en/dev-tools/auth/pat",
  },
  // --- Observability ----------------------------------------------------------------------
  {
    id: "datadog-api-key",
    description: "a Datadog API or application key",
    pattern: bare("[a-f0-9]{32}|[a-f0-9]{40}|[A-Za-z0-9]{40}"),
    keywords: ["datadog", "dd_api_key", "dd_app_key", "dd_application_key", "dd-api-key"],
    anchor: "context",
    minEntropy: 3,
    docs: "https://docs.datadoghq.com/account_management/api-app-keys/",
  },
  {
    id: "new-relic-key",
    description: "a New Relic API key",
    pattern: re(
      `${S}(NRAK-[A-Z0-9]{27}|NRII-[A-Za-z0-9-]{32}|NRJS-[a-f0-9]{19}|NRAA-[a-f0-9]{27})${ED}`,
    ),
    keywords: ["nrak-", "nrii-", "nrjs-", "nraa-"],
    docs: "https://docs.newrelic.com/docs/apis/intro-apis/new-relic-api-keys/",
  },
  {
    id: "new-relic-license-key",
    description: "a New Relic license key",
    pattern: bare("[a-f0-9]{36}NRAL|[a-f0-9]{40}"),
    keywords: ["new_relic", "newrelic", "new-relic"],
    anchor: "context",
    minEntropy: 3,
    docs: "https://docs.newrelic.com/docs/apis/intro-apis/new-relic-api-keys/#license-key",
  },
  {
    id: "dynatrace-api-token",
    description: "a Dynatrace API token",
    pattern: /dt0c01\.[A-Za-z0-9]{24}\.[A-Za-z0-9]{64}/,
    keywords: ["dt0c01."],
    minEntropy: 4,
    docs: "https://docs.dynatrace.com/docs/dynatrace-api/basics/dynatrace-api-authentication",
  },
  {
    id: "grafana-token",
    description: "a Grafana API key or token",
    pattern: re(
      `${S}(eyJrIjoi[A-Za-z0-9]{70,400}={0,3}|glc_[A-Za-z0-9+/]{32,400}={0,3}|glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8})${E}`,
    ),
    keywords: ["eyjrijoi", "glc_", "glsa_"],
    minEntropy: 3,
    docs: "https://grafana.com/docs/grafana/latest/administration/service-accounts/",
  },
  {
    id: "sentry-token",
    description: "a Sentry auth token",
    pattern: re(`${S}(sntryu_[a-f0-9]{64}|sntrys_eyJpYXQiO[A-Za-z0-9+/=_]{40,500})${E}`),
    keywords: ["sntryu_", "sntrys_"],
    docs: "https://docs.sentry.io/account/auth-tokens/",
  },
  {
    id: "sentry-legacy-token",
    description: "a Sentry auth token",
    pattern: bare("[a-f0-9]{64}"),
    keywords: ["sentry"],
    anchor: "context",
    minEntropy: 3,
    docs: GITLEAKS,
  },
  // --- AI providers -----------------------------------------------------------------------
  {
    id: "openai-api-key",
    description: "an OpenAI API key",
    pattern: re(
      `${S}(sk-(?:proj|svcacct|admin)-(?:[A-Za-z0-9_-]{74}|[A-Za-z0-9_-]{58})T3BlbkFJ(?:[A-Za-z0-9_-]{74}|[A-Za-z0-9_-]{58})|sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20})${ED}`,
    ),
    keywords: ["t3blbkfj"],
    docs: `${DETECT_SECRETS}/openai.py`,
  },
  {
    id: "anthropic-api-key",
    description: "an Anthropic API key",
    pattern: re(`${S}(sk-ant-(?:api03|admin01)-[A-Za-z0-9_-]{93}AA)${ED}`),
    keywords: ["sk-ant-"],
    docs: "https://docs.anthropic.com/en/api/admin-api (key prefixes); gitleaks rule anthropic-api-key",
  },
  // --- SaaS -------------------------------------------------------------------------------
  {
    id: "hubspot-api-key",
    description: "a HubSpot API key or private-app token",
    pattern: re(`${S}(pat-(?:na|eu)[0-9]-${UUID})${E}`),
    keywords: ["pat-na", "pat-eu"],
    docs: "https://developers.hubspot.com/docs/api/private-apps (token prefix pat-na1-, unconfirmed against a scanner rule)",
  },
  {
    id: "hubspot-legacy-api-key",
    description: "a HubSpot API key",
    pattern: bare(UUID),
    keywords: ["hubspot", "hapikey"],
    anchor: "context",
    docs: GITLEAKS,
  },
  {
    id: "airtable-token",
    description: "an Airtable personal access token",
    pattern: re(`${S}(pat[A-Za-z0-9]{14}\\.[a-f0-9]{64})${E}`),
    keywords: ["pat"],
    docs: "https://airtable.com/developers/web/guides/personal-access-tokens",
  },
  {
    id: "airtable-api-key",
    description: "an Airtable API key",
    pattern: bare("key[A-Za-z0-9]{14}|[A-Za-z0-9]{17}"),
    keywords: ["airtable"],
    anchor: "context",
    minEntropy: 3,
    docs: GITLEAKS,
  },
  {
    id: "adobe-client-secret",
    description: "an Adobe client secret",
    pattern: re(`${S}(p8e-[A-Za-z0-9]{32})${E}`),
    keywords: ["p8e-"],
    minEntropy: 2,
    docs: GITLEAKS,
  },
  {
    id: "adobe-client-id",
    description: "an Adobe OAuth client id",
    pattern: bare("[a-f0-9]{32}"),
    keywords: ["adobe"],
    anchor: "context",
    minEntropy: 2,
    docs: GITLEAKS,
  },
  {
    id: "facebook-token",
    description: "a Facebook access token",
    pattern: re(`${S}(EAA[MC][A-Za-z0-9]{100,}|[0-9]{15,16}(?:\\||%7C)[A-Za-z0-9_-]{27,40})${ED}`),
    keywords: ["eaam", "eaac", "|", "%7c"],
    minEntropy: 3,
    docs: "https://developers.facebook.com/docs/facebook-login/guides/access-tokens/",
  },
  {
    id: "facebook-secret",
    description: "a Facebook app secret",
    pattern: bare("[a-f0-9]{32}"),
    keywords: ["facebook", "fb_app_secret", "fb_secret"],
    anchor: "context",
    minEntropy: 3,
    docs: GITLEAKS,
  },
  {
    id: "linkedin-client-secret",
    description: "a LinkedIn client id or secret",
    pattern: bare("[A-Za-z0-9]{16}|[A-Za-z0-9]{14}"),
    keywords: ["linkedin", "linked_in", "linked-in"],
    anchor: "context",
    minEntropy: 3,
    docs: GITLEAKS,
  },
  {
    id: "intra42-client-secret",
    description: "a 42 Intra client secret",
    pattern: re(`${S}(s-s4t2(?:ud|af)-[a-f0-9]{64})${E}`),
    keywords: ["s-s4t2ud-", "s-s4t2af-"],
    docs: GITLEAKS,
  },
  {
    id: "linear-api-key",
    description: "a Linear API key",
    pattern: re(`${S}(lin_api_[A-Za-z0-9]{40})${E}`),
    keywords: ["lin_api_"],
    minEntropy: 2,
    docs: "https://linear.app/developers/graphql#personal-api-keys",
  },
  {
    id: "linear-client-secret",
    description: "a Linear client secret",
    pattern: bare("[a-f0-9]{32}"),
    keywords: ["linear"],
    anchor: "context",
    minEntropy: 2,
    docs: GITLEAKS,
  },
  {
    id: "okta-api-token",
    description: "an Okta API token",
    pattern: re(`${SD}(00[A-Za-z0-9_=-]{40})${ED}`),
    keywords: ["okta"],
    anchor: "context",
    minEntropy: 4,
    docs: "https://developer.okta.com/docs/guides/create-an-api-token/",
  },
  // --- Generic shapes ---------------------------------------------------------------------
  {
    id: "jwt",
    description: "a JSON Web Token",
    pattern: re(`${SD}(ey[A-Za-z0-9_-]{10,}\\.ey[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{10,}={0,2})`),
    keywords: ["eyj"],
    minEntropy: 3,
    docs: `${DETECT_SECRETS}/jwt.py`,
  },
  {
    id: "authorization-header",
    description: "an HTTP Authorization credential",
    pattern: /\b(?:Basic|Bearer|Token)[ \t]+([A-Za-z0-9._~+/-]{16,}={0,2})(?![A-Za-z0-9._~+/=-])/,
    keywords: ["basic ", "bearer ", "token "],
    minEntropy: 3.5,
    allowlist: [/^[a-z._-]+$/i],
    docs: "https://github.com/gitleaks/gitleaks (rules curl-auth-header, generic-api-key)",
  },
  {
    id: "url-credentials",
    description: "a URL with an embedded user name and password",
    // Starts with the literal "://" so the regex engine skips to it (a scheme is always before it).
    pattern: /:\/\/[^\s/:@'"]{1,256}:([^\s/@'"]{1,256})@[^\s/@'"]+/,
    keywords: ["://"],
    docs: `${DETECT_SECRETS}/basic_auth.py`,
  },
];

/** One of the two rules that judge values without a known format. */
export interface GenericRule {
  readonly id: "secret-like-value" | "high-entropy-string";
  readonly description: string;
  readonly keywords: readonly string[];
  readonly docs: string;
}

/** The named generic rules, documented beside the format rules. */
export const GENERIC_RULES: readonly GenericRule[] = [
  {
    id: "secret-like-value",
    description:
      "a value of 10+ characters with entropy above 3.5 bits per character under a secret-like name (password, secret, token, api key, private key, credentials, auth)",
    keywords: [
      "password",
      "passwd",
      "pwd",
      "secret",
      "token",
      "apikey",
      "api_key",
      "credential",
      "auth",
    ],
    docs: `${DETECT_SECRETS}/keyword.py`,
  },
  {
    id: "high-entropy-string",
    description:
      "a stand-alone base64 string (20+ characters, entropy >= 4.5) or hex string (32+ characters, entropy >= 3.0) in a value that carries plaintext to a machine",
    keywords: [],
    docs: `${DETECT_SECRETS}/high_entropy_strings.py`,
  },
];
