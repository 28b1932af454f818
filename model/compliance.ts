// AWS Config for the platform's accounts: the AWS managed rules that fit it (each with its
// identifier, what it evaluates, why it fits and its page), and the settings one account gets
// once the organization, environment and account levels of `compliance.awsConfig` are merged.
//
// Every identifier below was checked against its page of the AWS Config managed rules list
// (https://docs.aws.amazon.com/config/latest/developerguide/managed-rules-by-aws-config.html);
// the page of each rule is `<rule-name>.html` under the developer guide, given in `page`.
import type { Organization } from "./config/schema";

/** Which account kind a rule is on by default in. */
export type AccountKind = "tools" | "workload";

/** One AWS managed Config rule. */
export interface ManagedRule {
  /** The source identifier (SourceIdentifier of the rule, owner AWS). */
  readonly identifier: string;
  /** Resource types the rule evaluates; the platform's recorder records these. */
  readonly resourceTypes: readonly string[];
  /** Configuration changes or periodic. */
  readonly trigger: "change" | "periodic";
  /**
   * The rule is about the account, not a region (a periodic account check, or IAM, whose
   * resources are global): it runs in the account's home region only.
   */
  readonly homeRegionOnly: boolean;
  /** The account kinds it is on in by default (empty: available, opt in with `rules`). */
  readonly defaultIn: readonly AccountKind[];
  /** Input parameters, when the rule's defaults would misjudge the platform. */
  readonly inputParameters?: Readonly<Record<string, string>>;
  /** Why it fits this platform. */
  readonly why: string;
  /** The rule's page in the AWS Config developer guide. */
  readonly page: string;
}

const page = (name: string) =>
  `https://docs.aws.amazon.com/config/latest/developerguide/${name}.html`;

/** The managed rules the platform knows, in the order the plan and the docs list them. */
export const MANAGED_RULES: readonly ManagedRule[] = [
  {
    identifier: "CODEBUILD_PROJECT_ENVVAR_AWSCRED_CHECK",
    resourceTypes: ["AWS::CodeBuild::Project"],
    trigger: "change",
    homeRegionOnly: false,
    defaultIn: ["tools"],
    why: "Build projects run in the tools account; AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY in plain variables would hand every build a long-lived key (the pack refuses them before deploy; this catches console edits).",
    page: page("codebuild-project-envvar-awscred-check"),
  },
  {
    identifier: "CODEBUILD_PROJECT_SOURCE_REPO_URL_CHECK",
    resourceTypes: ["AWS::CodeBuild::Project"],
    trigger: "change",
    homeRegionOnly: false,
    defaultIn: ["tools"],
    why: "Sources reach the builds through CodeConnections; a Bitbucket URL with sign-in credentials in a project is a leaked credential.",
    page: page("codebuild-project-source-repo-url-check"),
  },
  {
    identifier: "CODEBUILD_PROJECT_ARTIFACT_ENCRYPTION",
    resourceTypes: ["AWS::CodeBuild::Project"],
    trigger: "change",
    homeRegionOnly: false,
    defaultIn: ["tools"],
    why: "Build artifacts carry the application's code and templates; every project of the platform encrypts them with the artifact store's key.",
    page: page("codebuild-project-artifact-encryption"),
  },
  {
    identifier: "CODEBUILD_PROJECT_LOGGING_ENABLED",
    resourceTypes: ["AWS::CodeBuild::Project"],
    trigger: "change",
    homeRegionOnly: false,
    defaultIn: ["tools"],
    why: "Build logs are the record of what a deployment ran; a project with every log option disabled leaves none.",
    page: page("codebuild-project-logging-enabled"),
  },
  {
    identifier: "MULTI_REGION_CLOUD_TRAIL_ENABLED",
    resourceTypes: [],
    trigger: "periodic",
    homeRegionOnly: true,
    defaultIn: ["tools"],
    why: "The tools account keeps a multi-region audit trail (components/tools/audit-trail.ts). Workload accounts have none of the platform's: opt in where an organization trail covers them.",
    page: page("multi-region-cloudtrail-enabled"),
  },
  {
    identifier: "S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED",
    resourceTypes: ["AWS::S3::Bucket"],
    trigger: "change",
    homeRegionOnly: false,
    defaultIn: ["tools", "workload"],
    why: "Artifacts, state, trail and Config snapshots live in buckets that must stay encrypted by default.",
    page: page("s3-bucket-server-side-encryption-enabled"),
  },
  {
    identifier: "S3_BUCKET_SSL_REQUESTS_ONLY",
    resourceTypes: ["AWS::S3::Bucket"],
    trigger: "change",
    homeRegionOnly: false,
    defaultIn: ["tools", "workload"],
    why: "Every platform bucket denies non-TLS access (the secure-bucket component); a policy edit that drops the deny shows here.",
    page: page("s3-bucket-ssl-requests-only"),
  },
  {
    identifier: "S3_BUCKET_LEVEL_PUBLIC_ACCESS_PROHIBITED",
    resourceTypes: ["AWS::S3::Bucket"],
    trigger: "change",
    homeRegionOnly: false,
    defaultIn: ["tools", "workload"],
    why: "No bucket of the platform is public; the block-public-access settings are set on each one.",
    page: page("s3-bucket-level-public-access-prohibited"),
  },
  {
    identifier: "S3_BUCKET_PUBLIC_READ_PROHIBITED",
    resourceTypes: ["AWS::S3::Bucket"],
    trigger: "change",
    homeRegionOnly: false,
    defaultIn: ["tools", "workload"],
    why: "Artifacts and state hold code and secrets' ciphertext: no public read, by policy or ACL.",
    page: page("s3-bucket-public-read-prohibited"),
  },
  {
    identifier: "S3_BUCKET_PUBLIC_WRITE_PROHIBITED",
    resourceTypes: ["AWS::S3::Bucket"],
    trigger: "change",
    homeRegionOnly: false,
    defaultIn: ["tools", "workload"],
    why: "A publicly writable artifact bucket would let anyone replace what the pipelines deploy.",
    page: page("s3-bucket-public-write-prohibited"),
  },
  {
    identifier: "KMS_CMK_NOT_SCHEDULED_FOR_DELETION",
    resourceTypes: ["AWS::KMS::Key"],
    trigger: "periodic",
    homeRegionOnly: false,
    defaultIn: ["tools", "workload"],
    why: "Artifacts, state, alarm topics and traces are encrypted with the platform's keys; a key scheduled for deletion would make them unreadable.",
    page: page("kms-cmk-not-scheduled-for-deletion"),
  },
  {
    identifier: "CMK_BACKING_KEY_ROTATION_ENABLED",
    resourceTypes: ["AWS::KMS::Key"],
    trigger: "periodic",
    homeRegionOnly: false,
    defaultIn: ["tools", "workload"],
    why: "Every key the platform creates rotates yearly (baseline-kms-key-rotation checks it before deploy).",
    page: page("cmk-backing-key-rotation-enabled"),
  },
  {
    identifier: "IAM_POLICY_NO_STATEMENTS_WITH_ADMIN_ACCESS",
    resourceTypes: ["AWS::IAM::Policy"],
    trigger: "change",
    homeRegionOnly: true,
    defaultIn: ["tools", "workload"],
    why: "No customer managed policy of the platform or of an application may grant * on *; deployments create /app/ policies the pack never saw.",
    page: page("iam-policy-no-statements-with-admin-access"),
  },
  {
    identifier: "CLOUDWATCH_ALARM_ACTION_CHECK",
    resourceTypes: ["AWS::CloudWatch::Alarm"],
    trigger: "change",
    homeRegionOnly: false,
    defaultIn: ["tools", "workload"],
    // The platform's alarms notify on ALARM (and OK); none acts on INSUFFICIENT_DATA, which the
    // rule would require by default.
    inputParameters: {
      alarmActionRequired: "true",
      insufficientDataActionRequired: "false",
      okActionRequired: "false",
    },
    why: "The promotion gates are alarms; an alarm without an action notifies nobody (the pack's alarms-actions-enabled, after deploy).",
    page: page("cloudwatch-alarm-action-check"),
  },
  {
    identifier: "SNS_ENCRYPTED_KMS",
    resourceTypes: ["AWS::SNS::Topic"],
    trigger: "change",
    homeRegionOnly: false,
    defaultIn: ["tools", "workload"],
    why: "Pipeline events, approvals and alarms travel through KMS-encrypted topics.",
    page: page("sns-encrypted-kms"),
  },
  {
    identifier: "LAMBDA_FUNCTION_PUBLIC_ACCESS_PROHIBITED",
    resourceTypes: ["AWS::Lambda::Function"],
    trigger: "change",
    homeRegionOnly: false,
    defaultIn: ["workload"],
    why: "Applications deploy functions; a resource policy open to everyone lets anyone invoke them.",
    page: page("lambda-function-public-access-prohibited"),
  },
  {
    identifier: "LAMBDA_FUNCTION_XRAY_ENABLED",
    resourceTypes: ["AWS::Lambda::Function"],
    trigger: "change",
    homeRegionOnly: false,
    defaultIn: ["workload"],
    why: "The pack's baseline-lambda-tracing asks for active tracing before deploy; this shows functions changed since.",
    page: page("lambda-function-xray-enabled"),
  },
  {
    identifier: "API_GW_XRAY_ENABLED",
    resourceTypes: ["AWS::ApiGateway::Stage"],
    trigger: "change",
    homeRegionOnly: false,
    defaultIn: ["workload"],
    why: "REST API stages should trace like the functions behind them (baseline-apigateway-xray-tracing before deploy).",
    page: page("api-gw-xray-enabled"),
  },
];

const BY_IDENTIFIER: ReadonlyMap<string, ManagedRule> = new Map(
  MANAGED_RULES.map((r) => [r.identifier, r]),
);

/** The rule with this identifier, if the platform knows it. */
export function managedRule(identifier: string): ManagedRule | undefined {
  return BY_IDENTIFIER.get(identifier);
}

/** The rules on by default in an account kind. */
export function defaultRules(kind: AccountKind): ManagedRule[] {
  return MANAGED_RULES.filter((r) => r.defaultIn.includes(kind));
}

/** The known identifier closest to a misspelt one (same words in another order, or a prefix). */
export function closestRule(identifier: string): string | undefined {
  const upper = identifier.toUpperCase().replace(/[^A-Z0-9]+/g, "_");
  if (BY_IDENTIFIER.has(upper)) return upper;
  const words = new Set(upper.split("_").filter((w) => w.length > 0));
  let best: { id: string; score: number } | undefined;
  for (const r of MANAGED_RULES) {
    const theirs = r.identifier.split("_");
    const score = theirs.filter((w) => words.has(w)).length / Math.max(theirs.length, words.size);
    if (score >= 0.5 && (!best || score > best.score)) best = { id: r.identifier, score };
  }
  return best?.id;
}

/** How the tools account aggregates the accounts' Config data. */
export type Aggregation = "accounts" | "organization";

/** What one account gets: Config on or off, its recorder and its rules. */
export interface AccountConfigSettings {
  readonly enabled: boolean;
  /** A recorder exists already (Control Tower, a central team): create only the rules. */
  readonly existingRecorder: boolean;
  /** The account already has AWSServiceRoleForConfig (an earlier Config setup). */
  readonly serviceLinkedRoleExists: boolean;
  /** How often the created recorder records. */
  readonly recordingFrequency: "CONTINUOUS" | "DAILY";
  readonly rules: readonly ManagedRule[];
}

type AwsConfigRaw = NonNullable<NonNullable<Organization["compliance"]>["awsConfig"]>;
type Level = Partial<Omit<AwsConfigRaw, "aggregation">> | undefined;

/** Later levels win, key by key; `rules` replaces the list of earlier levels whole. */
function merge(kind: AccountKind, levels: readonly Level[]): AccountConfigSettings {
  let enabled = false;
  let existingRecorder = false;
  let serviceLinkedRoleExists = false;
  let recordingFrequency: "CONTINUOUS" | "DAILY" = "CONTINUOUS";
  let rules: readonly string[] | undefined;
  for (const l of levels) {
    if (!l) continue;
    if (l.enabled !== undefined) enabled = l.enabled;
    if (l.existingRecorder !== undefined) existingRecorder = l.existingRecorder;
    if (l.recorder?.serviceLinkedRole !== undefined)
      serviceLinkedRoleExists = l.recorder.serviceLinkedRole === "existing";
    if (l.recorder?.recordingFrequency !== undefined)
      recordingFrequency = l.recorder.recordingFrequency;
    if (l.rules !== undefined) rules = l.rules;
  }
  return {
    enabled,
    existingRecorder,
    serviceLinkedRoleExists,
    recordingFrequency,
    rules: rules
      ? rules.map((id) => managedRule(id)).filter((r): r is ManagedRule => r !== undefined)
      : defaultRules(kind),
  };
}

/** AWS Config of the tools account: organization settings, then `tools.compliance`. */
export function toolsConfigSettings(org: Organization): AccountConfigSettings {
  return merge("tools", [org.compliance?.awsConfig, org.tools.compliance?.awsConfig]);
}

/** AWS Config of one workload account: organization, then environment, then account settings. */
export function workloadConfigSettings(
  org: Organization,
  environment: string,
  accountId: string,
): AccountConfigSettings {
  const env = org.environments.find((e) => e.name === environment);
  const account = env?.accounts.find((a) => a.id === accountId);
  return merge("workload", [
    org.compliance?.awsConfig,
    env?.compliance?.awsConfig,
    account?.compliance?.awsConfig,
  ]);
}

/** How the tools account aggregates. Default: over the listed accounts. */
export function aggregationOf(org: Organization): Aggregation {
  return org.compliance?.awsConfig?.aggregation ?? "accounts";
}

/** A source account of the tools account's aggregator. */
export interface AggregatorSource {
  readonly account: string;
  readonly regions: readonly string[];
}

/**
 * The accounts (and their regions) with Config on, the tools account's home region included when
 * it has Config on itself: the sources of an account aggregator.
 */
export function aggregatorSources(org: Organization): AggregatorSource[] {
  const sources: AggregatorSource[] = [];
  if (toolsConfigSettings(org).enabled)
    sources.push({ account: org.tools.account, regions: [org.tools.region] });
  for (const env of org.environments)
    for (const a of env.accounts)
      if (workloadConfigSettings(org, env.name, a.id).enabled)
        sources.push({ account: a.id, regions: a.regions ?? env.regions });
  return sources;
}

/** The resource types a recorder in one region records: what its rules there evaluate. */
export function recordedTypes(rules: readonly ManagedRule[], home: boolean): string[] {
  return [
    ...new Set(rules.filter((r) => home || !r.homeRegionOnly).flatMap((r) => r.resourceTypes)),
  ].sort();
}

/** The rules that run in one region of an account. */
export function rulesIn(rules: readonly ManagedRule[], home: boolean): ManagedRule[] {
  return rules.filter((r) => home || !r.homeRegionOnly);
}

/**
 * Cross-field rules of `compliance.awsConfig` at every level, on the raw config (the schema
 * checks each field): an existing recorder takes no recorder settings, rules are listed once,
 * and organization aggregation needs the organization id.
 */
export function complianceProblems(
  raw: unknown,
  add: (path: string, message: string) => void,
): void {
  const rec = (v: unknown): Record<string, unknown> | undefined =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : undefined;
  const levels: [string, Record<string, unknown> | undefined][] = [
    ["organization.compliance.awsConfig", rec(rec(rec(raw)?.["compliance"])?.["awsConfig"])],
    [
      "organization.tools.compliance.awsConfig",
      rec(rec(rec(rec(raw)?.["tools"])?.["compliance"])?.["awsConfig"]),
    ],
  ];
  const envs = rec(raw)?.["environments"];
  if (Array.isArray(envs))
    envs.forEach((env, i) => {
      const at = `organization.environments[${i}]`;
      levels.push([
        `${at}.compliance.awsConfig`,
        rec(rec(rec(env)?.["compliance"])?.["awsConfig"]),
      ]);
      const accounts = rec(env)?.["accounts"];
      if (Array.isArray(accounts))
        accounts.forEach((a, j) =>
          levels.push([
            `${at}.accounts[${j}].compliance.awsConfig`,
            rec(rec(rec(a)?.["compliance"])?.["awsConfig"]),
          ]),
        );
    });
  for (const [path, level] of levels) {
    if (!level) continue;
    if (level["existingRecorder"] === true && level["recorder"] !== undefined)
      add(
        `${path}.recorder`,
        "the account has a recorder already (existingRecorder: true), so the platform creates none to configure; remove recorder, or set existingRecorder: false to let the platform create the recorder",
      );
    const rules = level["rules"];
    if (Array.isArray(rules)) {
      const seen = new Set<unknown>();
      rules.forEach((r, k) => {
        if (typeof r !== "string" || !/^[A-Z0-9_]{3,128}$/.test(r)) return; // the schema says why
        if (!BY_IDENTIFIER.has(r)) {
          const near = closestRule(r);
          add(
            `${path}.rules[${k}]`,
            `${r} is not an AWS Config managed rule the platform knows${near ? ` (did you mean ${near}?)` : ""}; use one of the identifiers of model/compliance.ts (docs/compliance.md lists them), or add the rule there with its page`,
          );
        } else if (seen.has(r)) add(`${path}.rules[${k}]`, `${r} is listed twice; list it once`);
        seen.add(r);
      });
    }
  }
  const orgLevel = levels[0]?.[1];
  if (orgLevel?.["aggregation"] === "organization" && rec(raw)?.["id"] === undefined)
    add(
      "organization.compliance.awsConfig.aggregation",
      'organization aggregation collects from every account of the AWS organization, so it needs organization.id; set organization.id ("o-..."), or use aggregation: "accounts" to aggregate the listed accounts',
    );
}

/** X-Ray of one environment's workload accounts: organization settings, then environment's. */
export interface XRaySettings {
  readonly enabled: boolean;
  /** The sampling keys config sets; the rest take components/workload/xray.ts's defaults. */
  readonly sampling: Readonly<SamplingConfig>;
}
type SamplingConfig = NonNullable<
  NonNullable<NonNullable<Organization["observability"]>["xray"]>["sampling"]
>;

/** X-Ray settings of an environment. Default: on, with the sampling defaults of components/workload/xray.ts. */
export function xraySettings(org: Organization, environment: string): XRaySettings {
  const env = org.environments.find((e) => e.name === environment);
  const levels = [org.observability?.xray, env?.observability?.xray];
  let enabled = true;
  let sampling: SamplingConfig = {};
  for (const l of levels) {
    if (!l) continue;
    if (l.enabled !== undefined) enabled = l.enabled;
    if (l.sampling) sampling = { ...sampling, ...l.sampling };
  }
  return { enabled, sampling };
}
