// IAM grammar and wildcard cases: malformed documents as the IAM policy grammar and IAM Access
// Analyzer's policy check reference (docs.aws.amazon.com/IAM/latest/UserGuide/
// access-analyzer-reference-policy-checks.html) and parliament's checks
// (github.com/duo-labs/parliament) define the errors; "*" actions (checkov CKV_AWS_1/CKV_AWS_62,
// CKV_AWS_286..290); write and permissions-management actions on all-resource ARN patterns
// (cloudsplaining's "resource exposure" and checkov CKV_AWS_288/CKV_AWS_290); and least-privilege
// documents that are clean.
import type { CaseResource, DetectionCase } from "../corpus-types";
import { arn, doc, iamArn, role, T } from "../stacks";

const VALID = "iam-valid-policy-documents";
const ADMIN = "iam-no-admin-statements";
const WRITE = "iam-no-write-on-all-resources";
const CHECKS = "IAM Access Analyzer policy check reference";

/** Identity-policy carriers: each takes the policy document text. */
export const IDENTITY_CARRIERS: readonly {
  id: string;
  build: (slug: string, policy: string) => CaseResource[];
}[] = [
  {
    id: "managed-policy",
    build: (slug, policy) => [
      { type: T.managedPolicy, name: slug, inputs: { name: slug, path: "/app/", policy } },
    ],
  },
  {
    id: "role-policy",
    build: (slug, policy) => [
      role(`${slug}-role`),
      {
        type: T.rolePolicy,
        name: slug,
        inputs: { name: slug, role: `${slug}-role`, policy },
        links: { role: [`${slug}-role`] },
      },
    ],
  },
  {
    id: "role-inline",
    build: (slug, policy) => [role(slug, { inlinePolicies: [{ name: "app", policy }] })],
  },
  {
    id: "user-policy",
    build: (slug, policy) => [
      { type: T.user, name: `${slug}-user`, inputs: { name: `${slug}-user`, path: "/ci/" } },
      {
        type: T.userPolicy,
        name: slug,
        inputs: { name: slug, user: `${slug}-user`, policy },
        links: { user: [`${slug}-user`] },
      },
    ],
  },
  {
    id: "group-policy",
    build: (slug, policy) => [
      { type: T.group, name: `${slug}-group`, inputs: { name: `${slug}-group`, path: "/" } },
      {
        type: T.groupPolicy,
        name: slug,
        inputs: { name: slug, group: `${slug}-group`, policy },
        links: { group: [`${slug}-group`] },
      },
    ],
  },
];

interface DocCase {
  readonly id: string;
  readonly expect: "clean" | string;
  readonly source: string;
  /** The policy text (a document or, for malformed JSON, any string). */
  readonly policy: string;
}

const read = {
  Sid: "ReadOrders",
  Effect: "Allow",
  Action: ["s3:GetObject"],
  Resource: "arn:aws:s3:::orders-data/*",
};
const raw = (d: unknown): string => JSON.stringify(d);

const MALFORMED: readonly DocCase[] = [
  {
    id: "sid-with-spaces",
    expect: VALID,
    source: `${CHECKS}: Invalid Sid value (alphanumeric only); parliament MALFORMED`,
    policy: doc({ ...read, Sid: "Read orders data" }),
  },
  {
    id: "sid-with-hyphen",
    expect: VALID,
    source: `${CHECKS}: Invalid Sid value`,
    policy: doc({ ...read, Sid: "read-orders" }),
  },
  {
    id: "duplicate-sid",
    expect: VALID,
    source: `${CHECKS}: Duplicate Sid; parliament DUPLICATE_SID`,
    policy: doc(read, { ...read, Action: "s3:GetObjectVersion" }),
  },
  {
    id: "unknown-condition-operator",
    expect: VALID,
    source: `${CHECKS}: Invalid condition operator; parliament UNKNOWN_OPERATOR`,
    policy: doc({ ...read, Condition: { StringEqualz: { "aws:PrincipalTag/team": "orders" } } }),
  },
  {
    id: "date-key-string-operator",
    expect: VALID,
    source: `${CHECKS}: Type mismatch (date key with a string operator); parliament MISMATCHED_TYPE`,
    policy: doc({
      ...read,
      Condition: { StringEquals: { "aws:CurrentTime": "2026-01-01T00:00:00Z" } },
    }),
  },
  {
    id: "bool-not-true-false",
    expect: VALID,
    source: `${CHECKS}: Type mismatch Boolean; parliament MISMATCHED_TYPE_OPERATION_TO_NULL`,
    policy: doc({ ...read, Condition: { Bool: { "aws:MultiFactorAuthPresent": "yes" } } }),
  },
  {
    id: "bad-arn",
    expect: VALID,
    source: `${CHECKS}: Invalid ARN; parliament RESOURCE_MISMATCH`,
    policy: doc({ ...read, Resource: "arn:aws:s3:orders-data" }),
  },
  {
    id: "principal-in-identity-policy",
    expect: VALID,
    source: `${CHECKS}: Unsupported element Principal (identity policy)`,
    policy: doc({ ...read, Principal: { AWS: iamArn("root") } }),
  },
  {
    id: "action-and-notaction",
    expect: VALID,
    source: "IAM JSON policy grammar: a statement has Action or NotAction, not both",
    policy: doc({ ...read, NotAction: "s3:DeleteObject" }),
  },
  {
    id: "resource-and-notresource",
    expect: VALID,
    source: "IAM JSON policy grammar: Resource or NotResource, not both",
    policy: doc({ ...read, NotResource: "arn:aws:s3:::orders-data/private/*" }),
  },
  {
    id: "missing-effect",
    expect: VALID,
    source: `${CHECKS}: Missing Effect`,
    policy: doc({ Sid: "Read", Action: "s3:GetObject", Resource: "arn:aws:s3:::orders-data/*" }),
  },
  {
    id: "lowercase-effect",
    expect: VALID,
    source: `${CHECKS}: Invalid Effect value (Allow or Deny, case-sensitive)`,
    policy: doc({ ...read, Effect: "allow" }),
  },
  {
    id: "bad-version",
    expect: VALID,
    source: `${CHECKS}: Invalid Version (2012-10-17 or 2008-10-17)`,
    policy: raw({ Version: "2012-10-18", Statement: [read] }),
  },
  {
    id: "not-json",
    expect: VALID,
    source: "parliament MALFORMED_JSON",
    policy:
      '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::orders-data/*"}',
  },
  {
    id: "action-bad-format",
    expect: VALID,
    source: `${CHECKS}: Invalid action format (service:action)`,
    policy: doc({ ...read, Action: "s3.GetObject" }),
  },
  {
    id: "missing-action",
    expect: VALID,
    source: `${CHECKS}: Missing Action`,
    policy: doc({ Sid: "Read", Effect: "Allow", Resource: "arn:aws:s3:::orders-data/*" }),
  },
  {
    id: "missing-resource",
    expect: VALID,
    source: `${CHECKS}: Missing Resource (identity policy)`,
    policy: doc({ Sid: "Read", Effect: "Allow", Action: "s3:GetObject" }),
  },
  {
    id: "statement-key-typo",
    expect: VALID,
    source: `${CHECKS}: Unsupported element (Statements)`,
    policy: raw({ Version: "2012-10-17", Statements: [read] }),
  },
  {
    id: "condition-empty-value",
    expect: VALID,
    source: `${CHECKS}: Empty condition value`,
    policy: doc({ ...read, Condition: { StringEquals: { "aws:PrincipalTag/team": [] } } }),
  },
  {
    id: "numeric-key-string-value",
    expect: VALID,
    source: `${CHECKS}: Type mismatch (numeric operator with a non-number)`,
    policy: doc({
      ...read,
      Condition: { NumericLessThan: { "aws:MultiFactorAuthAge": "one hour" } },
    }),
  },
  {
    id: "ip-operator-bad-cidr",
    expect: VALID,
    source: `${CHECKS}: Type mismatch IP address`,
    policy: doc({ ...read, Condition: { IpAddress: { "aws:SourceIp": "10.0.0.0/33" } } }),
  },
  {
    id: "effect-number",
    expect: VALID,
    source: "parliament MALFORMED (Effect not a string)",
    policy: doc({ ...read, Effect: 1 }),
  },
  {
    id: "action-object",
    expect: VALID,
    source: "IAM JSON policy grammar: Action is a string or list of strings",
    policy: doc({ ...read, Action: { s3: "GetObject" } }),
  },
];

const ADMINS: readonly DocCase[] = [
  {
    id: "admin-star",
    expect: ADMIN,
    source: 'checkov CKV_AWS_62/CKV_AWS_63 (no "*" admin privileges)',
    policy: doc({ Effect: "Allow", Action: "*", Resource: "*" }),
  },
  {
    id: "admin-star-list",
    expect: ADMIN,
    source: 'checkov CKV_AWS_62 (Action ["*"])',
    policy: doc({ Sid: "Admin", Effect: "Allow", Action: ["*"], Resource: ["*"] }),
  },
  {
    id: "admin-with-condition",
    expect: ADMIN,
    source: "cloudsplaining: full admin regardless of conditions",
    policy: doc({
      Effect: "Allow",
      Action: "*",
      Resource: "*",
      Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } },
    }),
  },
  {
    id: "admin-beside-read",
    expect: ADMIN,
    source: "checkov CKV_AWS_1 (IAM policy documents do not allow * as a statement's actions)",
    policy: doc(read, { Sid: "Everything", Effect: "Allow", Action: "*", Resource: "*" }),
  },
  {
    id: "admin-ip-condition",
    expect: ADMIN,
    source: "checkov CKV_AWS_62 with a source-IP condition",
    policy: doc({
      Effect: "Allow",
      Action: "*",
      Resource: "*",
      Condition: { IpAddress: { "aws:SourceIp": "203.0.113.0/24" } },
    }),
  },
];

const WRITES: readonly DocCase[] = [
  {
    id: "s3-put-all-buckets",
    expect: WRITE,
    source:
      "cloudsplaining: resource exposure (s3:PutObject on arn:aws:s3:::*); checkov CKV_AWS_290",
    policy: doc({
      Effect: "Allow",
      Action: ["s3:PutObject", "s3:DeleteObject"],
      Resource: "arn:aws:s3:::*",
    }),
  },
  {
    id: "s3-put-bucket-policy-all",
    expect: WRITE,
    source:
      "cloudsplaining: permissions management s3:PutBucketPolicy on all buckets; checkov CKV_AWS_289",
    policy: doc({ Effect: "Allow", Action: "s3:PutBucketPolicy", Resource: "arn:aws:s3:::*" }),
  },
  {
    id: "dynamodb-write-all-tables",
    expect: WRITE,
    source: "cloudsplaining: write on arn:*:dynamodb:*:*:table/*; checkov CKV_AWS_290",
    policy: doc({
      Effect: "Allow",
      Action: ["dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:UpdateItem"],
      Resource: "arn:*:dynamodb:*:*:table/*",
    }),
  },
  {
    id: "sqs-send-all-queues",
    expect: WRITE,
    source: "checkov CKV_AWS_290 (write access without constraints)",
    policy: doc({ Effect: "Allow", Action: "sqs:SendMessage", Resource: "arn:aws:sqs:*:*:*" }),
  },
  {
    id: "ec2-terminate-star",
    expect: WRITE,
    source: "checkov CKV_AWS_290 (ec2:TerminateInstances on *)",
    policy: doc({
      Effect: "Allow",
      Action: ["ec2:StopInstances", "ec2:TerminateInstances"],
      Resource: "*",
    }),
  },
  {
    id: "s3-delete-bucket-star",
    expect: WRITE,
    source: "cloudsplaining: data exfiltration / resource exposure on *",
    policy: doc({ Effect: "Allow", Action: "s3:DeleteBucket", Resource: "*" }),
  },
  {
    id: "sns-publish-all-topics",
    expect: WRITE,
    source: "checkov CKV_AWS_290",
    policy: doc({ Effect: "Allow", Action: "sns:Publish", Resource: "arn:aws:sns:*:*:*" }),
  },
  {
    id: "kms-put-key-policy-all",
    expect: WRITE,
    source:
      "cloudsplaining: permissions management kms:PutKeyPolicy on all keys; checkov CKV_AWS_289",
    policy: doc({ Effect: "Allow", Action: "kms:PutKeyPolicy", Resource: "arn:aws:kms:*:*:key/*" }),
  },
  {
    id: "s3-put-wildcard-action-all",
    expect: WRITE,
    source: "cloudsplaining: s3:Put* expands to write and permissions-management actions",
    policy: doc({ Effect: "Allow", Action: "s3:Put*", Resource: "arn:aws:s3:::*/*" }),
  },
  {
    id: "logs-delete-all-groups",
    expect: WRITE,
    source: "checkov CKV_AWS_290",
    policy: doc({
      Effect: "Allow",
      Action: "logs:DeleteLogGroup",
      Resource: "arn:aws:logs:*:*:log-group:*",
    }),
  },
  {
    id: "secrets-put-all",
    expect: WRITE,
    source: "cloudsplaining: resource exposure secretsmanager:PutResourcePolicy",
    policy: doc({
      Effect: "Allow",
      Action: "secretsmanager:PutResourcePolicy",
      Resource: "arn:aws:secretsmanager:*:*:secret:*",
    }),
  },
  {
    id: "ecr-push-all-repos",
    expect: WRITE,
    source: "checkov CKV_AWS_290 (ecr push on every repository)",
    policy: doc({
      Effect: "Allow",
      Action: [
        "ecr:PutImage",
        "ecr:InitiateLayerUpload",
        "ecr:UploadLayerPart",
        "ecr:CompleteLayerUpload",
      ],
      Resource: "arn:aws:ecr:*:*:repository/*",
    }),
  },
];

const MORE_MALFORMED: readonly DocCase[] = [
  {
    id: "null-operator-bad-value",
    expect: VALID,
    source: `${CHECKS}: Type mismatch (Null takes true or false)`,
    policy: doc({ ...read, Condition: { Null: { "aws:PrincipalTag/team": "maybe" } } }),
  },
  {
    id: "notprincipal-in-identity-policy",
    expect: VALID,
    source: `${CHECKS}: Unsupported element NotPrincipal (identity policy)`,
    policy: doc({ ...read, NotPrincipal: { AWS: iamArn("root") } }),
  },
  {
    id: "empty-statement-list",
    expect: VALID,
    source: "parliament MALFORMED (no statement)",
    policy: raw({ Version: "2012-10-17", Statement: [] }),
  },
  {
    id: "wildcard-service-prefix",
    expect: VALID,
    source: `${CHECKS}: Invalid service prefix in action (*:GetObject)`,
    policy: doc({ ...read, Action: "*:GetObject" }),
  },
  {
    id: "s3-arn-with-region",
    expect: VALID,
    source: `${CHECKS}: Invalid ARN region (S3 ARNs have no Region or account)`,
    policy: doc({ ...read, Resource: "arn:aws:s3:eu-west-1:111122223333:orders-data/*" }),
  },
  {
    id: "managed-policy-too-large",
    expect: VALID,
    source: "IAM quotas: managed policy documents are at most 6,144 characters",
    policy: doc(
      ...Array.from({ length: 60 }, (_, i) => ({
        Sid: `Read${i}`,
        Effect: "Allow",
        Action: ["s3:GetObject", "s3:GetObjectVersion"],
        Resource: `arn:aws:s3:::orders-data-${i}/reports/monthly/*`,
      })),
    ),
  },
  {
    id: "condition-not-object",
    expect: VALID,
    source: "IAM JSON policy grammar: Condition is a map of operators",
    policy: doc({ ...read, Condition: "aws:SecureTransport" }),
  },
];

const WILDCARDS: readonly {
  id: string;
  policy: string;
  source: string;
  build: (slug: string) => CaseResource[];
}[] = [
  {
    id: "allow-notaction",
    policy: "iam-no-allow-not-action",
    source: "parliament/cloudsplaining: Allow with NotAction grants every other action",
    build: (slug) => [
      {
        type: T.managedPolicy,
        name: slug,
        inputs: { name: slug, policy: doc({ Effect: "Allow", NotAction: "iam:*", Resource: "*" }) },
      },
    ],
  },
  {
    id: "allow-notresource",
    policy: "iam-no-allow-not-action",
    source: "IAM docs: Allow with NotResource grants every other resource",
    build: (slug) => [
      role(slug, {
        inlinePolicies: [
          {
            name: "app",
            policy: doc({
              Effect: "Allow",
              Action: "s3:GetObject",
              NotResource: "arn:aws:s3:::audit-logs/*",
            }),
          },
        ],
      }),
    ],
  },
  {
    id: "service-wildcard",
    policy: "iam-no-service-wildcards",
    source: "cloudsplaining: service-wide wildcard (dynamodb:*)",
    build: (slug) => [
      {
        type: T.managedPolicy,
        name: slug,
        inputs: {
          name: slug,
          policy: doc({
            Effect: "Allow",
            Action: "dynamodb:*",
            Resource: arn("dynamodb", "table/orders"),
          }),
        },
      },
    ],
  },
  {
    id: "passrole-star",
    policy: "iam-no-passrole-wildcard",
    source: "cloudsplaining: iam:PassRole on * (a condition does not name the roles)",
    build: (slug) => [
      role(`${slug}-role`),
      {
        type: T.rolePolicy,
        name: slug,
        inputs: {
          name: slug,
          role: `${slug}-role`,
          policy: doc({
            Effect: "Allow",
            Action: "iam:PassRole",
            Resource: "*",
            Condition: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } },
          }),
        },
        links: { role: [`${slug}-role`] },
      },
    ],
  },
  {
    id: "admin-managed-attached",
    policy: "iam-no-elevated-managed-policies",
    source: "checkov CKV_AWS_274 (AdministratorAccess attached)",
    build: (slug) => [
      role(slug),
      {
        type: T.rolePolicyAttachment,
        name: `${slug}-admin`,
        inputs: { role: slug, policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" },
        links: { role: [slug] },
      },
    ],
  },
  {
    id: "iam-full-access-arns",
    policy: "iam-no-elevated-managed-policies",
    source: "checkov CKV_AWS_274 family: IAMFullAccess in managedPolicyArns",
    build: (slug) => [role(slug, { managedPolicyArns: ["arn:aws:iam::aws:policy/IAMFullAccess"] })],
  },
  {
    id: "open-trust-star",
    policy: "iam-no-open-trust-policies",
    source: "checkov CKV_AWS_60 (role assumable by specific principals only)",
    build: (slug) => [
      {
        type: T.role,
        name: slug,
        inputs: {
          name: slug,
          assumeRolePolicy: doc({
            Effect: "Allow",
            Principal: { AWS: "*" },
            Action: "sts:AssumeRole",
          }),
        },
      },
    ],
  },
  {
    id: "open-trust-federated-no-condition",
    policy: "iam-no-open-trust-policies",
    source: "AWS docs: GitHub OIDC trust needs a token.actions.githubusercontent.com:sub condition",
    build: (slug) => [
      {
        type: T.role,
        name: slug,
        inputs: {
          name: slug,
          assumeRolePolicy: doc({
            Effect: "Allow",
            Principal: { Federated: iamArn("oidc-provider/token.actions.githubusercontent.com") },
            Action: "sts:AssumeRoleWithWebIdentity",
          }),
        },
      },
    ],
  },
  {
    id: "clean-github-oidc-trust",
    policy: "clean",
    source: "AWS docs: GitHub OIDC trust with aud and sub conditions",
    build: (slug) => [
      {
        type: T.role,
        name: slug,
        inputs: {
          name: slug,
          assumeRolePolicy: doc({
            Effect: "Allow",
            Principal: { Federated: iamArn("oidc-provider/token.actions.githubusercontent.com") },
            Action: "sts:AssumeRoleWithWebIdentity",
            Condition: {
              StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" },
              StringLike: {
                "token.actions.githubusercontent.com:sub": "repo:acme/orders:ref:refs/heads/main",
              },
            },
          }),
        },
      },
    ],
  },
  {
    id: "clean-cross-account-trust-org",
    policy: "clean",
    source: "checkov CKV_AWS_60: account principal with aws:PrincipalOrgID",
    build: (slug) => [
      {
        type: T.role,
        name: slug,
        inputs: {
          name: slug,
          assumeRolePolicy: doc({
            Effect: "Allow",
            Principal: { AWS: "arn:aws:iam::444455556666:root" },
            Action: "sts:AssumeRole",
            Condition: { StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } },
          }),
        },
      },
    ],
  },
  {
    id: "clean-readonly-managed-attached",
    policy: "clean",
    source: "checkov CKV_AWS_274: ReadOnlyAccess is not an elevated policy",
    build: (slug) => [
      role(slug),
      {
        type: T.rolePolicyAttachment,
        name: `${slug}-ro`,
        inputs: { role: slug, policyArn: "arn:aws:iam::aws:policy/AWSLambdaBasicExecutionRole" },
        links: { role: [slug] },
      },
    ],
  },
];

const CLEAN: readonly DocCase[] = [
  {
    id: "clean-s3-read-one-bucket",
    expect: "clean",
    source: "AWS docs: least privilege (one bucket prefix)",
    policy: doc(read),
  },
  {
    id: "clean-dynamodb-one-table",
    expect: "clean",
    source: "AWS docs: DynamoDB access to one table",
    policy: doc({
      Sid: "OrdersTable",
      Effect: "Allow",
      Action: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"],
      Resource: [arn("dynamodb", "table/orders"), arn("dynamodb", "table/orders/index/*")],
    }),
  },
  {
    id: "clean-logs-one-group",
    expect: "clean",
    source: "AWS Lambda docs: execution role logging to its own group",
    policy: doc({
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: arn("logs", "log-group:/aws/lambda/orders-api:*"),
    }),
  },
  {
    id: "clean-assume-one-role",
    expect: "clean",
    source: "AWS docs: sts:AssumeRole on a named role",
    policy: doc({
      Effect: "Allow",
      Action: "sts:AssumeRole",
      Resource: "arn:aws:iam::444455556666:role/orders-deploy",
    }),
  },
  {
    id: "clean-kms-decrypt-one-key",
    expect: "clean",
    source: "AWS KMS docs: key use limited to one key",
    policy: doc({
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: arn("kms", "key/1234abcd-12ab-34cd-56ef-1234567890ab"),
    }),
  },
  {
    id: "clean-ecr-auth-token-star",
    expect: "clean",
    source: "AWS ECR docs: ecr:GetAuthorizationToken supports only Resource *",
    policy: doc({ Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" }),
  },
  {
    id: "clean-log-delivery-star",
    expect: "clean",
    source:
      "AWS Step Functions docs: logging needs logs:CreateLogDelivery and friends on Resource * (no resource type)",
    policy: doc({
      Effect: "Allow",
      Action: [
        "logs:CreateLogDelivery",
        "logs:GetLogDelivery",
        "logs:UpdateLogDelivery",
        "logs:DeleteLogDelivery",
        "logs:ListLogDeliveries",
      ],
      Resource: "*",
    }),
  },
  {
    id: "clean-xray-star",
    expect: "clean",
    source: "Service Authorization Reference: xray:PutTraceSegments has no resource type",
    policy: doc({
      Effect: "Allow",
      Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
      Resource: "*",
    }),
  },
  {
    id: "clean-date-condition",
    expect: "clean",
    source: `${CHECKS}: date operator with a date key`,
    policy: doc({
      ...read,
      Condition: { DateLessThan: { "aws:CurrentTime": "2027-01-01T00:00:00Z" } },
    }),
  },
  {
    id: "clean-bool-mfa",
    expect: "clean",
    source: `${CHECKS}: Bool with "true"`,
    policy: doc({ ...read, Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } } }),
  },
  {
    id: "clean-deny-notaction",
    expect: "clean",
    source: "AWS docs: Deny with NotAction (deny everything but listed actions without MFA)",
    policy: doc(read, {
      Sid: "DenyAllButIamWithoutMfa",
      Effect: "Deny",
      NotAction: ["iam:ChangePassword", "sts:GetSessionToken"],
      Resource: "*",
      Condition: { BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } },
    }),
  },
  {
    id: "clean-describe-star",
    expect: "clean",
    source: "cloudsplaining: read and list on * is not resource exposure",
    policy: doc({
      Effect: "Allow",
      Action: ["ec2:DescribeInstances", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups"],
      Resource: "*",
    }),
  },
  {
    id: "clean-ssm-get-prefix",
    expect: "clean",
    source: "AWS SSM docs: parameters under one path",
    policy: doc({
      Effect: "Allow",
      Action: ["ssm:GetParameter", "ssm:GetParametersByPath"],
      Resource: arn("ssm", "parameter/orders/prod/*"),
    }),
  },
  {
    id: "clean-sqs-one-queue",
    expect: "clean",
    source: "AWS SQS docs: send and receive on one queue",
    policy: doc({
      Effect: "Allow",
      Action: ["sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage"],
      Resource: arn("sqs", "orders-events"),
    }),
  },
  {
    id: "clean-ip-condition",
    expect: "clean",
    source: `${CHECKS}: IpAddress with CIDRs`,
    policy: doc({
      ...read,
      Condition: { IpAddress: { "aws:SourceIp": ["10.0.0.0/16", "192.0.2.0/24"] } },
    }),
  },
  {
    id: "clean-version-2008",
    expect: "clean",
    source: `${CHECKS}: Version 2008-10-17 is valid`,
    policy: raw({ Version: "2008-10-17", Statement: [read] }),
  },
  {
    id: "clean-secrets-one-secret",
    expect: "clean",
    source: "AWS Secrets Manager docs: read one secret",
    policy: doc({
      Effect: "Allow",
      Action: "secretsmanager:GetSecretValue",
      Resource: arn("secretsmanager", "secret:prod/orders/db-AbCdEf"),
    }),
  },
  {
    id: "clean-string-like-tag",
    expect: "clean",
    source: `${CHECKS}: StringLike with a principal tag`,
    policy: doc({ ...read, Condition: { StringLike: { "aws:PrincipalTag/team": "orders*" } } }),
  },
];

export function iamGrammarCases(): DetectionCase[] {
  const all = [...MALFORMED, ...MORE_MALFORMED, ...ADMINS, ...WRITES, ...CLEAN];
  const documents = all.map((d, i): DetectionCase => {
    const c = IDENTITY_CARRIERS[i % IDENTITY_CARRIERS.length]!;
    const slug = `${d.id}`.slice(0, 40);
    return {
      id: `iam-${d.id}-${c.id}`,
      family: "iam-grammar-and-wildcards",
      expect: d.expect === "clean" ? { violation: false } : { violation: true, policy: d.expect },
      source: d.source,
      resources: c.build(slug, d.policy),
    };
  });
  const wildcards = WILDCARDS.map((w): DetectionCase => ({
    id: `iam-${w.id}`,
    family: "iam-grammar-and-wildcards",
    expect: w.policy === "clean" ? { violation: false } : { violation: true, policy: w.policy },
    source: w.source,
    resources: w.build(w.id.slice(0, 40)),
  }));
  return [...documents, ...wildcards];
}
