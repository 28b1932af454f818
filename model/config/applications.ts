// The rules of each application: a unique name, promotion along the organization's order, unique
// checks and secret variables, usable secret references, derived names that fit, and what the
// tools pipelines need beyond the shape.
import { describeValue, isShowable } from "../../policies/lib/display";
import { derivedApplicationNames } from "../naming";
import { checkNameLengths } from "./name-lengths";
import { ConfigProblem } from "./problems";
import { field, isRecord, list, str } from "./raw-readers";

/** A raw value as a message shows it (quoted only when short and plainly not a secret). */
const q = (value: unknown): string => describeValue(value, "'");
const word = (value: unknown): string => describeValue(value, "");

/** What the application rules read from the rest of the organization. */
export interface ApplicationScope {
  /** The raw promotionOrder list. */
  readonly order: readonly unknown[];
  /** The defined environment names, in the order they are defined. */
  readonly seenEnv: ReadonlySet<string>;
  readonly prefix: string | undefined;
  readonly toolsAccount: string | undefined;
}

/** Applications. */
export function applicationProblems(
  root: string,
  apps: unknown[],
  scope: ApplicationScope,
  add: (path: string, message: string) => void,
) {
  const { order, seenEnv, prefix, toolsAccount } = scope;
  // Only names that may be shown: a secret-shaped environment name is never listed.
  const known = [...seenEnv].filter((n) => isShowable(n));
  const appNames = new Set<string>();
  apps.forEach((app, a) => {
    const at = `${root}.applications[${a}]`;
    const name = str(field(app, "name"));
    if (name) {
      if (appNames.has(name))
        add(
          `${at}.name`,
          `application ${q(name)} is defined twice; application names must be unique`,
        );
      appNames.add(name);
      // `<prefix>-platform...` names the platform's own pipeline and roles (platformNames).
      if (name === "platform" || name.startsWith("platform-"))
        add(
          `${at}.name`,
          `application ${q(name)} would share the platform pipeline's names (${prefix ?? "<prefix>"}-platform-...); rename the application`,
        );
    }
    // Promotion of this application: a subsequence of the organization's order.
    const appEnvs = field(app, "environments");
    let targets: string[] = order.filter(
      (o): o is string => typeof o === "string" && seenEnv.has(o),
    );
    if (Array.isArray(appEnvs)) {
      const picked: string[] = [];
      let last = -1;
      appEnvs.forEach((e, k) => {
        if (typeof e !== "string") return;
        const pos = targets.indexOf(e);
        if (!seenEnv.has(e))
          add(
            `${at}.environments[${k}]`,
            `${q(e)} is not a defined environment; use one of ${known.join(", ") || "(none defined)"}`,
          );
        else if (pos < 0) return;
        else if (pos <= last)
          add(
            `${at}.environments[${k}]`,
            `${q(e)} is out of promotion order; list environments in the order of promotionOrder (${targets.filter((n) => isShowable(n)).join(" -> ")})`,
          );
        else {
          last = pos;
          picked.push(e);
        }
      });
      targets = picked;
    }
    // Unique check names and secret variables.
    const checks = list(field(field(app, "build"), "checks"));
    const checkIds: string[] = [];
    checks.forEach((c, k) => {
      const cn = str(field(c, "name"));
      if (!cn) return;
      if (checkIds.includes(cn))
        add(
          `${at}.build.checks[${k}].name`,
          `check ${q(cn)} is defined twice; check names must be unique within an application`,
        );
      checkIds.push(cn);
    });
    const plainEnv = field(field(app, "build"), "environment");
    const secretEnv = new Set<string>();
    list(field(app, "secrets")).forEach((s, k) => {
      const env = str(field(s, "env"));
      const source = str(field(s, "source"));
      const ref = str(field(s, "ref"));
      if (env) {
        if (secretEnv.has(env))
          add(
            `${at}.secrets[${k}].env`,
            `variable ${word(env)} is given twice; each secret needs its own variable`,
          );
        if (isRecord(plainEnv) && env in plainEnv)
          add(
            `${at}.secrets[${k}].env`,
            `variable ${word(env)} is also a plain variable in build.environment; remove it there`,
          );
        secretEnv.add(env);
      }
      if (ref && source) {
        const problem = secretReferenceProblem(source, ref, toolsAccount);
        if (problem) add(`${at}.secrets[${k}].ref`, problem);
      }
    });
    if (prefix && name && /^[a-z][a-z0-9]{1,11}$/.test(prefix)) {
      // Names derived from every check and every environment this application reaches.
      const prChecks = field(field(app, "pullRequests"), "checks");
      checkNameLengths(
        `${at}.name`,
        derivedApplicationNames(
          prefix,
          name,
          targets,
          checkIds,
          str(field(field(app, "deploy"), "mechanism")),
          rawHasPullRequests(app)
            ? {
                checks: Array.isArray(prChecks)
                  ? prChecks.filter((c): c is string => typeof c === "string")
                  : checkIds,
                previewEnvironment: targets[0],
              }
            : undefined,
        ),
        add,
      );
    }
  });
}

/** Checks a secret reference's format; undefined when it is usable. */
export function secretReferenceProblem(
  source: string,
  ref: string,
  toolsAccount?: string,
): string | undefined {
  if (source === "secrets-manager") {
    const arn =
      /^arn:(aws[a-z-]*):secretsmanager:([a-z0-9-]+):(\d{12}):secret:([A-Za-z0-9/_+=.@-]+)(:[^:]*){0,3}$/.exec(
        ref,
      );
    if (!arn)
      return `${q(ref)} is not a Secrets Manager secret ARN; give the full ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>), optionally with :<json-key>`;
    if (toolsAccount && arn[3] !== toolsAccount)
      return `the secret is in account ${arn[3]}; builds run in the tools account ${toolsAccount}: keep build secrets there`;
    return undefined;
  }
  if (source === "ssm") {
    if (/^\/[A-Za-z0-9_.\-/]+$/.test(ref) || /^[A-Za-z0-9_.-]+$/.test(ref)) return undefined;
    return `${q(ref)} is not an SSM parameter name; write it as "/path/name"`;
  }
  return undefined;
}

// ---- Application rules of the tools pipelines (components/tools) ---------------------------

/** What the tools pipelines need from each application beyond its shape. */
export function applicationPipelineProblems(
  root: string,
  apps: readonly unknown[],
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  apps.forEach((app, a) => {
    const at = `${root}.applications[${a}]`;
    list(field(field(app, "build"), "checks")).forEach((c, k) => {
      if (str(field(c, "kind")) === "custom" && list(field(c, "commands")).length === 0)
        problems.push({
          path: `${at}.build.checks[${k}].commands`,
          message:
            "a custom check runs only the commands you give; add commands or pick another kind",
        });
    });
    const source = field(app, "source");
    if (str(field(source, "provider")) === "codecommit" && field(source, "filePaths") !== undefined)
      problems.push({
        path: `${at}.source.filePaths`,
        message:
          "file-path triggers need a CodeConnections source (GitHub, GitLab, Bitbucket); remove filePaths or change the provider",
      });
    problems.push(...pullRequestProblems(at, app, apps));
  });
  return problems;
}

/** Does this raw application get a pull-request pipeline (connection sources, unless disabled)? */
function rawHasPullRequests(app: unknown): boolean {
  if (str(field(field(app, "source"), "provider")) === "codecommit") return false;
  return field(field(app, "pullRequests"), "enabled") !== false;
}

/**
 * The pull-request settings of one application: a CodeCommit source cannot have a pull-request
 * pipeline, every named check must be one of the application's build checks (and not an
 * integration test, which needs a deployment), and no other application may be named like the
 * pull-request pipeline (`<app>-pr`), whose names would collide with its own.
 */
function pullRequestProblems(at: string, app: unknown, apps: readonly unknown[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const pr = field(app, "pullRequests");
  const provider = str(field(field(app, "source"), "provider"));
  if (provider === "codecommit" && field(pr, "enabled") === true)
    problems.push({
      path: `${at}.pullRequests.enabled`,
      message:
        "pull-request pipelines need a CodeConnections source (GitHub, GitLab, Bitbucket): CodePipeline's pull-request triggers serve connections only; remove pullRequests or change the provider",
    });
  const checks = list(field(field(app, "build"), "checks"));
  const kinds = new Map(checks.map((c) => [str(field(c, "name")), str(field(c, "kind"))]));
  const names = [...kinds.keys()].filter((n): n is string => !!n && isShowable(n));
  list(field(pr, "checks")).forEach((c, k) => {
    if (typeof c !== "string") return;
    const kind = kinds.get(c);
    if (kind === undefined)
      problems.push({
        path: `${at}.pullRequests.checks[${k}]`,
        message: `${q(c)} is not a check of this application; name one of build.checks (${names.join(", ") || "none defined"}) or remove it`,
      });
    else if (kind === "integration-tests")
      problems.push({
        path: `${at}.pullRequests.checks[${k}]`,
        message: `${q(c)} is an integration test, which runs against a deployment; a pull request deploys nothing: remove it here`,
      });
  });
  const name = str(field(app, "name"));
  if (name && rawHasPullRequests(app))
    apps.forEach((other, o) => {
      const otherName = str(field(other, "name"));
      if (otherName && (otherName === `${name}-pr` || otherName.startsWith(`${name}-pr-`)))
        problems.push({
          path: `${at.replace(/\[\d+\]$/, "")}[${o}].name`,
          message: `${q(otherName)} collides with the pull-request pipeline of ${q(name)} (${name}-pr): rename it, or set pullRequests.enabled: false on ${q(name)}`,
        });
    });
  return problems;
}
// ---- end of the application rules of the tools pipelines -----------------------------------
