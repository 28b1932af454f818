import * as assert from "node:assert/strict";
import fc from "fast-check";
import {
  ESCALATION_PATHS,
  findEscalationPaths,
  type EscalationPath,
} from "../../policies/iam/iam-no-privilege-escalation";
import {
  actionMatches,
  deniedEverywhere,
  isAllActionsPattern,
  isAllow,
  parsePolicyDocument,
  provablyMatchesAction,
  provablyUnconstrained,
  type Statement,
} from "../../policies/lib/iam";

// findEscalationPaths finds each action's granting statement in one pass over the statements; this
// is the definition it must agree with: for every path and step, the first unconstrained Allow that
// grants the action (admin patterns excluded), unless an unconditional Deny on every resource
// removes it.
function reference(statements: readonly Statement[], paths: readonly EscalationPath[]) {
  const counting = statements.filter((s) => isAllow(s) && provablyUnconstrained(s));
  const grants = (s: Statement, action: string): boolean =>
    s.action
      ? s.action.known.some((p) => !isAllActionsPattern(p) && actionMatches(p, action))
      : provablyMatchesAction(s, action);
  const grantOf = (action: string) =>
    deniedEverywhere(statements, action) ? undefined : counting.find((s) => grants(s, action));
  return paths.flatMap((path) => {
    const granted: { action: string; statement: Statement }[] = [];
    for (const step of path.steps) {
      for (const action of step) {
        const statement = grantOf(action);
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
  fc.constantFrom("custom:DoThing", "custom:*"),
);
const statement = fc.record({
  Effect: fc.constantFrom("Allow", "Allow", "Deny"),
  action: fc.oneof(
    fc.record({ Action: fc.array(pattern, { minLength: 1, maxLength: 4 }) }),
    fc.record({ NotAction: fc.array(pattern, { minLength: 1, maxLength: 2 }) }),
  ),
  Resource: fc.constantFrom("*", "arn:aws:iam::111111111111:role/x"),
  condition: fc.boolean(),
});
const customPath: EscalationPath = {
  id: "custom",
  impact: "do a custom thing",
  steps: [["custom:DoThing"], ["iam:PassRole", "custom:Other"]],
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
            ...(s.condition
              ? { Condition: { StringEquals: { "aws:ResourceTag/team": "a" } } }
              : {}),
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
