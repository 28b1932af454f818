import * as assert from "node:assert/strict";
import fc from "fast-check";
import {
  ESCALATION_PATHS,
  findEscalationPaths,
  type EscalationPath,
} from "../../policies/iam/iam-no-privilege-escalation";
import {
  deniedFor,
  isUnconditionalDeny,
  mayCoverEveryResourceOfType,
  mayGrantOnNeededResources,
  passRoleFits,
} from "../../policies/lib/escalation-resources";
import {
  actionMatches,
  isAllActionsPattern,
  isAllow,
  parsePolicyDocument,
  provablyMatchesAction,
  provablyUnconstrained,
  type Statement,
} from "../../policies/lib/iam";

// findEscalationPaths finds each action's granting statement in one pass over the statements; this
// is the definition it must agree with: for every path and step, the first unconstrained Allow that
// grants the action (admin patterns excluded) on a resource the action needs, passing a role to a
// service of the path, and on every resource of the type when the path needs that, unless an
// unconditional Deny removes the action from that statement.
function reference(statements: readonly Statement[], paths: readonly EscalationPath[]) {
  const counting = statements.filter((s) => isAllow(s) && provablyUnconstrained(s));
  const grants = (s: Statement, action: string, path: EscalationPath): boolean =>
    (s.action
      ? s.action.known.some((p) => !isAllActionsPattern(p) && actionMatches(p, action))
      : provablyMatchesAction(s, action)) &&
    mayGrantOnNeededResources(s, action) &&
    (action.toLowerCase() !== "iam:passrole" || passRoleFits(s, path)) &&
    (!path.anyResource || mayCoverEveryResourceOfType(s));
  const denies = statements.filter(isUnconditionalDeny);
  const grantOf = (action: string, path: EscalationPath) =>
    counting.find((s) => grants(s, action, path) && !deniedFor(s, action, denies));
  return paths.flatMap((path) => {
    const granted: { action: string; statement: Statement }[] = [];
    for (const step of path.steps) {
      for (const action of step) {
        const statement = grantOf(action, path);
        if (statement) {
          granted.push({ action, statement });
          break;
        }
      }
    }
    return granted.length === path.steps.length ? [{ path, grants: granted }] : [];
  });
}

const pathActions = [...new Set(ESCALATION_PATHS.flatMap((p) => p.steps.flat()))];
const pattern = fc.oneof(
  fc.constantFrom(...pathActions),
  fc.constantFrom(
    "*",
    "*:*",
    "iam:*",
    "iam:Pass*",
    "IAM:passrole",
    "lambda:Create*",
    "ec2:Run?nstances",
  ),
  fc.constantFrom("ssm:*", "s3:GetObject", "glue:Create*", "cloudformation:*ChangeSet", "sts:*"),
  fc.constantFrom("custom:DoThing", "custom:*", "sts:AssumeRole", "ec2-instance-connect:Send*"),
);
const RESOURCES = [
  "*",
  "arn:aws:iam::111111111111:role/x",
  "arn:aws:iam::111111111111:role/*",
  "arn:aws:iam::aws:policy/*",
  "arn:aws:iam::*:policy/app-*",
  "arn:aws:s3:::bucket/*",
  "arn:aws:lambda:*:111111111111:function:app-*",
  "arn:aws:ec2:*:*:instance/*",
];
const CONDITIONS = [
  { StringEquals: { "aws:ResourceTag/team": "a" } },
  { StringEquals: { "iam:PassedToService": "lambda.amazonaws.com" } },
  { StringLike: { "iam:PassedToService": ["ec2.*", "glue.amazonaws.com"] } },
  { StringNotEquals: { "iam:PassedToService": "ec2.amazonaws.com" } },
];
const statement = fc.record({
  Effect: fc.constantFrom("Allow", "Allow", "Deny"),
  action: fc.oneof(
    fc.record({ Action: fc.array(pattern, { minLength: 1, maxLength: 4 }) }),
    fc.record({ NotAction: fc.array(pattern, { minLength: 1, maxLength: 2 }) }),
  ),
  Resource: fc.oneof(
    fc.constantFrom(...RESOURCES),
    fc.subarray(RESOURCES, { minLength: 1, maxLength: 3 }),
  ),
  condition: fc.option(fc.constantFrom(...CONDITIONS)),
});
const customPath: EscalationPath = {
  id: "custom",
  name: "custom thing",
  impact: "do a custom thing",
  steps: [["custom:DoThing"], ["iam:PassRole", "custom:Other"]],
  passedTo: ["ec2.amazonaws.com"],
  sources: [],
};

describe("findEscalationPaths", () => {
  it("agrees with the statement-by-statement definition on random documents", () => {
    fc.assert(
      fc.property(fc.array(statement, { maxLength: 8 }), (raw) => {
        const doc = parsePolicyDocument({
          Version: "2012-10-17",
          Statement: raw.map((s) => ({
            Effect: s.Effect,
            ...s.action,
            Resource: s.Resource,
            ...(s.condition ? { Condition: s.condition } : {}),
          })),
        });
        const paths = [...ESCALATION_PATHS, customPath];
        assert.deepEqual(
          findEscalationPaths(doc.statements, paths),
          reference(doc.statements, paths),
        );
      }),
      { numRuns: 1500 },
    );
  });
});

describe("a Deny of one step", () => {
  const noise = fc.array(
    fc.record({ Effect: fc.constant("Allow"), Action: fc.array(pattern, { minLength: 1 }) }),
    { maxLength: 4 },
  );
  it("always removes the path, in the same document or in another policy of the principal", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ESCALATION_PATHS),
        fc.nat(),
        fc.nat(),
        noise,
        fc.boolean(),
        (path, pick, stepPick, extra, apart) => {
          // Every step granted (by one of its actions, on every resource), among unrelated grants.
          const grants = [
            ...extra.map((s) => ({ ...s, Resource: "*" })),
            ...path.steps.map((step) => ({
              Effect: "Allow",
              Action: step[pick % step.length],
              Resource: "*",
            })),
          ];
          const step = path.steps[stepPick % path.steps.length];
          const deny = { Effect: "Deny", Action: [...step], Resource: "*" };
          const statements = (raw: object[]) =>
            parsePolicyDocument({ Version: "2012-10-17", Statement: raw }).statements;
          const ids = (s: readonly Statement[]) => findEscalationPaths(s).map((m) => m.path.id);
          assert.ok(ids(statements(grants)).includes(path.id), "granted before the Deny");
          const denied = apart
            ? [...statements(grants), ...statements([deny])]
            : statements([...grants, deny]);
          assert.ok(!ids(denied).includes(path.id), `${path.id} after denying ${step.join(", ")}`);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
