import * as assert from "node:assert/strict";
import { iamNoAdminStatements } from "../../policies/iam/iam-no-admin-statements";
import { iamNoAllowNotAction } from "../../policies/iam/iam-no-allow-not-action";
import { iamNoElevatedManagedPolicies } from "../../policies/iam/iam-no-elevated-managed-policies";
import { iamNoPassRoleWildcard } from "../../policies/iam/iam-no-passrole-wildcard";
import { iamNoServiceWildcards } from "../../policies/iam/iam-no-service-wildcards";
import { iamNoWriteOnAllResources } from "../../policies/iam/iam-no-write-on-all-resources";
import { iamValidPolicyDocuments } from "../../policies/iam/iam-valid-policy-documents";
import { iamNoPrivilegeEscalation } from "../../policies/iam/iam-no-privilege-escalation";
import { policiesByFamily } from "../../policies/all";
import { T } from "../../policies/lib/resources";
import {
  expected,
  messages,
  resource,
  runPolicyOnResources,
  runResourcePolicy,
} from "../helpers/policy";
import { deployStatements, doc, rolePolicyWith, roleWith, type Stmt } from "./fixtures/iam";

const withStatement = (s: Stmt) => roleWith([...deployStatements, s]);
const LAST = `inlinePolicies[0] ("deploy") statement ${deployStatements.length}`;

describe("compliant deploy role", () => {
  for (const policy of policiesByFamily.iam) {
    it(`passes ${policy.name}`, async () => {
      const run = await runPolicyOnResources(policy, [roleWith(deployStatements)]);
      assert.deepEqual(messages(run), []);
    });
  }

  it("accepts boundary-conditioned IAM writes on the account's roles but not the same grant unconditioned", async () => {
    const unconditioned = { ...deployStatements[0] };
    delete unconditioned.Condition;
    const run = await runResourcePolicy(
      iamNoPrivilegeEscalation,
      roleWith([unconditioned, ...deployStatements.slice(1)]),
    );
    assert.equal(run.violations.length, 1);
    assert.match(messages(run)[0], /"attach-role-policy" \([^)]*\): grants iam:AttachRolePolicy/);
  });
});

describe("admin statements", () => {
  it("flags Allow * on *", async () => {
    const run = await runResourcePolicy(
      iamNoAdminStatements,
      withStatement({ Effect: "Allow", Action: "*", Resource: "*" }),
    );
    assert.deepEqual(messages(run), [
      expected(iamNoAdminStatements, `${LAST} allows every action ("*") on every resource.`),
    ]);
  });

  it('flags "*:*" in an array with a Sid, even under a Condition', async () => {
    const run = await runResourcePolicy(
      iamNoAdminStatements,
      rolePolicyWith({
        Sid: "Break",
        Effect: "Allow",
        Action: ["s3:GetObject", "*:*"],
        Resource: ["arn:aws:*:*:*:*"],
        Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } },
      }),
    );
    assert.deepEqual(messages(run), [
      expected(
        iamNoAdminStatements,
        'policy statement 0 ("Break") allows every action ("*:*") on every resource.',
      ),
    ]);
  });

  it("ignores Deny * on * and Allow * on one resource", async () => {
    const run = await runResourcePolicy(
      iamNoAdminStatements,
      rolePolicyWith([
        { Effect: "Deny", Action: "*", Resource: "*" },
        { Effect: "Allow", Action: "*", Resource: "arn:aws:s3:::bucket/*" },
      ]),
    );
    assert.deepEqual(messages(run), []);
  });

  it("reads users', groups' and managed policies' documents", async () => {
    for (const type of [T.userPolicy, T.groupPolicy, T.policy]) {
      const run = await runResourcePolicy(
        iamNoAdminStatements,
        resource(type, "p", {
          policy: JSON.stringify(doc({ Effect: "Allow", Action: "*", Resource: "*" })),
        }),
      );
      assert.deepEqual(
        messages(run),
        [
          expected(
            iamNoAdminStatements,
            'policy statement 0 allows every action ("*") on every resource.',
          ),
        ],
        type,
      );
    }
  });

  it("is not applicable to other types", async () => {
    const run = await runResourcePolicy(iamNoAdminStatements, resource(T.kmsKey, "k", {}));
    assert.ok(run.notApplicable);
  });

  it("honours an exemption that gives a reason", async () => {
    const run = await runResourcePolicy(
      iamNoAdminStatements,
      withStatement({ Effect: "Allow", Action: "*", Resource: "*" }),
      { exemptions: [{ resource: "deploy-role", reason: "break-glass role, MFA only" }] },
    );
    assert.deepEqual(messages(run), []);
    assert.equal(run.notApplicable, "exempt: break-glass role, MFA only");
  });
});

describe("service-wide wildcards", () => {
  it("flags svc:* on scoped resources without a condition", async () => {
    const run = await runResourcePolicy(
      iamNoServiceWildcards,
      withStatement({ Effect: "Allow", Action: ["s3:*", "KMS:*"], Resource: "arn:aws:s3:::b/*" }),
    );
    assert.deepEqual(messages(run), [
      expected(iamNoServiceWildcards, `${LAST} grants every action of a service: "s3:*", "KMS:*".`),
    ]);
  });

  it("accepts a constrained statement and allow-listed services", async () => {
    const constrained = await runResourcePolicy(
      iamNoServiceWildcards,
      withStatement({
        Effect: "Allow",
        Action: "s3:*",
        Resource: "arn:aws:s3:::b/*",
        Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc" } },
      }),
    );
    assert.deepEqual(messages(constrained), []);
    const allowed = await runResourcePolicy(
      iamNoServiceWildcards,
      withStatement({ Effect: "Allow", Action: "logs:*", Resource: "*" }),
      { allowedServices: [{ service: "logs", reason: "log groups are created per function" }] },
    );
    assert.deepEqual(messages(allowed), []);
  });
});

describe("write actions on every resource", () => {
  it("expands s3:Put* and flags the writes on Resource *", async () => {
    const run = await runResourcePolicy(
      iamNoWriteOnAllResources,
      withStatement({ Effect: "Allow", Action: "s3:PutBucketPolicy", Resource: "*" }),
    );
    assert.deepEqual(messages(run), [
      expected(
        iamNoWriteOnAllResources,
        `${LAST} allows 1 write action on every resource: "s3:PutBucketPolicy".`,
      ),
    ]);
  });

  it("matches case-insensitively with wildcards in the middle", async () => {
    const run = await runResourcePolicy(
      iamNoWriteOnAllResources,
      withStatement({ Effect: "Allow", Action: "IAM:*rolepolicy", Resource: "*" }),
    );
    assert.deepEqual(messages(run), [
      expected(
        iamNoWriteOnAllResources,
        `${LAST} allows 5 write actions on every resource: "iam:AttachRolePolicy", "iam:DeleteRolePolicy", "iam:DetachRolePolicy", "iam:PutRolePolicy", "iam:UpdateAssumeRolePolicy".`,
      ),
    ]);
  });

  it("ignores reads, wildcard-only actions and allow-listed actions", async () => {
    const run = await runResourcePolicy(
      iamNoWriteOnAllResources,
      withStatement({
        Effect: "Allow",
        Action: ["s3:Get*", "ecr:GetAuthorizationToken", "logs:CreateLogDelivery", "sns:Publish"],
        Resource: "*",
      }),
      { allowedActions: [{ action: "sns:Publish", reason: "topics are created by the app" }] },
    );
    assert.deepEqual(messages(run), []);
  });
});

describe("PassRole on every role", () => {
  it("flags iam:PassRole and iam:Pass* on *", async () => {
    const run = await runResourcePolicy(
      iamNoPassRoleWildcard,
      withStatement({
        Effect: "Allow",
        Action: ["iam:pass*"],
        Resource: "*",
        Condition: { StringEquals: { "iam:PassedToService": "lambda.amazonaws.com" } },
      }),
    );
    assert.deepEqual(messages(run), [
      expected(
        iamNoPassRoleWildcard,
        `${LAST} allows iam:PassRole on every resource ("iam:pass*").`,
      ),
    ]);
  });

  it("accepts PassRole on named roles", async () => {
    const run = await runResourcePolicy(
      iamNoPassRoleWildcard,
      withStatement({ Effect: "Allow", Action: "iam:PassRole", Resource: "arn:aws:iam::1:role/x" }),
    );
    assert.deepEqual(messages(run), []);
  });
});

describe("NotAction and NotResource", () => {
  it("flags Allow with NotAction and Allow with NotResource", async () => {
    const run = await runResourcePolicy(
      iamNoAllowNotAction,
      withStatement({ Effect: "Allow", NotAction: "iam:*", NotResource: "arn:aws:s3:::x" }),
    );
    assert.deepEqual(messages(run), [
      expected(
        iamNoAllowNotAction,
        `${LAST} uses Allow with NotAction: it grants every action except those listed.`,
      ),
      expected(
        iamNoAllowNotAction,
        `${LAST} uses Allow with NotResource: it applies to every resource except those listed.`,
      ),
    ]);
  });

  it("accepts Deny with NotAction", async () => {
    const run = await runResourcePolicy(
      iamNoAllowNotAction,
      withStatement({ Effect: "Deny", NotAction: "s3:GetObject", Resource: "*" }),
    );
    assert.deepEqual(messages(run), []);
  });
});

describe("elevated managed policies", () => {
  const admin = "arn:aws:iam::aws:policy/AdministratorAccess";
  it("flags AdministratorAccess in managedPolicyArns", async () => {
    const run = await runResourcePolicy(
      iamNoElevatedManagedPolicies,
      roleWith(deployStatements, { managedPolicyArns: [admin] }),
    );
    assert.deepEqual(messages(run), [
      expected(
        iamNoElevatedManagedPolicies,
        `managedPolicyArns attaches the elevated AWS managed policy AdministratorAccess ("${admin}").`,
      ),
    ]);
  });

  it("flags attachments of PowerUserAccess and IAMFullAccess to roles, users and groups", async () => {
    const cases = [
      [T.rolePolicyAttachment, "arn:aws:iam::aws:policy/PowerUserAccess", "PowerUserAccess"],
      [T.userPolicyAttachment, "arn:aws:iam::aws:policy/IAMFullAccess", "IAMFullAccess"],
      [
        T.groupPolicyAttachment,
        "arn:aws-us-gov:iam::aws:policy/AdministratorAccess",
        "AdministratorAccess",
      ],
      [
        T.policyAttachment,
        "arn:aws:iam::aws:policy/job-function/../PowerUserAccess",
        "PowerUserAccess",
      ],
    ] as const;
    for (const [type, arn, name] of cases) {
      const run = await runResourcePolicy(
        iamNoElevatedManagedPolicies,
        resource(type, "attach", { policyArn: arn }),
      );
      assert.deepEqual(messages(run), [
        expected(
          iamNoElevatedManagedPolicies,
          `policyArn attaches the elevated AWS managed policy ${name} ("${arn}").`,
        ),
      ]);
    }
  });

  it("accepts read-only and customer-managed policies", async () => {
    const run = await runResourcePolicy(
      iamNoElevatedManagedPolicies,
      roleWith(deployStatements, {
        managedPolicyArns: [
          "arn:aws:iam::aws:policy/ReadOnlyAccess",
          "arn:aws:iam::123456789012:policy/AdministratorAccess",
        ],
      }),
    );
    assert.deepEqual(messages(run), []);
  });
});

describe("malformed policy documents", () => {
  it("reports invalid JSON instead of throwing", async () => {
    const reason = (() => {
      try {
        JSON.parse("{not json");
        return "";
      } catch (e) {
        return (e as Error).message;
      }
    })();
    const run = await runResourcePolicy(
      iamValidPolicyDocuments,
      resource(T.rolePolicy, "p", { role: "r", policy: "{not json" }),
    );
    assert.deepEqual(messages(run), [
      expected(iamValidPolicyDocuments, `policy: the document is not valid JSON (${reason}).`),
    ]);
    for (const policy of policiesByFamily.iam) {
      await runPolicyOnResources(policy, [
        resource(T.rolePolicy, "p", { role: "r", policy: "{not json" }),
      ]);
    }
  });

  it("names each problem with its place", async () => {
    const run = await runResourcePolicy(
      iamValidPolicyDocuments,
      rolePolicyWith([
        { Effect: "allow", Action: 7, Resource: "*" },
        { Effect: "Allow", Action: "s3GetObject", Principal: "*" },
        "nope" as unknown as Stmt,
      ]),
    );
    assert.deepEqual(messages(run), [
      expected(
        iamValidPolicyDocuments,
        'policy: Statement[0].Effect must be "Allow" or "Deny", got "allow".',
      ),
      expected(
        iamValidPolicyDocuments,
        "policy: Statement[0].Action must be a string or an array of strings, got a number.",
      ),
      expected(
        iamValidPolicyDocuments,
        'policy: Statement[1].Action "s3GetObject" is not of the form service:action.',
      ),
      expected(iamValidPolicyDocuments, "policy: Statement[2] must be an object, got a string."),
      expected(
        iamValidPolicyDocuments,
        "policy: Statement[1] has a Principal, which identity-based policies do not accept.",
      ),
      expected(
        iamValidPolicyDocuments,
        "policy: Statement[1] has neither Resource nor NotResource.",
      ),
    ]);
  });

  it("flags a trust policy over IAM's size limit", async () => {
    const principals = Array.from(
      { length: 80 },
      (_, i) => `arn:aws:iam::${String(i).padStart(12, "0")}:role/deploy`,
    );
    const role = roleWith(deployStatements, {
      assumeRolePolicy: doc({
        Effect: "Allow",
        Principal: { AWS: principals },
        Action: "sts:AssumeRole",
      }),
    });
    const run = await runResourcePolicy(iamValidPolicyDocuments, role);
    assert.equal(run.violations.length, 1);
    assert.match(
      messages(run)[0],
      /^assumeRolePolicy is \d+ characters \(whitespace excluded\); IAM accepts at most 2048\./,
    );
  });
});
