// The workload account program: one environment's account, deployed by the tools pipelines. It
// creates the permissions boundary, the deploy role the tools account assumes, the CloudFormation
// roles when an application deploys with CloudFormation, the alarm reader role (IAM, in the home
// region), the CodeDeploy roles and deployment groups when an application deploys with CodeDeploy,
// one alarm baseline per region of the account, X-Ray encryption and sampling in every region,
// and, when the organization turns it on for the account, AWS Config (docs/compliance.md).
import { AccountProviders } from "../components/account-providers";
import { AlarmBaseline } from "../components/workload/alarm-baseline";
import { AlarmReaderRole } from "../components/workload/alarm-reader-role";
import { ConfigCompliance } from "../components/shared/config-compliance";
import { XRay } from "../components/workload/xray";
import { aggregationOf, workloadConfigSettings, xraySettings } from "../model/compliance";
import { eventRuleArn } from "../model/iam/workload";
import { isWatched } from "../model/pipeline";
import { CfnActionRole } from "../components/workload/cfn-action-role";
import { CfnExecutionRole } from "../components/workload/cfn-execution-role";
import { CodeDeploy, CodeDeployApplication } from "../components/workload/codedeploy";
import { DeployPolicies } from "../components/workload/deploy-policies";
import { DeployRole } from "../components/workload/deploy-role";
import { DEFAULT_ALLOWED_SERVICES, WorkloadPolicyInputs } from "../model/iam/workload";
import { PermissionsBoundary } from "../components/workload/permissions-boundary";
import { PreviewRole } from "../components/workload/preview-role";
import { previewApplications } from "./workload-previews";
import { isCodeDeploy, Organization, Subscriber } from "../model/config/schema";
import { WorkloadContext } from "../model/config";
import { complianceNames, environmentNames, roleArn } from "../model/naming";

/** Applications that deploy to an environment with the cloudformation mechanism. */
export function cloudFormationApplications(org: Organization, env: string): string[] {
  return org.applications
    .filter(
      (a) =>
        a.deploy.mechanism === "cloudformation" &&
        (a.environments ?? org.promotionOrder).includes(env),
    )
    .map((a) => a.name);
}

/** Applications that deploy to an environment with a CodeDeploy mechanism. */
export function codeDeployApplications(org: Organization, env: string): CodeDeployApplication[] {
  return org.applications.filter(
    (a): a is CodeDeployApplication =>
      isCodeDeploy(a.deploy) && (a.environments ?? org.promotionOrder).includes(env),
  );
}

/** Who hears about an environment's alarms: the organization's and the environment's subscribers. */
export function alarmSubscribers(org: Organization, env: string): Subscriber[] {
  const environment = org.environments.find((e) => e.name === env);
  const all = [
    ...org.notifications.subscribers,
    ...(environment?.notifications?.subscribers ?? []),
  ];
  const seen = new Set<string>();
  return all.filter((s) => {
    const k = `${s.protocol}\u0000${s.endpoint}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Builds one workload account of one environment. Returns the stack outputs. */
export function workloadProgram(ctx: WorkloadContext) {
  const { org, environment, account } = ctx;
  const base = `${org.prefix}-${environment.name}-${account.id}`;
  const regions = [ctx.region, ...ctx.regions.filter((r) => r !== ctx.region)];
  const providers = new AccountProviders(base, {
    account: account.id,
    regions,
    tags: {
      "platform:stack": ctx.stack,
      "platform:role": "workload",
      "platform:environment": environment.name,
    },
  });
  const names = environmentNames(org.prefix, environment.name);
  const policy: WorkloadPolicyInputs = {
    partition: ctx.partition,
    prefix: org.prefix,
    environment: environment.name,
    account: account.id,
    toolsAccount: org.tools.account,
    orgId: org.id,
  };
  const services = environment.allowedServices ?? DEFAULT_ALLOWED_SERVICES;
  const home = providers.home;

  const boundary = new PermissionsBoundary(`${base}-boundary`, {
    policy,
    services,
    provider: home,
  });
  const deployPolicies = new DeployPolicies(`${base}-deploy-policies`, {
    policy,
    services,
    provider: home,
  });
  const deployRole = new DeployRole(`${base}-deploy`, {
    policy,
    boundaryArn: boundary.arn,
    policyArns: deployPolicies.arns,
    provider: home,
  });
  // The alarm reader exists where the tools account's alarm gate reads alarms: in environments
  // that are gated or bake. Elsewhere no principal would ever assume it.
  const alarmReader = isWatched(environment)
    ? new AlarmReaderRole(`${base}-alarm-reader`, { policy, provider: home })
    : undefined;

  const cfnApps = cloudFormationApplications(org, environment.name);
  let cloudFormation: { executionRoleArn: unknown; actionRoleArn: unknown } | undefined;
  if (cfnApps.length > 0) {
    const execution = new CfnExecutionRole(`${base}-cfn-exec`, {
      policy,
      boundaryArn: boundary.arn,
      policyArns: deployPolicies.arns,
      provider: home,
    });
    const action = new CfnActionRole(`${base}-cfn-action`, { policy, provider: home });
    cloudFormation = { executionRoleArn: execution.arn, actionRoleArn: action.arn };
  }

  // CodeDeploy applications: the service role, and each application's roles and deployment group
  // in every region of the account.
  const cdApps = codeDeployApplications(org, environment.name);
  const codeDeploy =
    cdApps.length > 0
      ? new CodeDeploy(`${base}-codedeploy`, {
          policy,
          applications: cdApps,
          regions,
          providerFor: (r) => providers.forRegion(r),
          home,
        })
      : undefined;

  // The read-only preview role of each application whose pull requests preview this environment.
  const previews = previewApplications(ctx, services).map(
    (p) =>
      [
        p.application,
        new PreviewRole(`${base}-preview-${p.application}`, { policy: p, provider: home }),
      ] as const,
  );

  const subscribers = alarmSubscribers(org, environment.name);
  const config = workloadConfigSettings(org, environment.name, account.id);
  const configRule = complianceNames(org.prefix, account.id).nonCompliantRule;
  const baselines = regions.map(
    (region) =>
      [
        region,
        new AlarmBaseline(`${base}-alarms-${region}`, {
          policy,
          region,
          provider: providers.forRegion(region),
          subscribers,
          // AWS Config's non-compliance reaches the alarm topic of its region, like the alarms.
          ...(config.enabled
            ? { configRuleArn: eventRuleArn(ctx.partition, region, account.id, configRule) }
            : {}),
        }),
      ] as const,
  );
  const baselineOf = (region: string) => baselines.find(([r]) => r === region)![1];

  const xray = xraySettings(org, environment.name);
  if (xray.enabled)
    for (const region of regions)
      new XRay(`${base}-xray-${region}`, {
        partition: ctx.partition,
        prefix: org.prefix,
        environment: environment.name,
        account: account.id,
        region,
        provider: providers.forRegion(region),
        sampling: xray.sampling,
      });

  const compliance = config.enabled
    ? new ConfigCompliance(`${base}-config`, {
        partition: ctx.partition,
        prefix: org.prefix,
        account: account.id,
        regions,
        providerFor: (r) => providers.forRegion(r),
        settings: config,
        topicArnFor: (r) => baselineOf(r).topicArn,
        topicReady: (r) => [baselineOf(r).topicPolicy],
        ...(aggregationOf(org) === "accounts"
          ? { aggregator: { account: org.tools.account, region: org.tools.region } }
          : {}),
      })
    : undefined;

  return {
    role: ctx.role,
    environment: environment.name,
    account: account.id,
    regions,
    deployRoleArn: deployRole.arn,
    expectedDeployRoleArn: roleArn(ctx.partition, account.id, names.workloadDeployRole),
    permissionsBoundaryArn: boundary.arn,
    ...(alarmReader ? { alarmReaderRoleArn: alarmReader.arn } : {}),
    // Only where a CloudFormation application deploys: Pulumi drops a top-level undefined output
    // with a warning ("Undefined value (cloudFormation) will not show as a stack output"), so the
    // key is left out instead. https://www.pulumi.com/docs/iac/concepts/stacks/#outputs
    ...(cloudFormation ? { cloudFormation: { applications: cfnApps, ...cloudFormation } } : {}),
    ...(codeDeploy
      ? {
          codeDeploy: {
            serviceRoleArn: codeDeploy.serviceRoleArn,
            actionRoleArns: codeDeploy.actionRoleArns,
            deploymentGroups: codeDeploy.deploymentGroups,
          },
        }
      : {}),
    ...(previews.length > 0
      ? { previewRoleArns: Object.fromEntries(previews.map(([a, r]) => [a, r.arn])) }
      : {}),
    ...(compliance ? { configRules: compliance.ruleNames } : {}),
    alarmTopicArns: Object.fromEntries(baselines.map(([r, b]) => [r, b.topicArn])),
    deploymentHealthAlarmArns: Object.fromEntries(
      baselines.map(([r, b]) => [r, b.deploymentHealthAlarmArn]),
    ),
  };
}
