// The tools program's shared ground: the organization facts every document needs, the checks
// CodePipeline would otherwise fail on, and the base (providers, names) every step builds on.
import * as pulumi from "@pulumi/pulumi";
import { AccountProviders } from "../../components/account-providers";
import { ToolsScope } from "../../model/iam/tools";
import { Organization } from "../../model/config/schema";
import { ConfigError, ConfigProblem, ToolsContext } from "../../model/config";
import { deploysNatively, modelProblems, pipelineModel, PipelineModel } from "../../model/pipeline";
import { applicationNames, environmentNames, platformNames, roleArn } from "../../model/naming";
import { quotaProblems } from "../../model/quotas";

/** The organization facts every tools document needs. */
export function toolsScope(org: Organization, partition: string): ToolsScope {
  return {
    partition,
    prefix: org.prefix,
    toolsAccount: org.tools.account,
    orgId: org.id,
    environments: org.environments.map((e) => ({
      name: e.name,
      accounts: e.accounts.map((a) => a.id),
    })),
  };
}

/** Regions that need an artifact store: the tools region and every region a native deploy action runs in. */
export function artifactRegions(toolsRegion: string, models: readonly PipelineModel[]): string[] {
  const regions = new Set<string>();
  for (const m of models)
    if (deploysNatively(m.mechanism))
      for (const s of m.stages)
        for (const a of s.actions) if (a.target) regions.add(a.target.region);
  regions.delete(toolsRegion);
  return [toolsRegion, ...[...regions].sort()];
}

/**
 * What CodePipeline would refuse in the tools account's pipelines, as config problems: a model
 * beyond CodePipeline's limits (too many stages once large gated environments split into waves),
 * a CodeCommit repository name CodeCommit cannot have, and more resources than the account's
 * quotas allow (model/quotas.ts).
 */
export function toolsProblems(
  org: Organization,
  models: readonly PipelineModel[],
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  org.applications.forEach((app, i) => {
    const at = `organization.applications[${i}]`;
    for (const message of modelProblems(models[i]))
      problems.push({ path: at, message: `the ${app.name} pipeline: ${message}` });
    if (
      app.source.provider === "codecommit" &&
      !/^[A-Za-z0-9._-]{1,100}$/.test(app.source.repository)
    )
      problems.push({
        path: `${at}.source.repository`,
        message: `"${app.source.repository}" is not a CodeCommit repository name; write the repository's name alone (letters, digits, '.', '_', '-'; at most 100 characters)`,
      });
  });
  // AWS quotas of the tools account: a stack beyond them would fail half-way through its first
  // deployment, so it is refused whole.
  problems.push(...quotaProblems(org, models, org.tools.quotas));
  return problems;
}

/** What every step of the tools program shares: the context, the names and the home provider. */
export interface ToolsBase {
  readonly ctx: ToolsContext;
  readonly org: Organization;
  readonly prefix: string;
  readonly scope: ToolsScope;
  readonly models: readonly PipelineModel[];
  readonly providers: AccountProviders;
  /** Options for resources in the tools account's home region. */
  readonly home: pulumi.ComponentResourceOptions;
  readonly arnOf: (roleName: string) => string;
  /** The deploy role of each environment in promotion order, by ARN. */
  readonly deployRoleArns: readonly string[];
  /** `<prefix>-*-pipeline` as a role ARN pattern. */
  readonly pipelineRolePattern: string;
}

/** The pipeline models, checked against CodePipeline's limits before anything is created. */
export function checkedModels(ctx: ToolsContext): PipelineModel[] {
  const models = ctx.org.applications.map((app) => pipelineModel(ctx.org, app));
  const problems = toolsProblems(ctx.org, models);
  if (problems.length > 0) throw new ConfigError(problems);
  return models;
}

export function toolsBase(ctx: ToolsContext, models: readonly PipelineModel[]): ToolsBase {
  const { org, partition } = ctx;
  const prefix = org.prefix;
  const providers = new AccountProviders(`${prefix}-tools`, {
    account: ctx.account,
    regions: artifactRegions(ctx.region, models),
    tags: { "platform:stack": ctx.stack, "platform:role": "tools" },
  });
  const arnOf = (name: string) => roleArn(partition, ctx.account, name);
  return {
    ctx,
    org,
    prefix,
    scope: toolsScope(org, partition),
    models,
    providers,
    home: { providers: [providers.home] },
    arnOf,
    deployRoleArns: [
      ...org.promotionOrder.map((e) => arnOf(environmentNames(prefix, e).toolsDeployRole)),
      // The platform deployer keeps the platform's state with the same bucket and key.
      ...(org.platform ? [arnOf(platformNames(prefix).deployerRole)] : []),
    ],
    // Application roles as name patterns (`<prefix>-*-pipeline`, `<prefix>-*-build`): only the
    // platform creates roles in the tools account, and a pattern keeps the key policies the same
    // size however many applications there are.
    pipelineRolePattern: arnOf(applicationNames(prefix, "*").pipelineRole),
  };
}
