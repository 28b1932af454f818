// What a CodeBuild project of an application runs: the buildspec files a platform team edits in
// buildspecs/, the default image, the variables every build gets, and the Pulumi stack name of a
// deploy target.
import * as fs from "fs";
import * as path from "path";
import { parse, stringify } from "yaml";
import { Application, BuildCheck } from "../../model/config/schema";
import { REPO_ROOT } from "../../model/paths";

/** Directory of the buildspec files. */
export const BUILDSPEC_DIR = path.join(REPO_ROOT, "buildspecs");

/** The text of a buildspec file of buildspecs/. */
export function readBuildspec(file: string): string {
  return fs.readFileSync(path.join(BUILDSPEC_DIR, file), "utf8");
}

/** Default CodeBuild image. */
export const DEFAULT_IMAGE = "aws/codebuild/amazonlinux-x86_64-standard:5.0";

/** A CodeBuild environment variable. */
export interface BuildVariable {
  readonly name: string;
  readonly value: string;
  readonly type: "PLAINTEXT" | "SECRETS_MANAGER" | "PARAMETER_STORE";
}

/** The variables every build of an application gets: plain config values and secret references. */
export function applicationVariables(app: Application): BuildVariable[] {
  return [
    ...Object.entries(app.build.environment ?? {}).map(([name, value]): BuildVariable => ({
      name,
      value,
      type: "PLAINTEXT",
    })),
    // Secrets arrive by reference only: CodeBuild resolves them when the build starts.
    ...app.secrets.map((s): BuildVariable => ({
      name: s.env,
      value: s.ref,
      type: s.source === "secrets-manager" ? "SECRETS_MANAGER" : "PARAMETER_STORE",
    })),
  ];
}

/** Variables that replace a check's default commands. */
export function checkCommands(check: BuildCheck): BuildVariable[] {
  return check.commands
    ? [{ name: "CHECK_COMMANDS", value: check.commands.join("\n"), type: "PLAINTEXT" }]
    : [];
}

/**
 * The S3 state backend as the deploy build's Pulumi CLI opens it. `PULUMI_BACKEND_URL` takes
 * precedence over `pulumi login` (https://www.pulumi.com/docs/iac/cli/environment-variables/),
 * and the build runs `pulumi preview/up` with `AWS_PROFILE=target` so the program deploys with the
 * workload credentials; without `profile=tools` in the URL itself the CLI would open the tools
 * state bucket as the workload deploy role and fail with AccessDenied. `region` and `profile` are
 * query parameters of the gocloud.dev S3 URL opener Pulumi uses (https://pkg.go.dev/gocloud.dev/aws).
 */
export function stateBackendUrl(bucket: string, env: string, toolsRegion: string): string {
  return `s3://${bucket}/${env}?region=${toolsRegion}&profile=${TOOLS_PROFILE}`;
}

/** The KMS secrets provider of the deploy stacks, opened with the tools credentials too. */
export function secretsProviderUrl(keyAlias: string, toolsRegion: string): string {
  return `awskms://${keyAlias}?region=${toolsRegion}&profile=${TOOLS_PROFILE}`;
}

/** The AWS CLI profile the deploy buildspec writes for the tools credentials (the container's role). */
export const TOOLS_PROFILE = "tools";

/** The output artifact CloudFormation actions read: the template and the files it names. */
export const TEMPLATE_ARTIFACT = "template";

/**
 * The build buildspec of a CloudFormation application: the whole workspace stays the `build`
 * artifact (the tests run on it), and a second artifact, `template`, holds only the template and
 * its `templateFiles`. CloudFormation actions read that one: their input artifacts are limited to
 * 256 MB (https://docs.aws.amazon.com/codepipeline/latest/userguide/limits.html), and a workspace
 * with dependencies and caches passes that quickly. With several output artifacts, CodeBuild
 * names each after a `secondary-artifacts` identifier, which must match the pipeline's output
 * artifact names (https://docs.aws.amazon.com/codebuild/latest/userguide/sample-pipeline-multi-input-output.html).
 */
export function cloudFormationBuildspec(
  templatePath: string,
  templateFiles: readonly string[],
): string {
  const spec = parse(readBuildspec("build.yml")) as Record<string, unknown>;
  spec["artifacts"] = {
    files: ["**/*"],
    "secondary-artifacts": {
      build: { files: ["**/*"] },
      [TEMPLATE_ARTIFACT]: { files: [templatePath, ...templateFiles] },
    },
  };
  return `# Generated from build.yml for a CloudFormation application (cloudFormationBuildspec).\n${stringify(spec)}`;
}
