// The delivery metrics function of the tools account: an EventBridge rule sends the platform
// pipelines' execution, stage and action events to a Lambda function
// (functions/delivery-metrics/handler.ts) that reads the execution from CodePipeline and puts
// the metrics of model/delivery-metrics.ts. With its role (model/iam/tools/delivery-metrics.ts),
// its log group, a dead-letter queue for the events Lambda gave up on, and an Errors alarm.
//
// The code is packaged at program time: the handler and the model files it imports are
// transpiled with TypeScript's transpileModule into one archive, so no build step is needed. The
// Node.js 20 runtime provides the AWS SDK v3 the handler imports
// (https://docs.aws.amazon.com/lambda/latest/dg/lambda-nodejs.html).
import * as fs from "fs";
import * as path from "path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as ts from "typescript";
import { DELIVERY_EVENT_TYPES, deliveryNamespace } from "../../model/delivery-metrics";
import { deliveryMetricsPolicy, doc, ToolsScope } from "../../model/iam/tools";
import { toolsNames } from "../../model/naming";
import { REPO_ROOT } from "../../model/paths";
import { DutyRole } from "./duty-role";
import { anyOccurrenceAlarm } from "./pipeline-monitoring";

/**
 * The repository root, where the handler and the model live (found from package.json, so the
 * compiled copy in dist/ that the plan CLI runs reads the same TypeScript sources).
 */
const ROOT = REPO_ROOT;
/** The handler, from the repository root. */
export const HANDLER_SOURCE = "functions/delivery-metrics/handler.ts";

/**
 * The handler and every repository file it imports (relative imports, followed), transpiled to
 * CommonJS, keyed by their path in the archive (`.ts` → `.js`), plus `index.js` re-exporting the
 * handler. Package imports are left to the runtime; `packageImports` lists them.
 */
export function handlerFiles(entry = HANDLER_SOURCE): {
  files: Record<string, string>;
  packageImports: string[];
} {
  const files: Record<string, string> = {};
  const packages = new Set<string>();
  const visit = (file: string) => {
    const out = file.replace(/\.ts$/, ".js");
    if (files[out] !== undefined) return;
    const source = fs.readFileSync(path.join(ROOT, file), "utf8");
    files[out] = ts.transpileModule(source, {
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        esModuleInterop: true,
      },
      fileName: file,
    }).outputText;
    for (const { fileName } of ts.preProcessFile(source, true, true).importedFiles) {
      if (!fileName.startsWith(".")) {
        packages.add(fileName);
        continue;
      }
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), fileName));
      visit(fs.existsSync(path.join(ROOT, `${target}.ts`)) ? `${target}.ts` : `${target}/index.ts`);
    }
  };
  visit(entry);
  files["index.js"] =
    `"use strict";\nmodule.exports = require("./${entry.replace(/\.ts$/, ".js")}");\n`;
  return { files, packageImports: [...packages].sort() };
}

export interface DeliveryMetricsArgs {
  readonly scope: ToolsScope;
  /** The tools account's home region (the pipelines' region). */
  readonly region: string;
  /** Environments that are production (time to restore is measured for them). */
  readonly productionEnvironments: readonly string[];
  /** Days the function keeps its logs. */
  readonly logRetentionDays: number;
  /** Topic the Errors alarm notifies. */
  readonly topicArn: pulumi.Input<string>;
}

/** The delivery metrics function, its rule, role, logs, dead letters and Errors alarm. */
export class DeliveryMetrics extends pulumi.ComponentResource {
  /** The namespace the function puts metrics in. */
  readonly namespace: string;
  readonly functionName: pulumi.Output<string>;
  readonly ruleArn: pulumi.Output<string>;

  constructor(name: string, args: DeliveryMetricsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:tools:DeliveryMetrics", name, {}, opts);
    const { scope, region } = args;
    const tn = toolsNames(scope.prefix, scope.toolsAccount);
    const child = { parent: this };
    this.namespace = deliveryNamespace(scope.prefix);
    const logGroupName = `/aws/lambda/${tn.deliveryMetricsFunction}`;
    // Like the CodeBuild logs of the platform, encrypted with CloudWatch Logs' own key.
    const logs = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      { name: logGroupName, retentionInDays: args.logRetentionDays },
      child,
    );
    const deadLetters = new aws.sqs.Queue(
      `${name}-dlq`,
      {
        name: tn.deliveryMetricsDeadLetters,
        sqsManagedSseEnabled: true,
        messageRetentionSeconds: 14 * 86_400,
      },
      child,
    );
    const role = new DutyRole(
      `${name}-role`,
      {
        roleName: tn.deliveryMetricsRole,
        description: `Reads the ${scope.prefix} pipelines' executions and puts ${this.namespace} metrics`,
        // The execution role trust Lambda documents
        // (https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html).
        trust: doc({
          Effect: "Allow",
          Principal: { Service: "lambda.amazonaws.com" },
          Action: "sts:AssumeRole",
        }),
        policy: deadLetters.arn.apply((deadLetterQueueArn) =>
          deliveryMetricsPolicy(scope, {
            region,
            namespace: this.namespace,
            logGroup: logGroupName,
            deadLetterQueueArn,
          }),
        ),
      },
      child,
    );
    const { files } = handlerFiles();
    const fn = new aws.lambda.Function(
      name,
      {
        name: tn.deliveryMetricsFunction,
        description: "Turns the platform pipelines' events into delivery (DORA) metrics",
        runtime: "nodejs20.x",
        handler: "index.handler",
        role: role.arn,
        code: new pulumi.asset.AssetArchive(
          Object.fromEntries(
            Object.entries(files).map(([k, v]) => [k, new pulumi.asset.StringAsset(v)]),
          ),
        ),
        timeout: 60,
        memorySize: 256,
        tracingConfig: { mode: "Active" },
        deadLetterConfig: { targetArn: deadLetters.arn },
        loggingConfig: { logFormat: "Text", logGroup: logs.name },
        environment: {
          variables: {
            PLATFORM_PREFIX: scope.prefix,
            PRODUCTION_ENVIRONMENTS: args.productionEnvironments.join(","),
          },
        },
      },
      { parent: this, dependsOn: [role.policy, logs] },
    );
    const rule = new aws.cloudwatch.EventRule(
      `${name}-rule`,
      {
        name: tn.deliveryMetricsRule,
        description: `Execution, stage and action events of the ${scope.prefix} pipelines`,
        eventPattern: JSON.stringify(deliveryEventPattern(scope.prefix)),
      },
      child,
    );
    new aws.lambda.Permission(
      `${name}-invoke`,
      {
        function: fn.name,
        action: "lambda:InvokeFunction",
        principal: "events.amazonaws.com",
        sourceArn: rule.arn,
        sourceAccount: scope.toolsAccount,
      },
      child,
    );
    new aws.cloudwatch.EventTarget(
      `${name}-target`,
      {
        rule: rule.name,
        arn: fn.arn,
        targetId: "delivery-metrics",
        // EventBridge retries delivery for a day; Lambda then retries the invocation twice and
        // sends what still fails to the dead-letter queue.
        retryPolicy: { maximumEventAgeInSeconds: 86_400, maximumRetryAttempts: 185 },
      },
      child,
    );
    new aws.cloudwatch.MetricAlarm(
      `${name}-errors`,
      {
        name: tn.deliveryMetricsErrorsAlarm,
        alarmDescription: "The delivery metrics function failed: some delivery metrics are missing",
        namespace: "AWS/Lambda",
        metricName: "Errors",
        dimensions: { FunctionName: fn.name },
        ...anyOccurrenceAlarm([args.topicArn]),
      },
      child,
    );
    this.functionName = fn.name;
    this.ruleArn = rule.arn;
    this.registerOutputs({ functionName: this.functionName, ruleArn: this.ruleArn });
  }
}

/** The rule's pattern: the three CodePipeline event types, of the platform's pipelines only. */
export function deliveryEventPattern(prefix: string) {
  return {
    source: ["aws.codepipeline"],
    "detail-type": [...DELIVERY_EVENT_TYPES],
    detail: { pipeline: [{ prefix: `${prefix}-` }] },
  };
}
