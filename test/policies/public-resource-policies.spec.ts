import * as assert from "node:assert/strict";
import { iamNoPublicResourcePolicies } from "../../policies/iam/iam-no-public-resource-policies";
import { RESOURCE_POLICY_PROPERTIES, T } from "../../policies/lib/resources";
import { expected, messages, resource, runResourcePolicy, UNKNOWN_STRING } from "../helpers/policy";
import { ACCOUNT, doc, type Stmt } from "./fixtures/iam";

const ORG = "o-a1b2c3d4e5";
/** A compliant baseline: "*" narrowed to the organization. */
const baseline: Stmt = {
  Sid: "Org",
  Effect: "Allow",
  Principal: "*",
  Action: "sqs:SendMessage",
  Resource: "*",
  Condition: { StringEquals: { "aws:PrincipalOrgID": ORG } },
};
const queue = (...statements: Stmt[]) =>
  resource(T.sqsQueuePolicy, "q", { queueUrl: "q", policy: JSON.stringify(doc(...statements)) });
const run = (...statements: Stmt[]) =>
  runResourcePolicy(iamNoPublicResourcePolicies, queue(...statements)).then(messages);
const notNarrowed = (why: string, who = 'any principal ("*")') =>
  expected(
    iamNoPublicResourcePolicies,
    `policy statement 0 ("Org") allows ${who} ("sqs:SendMessage"), and its Condition does not narrow the caller: ${why}.`,
  );
const withCondition = (Condition: unknown) => run({ ...baseline, Condition });

describe("public resource policies as Access Analyzer judges them", () => {
  it("accepts the baseline: * narrowed by a fixed organization", async () => {
    assert.deepEqual(await run(baseline), []);
  });

  it("accepts a fixed value of every key that identifies the caller's account, organization, source or network", async () => {
    const fixed: [string, string, string][] = [
      ["StringEquals", "aws:PrincipalAccount", ACCOUNT],
      ["StringEquals", "aws:PrincipalOrgID", ORG],
      ["ForAnyValue:StringLike", "aws:PrincipalOrgPaths", `${ORG}/r-ab12/ou-ab12-11111111/*`],
      ["ArnLike", "aws:PrincipalArn", `arn:aws:iam::${ACCOUNT}:role/app-*`],
      ["StringEquals", "aws:SourceAccount", ACCOUNT],
      ["StringEquals", "aws:SourceOwner", ACCOUNT],
      ["ArnEquals", "aws:SourceArn", `arn:aws:sns:eu-west-1:${ACCOUNT}:alerts`],
      ["ArnLike", "aws:SourceArn", "arn:aws:s3:::app-artifacts"],
      ["StringEquals", "aws:SourceOrgID", ORG],
      ["StringEquals", "aws:SourceVpc", "vpc-0123456789abcdef0"],
      ["StringEquals", "aws:SourceVpce", "vpce-0123456789abcdef0"],
      ["StringEquals", "aws:VpceAccount", ACCOUNT],
      ["IpAddress", "aws:SourceIp", "203.0.113.0/24"],
      ["StringLike", "aws:userid", "AROAEXAMPLEID:*"],
      ["StringEquals", "kms:CallerAccount", ACCOUNT],
      ["StringEquals", "s3:DataAccessPointAccount", ACCOUNT],
    ];
    for (const [operator, key, value] of fixed) {
      assert.deepEqual(await withCondition({ [operator]: { [key]: value } }), [], key);
    }
  });

  it("keeps it public when no Condition narrows, naming the principal", async () => {
    const open = { ...baseline };
    delete open.Condition;
    for (const [Principal, who] of [
      ["*", 'any principal ("*")'],
      [{ AWS: "*" }, 'any principal ({"AWS": "*"})'],
      [{ AWS: ["arn:aws:iam::*:root"] }, 'any principal of any account ("arn:aws:iam::*:root")'],
    ] as const) {
      assert.deepEqual(await run({ ...open, Principal }), [
        expected(
          iamNoPublicResourcePolicies,
          `policy statement 0 ("Org") allows ${who} ("sqs:SendMessage") without a condition on the caller's account, organization, source or network.`,
        ),
      ]);
    }
    const notPrincipal: Stmt = { ...open, NotPrincipal: { AWS: `arn:aws:iam::${ACCOUNT}:root` } };
    delete notPrincipal.Principal;
    assert.deepEqual(await run(notPrincipal), [
      expected(
        iamNoPublicResourcePolicies,
        `policy statement 0 ("Org") allows everyone except the NotPrincipal list ("sqs:SendMessage") without a condition on the caller's account, organization, source or network.`,
      ),
    ]);
  });

  it("does not accept a negated operator", async () => {
    const arn = `arn:aws:iam::${ACCOUNT}:role/app`;
    for (const [operator, key, value] of [
      ["StringNotEquals", "aws:PrincipalOrgID", ORG],
      ["StringNotEqualsIgnoreCase", "aws:PrincipalOrgID", ORG],
      ["StringNotLike", "aws:PrincipalOrgID", ORG],
      ["ArnNotEquals", "aws:PrincipalArn", arn],
      ["ArnNotLike", "aws:PrincipalArn", arn],
      ["NotIpAddress", "aws:SourceIp", "203.0.113.0/24"],
    ]) {
      assert.deepEqual(
        await withCondition({ [operator]: { [key]: value } }),
        [notNarrowed(`${operator} on ${key} is negated, so it matches every other value`)],
        operator,
      );
    }
  });

  it("does not accept a wildcard or a policy variable", async () => {
    const cases: [string, string, string, string][] = [
      ["StringLike", "aws:PrincipalOrgID", "*", "is a wildcard"],
      ["StringLike", "aws:PrincipalOrgID", "o-*", "is a wildcard"],
      ["ArnLike", "aws:PrincipalArn", "arn:aws:iam::*:role/deploy", "allows any account"],
      ["ArnLike", "aws:SourceArn", "arn:aws:s3:::*", "is a wildcard"],
      ["StringLike", "aws:SourceAccount", "*", "is a wildcard"],
      ["StringLike", "aws:PrincipalOrgPaths", "o-*/r-ab12/*", "is a wildcard organization"],
      ["IpAddress", "aws:SourceIp", "0.0.0.0/0", "covers every address"],
      [
        "StringEquals",
        "aws:SourceAccount",
        "${aws:PrincipalAccount}",
        "is a policy variable, not a fixed value",
      ],
    ];
    for (const [operator, key, value, why] of cases) {
      assert.deepEqual(
        await withCondition({ [operator]: { [key]: value } }),
        [notNarrowed(`${operator} on ${key} "${value}" ${why}`)],
        `${key} ${value}`,
      );
    }
  });

  it("does not accept ForAllValues:, ...IfExists or Null, which match when the key is absent", async () => {
    assert.deepEqual(
      await withCondition({ "ForAllValues:StringEquals": { "aws:PrincipalOrgID": ORG } }),
      [
        notNarrowed(
          "ForAllValues:StringEquals on aws:PrincipalOrgID also matches when the key is absent",
        ),
      ],
    );
    assert.deepEqual(
      await withCondition({ StringEqualsIfExists: { "aws:SourceAccount": ACCOUNT } }),
      [
        notNarrowed(
          "StringEqualsIfExists on aws:SourceAccount also matches when the key is absent",
        ),
      ],
    );
    assert.deepEqual(await withCondition({ Null: { "aws:SourceArn": "false" } }), [
      notNarrowed("Null on aws:SourceArn only tests whether the key is present"),
    ]);
    assert.deepEqual(
      await withCondition({ "ForAnyValue:StringEquals": { "aws:PrincipalOrgID": ORG } }),
      [],
    );
  });

  it("does not accept keys that say nothing about who calls", async () => {
    for (const [operator, key, value] of [
      ["Bool", "aws:SecureTransport", "true"],
      ["DateGreaterThan", "aws:CurrentTime", "2026-01-01T00:00:00Z"],
      ["StringLike", "aws:UserAgent", "aws-cli/*"],
      ["StringLike", "aws:Referer", "https://example.com/*"],
      ["StringEquals", "aws:username", "deploy"],
    ]) {
      assert.deepEqual(
        await withCondition({ [operator]: { [key]: value } }),
        [notNarrowed(`${key} does not identify the caller`)],
        key,
      );
    }
  });

  it("accepts a narrowing entry next to one that does not (conditions are ANDed)", async () => {
    assert.deepEqual(
      await withCondition({
        Bool: { "aws:SecureTransport": "true" },
        StringEquals: { "aws:PrincipalOrgID": ORG },
      }),
      [],
    );
  });

  it("takes an unknown value as narrowing, but not next to a wildcard", async () => {
    assert.deepEqual(
      await withCondition({ StringEquals: { "aws:PrincipalOrgID": UNKNOWN_STRING } }),
      [],
    );
    assert.deepEqual(
      await withCondition({ StringLike: { "aws:PrincipalOrgID": [UNKNOWN_STRING, "*"] } }),
      [notNarrowed('StringLike on aws:PrincipalOrgID "*" is a wildcard')],
    );
  });

  it("reads every resource-policy type through its own property", async () => {
    const open: Stmt = { Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "*" };
    for (const [type, property] of Object.entries(RESOURCE_POLICY_PROPERTIES)) {
      const r = await runResourcePolicy(
        iamNoPublicResourcePolicies,
        resource(type, "r", { [property]: JSON.stringify(doc(open)) }),
      );
      assert.deepEqual(
        messages(r),
        [
          expected(
            iamNoPublicResourcePolicies,
            `${property} statement 0 allows any principal ("*") ("s3:GetObject") without a condition on the caller's account, organization, source or network.`,
          ),
        ],
        type,
      );
    }
  });
});

describe("public grants made by properties", () => {
  const permission = {
    action: "lambda:InvokeFunction",
    function: "fn",
    principal: "*",
    sourceArn: `arn:aws:execute-api:eu-west-1:${ACCOUNT}:abc123/*`,
  };
  const lambda = (props: Record<string, unknown>) =>
    runResourcePolicy(iamNoPublicResourcePolicies, resource(T.lambdaPermission, "p", props)).then(
      messages,
    );

  it("accepts a Lambda permission for * with a fixed sourceArn, and flags one whose sourceArn allows any account", async () => {
    assert.deepEqual(await lambda(permission), []);
    assert.deepEqual(await lambda({ ...permission, sourceArn: "arn:aws:execute-api:*:*:*" }), [
      expected(
        iamNoPublicResourcePolicies,
        'principal "*" may call lambda:InvokeFunction on the function, and nothing narrows the caller: sourceArn "arn:aws:execute-api:*:*:*" allows any account.',
      ),
    ]);
    assert.deepEqual(await lambda({ ...permission, sourceArn: UNKNOWN_STRING }), []);
  });

  it("flags a function URL without authorization", async () => {
    const url = (authorizationType: string) =>
      runResourcePolicy(
        iamNoPublicResourcePolicies,
        resource(T.lambdaFunctionUrl, "u", { functionName: "fn", authorizationType }),
      ).then(messages);
    assert.deepEqual(await url("AWS_IAM"), []);
    assert.deepEqual(await url("NONE"), [
      expected(
        iamNoPublicResourcePolicies,
        'authorizationType "NONE" lets anyone who knows the function URL invoke the function without signing the request.',
      ),
    ]);
  });

  it("flags a layer version shared with * unless an organizationId narrows it", async () => {
    const layer = (extra: Record<string, unknown>) =>
      runResourcePolicy(
        iamNoPublicResourcePolicies,
        resource(T.lambdaLayerVersionPermission, "l", {
          action: "lambda:GetLayerVersion",
          layerName: "deps",
          principal: "*",
          statementId: "share",
          versionNumber: 1,
          ...extra,
        }),
      ).then(messages);
    assert.deepEqual(await layer({ organizationId: ORG }), []);
    assert.deepEqual(await layer({}), [
      expected(
        iamNoPublicResourcePolicies,
        'the layer version is shared with principal "*" and no organizationId: every AWS account may use it.',
      ),
    ]);
  });

  it("flags an EventBridge permission for * unless its condition narrows the caller", async () => {
    const bus = (extra: Record<string, unknown>) =>
      runResourcePolicy(
        iamNoPublicResourcePolicies,
        resource(T.eventPermission, "e", { principal: "*", statementId: "org", ...extra }),
      ).then(messages);
    const condition = { key: "aws:PrincipalOrgID", type: "StringEquals", value: ORG };
    assert.deepEqual(await bus({ condition }), []);
    assert.deepEqual(await bus({}), [
      expected(
        iamNoPublicResourcePolicies,
        'principal "*" may put events on the event bus with no condition.',
      ),
    ]);
    assert.deepEqual(await bus({ condition: { ...condition, value: "o-*" } }), [
      expected(
        iamNoPublicResourcePolicies,
        'principal "*" may put events on the event bus, and its condition does not narrow the caller: StringEquals on aws:PrincipalOrgID "o-*" is a wildcard.',
      ),
    ]);
  });
});
