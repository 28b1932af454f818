// The delivery metrics read each stage's environment back from its name: every stage name the
// pipeline model writes (one stage, waves, waves split into parts, approvals, tests) parses back
// to the model's own kind, environment, wave and part, and names the model never writes do not
// parse.
import { strict as assert } from "assert";
import fc from "fast-check";
import { generateOrganization } from "../../bench/generate";
import { validateOrganization } from "../../model/config";
import { parseStageName, stageName } from "../../model/naming";
import { pipelineModel } from "../../model/pipeline";

describe("stage names the delivery metrics read", () => {
  it("every stage of the model parses back to its kind, environment, wave and part", () => {
    for (const prodAccounts of [1, 2, 12, 120, 400]) {
      const org = validateOrganization(generateOrganization({ applications: 3, prodAccounts }));
      for (const app of org.applications)
        for (const stage of pipelineModel(org, app).stages) {
          const parsed = parseStageName(stage.name);
          assert.ok(parsed, stage.name);
          assert.equal(parsed.kind, stage.kind, stage.name);
          assert.equal(parsed.environment, stage.environment, stage.name);
          // The model numbers every deploy stage's wave; the name carries it only with several.
          if (parsed.wave !== undefined) assert.equal(parsed.wave, stage.wave, stage.name);
          assert.equal(parsed.part, stage.part, stage.name);
        }
    }
  });

  it("the large example really has waves split into parts", () => {
    const org = validateOrganization(generateOrganization({ applications: 1, prodAccounts: 400 }));
    const names = pipelineModel(org, org.applications[0]!).stages.map((s) => s.name);
    assert.ok(
      names.some((n) => /^Deploy-prod-wave\d+-part\d+$/.test(n)),
      names.join(" "),
    );
  });

  it("stageName and parseStageName are inverse for any environment, wave and part", () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-z][a-z0-9]{1,11}$/),
        fc.option(fc.integer({ min: 1, max: 999 }), { nil: undefined }),
        fc.option(fc.integer({ min: 1, max: 999 }), { nil: undefined }),
        (environment, wave, part) => {
          const s = {
            kind: "deploy" as const,
            environment,
            ...(wave !== undefined ? { wave } : {}),
            ...(part !== undefined ? { part } : {}),
          };
          assert.deepEqual(parseStageName(stageName(s)), s);
        },
      ),
    );
  });

  it("names the model never writes do not parse", () => {
    for (const name of [
      "Deploy",
      "Deploy-",
      "Deploy-Prod",
      "Deploy-prod-wave0",
      "Deploy-prod-part1-wave2",
      "Test-prod-wave1",
      "Approve-prod-part2",
      "Deploy-p",
      "Deploy-prodprodprodp",
      "Release-prod",
      "deploy-prod",
    ])
      assert.equal(parseStageName(name), undefined, name);
  });
});
