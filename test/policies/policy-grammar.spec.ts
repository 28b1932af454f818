import * as assert from "node:assert/strict";
import { iamValidPolicyDocuments } from "../../policies/iam/iam-valid-policy-documents";
import { arnProblem, isIpOrCidr, isPolicyDate } from "../../policies/lib/iam-grammar";
import { parseOperator } from "../../policies/lib/iam-conditions";
import { T } from "../../policies/lib/resources";
import { expected, messages, resource, runResourcePolicy } from "../helpers/policy";
import { ACCOUNT, deployStatements, doc, rolePolicyWith, type Stmt } from "./fixtures/iam";

/** The one problem a change to the compliant deploy statements produces, at Statement[0]. */
async function problems(change: Stmt, rest: Stmt[] = deployStatements.slice(1)): Promise<string[]> {
  const run = await runResourcePolicy(iamValidPolicyDocuments, rolePolicyWith([change, ...rest]));
  return messages(run);
}
const problem = (text: string) => expected(iamValidPolicyDocuments, `policy: ${text}.`);
const base = deployStatements[0];
const withCondition = (Condition: unknown) => problems({ ...base, Condition });

describe("policy grammar as IAM's validator checks it", () => {
  it("accepts the compliant deploy statements", async () => {
    assert.deepEqual(await problems(base), []);
  });

  it("checks Sids: letters and digits only, unique, a string", async () => {
    assert.deepEqual(await problems({ ...base, Sid: "create-roles" }), [
      problem(
        'Statement[0].Sid "create-roles" may hold only ASCII letters and digits in an IAM policy',
      ),
    ]);
    assert.deepEqual(
      await problems({ ...deployStatements[1], Sid: "CreateRolesWithBoundary" }, deployStatements),
      [
        problem(
          'Statement[1].Sid "CreateRolesWithBoundary" repeats the Sid of Statement[0]; Sids must be unique',
        ),
      ],
    );
    assert.deepEqual(await problems({ ...base, Sid: 7 }), [
      problem("Statement[0].Sid must be a string, got a number"),
    ]);
  });

  it("flags elements IAM does not define", async () => {
    const { Resource, ...rest } = base;
    assert.deepEqual(await problems({ ...rest, Resources: Resource }), [
      problem('Statement[0] has an element IAM does not define, "Resources"'),
      problem("Statement[0] has neither Resource nor NotResource"),
    ]);
    const run = await runResourcePolicy(
      iamValidPolicyDocuments,
      resource(T.rolePolicy, "p", { role: "r", policy: { ...doc(base), Statements: [] } }),
    );
    assert.deepEqual(messages(run), [
      problem('the document has an element IAM does not define, "Statements"'),
    ]);
  });

  it("flags condition operators IAM does not define, and Null with IfExists", async () => {
    assert.deepEqual(await withCondition({ StringEqual: { "iam:PermissionsBoundary": "x" } }), [
      problem("Statement[0].Condition.StringEqual is not a condition operator"),
    ]);
    assert.deepEqual(await withCondition({ NullIfExists: { "aws:SourceArn": "true" } }), [
      problem("Statement[0].Condition.NullIfExists: Null cannot take IfExists"),
    ]);
    assert.deepEqual(
      await withCondition({ "ForSomeValues:StringEquals": { "aws:TagKeys": "x" } }),
      [problem("Statement[0].Condition.ForSomeValues:StringEquals is not a condition operator")],
    );
    for (const op of [
      "ForAllValues:StringLike",
      "ForAnyValue:StringEqualsIgnoreCase",
      "ArnNotLikeIfExists",
      "NumericGreaterThanEqualsIfExists",
      "BinaryEquals",
      "NotIpAddress",
    ]) {
      assert.ok(parseOperator(op), op);
    }
  });

  it("flags keys that are not of the form prefix:name or that neither the global list nor the service defines", async () => {
    assert.deepEqual(await withCondition({ Bool: { SecureTransport: "true" } }), [
      problem(
        "Statement[0].Condition.Bool.SecureTransport is not a condition key of the form prefix:name",
      ),
    ]);
    assert.deepEqual(await withCondition({ Bool: { "aws:SecureTransports": "true" } }), [
      problem("Statement[0].Condition.Bool.aws:SecureTransports is not a global condition key"),
    ]);
    assert.deepEqual(await withCondition({ StringEquals: { "iam:PermissionBoundary": "x" } }), [
      problem(
        "Statement[0].Condition.StringEquals.iam:PermissionBoundary is not a condition key of iam",
      ),
    ]);
    assert.deepEqual(
      await withCondition({
        StringLike: {
          "token.actions.githubusercontent.com:sub": "repo:acme/*",
          "aws:PrincipalTag/team": "platform",
          "kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::b",
        },
      }),
      [],
    );
  });

  it("flags an operator of the wrong type for its key", async () => {
    assert.deepEqual(await withCondition({ StringEquals: { "aws:CurrentTime": "2026-01-01" } }), [
      problem(
        "Statement[0].Condition.StringEquals.aws:CurrentTime: StringEquals does not compare aws:CurrentTime, a Date key",
      ),
    ]);
    assert.deepEqual(await withCondition({ NumericEquals: { "aws:SecureTransport": "1" } }), [
      problem(
        "Statement[0].Condition.NumericEquals.aws:SecureTransport: NumericEquals does not compare aws:SecureTransport, a Bool key",
      ),
    ]);
    assert.deepEqual(await withCondition({ IpAddress: { "aws:SourceVpc": "10.0.0.0/8" } }), [
      problem(
        "Statement[0].Condition.IpAddress.aws:SourceVpc: IpAddress does not compare aws:SourceVpc, a String key",
      ),
    ]);
    assert.deepEqual(
      await withCondition({
        ArnLike: { "iam:PermissionsBoundary": `arn:aws:iam::${ACCOUNT}:policy/*` },
        DateGreaterThan: { "aws:CurrentTime": "2026-01-01T00:00:00Z" },
        NumericLessThan: { "aws:MultiFactorAuthAge": 3600 },
        Null: { "aws:CurrentTime": "false" },
      }),
      [],
    );
  });

  it("flags values that do not fit the operator", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [
        { Bool: { "aws:SecureTransport": "yes" } },
        'Bool.aws:SecureTransport "yes" is not true or false',
      ],
      [{ Null: { "aws:SourceArn": "maybe" } }, 'Null.aws:SourceArn "maybe" is not true or false'],
      [
        { DateLessThan: { "aws:CurrentTime": "yesterday" } },
        'DateLessThan.aws:CurrentTime "yesterday" is not a date (ISO 8601 or epoch seconds)',
      ],
      [
        { NumericLessThan: { "aws:MultiFactorAuthAge": "an hour" } },
        'NumericLessThan.aws:MultiFactorAuthAge "an hour" is not a number',
      ],
      [
        { IpAddress: { "aws:SourceIp": "300.1.1.1/8" } },
        'IpAddress.aws:SourceIp "300.1.1.1/8" is not an IP address or CIDR range',
      ],
      [
        { IpAddress: { "aws:SourceIp": "10.0.0.0/33" } },
        'IpAddress.aws:SourceIp "10.0.0.0/33" is not an IP address or CIDR range',
      ],
      [
        { Bool: { "aws:SecureTransport": ["true", "false"] } },
        "Bool.aws:SecureTransport: Bool takes one value, got 2",
      ],
    ];
    for (const [Condition, text] of cases) {
      assert.deepEqual(
        await withCondition(Condition),
        [problem(`Statement[0].Condition.${text}`)],
        text,
      );
    }
    assert.ok(isIpOrCidr("2001:db8::/32") && isIpOrCidr("::1") && !isIpOrCidr("2001:db8:::1"));
    assert.ok(
      isPolicyDate("2026-01-01") && isPolicyDate("1767225600") && !isPolicyDate("2026-13-45"),
    );
  });

  it("flags Resources that are not * or a six-part ARN with a valid partition, Region and account", async () => {
    const cases: [string, string][] = [
      ["s3:::bucket", 'is not "*" or an ARN (arn:partition:service:region:account:resource)'],
      [
        "arn:aws:s3",
        "has 3 of the 6 parts of an ARN (arn:partition:service:region:account:resource)",
      ],
      [
        "arn:amazon:s3:::b",
        'has partition "amazon", which is not aws, aws-cn, aws-us-gov or another AWS partition',
      ],
      ["arn:aws:s3:::", "has no resource part"],
      ["arn:aws::eu-west-1:1:x", "has no service"],
      [
        "arn:aws:lambda:europe:123456789012:function:f",
        'has region "europe", which is not an AWS Region',
      ],
      ["arn:aws:iam::12345:role/x", 'has account "12345", which is not a 12-digit account id'],
    ];
    for (const [arn, why] of cases) {
      assert.deepEqual(await problems({ ...base, Resource: arn }), [
        problem(`Statement[0].Resource "${arn}" ${why}`),
      ]);
    }
    for (const arn of [
      "*",
      "arn:*:s3:::*",
      "arn:aws:iam::aws:policy/ReadOnlyAccess",
      "arn:aws:s3:::b/${aws:username}/*",
      "arn:aws-cn:dynamodb:cn-north-1:123456789012:table/t",
      "arn:aws:ec2:*:*:instance/*",
    ]) {
      assert.equal(arnProblem(arn), undefined, arn);
    }
  });

  it("flags Regions and accounts in ARNs whose resource types take none", async () => {
    assert.deepEqual(
      await problems({ ...base, Resource: "arn:aws:s3:eu-west-1:111122223333:orders-data/*" }),
      [
        problem(
          'Statement[0].Resource "arn:aws:s3:eu-west-1:111122223333:orders-data/*" has a Region, which s3 ARNs of this kind do not take',
        ),
      ],
    );
    assert.deepEqual(
      await problems({ ...base, Resource: "arn:aws:s3::111122223333:orders-data" }),
      [
        problem(
          'Statement[0].Resource "arn:aws:s3::111122223333:orders-data" has an account, which s3 ARNs of this kind do not take',
        ),
      ],
    );
    assert.deepEqual(
      await problems({
        ...base,
        Resource: "arn:aws:s3:eu-west-1:111122223333:accesspoint/reports/object/*",
      }),
      [],
    );
  });

  it("flags a wildcard service prefix, an empty condition value and an empty Statement list", async () => {
    assert.deepEqual(await problems({ ...base, Action: "*:GetObject" }), [
      problem(
        'Statement[0].Action "*:GetObject" has a wildcard in its service prefix; IAM accepts "*" alone or a named service',
      ),
    ]);
    assert.deepEqual(await withCondition({ StringEquals: { "aws:PrincipalTag/team": [] } }), [
      problem("Statement[0].Condition.StringEquals.aws:PrincipalTag/team has no values"),
    ]);
    const run = await runResourcePolicy(
      iamValidPolicyDocuments,
      resource(T.policy, "p", { policy: { Version: "2012-10-17", Statement: [] } }),
    );
    assert.deepEqual(messages(run), [problem("Statement holds no statement")]);
  });

  it("flags principals IAM rejects and Principal with NotPrincipal in resource policies", async () => {
    const bucket = (...statements: Stmt[]) =>
      runResourcePolicy(
        iamValidPolicyDocuments,
        resource(T.bucketPolicy, "b", { bucket: "b", policy: doc(...statements) }),
      ).then(messages);
    const get: Stmt = { Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" };
    assert.deepEqual(
      await bucket({ ...get, Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` } }),
      [],
    );
    assert.deepEqual(await bucket({ ...get, Principal: { AWS: "arn:aws:iam::*:root" } }), [
      problem(
        'Statement[0].Principal.AWS "arn:aws:iam::*:root" uses a wildcard; IAM accepts a wildcard only as the whole principal "*"',
      ),
    ]);
    assert.deepEqual(await bucket({ ...get, Principal: { AWS: "deploy" } }), [
      problem('Statement[0].Principal.AWS "deploy" is not an account id or an IAM ARN'),
    ]);
    assert.deepEqual(await bucket({ ...get, Principal: { Service: "*.amazonaws.com" } }), [
      problem(
        'Statement[0].Principal.Service "*.amazonaws.com" is not a service principal such as "lambda.amazonaws.com"',
      ),
    ]);
    assert.deepEqual(
      await bucket({
        ...get,
        Principal: "*",
        NotPrincipal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
      }),
      [problem("Statement[0] has both Principal and NotPrincipal")],
    );
  });
});
