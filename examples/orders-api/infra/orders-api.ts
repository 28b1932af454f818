// The service's AWS resources: an HTTP API in front of one Lambda function that keeps orders in a
// DynamoDB table, encrypted with the service's own KMS key, traced with X-Ray, logging to
// encrypted log groups with a retention, and alarmed (function errors, API 5xx) to a topic with a
// subscription. The function's role may read and write its table, write its logs and traces and
// read its API key, nothing else, and carries the platform's permissions boundary under /app/.
import * as path from "node:path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { secretActions, secretArn, type DeploymentSettings } from "./settings";

export interface OrdersApiArgs {
  readonly settings: DeploymentSettings;
  /** Directory of the compiled handler (`npm run build`). Default: ../dist. */
  readonly codeDir?: string;
}

/** Routes the function serves. */
export const ROUTES = ["GET /health", "GET /orders/{id}", "POST /orders"] as const;

export class OrdersApi extends pulumi.ComponentResource {
  /** The API's base URL. */
  readonly url: pulumi.Output<string>;
  readonly tableName: pulumi.Output<string>;
  readonly functionName: pulumi.Output<string>;
  readonly alarmTopicArn: pulumi.Output<string>;

  constructor(name: string, args: OrdersApiArgs, opts?: pulumi.ComponentResourceOptions) {
    super("orders:service:OrdersApi", name, {}, opts);
    const s = args.settings;
    const codeDir = args.codeDir ?? path.join(__dirname, "..", "dist");
    const child = { parent: this };
    const base = s.baseName;
    const accountRoot = `arn:${s.partition}:iam::${s.account}:root`;
    // Names chosen here, not generated: the role's policy is then a known document at preview,
    // where the platform's policy pack gates the deployment.
    const arn = (service: string, resource: string) =>
      `arn:${s.partition}:${service}:${s.region}:${s.account}:${resource}`;
    const tableName = `${base}-orders`;
    const functionName = base;
    const logGroupName = `/aws/lambda/${functionName}`;
    const keyAlias = `alias/${base}`;

    const key = new aws.kms.Key(
      `${name}-key`,
      {
        description: `${base}: orders table, logs and alarm topic`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "AccountAdministersTheKey",
              Effect: "Allow",
              Principal: { AWS: accountRoot },
              Action: "kms:*",
              Resource: "*",
            },
            {
              // https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
              Sid: "LogsOfThisAccount",
              Effect: "Allow",
              Principal: { Service: `logs.${s.region}.amazonaws.com` },
              Action: [
                "kms:Encrypt*",
                "kms:Decrypt*",
                "kms:ReEncrypt*",
                "kms:GenerateDataKey*",
                "kms:Describe*",
              ],
              Resource: "*",
              Condition: {
                ArnLike: {
                  "kms:EncryptionContext:aws:logs:arn": `arn:${s.partition}:logs:${s.region}:${s.account}:log-group:*`,
                },
              },
            },
            {
              // Alarms publish to the encrypted topic as CloudWatch.
              // https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html
              Sid: "AlarmsOfThisAccount",
              Effect: "Allow",
              Principal: { Service: "cloudwatch.amazonaws.com" },
              Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
              Resource: "*",
              Condition: { StringEquals: { "aws:SourceAccount": s.account } },
            },
          ],
        }),
      },
      child,
    );
    new aws.kms.Alias(`${name}-key`, { name: keyAlias, targetKeyId: key.keyId }, child);

    const table = new aws.dynamodb.Table(
      `${name}-orders`,
      {
        name: tableName,
        billingMode: "PAY_PER_REQUEST",
        hashKey: "id",
        attributes: [{ name: "id", type: "S" }],
        serverSideEncryption: { enabled: true, kmsKeyArn: key.arn },
        pointInTimeRecovery: { enabled: true },
        deletionProtectionEnabled: s.production,
      },
      child,
    );

    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-function-logs`,
      {
        name: logGroupName,
        retentionInDays: s.logRetentionDays,
        kmsKeyId: key.arn,
      },
      child,
    );
    const accessLogs = new aws.cloudwatch.LogGroup(
      `${name}-access-logs`,
      {
        name: `/aws/apigateway/${base}`,
        retentionInDays: s.logRetentionDays,
        kmsKeyId: key.arn,
      },
      child,
    );

    const role = new aws.iam.Role(
      `${name}-function`,
      {
        path: s.iamPath,
        permissionsBoundary: s.permissionsBoundaryArn,
        description: `${base}: the orders function`,
        assumeRolePolicy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Principal: { Service: "lambda.amazonaws.com" },
              Action: "sts:AssumeRole",
              Condition: { StringEquals: { "aws:SourceAccount": s.account } },
            },
          ],
        }),
      },
      child,
    );
    new aws.iam.RolePolicy(
      `${name}-function`,
      {
        role: role.id,
        policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "OrdersTable",
              Effect: "Allow",
              Action: ["dynamodb:GetItem", "dynamodb:PutItem"],
              Resource: arn("dynamodb", `table/${tableName}`),
            },
            {
              // The table's key, named by its alias, only through DynamoDB.
              // https://docs.aws.amazon.com/kms/latest/developerguide/alias-authorization.html
              Sid: "OrdersTableKey",
              Effect: "Allow",
              Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey"],
              Resource: arn("kms", "key/*"),
              Condition: {
                StringEquals: { "kms:ViaService": `dynamodb.${s.region}.amazonaws.com` },
                "ForAnyValue:StringEquals": { "kms:ResourceAliases": keyAlias },
              },
            },
            {
              Sid: "ApiKey",
              Effect: "Allow",
              Action: secretActions(s),
              Resource: secretArn(s),
            },
            {
              Sid: "OwnLogs",
              Effect: "Allow",
              Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
              Resource: arn("logs", `log-group:${logGroupName}:*`),
            },
            {
              // X-Ray's PutTraceSegments and PutTelemetryRecords name no resource.
              // https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsx-ray.html
              Sid: "Traces",
              Effect: "Allow",
              Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
              Resource: "*",
            },
          ],
        }),
      },
      child,
    );

    const fn = new aws.lambda.Function(
      `${name}-function`,
      {
        name: functionName,
        description: `${base}: POST /orders, GET /orders/{id}, GET /health`,
        runtime: aws.lambda.Runtime.NodeJS22dX,
        architectures: ["arm64"],
        handler: "handler.handler",
        code: new pulumi.asset.FileArchive(codeDir),
        role: role.arn,
        memorySize: 256,
        timeout: 10,
        tracingConfig: { mode: "Active" },
        loggingConfig: { logFormat: "JSON", logGroup: logGroup.name },
        environment: {
          variables: {
            TABLE_NAME: table.name,
            // Where the key is, not the key: the function reads it at run time.
            API_KEY_REF: s.apiKeyRef,
            NODE_OPTIONS: "--enable-source-maps",
          },
        },
      },
      { ...child, dependsOn: [logGroup] },
    );

    const api = new aws.apigatewayv2.Api(
      `${name}-api`,
      { name: base, protocolType: "HTTP", description: `${base}: orders` },
      child,
    );
    const integration = new aws.apigatewayv2.Integration(
      `${name}-function`,
      {
        apiId: api.id,
        integrationType: "AWS_PROXY",
        integrationUri: fn.arn,
        integrationMethod: "POST",
        payloadFormatVersion: "2.0",
        timeoutMilliseconds: 12_000,
      },
      child,
    );
    for (const route of ROUTES)
      new aws.apigatewayv2.Route(
        `${name}-${route
          .replace(/[^A-Za-z]+/g, "-")
          .replace(/-$/, "")
          .toLowerCase()}`,
        {
          apiId: api.id,
          routeKey: route,
          target: pulumi.interpolate`integrations/${integration.id}`,
        },
        child,
      );
    const stage = new aws.apigatewayv2.Stage(
      `${name}-default`,
      {
        apiId: api.id,
        name: "$default",
        autoDeploy: true,
        defaultRouteSettings: { throttlingBurstLimit: 50, throttlingRateLimit: 100 },
        accessLogSettings: {
          destinationArn: accessLogs.arn,
          format: JSON.stringify({
            requestId: "$context.requestId",
            routeKey: "$context.routeKey",
            status: "$context.status",
            latency: "$context.responseLatency",
            integrationError: "$context.integrationErrorMessage",
          }),
        },
      },
      child,
    );
    new aws.lambda.Permission(
      `${name}-api`,
      {
        action: "lambda:InvokeFunction",
        function: fn.name,
        principal: "apigateway.amazonaws.com",
        sourceArn: pulumi.interpolate`${api.executionArn}/*/*`,
      },
      child,
    );

    const topic = new aws.sns.Topic(
      `${name}-alarms`,
      { name: `${base}-alarms`, kmsMasterKeyId: key.arn },
      child,
    );
    new aws.sns.TopicSubscription(
      `${name}-alarms-email`,
      { topic: topic.arn, protocol: "email", endpoint: s.alarmEmail },
      child,
    );
    const alarm = (suffix: string, args: aws.cloudwatch.MetricAlarmArgs) =>
      new aws.cloudwatch.MetricAlarm(
        `${name}-${suffix}`,
        {
          name: `${base}-${suffix}`,
          comparisonOperator: "GreaterThanOrEqualToThreshold",
          evaluationPeriods: 1,
          period: 300,
          statistic: "Sum",
          threshold: 1,
          treatMissingData: "notBreaching",
          alarmActions: [topic.arn],
          okActions: [topic.arn],
          ...args,
        },
        child,
      );
    alarm("errors", {
      alarmDescription: `${functionName} failed a request (Errors >= 1 in 5 minutes)`,
      namespace: "AWS/Lambda",
      metricName: "Errors",
      dimensions: { FunctionName: fn.name },
    });
    alarm("api-5xx", {
      alarmDescription: `${base} answered 5xx (>= 5 in 5 minutes)`,
      namespace: "AWS/ApiGateway",
      metricName: "5xx",
      threshold: 5,
      dimensions: { ApiId: api.id, Stage: stage.name },
    });

    this.url = api.apiEndpoint;
    this.tableName = table.name;
    this.functionName = fn.name;
    this.alarmTopicArn = topic.arn;
    this.registerOutputs({
      url: this.url,
      tableName: this.tableName,
      functionName: this.functionName,
      alarmTopicArn: this.alarmTopicArn,
    });
  }
}
