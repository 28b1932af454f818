// Secrets cases. True positives: one token of each family the scanners know, built to the format
// of its rule in gitleaks' config/gitleaks.toml (github.com/gitleaks/gitleaks, the rule id is the
// case's source) or detect-secrets' plugins (github.com/Yelp/detect-secrets,
// detect_secrets/plugins/*.py), placed in each carrier in turn. Clean cases: the false positives
// those tools' tests and filters name (placeholders, documented examples, references, ids).
import type { DetectionCase } from "../corpus-types";
import { A, b64, b64url, base64, cat, chars, hex, jwt, pem, strong, uuid } from "../values";
import { CARRIERS, carrier, type Carrier } from "./carriers";

const URLS = "secrets-no-credentials-in-urls";

interface TokenFamily {
  /** The scanner rule the format comes from. */
  readonly source: string;
  /** The variable name a deployment would give it. */
  readonly name: string;
  readonly value: (seed: string) => string;
  /** How many carriers to place it in (default 1). */
  readonly spread?: number;
}

/** An OpenSSH private key: the body starts with the magic "openssh-key-v1\0". */
function opensshKey(seed: string): string {
  const magic = Buffer.from("openssh-key-v1\0", "latin1");
  const body = Buffer.concat([magic, Buffer.from(b64(seed, 700), "base64")]).toString("base64");
  const dash = "-".repeat(5);
  return `${dash}BEGIN OPENSSH PRIVATE KEY${dash}\n${body.replace(/(.{70})/g, "$1\n").trimEnd()}\n${dash}END OPENSSH PRIVATE KEY${dash}\n`;
}

/** A PuTTY private key file (detect-secrets' PrivateKeyDetector lists its header). */
function puttyKey(seed: string): string {
  return [
    cat("PuTTY-User-Key-File-", "2: ssh-rsa"),
    "Encryption: none",
    "Comment: deploy@build",
    "Public-Lines: 6",
    b64(`${seed}pub`, 200),
    "Private-Lines: 14",
    b64(`${seed}priv`, 600),
    `Private-MAC: ${hex(seed, 40)}`,
    "",
  ].join("\n");
}

/** A Google service-account key file as its JSON. */
function gcpServiceAccount(seed: string): string {
  return JSON.stringify({
    type: "service_account",
    project_id: "orders-prod-381512",
    private_key_id: hex(seed, 40),
    private_key: pem(seed, "PRIVATE KEY", 900),
    client_email: "deployer@orders-prod-381512.iam.gserviceaccount.com",
    client_id: chars(seed, A.digits, 21),
    auth_uri: "https://accounts.google.com/o/oauth2/auth",
    token_uri: "https://oauth2.googleapis.com/token",
  });
}

export const TOKEN_FAMILIES: readonly TokenFamily[] = [
  {
    source: "gitleaks:aws-access-token",
    name: "AWS_ACCESS_KEY_ID",
    spread: 4,
    value: (s) => cat("AK", "IA", chars(s, A.base32, 16)),
  },
  {
    source: "gitleaks:aws-access-token (temporary, ASIA)",
    name: "AWS_ACCESS_KEY_ID",
    value: (s) => cat("AS", "IA", chars(s, A.base32, 16)),
  },
  {
    source: "detect-secrets:AWSKeyDetector (secret access key)",
    name: "AWS_SECRET_ACCESS_KEY",
    spread: 3,
    value: (s) => chars(s, A.base64, 40),
  },
  {
    source: "gitleaks:github-pat",
    name: "GITHUB_TOKEN",
    spread: 3,
    value: (s) => cat("gh", "p_", chars(s, A.alnum, 36)),
  },
  {
    source: "gitleaks:github-oauth",
    name: "GH_OAUTH_TOKEN",
    value: (s) => cat("gh", "o_", chars(s, A.alnum, 36)),
  },
  {
    source: "gitleaks:github-app-token",
    name: "GH_APP_TOKEN",
    value: (s) => cat("gh", "s_", chars(s, A.alnum, 36)),
  },
  {
    source: "gitleaks:github-fine-grained-pat",
    name: "GITHUB_PAT",
    spread: 2,
    value: (s) => cat("github", "_pat_", chars(s, A.alnum, 22), "_", chars(`${s}b`, A.alnum, 59)),
  },
  {
    source: "gitleaks:gitlab-pat",
    name: "GITLAB_TOKEN",
    spread: 2,
    value: (s) => cat("gl", "pat-", chars(s, A.urlSafe, 20)),
  },
  {
    source: "gitleaks:gitlab-ptt",
    name: "CI_TRIGGER_TOKEN",
    value: (s) => cat("gl", "ptt-", hex(s, 40)),
  },
  {
    source: "gitleaks:gitlab-rrt",
    name: "RUNNER_REGISTRATION_TOKEN",
    value: (s) => cat("GR13", "48941", chars(s, A.urlSafe, 20)),
  },
  {
    source: "gitleaks:slack-bot-token",
    name: "SLACK_BOT_TOKEN",
    spread: 2,
    value: (s) =>
      cat(
        "xo",
        "xb-",
        chars(s, A.digits, 12),
        "-",
        chars(`${s}2`, A.digits, 13),
        "-",
        chars(`${s}3`, A.alnum, 24),
      ),
  },
  {
    source: "gitleaks:slack-user-token",
    name: "SLACK_USER_TOKEN",
    value: (s) =>
      cat(
        "xo",
        "xp-",
        chars(s, A.digits, 12),
        "-",
        chars(`${s}2`, A.digits, 12),
        "-",
        chars(`${s}3`, A.digits, 13),
        "-",
        hex(s, 32),
      ),
  },
  {
    source: "gitleaks:slack-app-token",
    name: "SLACK_APP_TOKEN",
    value: (s) =>
      cat("xa", "pp-1-A", chars(s, A.upperAlnum, 10), "-", chars(s, A.digits, 13), "-", hex(s, 64)),
  },
  {
    source: "gitleaks:slack-webhook-url",
    name: "SLACK_WEBHOOK_URL",
    spread: 2,
    value: (s) =>
      cat(
        "https://hooks.",
        "slack.com/services/T",
        chars(s, A.upperAlnum, 8),
        "/B",
        chars(`${s}b`, A.upperAlnum, 10),
        "/",
        chars(`${s}c`, A.alnum, 24),
      ),
  },
  {
    source: "gitleaks:stripe-access-token",
    name: "STRIPE_SECRET_KEY",
    spread: 2,
    value: (s) => cat("sk", "_live_", chars(s, A.alnum, 24)),
  },
  {
    source: "gitleaks:stripe-access-token (restricted key)",
    name: "STRIPE_RESTRICTED_KEY",
    value: (s) => cat("rk", "_live_", chars(s, A.alnum, 24)),
  },
  {
    source: "gitleaks:twilio-api-key",
    name: "TWILIO_API_KEY",
    value: (s) => cat("S", "K", hex(s, 32)),
  },
  {
    source: "gitleaks:sendgrid-api-token",
    name: "SENDGRID_API_KEY",
    spread: 2,
    value: (s) => cat("S", "G.", chars(s, A.urlSafe, 22), ".", chars(`${s}b`, A.urlSafe, 43)),
  },
  {
    source: "gitleaks:npm-access-token",
    name: "NPM_TOKEN",
    spread: 3,
    value: (s) => cat("np", "m_", chars(s, A.alnum, 36)),
  },
  {
    source: "gitleaks:pypi-upload-token",
    name: "PYPI_TOKEN",
    value: (s) => cat("pypi-", "AgEIcHlwaS5vcmc", chars(s, A.urlSafe, 70)),
  },
  {
    source: "gitleaks:shopify-access-token",
    name: "SHOPIFY_ACCESS_TOKEN",
    value: (s) => cat("shp", "at_", hex(s, 32)),
  },
  {
    source: "gitleaks:shopify-shared-secret",
    name: "SHOPIFY_SHARED_SECRET",
    value: (s) => cat("shp", "ss_", hex(s, 32)),
  },
  {
    source: "gitleaks:shopify-custom-access-token",
    name: "SHOPIFY_CUSTOM_TOKEN",
    value: (s) => cat("shp", "ca_", hex(s, 32)),
  },
  {
    source: "gitleaks:square-access-token",
    name: "SQUARE_ACCESS_TOKEN",
    value: (s) => cat("EA", "AA", chars(s, A.urlSafe, 60)),
  },
  {
    source: "gitleaks:square-access-token (sq0atp)",
    name: "SQUARE_TOKEN",
    value: (s) => cat("sq0", "atp-", chars(s, A.urlSafe, 22)),
  },
  {
    source: "gitleaks:heroku-api-key-v2",
    name: "HEROKU_API_KEY",
    value: (s) => cat("HR", "KU-AA", chars(s, A.urlSafe, 58)),
  },
  { source: "gitleaks:heroku-api-key", name: "HEROKU_API_KEY", value: (s) => uuid(s) },
  { source: "gitleaks:hubspot-api-key", name: "HUBSPOT_API_KEY", value: (s) => uuid(s, true) },
  { source: "gitleaks:snyk-api-token", name: "SNYK_TOKEN", value: (s) => uuid(s) },
  {
    source: "gitleaks:mailchimp-api-key",
    name: "MAILCHIMP_API_KEY",
    value: (s) => cat(hex(s, 32), "-us", "14"),
  },
  {
    source: "gitleaks:jfrog-api-key",
    name: "ARTIFACTORY_API_KEY",
    value: (s) => chars(s, A.lowerAlnum, 73),
  },
  {
    source: "gitleaks:jfrog-identity-token",
    name: "JFROG_ACCESS_TOKEN",
    value: (s) => chars(s, A.lowerAlnum, 64),
  },
  {
    source: "gitleaks:artifactory-api-key",
    name: "ARTIFACTORY_KEY",
    value: (s) => cat("AK", "Cp", chars(s, A.alnum, 69)),
  },
  {
    source: "gitleaks:airtable-personnal-access-token",
    name: "AIRTABLE_TOKEN",
    value: (s) => cat("pat", chars(s, A.alnum, 14), ".", hex(s, 64)),
  },
  {
    source: "gitleaks:airtable-api-key",
    name: "AIRTABLE_API_KEY",
    value: (s) => chars(s, A.lowerAlnum, 17),
  },
  {
    source: "gitleaks:adobe-client-secret",
    name: "ADOBE_CLIENT_SECRET",
    value: (s) => cat("p8", "e-", chars(s, A.alnum, 32)),
  },
  { source: "gitleaks:adobe-client-id", name: "ADOBE_CLIENT_ID", value: (s) => hex(s, 32) },
  { source: "gitleaks:facebook-secret", name: "FACEBOOK_APP_SECRET", value: (s) => hex(s, 32) },
  {
    source: "gitleaks:facebook-page-access-token",
    name: "FB_PAGE_TOKEN",
    value: (s) => cat("EA", "AC", chars(s, A.alnum, 120)),
  },
  {
    source: "gitleaks:linkedin-client-secret",
    name: "LINKEDIN_CLIENT_SECRET",
    value: (s) => chars(s, A.lowerAlnum, 16),
  },
  { source: "gitleaks:kucoin-access-token", name: "KUCOIN_API_KEY", value: (s) => hex(s, 24) },
  { source: "gitleaks:kucoin-secret-key", name: "KUCOIN_API_SECRET", value: (s) => uuid(s) },
  {
    source: "gitleaks:squarespace-access-token",
    name: "SQUARESPACE_ACCESS_TOKEN",
    value: (s) => uuid(s),
  },
  {
    source: "gitleaks:sidekiq-secret",
    name: "BUNDLE_ENTERPRISE__CONTRIBSYS__COM",
    value: (s) => `${hex(s, 8)}:${hex(`${s}b`, 8)}`,
  },
  {
    source: "gitleaks:intra42-client-secret",
    name: "FT_CLIENT_SECRET",
    value: (s) => cat("s-s4t2", "ud-", hex(s, 64)),
  },
  {
    source: "gitleaks:datadog-access-token",
    name: "DATADOG_APP_KEY",
    spread: 2,
    value: (s) => chars(s, A.lowerAlnum, 40),
  },
  {
    source: "gitleaks:azure-ad-client-secret",
    name: "AZURE_CLIENT_SECRET",
    spread: 2,
    value: (s) => cat(chars(s, A.alnum, 3), "8Q", "~", chars(`${s}b`, A.alnum + "_~.", 34)),
  },
  {
    source: "gitleaks:gcp-api-key",
    name: "GOOGLE_API_KEY",
    spread: 2,
    value: (s) => cat("AI", "za", chars(s, A.urlSafe, 35)),
  },
  {
    source: "detect-secrets:PrivateKeyDetector (GCP service-account key file)",
    name: "GOOGLE_CREDENTIALS",
    spread: 2,
    value: gcpServiceAccount,
  },
  {
    source: "gitleaks:private-key (RSA PRIVATE KEY)",
    name: "TLS_KEY",
    spread: 3,
    value: (s) => pem(s, "RSA PRIVATE KEY"),
  },
  {
    source: "gitleaks:private-key (EC PRIVATE KEY)",
    name: "SIGNING_KEY",
    spread: 2,
    value: (s) => pem(s, "EC PRIVATE KEY", 120),
  },
  {
    source: "gitleaks:private-key (DSA PRIVATE KEY)",
    name: "DSA_KEY",
    value: (s) => pem(s, "DSA PRIVATE KEY", 400),
  },
  {
    source: "gitleaks:private-key (PKCS#8 PRIVATE KEY)",
    name: "JWT_SIGNING_KEY",
    spread: 2,
    value: (s) => pem(s, "PRIVATE KEY", 1200),
  },
  {
    source: "gitleaks:private-key (ENCRYPTED PRIVATE KEY)",
    name: "ENCRYPTED_KEY",
    value: (s) => pem(s, "ENCRYPTED PRIVATE KEY", 1200),
  },
  {
    source: "detect-secrets:PrivateKeyDetector (BEGIN OPENSSH PRIVATE KEY)",
    name: "DEPLOY_SSH_KEY",
    spread: 3,
    value: opensshKey,
  },
  {
    source: "detect-secrets:PrivateKeyDetector (BEGIN PGP PRIVATE KEY BLOCK)",
    name: "GPG_PRIVATE_KEY",
    value: (s) => pem(s, "PGP PRIVATE KEY BLOCK", 900),
  },
  {
    source: "detect-secrets:PrivateKeyDetector (BEGIN SSH2 ENCRYPTED PRIVATE KEY)",
    name: "SSH2_KEY",
    value: (s) => pem(s, "SSH2 ENCRYPTED PRIVATE KEY", 600),
  },
  {
    source: "detect-secrets:PrivateKeyDetector (PuTTY-User-Key-File-2)",
    name: "PUTTY_KEY",
    value: puttyKey,
  },
  {
    source: "gitleaks:jwt",
    name: "SERVICE_JWT",
    spread: 3,
    value: (s) =>
      jwt(s, { sub: "orders-worker", iss: "https://auth.example.com", exp: 1893456000 }),
  },
  {
    source: "detect-secrets:JwtTokenDetector (RS256)",
    name: "ID_TOKEN",
    value: (s) => jwt(s, { sub: "1234567890", aud: "orders", iat: 1735689600 }, "RS256"),
  },
  {
    source: "gitleaks:openai-api-key",
    name: "OPENAI_API_KEY",
    value: (s) =>
      cat("sk-", "proj-", chars(s, A.urlSafe, 74), "T3Blbk", "FJ", chars(`${s}b`, A.urlSafe, 74)),
  },
  {
    source: "gitleaks:anthropic-api-key",
    name: "ANTHROPIC_API_KEY",
    value: (s) => cat("sk-", "ant-api03-", chars(s, A.urlSafe, 93), "AA"),
  },
  {
    source: "gitleaks:digitalocean-pat",
    name: "DIGITALOCEAN_TOKEN",
    value: (s) => cat("dop", "_v1_", hex(s, 64)),
  },
  {
    source: "gitleaks:pulumi-api-token",
    name: "PULUMI_ACCESS_TOKEN",
    value: (s) => cat("pu", "l-", hex(s, 40)),
  },
  {
    source: "gitleaks:vault-service-token",
    name: "VAULT_TOKEN",
    value: (s) => cat("hv", "s.", chars(s, A.urlSafe, 95)),
  },
  {
    source: "gitleaks:grafana-service-account-token",
    name: "GRAFANA_TOKEN",
    value: (s) => cat("gl", "sa_", chars(s, A.alnum, 32), "_", hex(s, 8)),
  },
  {
    source: "gitleaks:sentry-user-token",
    name: "SENTRY_AUTH_TOKEN",
    value: (s) => cat("sntr", "yu_", hex(s, 64)),
  },
  {
    source: "gitleaks:databricks-api-token",
    name: "DATABRICKS_TOKEN",
    value: (s) => cat("da", "pi", hex(s, 32)),
  },
  {
    source: "gitleaks:postman-api-token",
    name: "POSTMAN_API_KEY",
    value: (s) => cat("PM", "AK-", hex(s, 24), "-", hex(`${s}b`, 34)),
  },
  {
    source: "gitleaks:linear-api-key",
    name: "LINEAR_API_KEY",
    value: (s) => cat("lin", "_api_", chars(s, A.alnum, 40)),
  },
  {
    source: "gitleaks:age-secret-key",
    name: "SOPS_AGE_KEY",
    value: (s) => cat("AGE-SECRET", "-KEY-1", chars(s, A.bech32, 58).toUpperCase()),
  },
];

/** URLs with credentials (gitleaks' curl-auth-user and detect-secrets' BasicAuthDetector). */
export const URL_CREDENTIALS: readonly TokenFamily[] = [
  {
    source: "detect-secrets:BasicAuthDetector (postgres)",
    name: "DATABASE_URL",
    spread: 3,
    value: (s) =>
      `postgres://orders:${strong(s, 20)}@orders-db.cluster-c9akciq32.eu-west-1.rds.amazonaws.com:5432/orders`,
  },
  {
    source: "detect-secrets:BasicAuthDetector (mongodb+srv)",
    name: "MONGO_URI",
    value: (s) =>
      `mongodb+srv://app:${chars(s, A.alnum, 18)}@cluster0.ab1cd.mongodb.net/orders?retryWrites=true`,
  },
  {
    source: "detect-secrets:BasicAuthDetector (amqp)",
    name: "BROKER_URL",
    value: (s) =>
      `amqps://worker:${chars(s, A.alnum, 22)}@b-1a2b3c4d.mq.eu-west-1.amazonaws.com:5671`,
  },
  {
    source: "detect-secrets:BasicAuthDetector (https git remote)",
    name: "GIT_REMOTE",
    value: (s) => `https://ci-bot:${chars(s, A.alnum, 32)}@git.example.com/acme/orders.git`,
  },
  {
    source: "detect-secrets:BasicAuthDetector (redis with password only)",
    name: "REDIS_URL",
    value: (s) =>
      `redis://default:${chars(s, A.alnum, 26)}@orders-cache.abc123.ng.0001.euw1.cache.amazonaws.com:6379/0`,
  },
  {
    source: "gitleaks:sidekiq-sensitive-url",
    name: "SIDEKIQ_SOURCE",
    value: (s) => `https://${hex(s, 8)}:${hex(`${s}b`, 8)}@gems.contribsys.com/`,
  },
  {
    source: "detect-secrets:BasicAuthDetector (mysql)",
    name: "DB_DSN",
    value: (s) => `mysql://admin:${strong(s, 16)}@10.0.12.7:3306/billing`,
  },
  {
    source: "detect-secrets:BasicAuthDetector (ftp)",
    name: "EXPORT_TARGET",
    value: (s) => `ftp://exports:${chars(s, A.alnum, 14)}@ftp.partner.example.net/incoming`,
  },
];

/** Secret-like names with high-entropy values and no known format (detect-secrets' KeywordDetector with its entropy plugins). */
const KEYWORD_NAMES = [
  "DB_PASSWORD",
  "API_SECRET",
  "CLIENT_SECRET",
  "AUTH_TOKEN",
  "SESSION_SECRET",
  "PRIVATE_API_KEY",
  "ENCRYPTION_KEY",
  "SMTP_PASSWORD",
  "WEBHOOK_SECRET",
  "ADMIN_PASSWD",
  "APP_SECRET_KEY",
  "REDIS_PASSWORD",
  "ACCESS_TOKEN",
  "SIGNING_SECRET",
  "MASTER_KEY",
  "LDAP_BIND_PASSWORD",
  "HMAC_KEY",
];

function slugOf(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 40);
}

function placed(
  prefix: string,
  families: readonly TokenFamily[],
  policyOf: (c: Carrier) => string,
  offset: number,
): DetectionCase[] {
  const cases: DetectionCase[] = [];
  let k = offset;
  for (const fam of families) {
    for (let i = 0; i < (fam.spread ?? 1); i++) {
      const c = CARRIERS[k++ % CARRIERS.length]!;
      const id = `${prefix}-${slugOf(fam.source.replace(/^[a-z-]+:/, ""))}-${c.id}`;
      cases.push({
        id,
        family: "secrets",
        expect: { violation: true, policy: policyOf(c) },
        source: fam.source,
        title: `${fam.name} in ${c.id}`,
        resources: c.build(slugOf(`${c.id}-${k}`), fam.name, fam.value(id)),
      });
    }
  }
  return cases;
}

/** Clean values: what the scanners' false-positive tests and filters leave alone. */
interface CleanValue {
  readonly source: string;
  readonly name: string;
  readonly value: string;
  readonly carriers: readonly string[];
}

const dash5 = "-".repeat(5);
const CLEAN_VALUES: readonly CleanValue[] = [
  {
    source: "gitleaks:aws-access-token allowlist (documentation example ending in EXAMPLE)",
    name: "AWS_ACCESS_KEY_ID",
    value: cat("AK", "IAIOSFODNN7", "EXAMPLE"),
    carriers: ["lambda-environment", "ec2-user-data", "ssm-string-parameter"],
  },
  {
    source: "AWS docs: example secret access key (wJalrXUtnFEMI...EXAMPLEKEY)",
    name: "AWS_SECRET_ACCESS_KEY",
    value: cat("wJalrXUtnFEMI/K7MDENG/", "bPxRfiCY", "EXAMPLEKEY"),
    carriers: ["codebuild-environment", "ecs-task-definition"],
  },
  {
    source: "gitleaks:stopwords/placeholders (xxxx)",
    name: "API_KEY",
    value: "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    carriers: ["lambda-environment", "app-runner", "elastic-beanstalk"],
  },
  {
    source: "detect-secrets:filters.heuristic.is_sequential_string (0000)",
    name: "STRIPE_SECRET_KEY",
    value: cat("sk", "_test_", "0".repeat(24)),
    carriers: ["ecs-task-definition", "codebuild-environment"],
  },
  {
    source: "detect-secrets:filters.heuristic.is_templated_secret (<token>)",
    name: "GITHUB_TOKEN",
    value: "<token>",
    carriers: ["codebuild-buildspec", "ec2-user-data", "api-gateway-stage"],
  },
  {
    source: "gitleaks:generic-api-key false positive (changeme)",
    name: "DB_PASSWORD",
    value: "changeme",
    carriers: ["lambda-environment", "launch-template", "batch-job-definition"],
  },
  {
    source: "gitleaks:generic-api-key false positive (your-api-key placeholder)",
    name: "SENDGRID_API_KEY",
    value: "your-api-key",
    carriers: ["ecs-task-definition", "app-runner"],
  },
  {
    source: "detect-secrets:filters.heuristic.is_templated_secret (${VAR})",
    name: "DB_PASSWORD",
    value: "${DB_PASSWORD}",
    carriers: ["ec2-user-data", "codebuild-buildspec", "launch-configuration"],
  },
  {
    source: "detect-secrets:filters.heuristic.is_prefixed_with_dollar_sign ($(command))",
    name: "NPM_TOKEN",
    value:
      "$(aws ssm get-parameter --name /ci/npm-token --with-decryption --query Parameter.Value --output text)",
    carriers: ["ec2-user-data", "launch-template", "codebuild-buildspec"],
  },
  {
    source: "AWS CloudFormation dynamic references ({{resolve:ssm:...}})",
    name: "DB_PASSWORD",
    value: "{{resolve:secretsmanager:prod/orders/db:SecretString:password}}",
    carriers: ["lambda-environment", "elastic-beanstalk", "step-functions-definition"],
  },
  {
    source: "AWS CloudFormation dynamic references ({{resolve:ssm-secure:...}})",
    name: "API_TOKEN",
    value: "{{resolve:ssm-secure:/orders/api-token:3}}",
    carriers: ["ecs-task-definition", "api-gateway-stage"],
  },
  {
    source: "detect-secrets:filters.heuristic.is_templated_secret (&{VAR})",
    name: "SMTP_PASSWORD",
    value: "&{SMTP_PASSWORD}",
    carriers: ["batch-job-definition", "app-runner"],
  },
  {
    source: "gitleaks:allowlist GitHub Actions expression (${{ secrets.X }})",
    name: "NPM_TOKEN",
    value: "${{ secrets.NPM_TOKEN }}",
    carriers: ["codebuild-buildspec", "codepipeline-configuration"],
  },
  {
    source: "AWS docs: Secrets Manager secret ARN as a reference",
    name: "DB_SECRET_ARN",
    value: "arn:aws:secretsmanager:eu-west-1:111122223333:secret:prod/orders/db-AbCdEf",
    carriers: ["lambda-environment", "ecs-task-definition", "ssm-string-parameter"],
  },
  {
    source: "AWS docs: SSM parameter ARN as a reference",
    name: "API_KEY_PARAMETER",
    value: "arn:aws:ssm:eu-west-1:111122223333:parameter/orders/prod/api-key",
    carriers: ["lambda-environment", "codebuild-environment", "app-runner"],
  },
  {
    source: "detect-secrets:filters.heuristic.is_potential_uuid (request id)",
    name: "TENANT_ID",
    value: uuid("tenant-id"),
    carriers: ["lambda-environment", "ecs-task-definition", "ssm-string-parameter"],
  },
  {
    source: "detect-secrets:filters.heuristic.is_likely_id_string (hex id)",
    name: "CORRELATION_ID",
    value: hex("correlation", 32),
    carriers: ["elastic-beanstalk", "api-gateway-stage"],
  },
  {
    source: "OCI image digest (sha256:...)",
    name: "IMAGE_DIGEST",
    value: `sha256:${hex("image-digest", 64)}`,
    carriers: ["ecs-task-definition", "codebuild-environment", "ssm-string-parameter"],
  },
  {
    source: "git commit sha under a non-secret name",
    name: "GIT_COMMIT",
    value: hex("commit", 40),
    carriers: ["lambda-environment", "codebuild-environment", "codepipeline-configuration"],
  },
  {
    source: "KMS key id (UUID) under a non-secret name",
    name: "KMS_KEY_ID",
    value: uuid("kms-key"),
    carriers: ["lambda-environment", "batch-job-definition"],
  },
  {
    source: "AWS ARN under a non-secret name",
    name: "QUEUE_ARN",
    value: "arn:aws:sqs:eu-west-1:111122223333:orders-events",
    carriers: ["ecs-task-definition", "step-functions-definition", "resource-tags"],
  },
  {
    source: "gitleaks:private-key false positive (empty key block)",
    name: "TLS_KEY",
    value: `${dash5}BEGIN RSA PRIVATE KEY${dash5}\n${dash5}END RSA PRIVATE KEY${dash5}\n`,
    carriers: ["ssm-string-parameter", "ec2-user-data"],
  },
  {
    source: "gitleaks:private-key false positive (public key / certificate)",
    name: "CA_BUNDLE",
    value: pem("ca-cert", "CERTIFICATE", 700),
    carriers: ["lambda-environment", "ssm-string-parameter"],
  },
  {
    source: "detect-secrets:KeywordDetector false positive (low-entropy value)",
    name: "PASSWORD_POLICY",
    value: "min-length-12",
    carriers: ["lambda-environment", "elastic-beanstalk"],
  },
  {
    source: "detect-secrets:Base64HighEntropyString false positive (base64 of ordinary config)",
    name: "FEATURE_FLAGS",
    value: base64('{"checkout":true,"beta":false,"region":"eu-west-1"}'),
    carriers: ["ecs-task-definition", "lambda-environment"],
  },
  {
    source: "gitleaks:jwt false positive (JWT header only, no payload)",
    name: "JWT_HEADER",
    value: b64url('{"alg":"RS256","typ":"JWT"}'),
    carriers: ["api-gateway-stage"],
  },
  {
    source: "detect-secrets:filters.heuristic.is_not_alphanumeric_string (****)",
    name: "ADMIN_PASSWORD",
    value: "********",
    carriers: ["codebuild-environment", "launch-configuration"],
  },
  {
    source: "gitleaks:generic-api-key false positive (URL without credentials)",
    name: "SERVICE_URL",
    value: "https://api.example.com:8443/v1/orders?limit=50",
    carriers: ["lambda-environment", "ecs-task-definition"],
  },
  {
    source: "detect-secrets:BasicAuthDetector false positive (URL with a placeholder password)",
    name: "DATABASE_URL",
    value: "postgres://orders:${DB_PASSWORD}@orders-db.internal:5432/orders",
    carriers: ["lambda-environment", "ec2-user-data"],
  },
];

function cleanCases(): DetectionCase[] {
  const cases: DetectionCase[] = [];
  for (const v of CLEAN_VALUES)
    for (const cid of v.carriers) {
      const c = carrier(cid);
      const id = `secrets-clean-${slugOf(v.source.replace(/^[a-z-]+:/, "")).slice(0, 56)}-${c.id}`;
      cases.push({
        id,
        family: "secrets",
        expect: { violation: false },
        source: v.source,
        title: `${v.name}=${v.value.slice(0, 24)} in ${c.id}`,
        resources: c.build(slugOf(`${c.id}-${cases.length}`), v.name, v.value),
      });
    }
  cases.push(...codebuildReferenceCases(), ...userDataCleanCases());
  return cases;
}

/** CodeBuild variables whose value is a reference: types PARAMETER_STORE and SECRETS_MANAGER. */
function codebuildReferenceCases(): DetectionCase[] {
  const build = (id: string, type: string, value: string, name: string): DetectionCase => ({
    id,
    family: "secrets",
    expect: { violation: false },
    source: "AWS CodeBuild docs: EnvironmentVariable type PARAMETER_STORE / SECRETS_MANAGER",
    resources: carrier("codebuild-environment")
      .build(id, "STAGE", "prod")
      .map((r) =>
        r.type === "aws:codebuild/project:Project"
          ? {
              ...r,
              inputs: {
                ...r.inputs,
                environment: {
                  ...(r.inputs["environment"] as Record<string, unknown>),
                  environmentVariables: [{ name, value, type }],
                },
              },
            }
          : r,
      ),
  });
  return [
    build(
      "secrets-clean-codebuild-parameter-store",
      "PARAMETER_STORE",
      "/ci/npm-token",
      "NPM_TOKEN",
    ),
    build(
      "secrets-clean-codebuild-secrets-manager",
      "SECRETS_MANAGER",
      "prod/orders/db:password",
      "DB_PASSWORD",
    ),
    build(
      "secrets-clean-codebuild-secrets-manager-arn",
      "SECRETS_MANAGER",
      "arn:aws:secretsmanager:eu-west-1:111122223333:secret:ci/github-AbCdEf:token",
      "GITHUB_TOKEN",
    ),
  ];
}

/** User data that fetches its secrets at boot (base64 of an ordinary script). */
function userDataCleanCases(): DetectionCase[] {
  const script = [
    "#!/bin/bash",
    "set -euo pipefail",
    'DB_PASSWORD="$(aws secretsmanager get-secret-value --secret-id prod/orders/db --query SecretString --output text)"',
    "export DB_PASSWORD",
    "systemctl start orders",
    "",
  ].join("\n");
  return [
    {
      id: "secrets-clean-user-data-fetches-secret-base64",
      family: "secrets",
      expect: { violation: false },
      source:
        "detect-secrets:filters.heuristic.is_prefixed_with_dollar_sign (command substitution in base64 user data)",
      resources: [
        {
          type: "aws:ec2/instance:Instance",
          name: "orders-worker",
          inputs: {
            ami: "ami-0c55b159cbfafe1f0",
            instanceType: "t3.micro",
            userDataBase64: base64(script),
          },
        },
      ],
    },
    {
      id: "secrets-clean-launch-template-fetches-secret",
      family: "secrets",
      expect: { violation: false },
      source:
        "detect-secrets:filters.heuristic.is_prefixed_with_dollar_sign (launch template user data)",
      resources: [
        {
          type: "aws:ec2/launchTemplate:LaunchTemplate",
          name: "orders-lt",
          inputs: {
            name: "orders-lt",
            imageId: "ami-0c55b159cbfafe1f0",
            instanceType: "t3.micro",
            userData: base64(script),
          },
        },
      ],
    },
  ];
}

export function secretsCases(): DetectionCase[] {
  return [
    ...placed("secrets-token", TOKEN_FAMILIES, (c) => c.policy, 0),
    ...placed("secrets-url", URL_CREDENTIALS, () => URLS, 5),
    ...placed(
      "secrets-keyword",
      KEYWORD_NAMES.map((name) => ({
        source: `detect-secrets:KeywordDetector (${name})`,
        name,
        value: (s: string) => strong(s, 32),
      })),
      (c) => c.policy,
      0,
    ),
    ...cleanCases(),
  ];
}
