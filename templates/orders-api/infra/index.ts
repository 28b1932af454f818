// The service's Pulumi program, as the platform's deploy build runs it: `pulumi preview` then
// `pulumi up` in this project, on the stack the build selects (STACK_NAME), with aws:region and
// aws:allowedAccountIds[0] set to the target and TARGET_ENV naming the environment.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { OrdersApi } from "./orders-api";
import { deploymentSettings } from "./settings";

export = async () => {
  const config = new pulumi.Config();
  const [identity, region, partition] = await Promise.all([
    aws.getCallerIdentity(),
    aws.getRegion(),
    aws.getPartition(),
  ]);
  const settings = deploymentSettings({
    project: pulumi.getProject(),
    stack: pulumi.getStack(),
    account: identity.accountId,
    region: region.region,
    partition: partition.partition,
    targetEnv: process.env.TARGET_ENV,
    config: (key) => config.get(key),
  });
  const service = new OrdersApi("orders", { settings });
  return {
    environment: settings.environment,
    url: service.url,
    tableName: service.tableName,
    functionName: service.functionName,
    alarmTopicArn: service.alarmTopicArn,
  };
};
