import * as assert from "node:assert/strict";
import { iamNoOpenTrustPolicies } from "../../policies/iam/iam-no-open-trust-policies";
import { iamNoPublicResourcePolicies } from "../../policies/iam/iam-no-public-resource-policies";
import { T } from "../../policies/lib/resources";
import { expected, messages, resource, runResourcePolicy } from "../helpers/policy";
import { deployStatements, doc, roleWith, TOOLS_ACCOUNT, type Stmt } from "./fixtures/iam";

const trusting = (statement: Stmt) =>
  roleWith(deployStatements, { assumeRolePolicy: JSON.stringify(doc(statement)) });
const root = `arn:aws:iam::${TOOLS_ACCOUNT}:root`;

describe("trust policies", () => {
  it("accepts the tools-account root narrowed by aws:PrincipalArn and a service principal", async () => {
    assert.deepEqual(
      messages(await runResourcePolicy(iamNoOpenTrustPolicies, roleWith(deployStatements))),
      [],
    );
    const service = trusting({
      Effect: "Allow",
      Principal: { Service: "codebuild.amazonaws.com" },
      Action: "sts:AssumeRole",
    });
    assert.deepEqual(messages(await runResourcePolicy(iamNoOpenTrustPolicies, service)), []);
  });

  it('flags Principal "*" without conditions', async () => {
    const run = await runResourcePolicy(
      iamNoOpenTrustPolicies,
      trusting({ Effect: "Allow", Principal: "*", Action: "sts:AssumeRole" }),
    );
    assert.deepEqual(messages(run), [
      expected(
        iamNoOpenTrustPolicies,
        'assumeRolePolicy statement 0 lets any AWS principal ("*") assume the role without an aws:PrincipalOrgID, aws:PrincipalArn or sts:ExternalId condition.',
      ),
    ]);
  });

  it("flags another account's root without conditions, by ARN or bare id", async () => {
    const run = await runResourcePolicy(
      iamNoOpenTrustPolicies,
      trusting({
        Effect: "Allow",
        Principal: { AWS: [root, "111122223333"] },
        Action: "sts:AssumeRole",
      }),
    );
    assert.deepEqual(messages(run), [
      expected(
        iamNoOpenTrustPolicies,
        `assumeRolePolicy statement 0 trusts every principal of account ${TOOLS_ACCOUNT} ("${root}") without an aws:PrincipalOrgID, aws:PrincipalArn or sts:ExternalId condition.`,
      ),
      expected(
        iamNoOpenTrustPolicies,
        'assumeRolePolicy statement 0 trusts every principal of account 111122223333 ("111122223333") without an aws:PrincipalOrgID, aws:PrincipalArn or sts:ExternalId condition.',
      ),
    ]);
  });

  it("does not accept a negated or IfExists condition, nor an unrelated one", async () => {
    for (const Condition of [
      { StringNotEquals: { "aws:PrincipalOrgID": "o-1" } },
      { StringEqualsIfExists: { "aws:PrincipalOrgID": "o-1" } },
      { Bool: { "aws:MultiFactorAuthPresent": "true" } },
    ]) {
      const run = await runResourcePolicy(
        iamNoOpenTrustPolicies,
        trusting({
          Effect: "Allow",
          Principal: { AWS: root },
          Action: "sts:AssumeRole",
          Condition,
        }),
      );
      assert.equal(run.violations.length, 1, JSON.stringify(Condition));
    }
  });

  it("accepts sts:ExternalId, aws:PrincipalOrgID and allow-listed accounts", async () => {
    const external = trusting({
      Effect: "Allow",
      Principal: { AWS: root },
      Action: "sts:AssumeRole",
      Condition: { StringEquals: { "sts:ExternalId": "vendor-42" } },
    });
    assert.deepEqual(messages(await runResourcePolicy(iamNoOpenTrustPolicies, external)), []);
    const bare = trusting({ Effect: "Allow", Principal: { AWS: root }, Action: "sts:AssumeRole" });
    const allowed = await runResourcePolicy(iamNoOpenTrustPolicies, bare, {
      trustedAccounts: [{ accountId: TOOLS_ACCOUNT, reason: "the role's own account" }],
    });
    assert.deepEqual(messages(allowed), []);
  });

  it("flags a federated principal with no condition on the token", async () => {
    const provider = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
    const run = await runResourcePolicy(
      iamNoOpenTrustPolicies,
      trusting({
        Effect: "Allow",
        Principal: { Federated: provider },
        Action: "sts:AssumeRoleWithWebIdentity",
      }),
    );
    assert.deepEqual(messages(run), [
      expected(
        iamNoOpenTrustPolicies,
        `assumeRolePolicy statement 0 trusts the identity provider "${provider}" with no Condition on the token, so any identity it issues can assume the role.`,
      ),
    ]);
  });
});

describe("public resource policies", () => {
  const open: Stmt = {
    Sid: "Open",
    Effect: "Allow",
    Principal: "*",
    Action: "s3:GetObject",
    Resource: "arn:aws:s3:::b/*",
  };
  const types = [
    T.bucketPolicy,
    T.bucket,
    T.kmsKey,
    T.kmsKeyPolicy,
    T.snsTopic,
    T.snsTopicPolicy,
    T.sqsQueue,
    T.sqsQueuePolicy,
    T.ecrRepositoryPolicy,
    T.secretPolicy,
  ];

  it('flags an Allow to "*" without conditions on every resource-policy type', async () => {
    for (const type of types) {
      const run = await runResourcePolicy(
        iamNoPublicResourcePolicies,
        resource(type, "r", { policy: JSON.stringify(doc(open)) }),
      );
      assert.deepEqual(
        messages(run),
        [
          expected(
            iamNoPublicResourcePolicies,
            `policy statement 0 ("Open") allows any principal ("*") ("s3:GetObject") without a condition on the caller's account, organization, source or network.`,
          ),
        ],
        type,
      );
    }
  });

  it('flags {"AWS": "*"} and NotPrincipal', async () => {
    const run = await runResourcePolicy(
      iamNoPublicResourcePolicies,
      resource(T.sqsQueuePolicy, "q", {
        policy: doc(
          { Effect: "Allow", Principal: { AWS: ["*"] }, Action: "sqs:SendMessage", Resource: "*" },
          {
            Effect: "Allow",
            NotPrincipal: { AWS: "arn:aws:iam::1:root" },
            Action: "sqs:*",
            Resource: "*",
          },
        ),
      }),
    );
    assert.equal(run.violations.length, 2);
  });

  it("accepts conditions that name the source, the organization or the caller account, and Deny to *", async () => {
    for (const Condition of [
      { ArnLike: { "aws:SourceArn": "arn:aws:events:eu-west-1:1:rule/x" } },
      { StringEquals: { "aws:PrincipalOrgID": "o-1" } },
      { StringEquals: { "kms:CallerAccount": "123456789012" } },
    ]) {
      const run = await runResourcePolicy(
        iamNoPublicResourcePolicies,
        resource(T.snsTopicPolicy, "t", { arn: "x", policy: doc({ ...open, Condition }) }),
      );
      assert.deepEqual(messages(run), [], JSON.stringify(Condition));
    }
    const deny = await runResourcePolicy(
      iamNoPublicResourcePolicies,
      resource(T.bucketPolicy, "b", {
        policy: doc({
          Effect: "Deny",
          Principal: "*",
          Action: "s3:*",
          Resource: "*",
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        }),
      }),
    );
    assert.deepEqual(messages(deny), []);
  });

  it('flags a Lambda permission for principal "*" without a source', async () => {
    const run = await runResourcePolicy(
      iamNoPublicResourcePolicies,
      resource(T.lambdaPermission, "p", {
        action: "lambda:InvokeFunction",
        function: "fn",
        principal: "*",
      }),
    );
    assert.deepEqual(messages(run), [
      expected(
        iamNoPublicResourcePolicies,
        'principal "*" may call lambda:InvokeFunction on the function with no sourceArn, sourceAccount or principalOrgId.',
      ),
    ]);
    const scoped = await runResourcePolicy(
      iamNoPublicResourcePolicies,
      resource(T.lambdaPermission, "p", {
        action: "lambda:InvokeFunction",
        function: "fn",
        principal: "*",
        principalOrgId: "o-1",
      }),
    );
    assert.deepEqual(messages(scoped), []);
  });
});
