// Test reports: every check and test project publishes to report groups of its own (JUnit test
// results, and coverage for unit tests), named by ARN in its buildspec; each group exports its raw
// results to the artifact bucket encrypted with the artifact key; the build roles may publish to
// their own groups only (checked with the repo's IAM evaluator); and a failed test, which fails
// its build, sets off the project's FailedBuilds alarm.
import { strict as assert } from "assert";
import { parse } from "yaml";
import { evaluatePolicies, parsePolicy } from "../../plan/report/iam-eval";
import { deployedRole, exampleRun, ofType, runStackOk, type StackRun } from "../helpers";

const TOOLS = "111111111111";
const GROUP = "aws:codebuild/reportGroup:ReportGroup";
const PROJECT = "aws:codebuild/project:Project";
const groupArn = (name: string) => `arn:aws:codebuild:us-east-1:${TOOLS}:report-group/${name}`;
type Dict = Record<string, unknown>;

/** Every project that runs a check or tests, by application. */
const REPORTING: Record<string, string[]> = {
  "orders-api": [
    ...["unit-tests", "lint", "sast", "secrets-scan", "dependency-audit"].flatMap((c) => [
      `acme-orders-api-check-${c}`,
      `acme-orders-api-pr-check-${c}`,
    ]),
    // A Pulumi application's deploy builds run its smoke test after each target deploys.
    ...["dev", "staging", "prod"].map((e) => `acme-orders-api-deploy-${e}`),
  ],
  "web-frontend": [
    ...["unit-tests", "lint", "dependency-audit"].flatMap((c) => [
      `acme-web-frontend-check-${c}`,
      `acme-web-frontend-pr-check-${c}`,
    ]),
    ...["dev", "staging", "prod"].map((e) => `acme-web-frontend-deploy-${e}`),
  ],
  "billing-worker": [
    ...["unit-tests", "sast"].flatMap((c) => [
      `acme-billing-worker-check-${c}`,
      `acme-billing-worker-pr-check-${c}`,
    ]),
    "acme-billing-worker-test",
  ],
};
const ALL = Object.values(REPORTING).flat();
const expectedGroups = (project: string) =>
  /-check-unit-tests$/.test(project)
    ? [`${project}-tests`, `${project}-coverage`]
    : [`${project}-tests`];

const buildspecOf = (run: StackRun, project: string) =>
  parse(
    String(
      (ofType(run, PROJECT).find((p) => p.inputs["name"] === project)!.inputs["source"] as Dict)[
        "buildspec"
      ],
    ),
  ) as Dict;

let tools: StackRun;
before(async () => {
  tools = await exampleRun("tools");
});

describe("report groups per check and test project", () => {
  it("gives every check and test project a tests group, and unit tests a coverage group, and no other project any", () => {
    const names = ofType(tools, GROUP).map((g) => String(g.inputs["name"]));
    assert.deepEqual([...names].sort(), ALL.flatMap(expectedGroups).sort());
    for (const g of ofType(tools, GROUP))
      assert.equal(
        g.inputs["type"],
        String(g.inputs["name"]).endsWith("-coverage") ? "CODE_COVERAGE" : "TEST",
        String(g.inputs["name"]),
      );
  });

  it("names each group by ARN in the project's buildspec, with JUnit results and LCOV coverage by default", () => {
    for (const project of ALL) {
      const reports = buildspecOf(tools, project)["reports"] as Dict;
      assert.deepEqual(Object.keys(reports), expectedGroups(project).map(groupArn), project);
      const tests = reports[groupArn(`${project}-tests`)] as Dict;
      assert.equal(tests["file-format"], "JUNITXML");
      // A deploy build's smoke results have a directory of their own: the unit tests' results
      // the build output carries never reach the smoke group.
      assert.deepEqual(
        (tests["files"] as string[]).includes("reports/junit/**/*.xml"),
        !project.includes("-deploy-"),
        project,
      );
      if (project.includes("-deploy-"))
        assert.deepEqual(tests["files"], ["reports/smoke/**/*.xml"], project);
      if (project.endsWith("-unit-tests"))
        assert.deepEqual(reports[groupArn(`${project}-coverage`)], {
          files: ["coverage/lcov.info", "reports/coverage/lcov.info"],
          "file-format": "LCOVINFO",
          "discard-paths": "no",
        });
    }
    // The buildspec's own phases are kept as they are.
    const unit = buildspecOf(tools, "acme-orders-api-check-unit-tests");
    assert.equal(unit["version"], 0.2);
    assert.ok(unit["phases"]);
  });

  it("reads coverage in the format the check names", async () => {
    const run = await runStackOk("tools", {
      editOrganization: (o) => {
        (o.applications[2]!.build.checks[0] as Dict)["coverage"] = "jacoco";
      },
    });
    const reports = buildspecOf(run, "acme-billing-worker-check-unit-tests")["reports"] as Dict;
    assert.deepEqual(reports[groupArn("acme-billing-worker-check-unit-tests-coverage")], {
      files: ["build/reports/jacoco/test/jacocoTestReport.xml", "target/site/jacoco/jacoco.xml"],
      "file-format": "JACOCOXML",
      "discard-paths": "no",
    });
  });

  it("creates each project after its report groups, so no build publishes to a group that does not exist", () => {
    for (const project of ALL) {
      const p = ofType(tools, PROJECT).find((x) => x.inputs["name"] === project)!;
      for (const g of ofType(tools, GROUP).filter((x) =>
        expectedGroups(project).includes(String(x.inputs["name"])),
      ))
        assert.ok(p.dependencies.includes(g.urn), `${project} waits for ${g.inputs["name"]}`);
    }
  });
});

describe("report export and retention", () => {
  const BUCKET = `acme-artifacts-${TOOLS}-us-east-1`;

  it("exports raw results zipped to the artifact bucket under reports/<project>, encrypted with the artifact key, and deletes reports with the group", () => {
    // The artifact key: the key every project of the tools region encrypts its output with.
    const keys = new Set(ofType(tools, PROJECT).map((p) => p.inputs["encryptionKey"]));
    assert.equal(keys.size, 1);
    const [key] = [...keys];
    assert.ok(ofType(tools, "aws:kms/key:Key").some((k) => k.outputs["arn"] === key));
    for (const g of ofType(tools, GROUP)) {
      const project = String(g.inputs["name"]).replace(/-(tests|coverage)$/, "");
      assert.equal(g.inputs["deleteReports"], true);
      assert.deepEqual(g.inputs["exportConfig"], {
        type: "S3",
        s3Destination: {
          bucket: BUCKET,
          path: `reports/${project}`,
          packaging: "ZIP",
          encryptionKey: key,
          encryptionDisabled: false,
        },
      });
    }
  });

  it("keeps exports as long as the artifacts: the bucket's lifecycle expires every object, reports/ included, after 90 days", () => {
    const lifecycle = ofType(
      tools,
      "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    ).find((l) => l.inputs["bucket"] === BUCKET);
    const rules = lifecycle!.inputs["rules"] as Dict[];
    assert.deepEqual(
      rules.map((r) => [r["status"], r["filter"], r["expiration"]]),
      [["Enabled", {}, { days: 90 }]],
    );
  });
});

describe("report permissions: each build role publishes to its own groups only", () => {
  const docs = (role: string) => deployedRole(tools, role).identity.map((d) => parsePolicy(d));
  const decide = (role: string, action: string, group: string) =>
    evaluatePolicies(docs(role), { action, resource: groupArn(group) });

  for (const [role, own, other] of [
    [
      "acme-orders-api-build",
      "acme-orders-api-check-unit-tests-coverage",
      "acme-web-frontend-check-unit-tests-tests",
    ],
    [
      "acme-billing-worker-build",
      "acme-billing-worker-test-tests",
      "acme-billing-worker-pr-check-unit-tests-tests",
    ],
    [
      "acme-orders-api-build",
      "acme-orders-api-check-lint-tests",
      "acme-orders-api-deploy-dev-tests",
    ],
    // A tools deploy role runs its environment's deploy projects, every application's.
    [
      "acme-tools-deploy-dev",
      "acme-orders-api-deploy-dev-tests",
      "acme-orders-api-deploy-staging-tests",
    ],
    ["acme-tools-deploy-prod", "acme-web-frontend-deploy-prod-tests", "acme-orders-api-test-tests"],
    [
      "acme-orders-api-pr-build",
      "acme-orders-api-pr-check-sast-tests",
      "acme-orders-api-check-sast-tests",
    ],
    [
      "acme-web-frontend-pr-build",
      "acme-web-frontend-pr-check-lint-tests",
      "acme-orders-api-pr-check-lint-tests",
    ],
  ] as const)
    it(`${role} publishes to ${own} and not to ${other}`, () => {
      for (const action of [
        "codebuild:CreateReport",
        "codebuild:UpdateReport",
        "codebuild:BatchPutTestCases",
        "codebuild:BatchPutCodeCoverages",
      ]) {
        assert.equal(decide(role, action, own), "allow", action);
        assert.equal(decide(role, action, other), "implicit-deny", action);
      }
      // The platform creates the groups; a build never does.
      assert.equal(decide(role, "codebuild:CreateReportGroup", own), "implicit-deny");
      assert.equal(decide(role, "codebuild:DeleteReportGroup", own), "implicit-deny");
    });

  it("the deploy roles publish to no check's group, and the alarm-gate roles to none", () => {
    for (const role of ["acme-tools-deploy-dev", "acme-tools-alarm-gate-prod"])
      assert.equal(
        decide(role, "codebuild:BatchPutTestCases", "acme-orders-api-check-unit-tests-tests"),
        "implicit-deny",
        role,
      );
  });
});

describe("failed tests alarm", () => {
  // CodeBuild publishes no test-report metric (report-groups.ts); a failed test fails its build.
  it("every project that publishes reports has a FailedBuilds alarm that notifies", () => {
    const alarms = ofType(tools, "aws:cloudwatch/metricAlarm:MetricAlarm").filter(
      (a) => a.inputs["metricName"] === "FailedBuilds",
    );
    for (const project of ALL) {
      const alarm = alarms.find(
        (a) => (a.inputs["dimensions"] as Record<string, string>)["ProjectName"] === project,
      );
      assert.ok(alarm, project);
      assert.equal(alarm!.inputs["namespace"], "AWS/CodeBuild");
      assert.equal(alarm!.inputs["threshold"], 1);
      assert.ok((alarm!.inputs["alarmActions"] as string[]).length > 0, project);
    }
  });
});
