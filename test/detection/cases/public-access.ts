// Public-access cases: resource policies of each service with a "*" principal, judged the way
// S3's "The meaning of public" (docs.aws.amazon.com/AmazonS3/latest/userguide/
// access-control-block-public-access.html#access-control-block-public-access-policy-status) and
// IAM Access Analyzer's public-access findings judge them: a statement is not public when a
// positive condition on a fixed value of a restricting key (aws:PrincipalOrgID, aws:PrincipalAccount,
// aws:SourceAccount, aws:SourceArn, aws:SourceVpce, aws:SourceVpc, aws:SourceOwner) narrows it; a
// negated operator, a wildcard value, ForAllValues on a single-valued key (true when the key is
// absent), ...IfExists, or a non-restricting key (aws:SecureTransport, aws:UserAgent) does not.
import type { CaseResource, DetectionCase } from "../corpus-types";
import { ACCOUNT, arn, bucket, doc, iamArn, T } from "../stacks";

const POLICY = "iam-no-public-resource-policies";
const ORG = "o-a1b2c3d4e5";

interface Service {
  readonly id: string;
  /** What the service's resource policy grants, and on which resource ("" for none). */
  readonly action: string | readonly string[];
  readonly resource: string;
  readonly build: (slug: string, statements: readonly Record<string, unknown>[]) => CaseResource[];
}

/** The default key policy statement: the account administers the key. */
const keyAdmin = {
  Sid: "EnableRootAccess",
  Effect: "Allow",
  Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
  Action: "kms:*",
  Resource: "*",
};

const SERVICES: readonly Service[] = [
  {
    id: "s3-bucket-policy",
    action: "s3:GetObject",
    resource: "arn:aws:s3:::SLUG/*",
    build: (slug, statements) => bucket(slug, { statements }),
  },
  {
    id: "s3-bucket-inline-policy",
    action: ["s3:GetObject", "s3:GetObjectVersion"],
    resource: "arn:aws:s3:::SLUG/*",
    build: (slug, statements) => bucket(slug, { statements, inlinePolicy: true }),
  },
  {
    id: "ecr-repository-policy",
    action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
    resource: "",
    build: (slug, statements) => [
      { type: T.ecrPolicy, name: slug, inputs: { repository: slug, policy: doc(...statements) } },
    ],
  },
  {
    id: "kms-key-policy-inline",
    action: ["kms:Decrypt", "kms:DescribeKey"],
    resource: "*",
    build: (slug, statements) => [
      {
        type: T.kmsKey,
        name: slug,
        inputs: {
          description: `${slug} data key`,
          enableKeyRotation: true,
          deletionWindowInDays: 30,
          policy: doc(keyAdmin, ...statements),
        },
      },
    ],
  },
  {
    id: "kms-key-policy-resource",
    action: ["kms:Encrypt", "kms:GenerateDataKey*"],
    resource: "*",
    build: (slug, statements) => [
      {
        type: T.kmsKey,
        name: slug,
        inputs: { description: `${slug} key`, enableKeyRotation: true },
      },
      {
        type: T.kmsKeyPolicy,
        name: `${slug}-policy`,
        inputs: {
          keyId: "1234abcd-12ab-34cd-56ef-1234567890ab",
          policy: doc(keyAdmin, ...statements),
        },
        links: { keyId: [slug] },
      },
    ],
  },
  {
    id: "sns-topic-policy",
    action: "sns:Publish",
    resource: arn("sns", "SLUG"),
    build: (slug, statements) => [
      {
        type: T.topicPolicy,
        name: slug,
        inputs: { arn: arn("sns", slug), policy: doc(...statements) },
      },
    ],
  },
  {
    id: "sqs-queue-policy",
    action: "sqs:SendMessage",
    resource: arn("sqs", "SLUG"),
    build: (slug, statements) => [
      {
        type: T.queuePolicy,
        name: slug,
        inputs: {
          queueUrl: `https://sqs.eu-west-1.amazonaws.com/${ACCOUNT}/${slug}`,
          policy: doc(...statements),
        },
      },
    ],
  },
  {
    id: "secretsmanager-secret-policy",
    action: "secretsmanager:GetSecretValue",
    resource: "*",
    build: (slug, statements) => [
      {
        type: T.secretPolicy,
        name: slug,
        inputs: {
          secretArn: arn("secretsmanager", `secret:${slug}-AbCdEf`),
          policy: doc(...statements),
        },
      },
    ],
  },
  {
    id: "codeartifact-repository-policy",
    action: ["codeartifact:ReadFromRepository", "codeartifact:DescribePackageVersion"],
    resource: "*",
    build: (slug, statements) => [
      {
        type: T.codeArtifactPolicy,
        name: slug,
        inputs: { domain: "acme", repository: slug, policyDocument: doc(...statements) },
      },
    ],
  },
  {
    id: "eventbridge-bus-policy",
    action: "events:PutEvents",
    resource: arn("events", "event-bus/default"),
    build: (slug, statements) => [
      {
        type: T.eventBusPolicy,
        name: slug,
        inputs: { eventBusName: "default", policy: doc(...statements) },
      },
    ],
  },
];

interface Variant {
  readonly id: string;
  readonly violation: boolean;
  readonly source: string;
  readonly principal: unknown;
  readonly condition?: Record<string, unknown>;
  /** NotPrincipal instead of Principal. */
  readonly notPrincipal?: boolean;
}

const S3_PUBLIC = 'S3 docs: The meaning of "public" (bucket policy status)';
const AA = "IAM Access Analyzer: public access findings";

const CORE: readonly Variant[] = [
  { id: "star", violation: true, source: `${AA}; checkov CKV_AWS_70/CKV_AWS_168`, principal: "*" },
  {
    id: "aws-star",
    violation: true,
    source: `${AA} (Principal {"AWS": "*"})`,
    principal: { AWS: "*" },
  },
  {
    id: "org-id",
    violation: false,
    source: `${S3_PUBLIC}: aws:PrincipalOrgID`,
    principal: "*",
    condition: { StringEquals: { "aws:PrincipalOrgID": ORG } },
  },
  {
    id: "account-principal",
    violation: false,
    source: `${AA}: a named account is not public`,
    principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
  },
];

const EXTRA: readonly Variant[] = [
  {
    id: "secure-transport-only",
    violation: true,
    source: `${S3_PUBLIC}: aws:SecureTransport does not restrict the caller`,
    principal: "*",
    condition: { Bool: { "aws:SecureTransport": "true" } },
  },
  {
    id: "negated-org-id",
    violation: true,
    source: `${AA}: StringNotEquals aws:PrincipalOrgID grants everyone outside the org`,
    principal: "*",
    condition: { StringNotEquals: { "aws:PrincipalOrgID": ORG } },
  },
  {
    id: "wildcard-account",
    violation: true,
    source: `${S3_PUBLIC}: wildcard values are public`,
    principal: "*",
    condition: { StringLike: { "aws:PrincipalAccount": "*" } },
  },
  {
    id: "forallvalues-org-id",
    violation: true,
    source: `${AA}; IAM docs: ForAllValues with a single-valued key is true when the key is absent`,
    principal: "*",
    condition: { "ForAllValues:StringEquals": { "aws:PrincipalOrgID": [ORG] } },
  },
  {
    id: "ifexists-source-account",
    violation: true,
    source: `${AA}: ...IfExists is true when the key is absent`,
    principal: "*",
    condition: { StringEqualsIfExists: { "aws:SourceAccount": ACCOUNT } },
  },
  {
    id: "user-agent",
    violation: true,
    source: `${S3_PUBLIC}: aws:UserAgent is caller-controlled`,
    principal: "*",
    condition: { StringEquals: { "aws:UserAgent": "orders-client/1.0" } },
  },
  {
    id: "wildcard-principal-arn",
    violation: true,
    source: `${S3_PUBLIC}: aws:PrincipalArn with a wildcard account`,
    principal: "*",
    condition: { ArnLike: { "aws:PrincipalArn": "arn:aws:iam::*:role/deployer" } },
  },
  {
    id: "not-principal",
    violation: true,
    source:
      "parliament: NotPrincipal with Allow; IAM docs: NotPrincipal with Allow grants everyone else",
    principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
    notPrincipal: true,
  },
  {
    id: "source-account",
    violation: false,
    source: `${S3_PUBLIC}: aws:SourceAccount`,
    principal: "*",
    condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
  },
  {
    id: "source-arn",
    violation: false,
    source: `${S3_PUBLIC}: aws:SourceArn`,
    principal: "*",
    condition: { ArnEquals: { "aws:SourceArn": arn("sns", "orders-events") } },
  },
  {
    id: "source-vpce",
    violation: false,
    source: `${S3_PUBLIC}: aws:SourceVpce`,
    principal: "*",
    condition: { StringEquals: { "aws:SourceVpce": "vpce-0a1b2c3d4e5f67890" } },
  },
  {
    id: "principal-account",
    violation: false,
    source: `${S3_PUBLIC}: aws:PrincipalAccount`,
    principal: "*",
    condition: { StringEquals: { "aws:PrincipalAccount": ["111122223333", "444455556666"] } },
  },
  {
    id: "org-id-and-tls",
    violation: false,
    source: `${S3_PUBLIC}: one restricting key is enough`,
    principal: { AWS: "*" },
    condition: {
      StringEquals: { "aws:PrincipalOrgID": ORG },
      Bool: { "aws:SecureTransport": "true" },
    },
  },
  {
    id: "source-vpc",
    violation: false,
    source: `${S3_PUBLIC}: aws:SourceVpc`,
    principal: "*",
    condition: { StringEquals: { "aws:SourceVpc": "vpc-0123456789abcdef0" } },
  },
  {
    id: "cross-account-role",
    violation: false,
    source: `${AA}: a named cross-account role is external, not public`,
    principal: { AWS: "arn:aws:iam::444455556666:role/orders-reader" },
  },
];

function statementOf(s: Service, v: Variant, slug: string): Record<string, unknown> {
  const resource = s.resource.replace("SLUG", slug);
  return {
    Sid: `Case${v.id.replace(/[^a-z0-9]/gi, "")}`,
    Effect: "Allow",
    [v.notPrincipal ? "NotPrincipal" : "Principal"]: v.principal,
    Action: s.action,
    ...(resource !== "" ? { Resource: resource } : {}),
    ...(v.condition ? { Condition: v.condition } : {}),
  };
}

function resourcePolicyCases(): DetectionCase[] {
  const cases: DetectionCase[] = [];
  SERVICES.forEach((s, i) => {
    const extras = [0, 1, 2, 3, 4, 5].map((j) => EXTRA[(i * 3 + j) % EXTRA.length]!);
    for (const v of [...CORE, ...extras]) {
      const slug = `${s.id.split("-")[0]}-${v.id}`.slice(0, 40);
      cases.push({
        id: `public-${s.id}-${v.id}`,
        family: "public-access",
        expect: v.violation ? { violation: true, policy: POLICY } : { violation: false },
        source: v.source,
        resources: s.build(slug, [statementOf(s, v, slug)]),
      });
    }
  });
  return cases;
}

/** Lambda permissions: the principal, sourceArn, sourceAccount, principalOrgId and URL auth type. */
function lambdaPermissionCases(): DetectionCase[] {
  const perm = (
    id: string,
    violation: boolean,
    source: string,
    inputs: Record<string, unknown>,
  ): DetectionCase => ({
    id: `public-lambda-permission-${id}`,
    family: "public-access",
    expect: violation ? { violation: true, policy: POLICY } : { violation: false },
    source,
    resources: [
      {
        type: T.lambdaPermission,
        name: `orders-api-${id}`,
        inputs: {
          function: "orders-api",
          action: "lambda:InvokeFunction",
          statementId: `Allow${id.replace(/-/g, "")}`,
          ...inputs,
        },
      },
    ],
  });
  const CKV = "checkov CKV_AWS_364 (Lambda permissions limited by SourceArn or SourceAccount)";
  return [
    perm("star", true, CKV, { principal: "*" }),
    perm("star-url-none", true, "AWS Lambda docs: function URL with auth type NONE is public", {
      action: "lambda:InvokeFunctionUrl",
      principal: "*",
      functionUrlAuthType: "NONE",
    }),
    perm("star-source-account", false, CKV, { principal: "*", sourceAccount: ACCOUNT }),
    perm("star-org", false, `${CKV}; principalOrgId`, { principal: "*", principalOrgId: ORG }),
    perm("s3-source-arn", false, "AWS Lambda docs: service principal with sourceArn", {
      principal: "s3.amazonaws.com",
      sourceArn: "arn:aws:s3:::orders-uploads",
      sourceAccount: ACCOUNT,
    }),
    perm("events-source-arn", false, "AWS Lambda docs: EventBridge rule as the source", {
      principal: "events.amazonaws.com",
      sourceArn: arn("events", "rule/nightly"),
    }),
    perm("account-principal", false, "AWS Lambda docs: another account as the principal", {
      principal: "444455556666",
    }),
    perm("star-source-arn", false, CKV, {
      principal: "*",
      sourceArn: arn("execute-api", "a1b2c3d4e5/*/POST/orders"),
    }),
    perm("url-iam", false, "AWS Lambda docs: function URL with auth type AWS_IAM", {
      action: "lambda:InvokeFunctionUrl",
      principal: iamArn("role/orders-frontend"),
      functionUrlAuthType: "AWS_IAM",
    }),
  ];
}

export function publicAccessCases(): DetectionCase[] {
  return [...resourcePolicyCases(), ...lambdaPermissionCases()];
}
