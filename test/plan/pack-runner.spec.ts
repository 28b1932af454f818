// The pack runner the plan and `check` share: enforcement levels and config resolved as the Pulumi
// engine resolves a `--policy-pack-config` file, resource policies on inputs, stack policies on
// outputs with links, preview unknowns reported as the analyzer reports them, allow-lists scoped
// to resources.
import * as assert from "node:assert/strict";
import { allPolicies } from "../../policies/all";
import { allowedFor, exemptionMatches } from "../../policies/lib/config";
import {
  resolvePackSettings,
  runPack,
  type PackResource,
  PolicyConfigError,
} from "../../plan/pack";
import { UNKNOWN_STRING } from "../helpers/policy";

const admin = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
});

function res(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
  extra: Partial<PackResource> = {},
): PackResource {
  return {
    urn: `urn:pulumi:dev::orders-api::${type}::${name}`,
    type,
    name,
    inputs,
    outputs: inputs,
    dependencies: [],
    propertyDependencies: {},
    ...extra,
  };
}

const adminPolicy = res("aws:iam/policy:Policy", "too-wide", { policy: admin });

describe("pack runner: enforcement levels and config", () => {
  it("uses each policy's own level by default", async () => {
    const result = await runPack([adminPolicy]);
    const f = result.findings.find((x) => x.policy === "iam-no-admin-statements")!;
    assert.equal(f.level, "mandatory");
    assert.equal(f.urn, adminPolicy.urn);
  });

  it("`all` overrides the policies' levels, and a policy's own entry overrides `all`", async () => {
    const settings = resolvePackSettings({
      all: "advisory",
      "iam-no-service-wildcards": { enforcementLevel: "mandatory" },
      "iam-no-write-on-all-resources": "disabled",
    });
    assert.equal(settings.levels.get("iam-no-admin-statements"), "advisory");
    assert.equal(settings.levels.get("iam-no-service-wildcards"), "mandatory");
    const result = await runPack([adminPolicy], settings);
    assert.ok(result.findings.every((f) => f.level === "advisory"));
    assert.ok(!result.findings.some((f) => f.policy === "iam-no-write-on-all-resources"));
  });

  it("reports remediate as mandatory, as the analyzer does", async () => {
    const settings = resolvePackSettings({ "iam-no-admin-statements": "remediate" });
    const result = await runPack([adminPolicy], settings);
    assert.equal(
      result.findings.find((f) => f.policy === "iam-no-admin-statements")!.level,
      "mandatory",
    );
  });

  it("fills each policy's schema defaults", () => {
    const settings = resolvePackSettings({});
    for (const p of allPolicies) assert.deepEqual(settings.configs.get(p.name)!["exemptions"], []);
  });

  it("rejects unknown policies, levels and settings, all at once", () => {
    assert.throws(
      () =>
        resolvePackSettings(
          {
            all: "loud",
            "no-such-policy": "advisory",
            "iam-no-admin-statements": { exemptoins: [] },
            "iam-no-service-wildcards": { allowedServices: [{ service: "s3" }] },
            "iam-no-passrole-wildcard": { exemptions: [{ resource: "*", reason: "everything" }] },
          },
          "team.json",
        ),
      (e: unknown) => {
        assert.ok(e instanceof PolicyConfigError);
        assert.equal(e.source, "team.json");
        assert.deepEqual(e.problems, [
          'all: "loud" is not an enforcement level; use one of advisory, mandatory, remediate, disabled',
          "no-such-policy: no policy of this name in the pack; the names are listed in policies/README.md",
          'iam-no-admin-statements: must NOT have additional properties "exemptoins"; the policy accepts exemptions',
          "iam-no-service-wildcards.allowedServices.0: must have required property 'reason'",
          'iam-no-passrole-wildcard.exemptions.0.resource: must match pattern "[^*]"',
        ]);
        return true;
      },
    );
  });
});

describe("pack runner: what policies see", () => {
  it("resource policies read inputs; stack policies read outputs with dependencies", async () => {
    // The alarm references the project through propertyDependencies only (names unknown).
    const project = res(
      "aws:codebuild/project:Project",
      "build",
      { name: UNKNOWN_STRING },
      { outputs: { name: UNKNOWN_STRING, arn: UNKNOWN_STRING } },
    );
    const alarm = res(
      "aws:cloudwatch/metricAlarm:MetricAlarm",
      "build-failed",
      {
        namespace: "AWS/CodeBuild",
        metricName: "FailedBuilds",
        dimensions: { ProjectName: UNKNOWN_STRING },
        alarmActions: ["arn:aws:sns:us-east-1:111111111111:alerts"],
        actionsEnabled: true,
      },
      { propertyDependencies: { dimensions: [project.urn] }, dependencies: [project.urn] },
    );
    const linked = await runPack([project, alarm]);
    assert.ok(!linked.findings.some((f) => f.policy === "alarms-codebuild-failed-builds"));
    const alone = await runPack([project]);
    assert.ok(alone.findings.some((f) => f.policy === "alarms-codebuild-failed-builds"));
  });

  it("never throws for a policy's exception: it becomes a policy error", async () => {
    const broken = {
      ...allPolicies[0]!,
      name: "throws",
      validateResource: () => {
        throw new Error("boom");
      },
    };
    const settings = {
      ...resolvePackSettings({}),
      policies: [broken as unknown as (typeof allPolicies)[number]],
    };
    const result = await runPack([adminPolicy], settings);
    assert.deepEqual(result.errors, [{ policy: "throws", urn: adminPolicy.urn, message: "boom" }]);
  });
});

describe("scoped allow-lists and exemption patterns", () => {
  const platform =
    "urn:pulumi:dev::cicd-platform::platform:workload:PermissionsBoundary$aws:iam/policy:Policy::acme-dev-222222222222-boundary-policy";
  const pattern =
    "urn:pulumi:*::cicd-platform::platform:workload:PermissionsBoundary$aws:iam/policy:Policy::*";

  it("`*` matches any run of characters, anchored at both ends", () => {
    assert.ok(exemptionMatches(pattern, platform));
    assert.ok(!exemptionMatches(pattern, platform.replace("cicd-platform", "orders-api")));
    assert.ok(!exemptionMatches("a*b", "xab"));
    assert.ok(!exemptionMatches("a*b", "abx"));
    assert.ok(exemptionMatches("a*b*c", "a-b-b-c"));
    assert.ok(!exemptionMatches("ab*ba", "aba"));
    assert.ok(exemptionMatches("exact", "exact"));
  });

  it("an entry with resources applies only to them; one without applies everywhere", () => {
    const entries = [
      { path: "passrole-ec2", reason: "r", resources: [pattern] },
      { path: "passrole-lambda", reason: "r" },
    ];
    assert.deepEqual(allowedFor(entries, "path", ["x", platform]), [
      "passrole-ec2",
      "passrole-lambda",
    ]);
    assert.deepEqual(
      allowedFor(entries, "path", ["x", "urn:pulumi:dev::orders-api::aws:iam/policy:Policy::x"]),
      ["passrole-lambda"],
    );
  });
});
