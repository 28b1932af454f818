import * as assert from "node:assert/strict";
import { alarmsActionsEnabled } from "../../policies/alarms/alarms-actions-enabled";
import { alarmsCodeBuildFailedBuilds } from "../../policies/alarms/alarms-codebuild-failed-builds";
import { alarmsLambdaErrors } from "../../policies/alarms/alarms-lambda-errors";
import { alarmsPipelineFailureNotifications } from "../../policies/alarms/alarms-pipeline-failure-notifications";
import { alarmsTopicSubscriptions } from "../../policies/alarms/alarms-topic-subscriptions";
import { policiesByFamily } from "../../policies/all";
import { T } from "../../policies/lib/resources";
import { expected, resource, runStackPolicy, urnOf, type FakeResource } from "../helpers/policy";
import { compliantStack, named, without } from "./fixtures/stack";

const violations = async (
  policy: Parameters<typeof runStackPolicy>[0],
  resources: FakeResource[],
) => (await runStackPolicy(policy, resources)).violations;

describe("alarm coverage of a compliant stack", () => {
  for (const policy of policiesByFamily.alarms) {
    it(`passes ${policy.name}`, async () => {
      assert.deepEqual(await violations(policy, compliantStack()), []);
    });
  }
});

describe("pipeline failure notifications", () => {
  const missing = (name: string) => [
    {
      message: expected(
        alarmsPipelineFailureNotifications,
        `Pipeline "${name}" has no failure notification: no enabled notification rule on it with codepipeline-pipeline-pipeline-execution-failed, and no EventBridge rule on it with a target.`,
      ),
      urn: urnOf(T.pipeline, name),
    },
  ];

  it("flags a pipeline without a notification rule", async () => {
    assert.deepEqual(
      await violations(alarmsPipelineFailureNotifications, without(compliantStack(), "app-failed")),
      missing("app"),
    );
  });

  it("flags a rule without the failed event or a disabled rule", async () => {
    const stack = compliantStack();
    named(stack, "app-failed").props.eventTypeIds = [
      "codepipeline-pipeline-pipeline-execution-succeeded",
    ];
    assert.deepEqual(await violations(alarmsPipelineFailureNotifications, stack), missing("app"));
    const disabled = compliantStack();
    named(disabled, "app-failed").props.status = "DISABLED";
    assert.deepEqual(
      await violations(alarmsPipelineFailureNotifications, disabled),
      missing("app"),
    );
  });

  it("does not accept a rule that depends on the pipeline only through another property", async () => {
    const stack = compliantStack();
    const rule = named(stack, "app-failed");
    stack[stack.indexOf(rule)] = {
      ...rule,
      propertyDependencies: { targets: [urnOf(T.pipeline, "app")] },
    };
    assert.deepEqual(await violations(alarmsPipelineFailureNotifications, stack), missing("app"));
  });

  it("accepts an EventBridge rule on the pipeline with a target", async () => {
    const stack = without(compliantStack(), "app-failed");
    stack.push(
      resource(
        T.eventRule,
        "app-failed-rule",
        { eventPattern: UNKNOWN },
        {
          dependencies: [urnOf(T.pipeline, "app")],
          propertyDependencies: { eventPattern: [urnOf(T.pipeline, "app")] },
        },
      ),
      resource(
        T.eventTarget,
        "app-failed-target",
        { rule: UNKNOWN, arn: UNKNOWN },
        {
          dependencies: [urnOf(T.eventRule, "app-failed-rule")],
          propertyDependencies: { rule: [urnOf(T.eventRule, "app-failed-rule")] },
        },
      ),
    );
    assert.deepEqual(await violations(alarmsPipelineFailureNotifications, stack), []);
    assert.deepEqual(
      await violations(alarmsPipelineFailureNotifications, without(stack, "app-failed-target")),
      missing("app"),
    );
  });

  it("matches on known names and ARNs when no dependencies are recorded", async () => {
    const arn = "arn:aws:codepipeline:eu-west-1:123456789012:app";
    const stack = [
      resource(T.pipeline, "app", { name: "app", arn }),
      resource(T.notificationRule, "rule", {
        resource: arn,
        eventTypeIds: ["codepipeline-pipeline-pipeline-execution-failed"],
      }),
      resource(T.pipeline, "other", { name: "other", arn: `${arn}-other` }),
    ];
    assert.deepEqual(await violations(alarmsPipelineFailureNotifications, stack), missing("other"));
  });
});

const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

describe("failed-build and error alarms", () => {
  it("flags a CodeBuild project without a FailedBuilds alarm", async () => {
    assert.deepEqual(
      await violations(alarmsCodeBuildFailedBuilds, without(compliantStack(), "app-build-failed")),
      [
        {
          message: expected(
            alarmsCodeBuildFailedBuilds,
            'CodeBuild project "app-build" has no CloudWatch alarm on AWS/CodeBuild FailedBuilds with dimension ProjectName set to the project.',
          ),
          urn: urnOf(T.codebuildProject, "app-build"),
        },
      ],
    );
  });

  it("does not count an alarm on another metric", async () => {
    const stack = compliantStack();
    named(stack, "app-build-failed").props.metricName = "SucceededBuilds";
    assert.equal((await violations(alarmsCodeBuildFailedBuilds, stack)).length, 1);
  });

  it("flags a Lambda function without an Errors alarm, and accepts a metric-math alarm", async () => {
    const stack = compliantStack();
    named(stack, "notifier-errors").props.metricName = "Throttles";
    assert.deepEqual(await violations(alarmsLambdaErrors, stack), [
      {
        message: expected(
          alarmsLambdaErrors,
          'Lambda function "notifier" has no CloudWatch alarm on AWS/Lambda Errors with dimension FunctionName set to the function.',
        ),
        urn: urnOf(T.lambdaFunction, "notifier"),
      },
    ]);
    const math = without(compliantStack(), "notifier-errors");
    math.push(
      resource(
        T.metricAlarm,
        "notifier-error-rate",
        {
          alarmActions: [UNKNOWN],
          metricQueries: [
            {
              id: "e",
              metric: {
                namespace: "AWS/Lambda",
                metricName: "Errors",
                dimensions: { FunctionName: UNKNOWN },
                stat: "Sum",
                period: 60,
              },
            },
          ],
        },
        { propertyDependencies: { metricQueries: [urnOf(T.lambdaFunction, "notifier")] } },
      ),
    );
    assert.deepEqual(await violations(alarmsLambdaErrors, math), []);
  });
});

describe("alarm actions", () => {
  it("flags disabled actions and empty alarmActions on metric and composite alarms", async () => {
    const stack = compliantStack();
    named(stack, "app-build-failed").props.actionsEnabled = false;
    delete named(stack, "notifier-errors").props.alarmActions;
    stack.push(
      resource(T.compositeAlarm, "health", {
        alarmName: "health",
        alarmRule: "ALARM(x)",
        alarmActions: [],
      }),
    );
    assert.deepEqual(
      (await violations(alarmsActionsEnabled, stack)).map((v) => v.message),
      [
        expected(
          alarmsActionsEnabled,
          'Metric alarm "app-build-failed" has actionsEnabled set to false.',
        ),
        expected(alarmsActionsEnabled, 'Metric alarm "notifier-errors" has no alarmActions.'),
        expected(alarmsActionsEnabled, 'Composite alarm "health" has no alarmActions.'),
      ],
    );
  });

  it("exempts an alarm that names a reason", async () => {
    const stack = compliantStack();
    named(stack, "app-build-failed").props.actionsEnabled = false;
    const run = await runStackPolicy(alarmsActionsEnabled, stack, {
      exemptions: [{ resource: "app-build-failed", reason: "gates the prod stage only" }],
    });
    assert.deepEqual(run.violations, []);
  });

  it("flags a topic that receives alarms but has no subscription", async () => {
    assert.deepEqual(
      await violations(alarmsTopicSubscriptions, without(compliantStack(), "notifications-email")),
      [
        {
          message: expected(
            alarmsTopicSubscriptions,
            'SNS topic "notifications" receives alarm actions but has no subscription.',
          ),
          urn: urnOf(T.snsTopic, "notifications"),
        },
      ],
    );
    const quiet = without(
      compliantStack(),
      "notifications-email",
      "app-build-failed",
      "notifier-errors",
    );
    assert.deepEqual(await violations(alarmsTopicSubscriptions, quiet), []);
  });
});
