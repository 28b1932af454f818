// Test and code coverage reports: which report groups a check or test project publishes to, the
// `reports:` section its buildspec gets, and the report groups themselves.
//
// CodeBuild reads test reports as Cucumber JSON, JUnit XML, NUnit XML, NUnit3 XML, TestNG XML and
// Visual Studio TRX (https://docs.aws.amazon.com/codebuild/latest/userguide/test-reporting.html),
// and code coverage as JaCoCo XML, SimpleCov JSON, Clover XML, Cobertura XML and LCOV INFO
// (https://docs.aws.amazon.com/codebuild/latest/userguide/code-coverage-report.html). Every check
// and test project here publishes JUnit XML (what the default tools write: Gradle, Maven
// Surefire, jest-junit and mocha-junit-reporter, Semgrep's --junit-xml-output, gitleaks' junit
// report format) and a unit-tests check its coverage too, in the format its config names.
//
// The platform creates every report group, named `<project>-<kind>`, and the buildspec names
// each by ARN: a name in the buildspec would make CodeBuild create (or reuse) a group called
// `<project>-<name>` on its own (https://docs.aws.amazon.com/codebuild/latest/userguide/test-report-group-naming.html),
// and the build roles may not create report groups, only publish to their own
// (codebuild:CreateReport, UpdateReport, BatchPutTestCases, BatchPutCodeCoverages on the
// groups' ARNs; https://docs.aws.amazon.com/codebuild/latest/userguide/test-permissions.html).
//
// Retention: CodeBuild keeps a report for 30 days (test-reporting.html above). Each group also
// exports the raw result files, zipped and encrypted with the artifact key, to the artifact
// bucket under `reports/<project>/`, where the bucket's lifecycle expires them with the
// artifacts (90 days by default): test evidence outlives the 30 days without a second bucket.
//
// Alarms: CodeBuild publishes no test-report metric to CloudWatch (its metrics are about builds:
// https://docs.aws.amazon.com/codebuild/latest/userguide/cloudwatch_metrics-codebuild.html). A
// failed test fails its build (the runner exits non-zero), so the FailedBuilds alarm every
// project gets (pipeline-monitoring.ts) is the failed-tests alarm.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { parse, stringify } from "yaml";
import { Application, BuildCheck, CheckKind, CoverageFormat } from "../../model/config/schema";
import { applicationNames, reportGroupName } from "../../model/naming";
import {
  buildChecks,
  hasTestStage,
  integrationChecks,
  smokeTestsInDeploy,
} from "../../model/pipeline";
import { reportGroupArn } from "../../model/iam/tools";

/** What a report group holds. */
export type ReportKind = "tests" | "coverage";

/** One report group of a project: its kind, CodeBuild type, file format and result files. */
export interface ReportSpec {
  readonly kind: ReportKind;
  readonly type: "TEST" | "CODE_COVERAGE";
  /** The buildspec `file-format` value. */
  readonly fileFormat: string;
  /** Result files, relative to the source directory. */
  readonly files: readonly string[];
}

/** Where JUnit XML results are read from: the platform's directory, Gradle's and Maven's. */
export const TEST_RESULT_FILES: readonly string[] = [
  "reports/junit/**/*.xml",
  "build/test-results/**/*.xml",
  "target/surefire-reports/*.xml",
];

/**
 * Where a deploy build's smoke test writes its JUnit XML (buildspecs/deploy-pulumi.yml): a
 * directory of its own, so results the build output carries (the unit tests') never reach it.
 */
export const SMOKE_RESULT_FILES: readonly string[] = ["reports/smoke/**/*.xml"];

/** Each coverage format: its buildspec `file-format` and the files the usual tools write. */
export const COVERAGE_FILES: Readonly<
  Record<CoverageFormat, { readonly fileFormat: string; readonly files: readonly string[] }>
> = {
  lcov: { fileFormat: "LCOVINFO", files: ["coverage/lcov.info", "reports/coverage/lcov.info"] },
  cobertura: {
    fileFormat: "COBERTURAXML",
    files: ["coverage/cobertura-coverage.xml", "reports/coverage/cobertura.xml"],
  },
  clover: {
    fileFormat: "CLOVERXML",
    files: ["coverage/clover.xml", "reports/coverage/clover.xml"],
  },
  jacoco: {
    fileFormat: "JACOCOXML",
    files: ["build/reports/jacoco/test/jacocoTestReport.xml", "target/site/jacoco/jacoco.xml"],
  },
  simplecov: { fileFormat: "SIMPLECOV", files: ["coverage/coverage.json"] },
};

/** The project kinds that publish reports: every check kind, and the post-deploy smoke tests. */
export type ReportingKind = CheckKind | "smoke-tests";

/** The report groups of one project: JUnit test results, and coverage for unit tests. */
export function reportSpecs(kind: ReportingKind, coverage?: CoverageFormat): ReportSpec[] {
  const tests: ReportSpec = {
    kind: "tests",
    type: "TEST",
    fileFormat: "JUNITXML",
    files: TEST_RESULT_FILES,
  };
  if (kind !== "unit-tests") return [tests];
  const c = COVERAGE_FILES[coverage ?? "lcov"];
  return [tests, { kind: "coverage", type: "CODE_COVERAGE", ...c }];
}

/** A project that publishes reports, with its report groups. */
export interface ReportingProject {
  readonly project: string;
  readonly specs: readonly ReportSpec[];
}

/**
 * The reporting projects the build role runs in an application's deploy pipeline: each check,
 * and the test project when the pipeline has test stages.
 */
export function applicationReports(prefix: string, app: Application): ReportingProject[] {
  const n = applicationNames(prefix, app.name);
  return [
    ...buildChecks(app).map((c) => ({
      project: n.checkProject(c.name),
      specs: reportSpecs(c.kind, c.coverage),
    })),
    ...(hasTestStage(app)
      ? [
          {
            project: n.testProject,
            specs: reportSpecs(
              integrationChecks(app).length > 0 ? "integration-tests" : "smoke-tests",
            ),
          },
        ]
      : []),
  ];
}

/**
 * The reporting projects the tools deploy roles run: each environment's deploy project, when the
 * deploy build runs the smoke test after each target (its results are the smoke tests').
 */
export function deployReports(
  prefix: string,
  app: Application,
  environments: readonly string[],
): ReportingProject[] {
  if (!smokeTestsInDeploy(app)) return [];
  const n = applicationNames(prefix, app.name);
  return environments.map((e) => ({
    project: n.deployProject(e),
    specs: reportSpecs("smoke-tests").map((r) => ({ ...r, files: SMOKE_RESULT_FILES })),
  }));
}

/** The reporting projects of a pull-request pipeline: each of its checks. */
export function pullRequestReports(
  prefix: string,
  app: Application,
  checks: readonly BuildCheck[],
): ReportingProject[] {
  const n = applicationNames(prefix, app.name);
  return checks.map((c) => ({
    project: n.prCheckProject(c.name),
    specs: reportSpecs(c.kind, c.coverage),
  }));
}

/** Every report group name of these projects. */
export function reportGroupsOf(projects: readonly ReportingProject[]): string[] {
  return projects.flatMap((p) => reportGroupNames(p.project, p.specs));
}

/** The report group names of one project. */
export function reportGroupNames(project: string, specs: readonly ReportSpec[]): string[] {
  return specs.map((s) => reportGroupName(project, s.kind));
}

/** Where the report group ARNs live: the tools account and region. */
export interface ReportLocation {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
}

/**
 * A buildspec with a `reports:` section for these report groups, each named by ARN. Results are
 * read from the source directory whatever directory the commands ended in.
 */
export function withReports(
  buildspec: string,
  project: string,
  specs: readonly ReportSpec[],
  at: ReportLocation,
): string {
  if (specs.length === 0) return buildspec;
  const spec = parse(buildspec) as Record<string, unknown>;
  spec["reports"] = Object.fromEntries(
    specs.map((s) => [
      reportGroupArn(at.partition, at.region, at.account, reportGroupName(project, s.kind)),
      { files: [...s.files], "file-format": s.fileFormat, "discard-paths": "no" },
    ]),
  );
  const header = buildspec
    .split("\n")
    .filter((l) => l.startsWith("#"))
    .join("\n");
  return `${header}\n# reports: added by the platform (components/tools/report-groups.ts).\n${stringify(spec)}`;
}

export interface ReportGroupsArgs {
  /** The project that publishes to the groups (physical name). */
  readonly project: string;
  /** Its report groups. */
  readonly specs: readonly ReportSpec[];
  /** The artifact bucket raw results are exported to (under `reports/<project>/`). */
  readonly bucket: pulumi.Input<string>;
  /** The artifact key the exports are encrypted with. */
  readonly keyArn: pulumi.Input<string>;
}

/** The object prefix a project's report exports go to. */
export function reportExportPrefix(project: string): string {
  return `reports/${project}/`;
}

/** The report groups of one project, exporting to the artifact bucket. */
export class ReportGroups extends pulumi.ComponentResource {
  /** The report groups by kind. */
  readonly groups: ReadonlyMap<ReportKind, aws.codebuild.ReportGroup>;

  constructor(name: string, args: ReportGroupsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:tools:ReportGroups", name, {}, opts);
    const groups = new Map<ReportKind, aws.codebuild.ReportGroup>();
    for (const s of args.specs)
      groups.set(
        s.kind,
        new aws.codebuild.ReportGroup(
          `${name}-${s.kind}`,
          {
            name: reportGroupName(args.project, s.kind),
            type: s.type,
            // Deleting a group deletes its reports, so removing a check never blocks on them.
            deleteReports: true,
            exportConfig: {
              type: "S3",
              s3Destination: {
                bucket: args.bucket,
                path: reportExportPrefix(args.project).slice(0, -1),
                packaging: "ZIP",
                encryptionKey: args.keyArn,
                encryptionDisabled: false,
              },
            },
          },
          { parent: this },
        ),
      );
    this.groups = groups;
    this.registerOutputs({});
  }
}
