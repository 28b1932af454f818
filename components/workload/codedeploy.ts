// CodeDeploy in one workload account: the service role CodeDeploy deploys with, and for every
// application that deploys with a CodeDeploy mechanism the action role its pipeline runs the
// deployment with, the host role of a server application, and in each region the CodeDeploy
// application and the environment's deployment group. Every deployment group stops and rolls back
// on the environment's deployment-health alarm and the application's own alarms, and rolls back a
// failed deployment (autoRollbackConfiguration on DEPLOYMENT_FAILURE and
// DEPLOYMENT_STOP_ON_ALARM).
// https://docs.aws.amazon.com/codedeploy/latest/userguide/deployments-rollback-and-redeploy.html
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Application, CodeDeploySettings } from "../../model/config/schema";
import { applicationNames, environmentNames } from "../../model/naming";
import {
  CodeDeployAppInputs,
  codeDeployActionPolicy,
  codeDeployActionTrustPolicy,
  codeDeployServicePolicy,
  codeDeployServiceTrustPolicy,
  hostPolicy,
  hostTrustPolicy,
  WorkloadPolicyInputs,
} from "../../model/iam/workload";

/** A CodeDeploy application of the organization config. */
export type CodeDeployApplication = Application & { readonly deploy: CodeDeploySettings };

export interface CodeDeployArgs {
  /** Account, environment and naming facts the documents are built from. */
  readonly policy: WorkloadPolicyInputs;
  /** The applications of this environment that deploy with CodeDeploy. */
  readonly applications: readonly CodeDeployApplication[];
  /** The account's regions, with their providers. */
  readonly regions: readonly string[];
  readonly providerFor: (region: string) => aws.Provider;
  /** Provider of the home region (IAM is global). */
  readonly home: aws.Provider;
}

/** The facts the IAM documents need of an application. */
export function codeDeployInputs(app: CodeDeployApplication): CodeDeployAppInputs {
  const d = app.deploy;
  return {
    application: app.name,
    mechanism: d.mechanism,
    ...(d.mechanism === "codedeploy-lambda"
      ? {
          functionName: d.functionName,
          hookFunctions: [d.hooks?.beforeAllowTraffic, d.hooks?.afterAllowTraffic].filter(
            (h): h is string => h !== undefined,
          ),
        }
      : {}),
  };
}

const ROLLBACK = {
  enabled: true,
  events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"],
};

/** What CodeDeploy needs per platform in a deployment group (beyond names, role and alarms). */
function platformSettings(
  d: CodeDeploySettings,
  lookups: { productionListener?: pulumi.Input<string>; testListener?: pulumi.Input<string> },
  customConfig: pulumi.Input<string> | undefined,
): Partial<aws.codedeploy.DeploymentGroupArgs> {
  switch (d.mechanism) {
    case "codedeploy-ecs":
      return {
        deploymentConfigName: d.deploymentConfig,
        deploymentStyle: { deploymentOption: "WITH_TRAFFIC_CONTROL", deploymentType: "BLUE_GREEN" },
        blueGreenDeploymentConfig: {
          deploymentReadyOption: { actionOnTimeout: "CONTINUE_DEPLOYMENT" },
          terminateBlueInstancesOnDeploymentSuccess: {
            action: "TERMINATE",
            terminationWaitTimeInMinutes: d.terminationWaitMinutes,
          },
        },
        ecsService: { clusterName: d.cluster, serviceName: d.service },
        loadBalancerInfo: {
          targetGroupPairInfo: {
            prodTrafficRoute: { listenerArns: [lookups.productionListener!] },
            ...(lookups.testListener
              ? { testTrafficRoute: { listenerArns: [lookups.testListener] } }
              : {}),
            targetGroups: d.targetGroups.map((name) => ({ name })),
          },
        },
      };
    case "codedeploy-lambda":
      return {
        deploymentConfigName: d.deploymentConfig,
        deploymentStyle: { deploymentOption: "WITH_TRAFFIC_CONTROL", deploymentType: "BLUE_GREEN" },
      };
    case "codedeploy-server":
      return {
        deploymentConfigName: customConfig ?? d.deploymentConfig ?? "CodeDeployDefault.OneAtATime",
        deploymentStyle: {
          deploymentOption: "WITHOUT_TRAFFIC_CONTROL",
          deploymentType: "IN_PLACE",
        },
        ...(d.ec2Tags
          ? {
              ec2TagSets: [
                {
                  ec2TagFilters: Object.entries(d.ec2Tags).map(([key, value]) => ({
                    key,
                    value,
                    type: "KEY_AND_VALUE",
                  })),
                },
              ],
            }
          : {}),
        ...(d.onPremisesTags
          ? {
              onPremisesInstanceTagFilters: Object.entries(d.onPremisesTags).map(
                ([key, value]) => ({ key, value, type: "KEY_AND_VALUE" }),
              ),
            }
          : {}),
      };
  }
}

/** The CodeDeploy service role, and every CodeDeploy application's roles and deployment groups. */
export class CodeDeploy extends pulumi.ComponentResource {
  /** ARN of the CodeDeploy service role. */
  readonly serviceRoleArn: pulumi.Output<string>;
  /** ARN of each application's action role. */
  readonly actionRoleArns: Record<string, pulumi.Output<string>>;
  /** Deployment group names by application, then region. */
  readonly deploymentGroups: Record<string, Record<string, pulumi.Output<string>>>;

  constructor(name: string, args: CodeDeployArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:workload:CodeDeploy", name, {}, opts);
    const i = args.policy;
    const env = environmentNames(i.prefix, i.environment);
    const iam = { parent: this, provider: args.home };
    const serviceRole = new aws.iam.Role(
      `${name}-service-role`,
      {
        name: env.codeDeployServiceRole,
        description: `CodeDeploy deploys the ${i.environment} CodeDeploy applications with this role`,
        assumeRolePolicy: JSON.stringify(codeDeployServiceTrustPolicy(i)),
      },
      iam,
    );
    const servicePolicy = new aws.iam.RolePolicy(
      `${name}-service-policy`,
      {
        role: serviceRole.name,
        name: env.codeDeployServiceRole,
        policy: JSON.stringify(codeDeployServicePolicy(i, args.applications.map(codeDeployInputs))),
      },
      iam,
    );
    this.serviceRoleArn = serviceRole.arn;
    this.actionRoleArns = {};
    this.deploymentGroups = {};
    for (const app of args.applications) {
      const n = applicationNames(i.prefix, app.name);
      const inputs = codeDeployInputs(app);
      const actionRole = new aws.iam.Role(
        `${name}-${app.name}-action`,
        {
          name: n.codeDeployActionRole(i.environment),
          description: `The ${app.name} pipeline deploys ${app.name} to ${i.environment} with CodeDeploy as this role`,
          assumeRolePolicy: JSON.stringify(codeDeployActionTrustPolicy(i, inputs)),
        },
        iam,
      );
      new aws.iam.RolePolicy(
        `${name}-${app.name}-action-policy`,
        {
          role: actionRole.name,
          name: n.codeDeployActionRole(i.environment),
          policy: JSON.stringify(codeDeployActionPolicy(i, inputs)),
        },
        iam,
      );
      this.actionRoleArns[app.name] = actionRole.arn;
      const d = app.deploy;
      if (d.mechanism === "codedeploy-server") {
        const host = new aws.iam.Role(
          `${name}-${app.name}-host`,
          {
            name: n.hostRole(i.environment),
            description: `EC2 and on-premises hosts of ${app.name} read its revisions with this role`,
            assumeRolePolicy: JSON.stringify(hostTrustPolicy(i)),
          },
          iam,
        );
        new aws.iam.RolePolicy(
          `${name}-${app.name}-host-policy`,
          {
            role: host.name,
            name: n.hostRole(i.environment),
            policy: JSON.stringify(hostPolicy(i)),
          },
          iam,
        );
        new aws.iam.InstanceProfile(
          `${name}-${app.name}-host-profile`,
          { name: n.hostRole(i.environment), role: host.name },
          iam,
        );
      }
      const alarms = [env.deploymentHealthAlarm, ...d.alarms];
      this.deploymentGroups[app.name] = {};
      for (const region of args.regions) {
        const provider = args.providerFor(region);
        const child = { parent: this, provider };
        const application = new aws.codedeploy.Application(
          `${name}-${app.name}-${region}`,
          {
            name: n.codeDeployApplication,
            computePlatform:
              d.mechanism === "codedeploy-ecs"
                ? "ECS"
                : d.mechanism === "codedeploy-lambda"
                  ? "Lambda"
                  : "Server",
          },
          child,
        );
        const customConfig =
          d.mechanism === "codedeploy-server" && d.minimumHealthyHosts
            ? new aws.codedeploy.DeploymentConfig(
                `${name}-${app.name}-${region}-hosts`,
                {
                  deploymentConfigName: n.deploymentConfig,
                  computePlatform: "Server",
                  minimumHealthyHosts: {
                    type: d.minimumHealthyHosts.type,
                    value: d.minimumHealthyHosts.value,
                  },
                },
                child,
              ).deploymentConfigName
            : undefined;
        // The listeners belong to the application's own load balancer, which exists before its
        // first CodeDeploy deployment (an ECS service with the CODE_DEPLOY controller needs it):
        // they are looked up by the load balancer's name and the listener ports.
        const lookups =
          d.mechanism === "codedeploy-ecs"
            ? (() => {
                const lb = aws.lb.getLoadBalancerOutput({ name: d.loadBalancer }, { provider });
                const listener = (port: number) =>
                  aws.lb.getListenerOutput({ loadBalancerArn: lb.arn, port }, { provider }).arn;
                return {
                  productionListener: listener(d.productionPort),
                  ...(d.testPort !== undefined ? { testListener: listener(d.testPort) } : {}),
                };
              })()
            : {};
        const group = new aws.codedeploy.DeploymentGroup(
          `${name}-${app.name}-${region}-group`,
          {
            appName: application.name,
            deploymentGroupName: n.deploymentGroup(i.environment),
            serviceRoleArn: serviceRole.arn,
            alarmConfiguration: { enabled: true, alarms, ignorePollAlarmFailure: false },
            autoRollbackConfiguration: ROLLBACK,
            ...platformSettings(d, lookups, customConfig),
          },
          { ...child, dependsOn: [servicePolicy] },
        );
        this.deploymentGroups[app.name]![region] = group.deploymentGroupName;
      }
    }
    this.registerOutputs({ serviceRoleArn: this.serviceRoleArn });
  }
}
