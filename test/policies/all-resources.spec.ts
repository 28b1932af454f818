import * as assert from "node:assert/strict";
import { iamNoAdminStatements } from "../../policies/iam/iam-no-admin-statements";
import { iamNoPassRoleWildcard } from "../../policies/iam/iam-no-passrole-wildcard";
import { iamNoServiceWildcards } from "../../policies/iam/iam-no-service-wildcards";
import { iamNoWriteOnAllResources } from "../../policies/iam/iam-no-write-on-all-resources";
import { loadResourceTypes, patternCoversArnFormat } from "../../policies/lib/all-resources";
import { expected, messages, runResourcePolicy } from "../helpers/policy";
import { ACCOUNT, deployStatements, roleWith, type Stmt } from "./fixtures/iam";

const withStatement = (s: Stmt) => roleWith([...deployStatements, s]);
const LAST = `inlinePolicies[0] ("deploy") statement ${deployStatements.length}`;

describe("every resource of a type, without saying *", () => {
  it("counts ARN patterns that match every resource of the action's type as every resource", async () => {
    const cases: [string, string, string][] = [
      ["s3:PutBucketPolicy", "arn:aws:s3:::*", "s3:PutBucketPolicy"],
      ["s3:PutBucketPolicy", "arn:*:s3:::*", "s3:PutBucketPolicy"],
      ["iam:PutRolePolicy", "arn:aws:iam::*:*", "iam:PutRolePolicy"],
      ["dynamodb:DeleteTable", "arn:aws:dynamodb:*:*:table/*", "dynamodb:DeleteTable"],
      ["lambda:UpdateFunctionCode", "arn:*:lambda:*:*:function:*", "lambda:UpdateFunctionCode"],
    ];
    for (const [action, arn, name] of cases) {
      const run = await runResourcePolicy(
        iamNoWriteOnAllResources,
        withStatement({ Effect: "Allow", Action: action, Resource: arn }),
      );
      assert.deepEqual(
        messages(run),
        [
          expected(
            iamNoWriteOnAllResources,
            `${LAST} allows 1 write action on every resource of its type ("${arn}"): "${name}".`,
          ),
        ],
        arn,
      );
    }
  });

  it("does not count a concrete account, a named bucket, a name prefix or another type", async () => {
    for (const [action, arn] of [
      ["iam:PutRolePolicy", `arn:aws:iam::${ACCOUNT}:role/*`],
      ["s3:PutObject", "arn:aws:s3:::app-artifacts/*"],
      ["dynamodb:PutItem", "arn:aws:dynamodb:*:*:table/app-*"],
      ["dynamodb:PutItem", "arn:aws:dynamodb:eu-west-1:*:table/*"],
      ["s3:PutBucketPolicy", "arn:aws:s3:::*/*"],
      ["s3:PutBucketPolicy", "arn:aws:iam::*:*"],
    ]) {
      const run = await runResourcePolicy(
        iamNoWriteOnAllResources,
        withStatement({ Effect: "Allow", Action: action, Resource: arn }),
      );
      assert.deepEqual(messages(run), [], `${action} on ${arn}`);
    }
  });

  it("reads the resource types of each action from the catalogue", async () => {
    const types = await loadResourceTypes();
    const [role] = types.actionArns("iam", "PassRole");
    assert.equal(role, "arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}");
    assert.equal(patternCoversArnFormat("arn:aws:iam::*:role/*", role), true);
    assert.equal(patternCoversArnFormat("arn:aws:iam::*:role/app-*", role), false);
    assert.equal(patternCoversArnFormat("arn:aws:iam::*:user/*", role), false);
    assert.deepEqual(types.actionArns("ecr", "GetAuthorizationToken"), []);
  });

  it("flags iam:PassRole on every role of every account", async () => {
    const run = await runResourcePolicy(
      iamNoPassRoleWildcard,
      withStatement({ Effect: "Allow", Action: "iam:PassRole", Resource: "arn:aws:iam::*:role/*" }),
    );
    assert.deepEqual(messages(run), [
      expected(
        iamNoPassRoleWildcard,
        `${LAST} allows iam:PassRole on every role of every account ("arn:aws:iam::*:role/*") ("iam:PassRole").`,
      ),
    ]);
    const own = await runResourcePolicy(
      iamNoPassRoleWildcard,
      withStatement({
        Effect: "Allow",
        Action: "iam:PassRole",
        Resource: `arn:aws:iam::${ACCOUNT}:role/*`,
      }),
    );
    assert.deepEqual(messages(own), []);
  });

  it("flags a service wildcard on every resource of the service's type even under a Condition", async () => {
    const run = await runResourcePolicy(
      iamNoServiceWildcards,
      withStatement({
        Effect: "Allow",
        Action: "s3:*",
        Resource: "arn:aws:s3:::*",
        Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc" } },
      }),
    );
    assert.deepEqual(messages(run), [
      expected(iamNoServiceWildcards, `${LAST} grants every action of a service: "s3:*".`),
    ]);
  });

  it('flags Action "*" on named resources as admin', async () => {
    const run = await runResourcePolicy(
      iamNoAdminStatements,
      withStatement({
        Effect: "Allow",
        Action: "*:*",
        Resource: [`arn:aws:lambda:eu-west-1:${ACCOUNT}:function:app`],
      }),
    );
    assert.deepEqual(messages(run), [
      expected(
        iamNoAdminStatements,
        `${LAST} allows every action ("*:*") on "arn:aws:lambda:eu-west-1:${ACCOUNT}:function:app": every action is administrator access whatever the Resource.`,
      ),
    ]);
  });
});
