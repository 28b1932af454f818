import * as assert from "node:assert/strict";
import { policiesByFamily } from "../../policies/all";
import type { Family } from "../../policies/lib/policy";
import { T } from "../../policies/lib/resources";
import {
  resource,
  runPolicyOnResources,
  UNKNOWN_STRING,
  urnOf,
  type FakeResource,
} from "../helpers/policy";
import { doc } from "./fixtures/iam";
import { samples } from "./fixtures/secrets";
import { compliantStack, without } from "./fixtures/stack";

/** A platform with one mistake of each kind, as plain resources with URNs and dependencies. */
function badPlatform(): FakeResource[] {
  return [
    ...without(
      compliantStack(),
      "app-failed",
      "app-build-failed",
      "notifier-errors",
      "notifications-email",
      "artifacts-pab",
    ),
    resource(T.role, "deploy", {
      assumeRolePolicy: JSON.stringify(
        doc({ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" }),
      ),
      inlinePolicies: [
        {
          name: "all",
          policy: JSON.stringify(doc({ Effect: "Allow", Action: "*", Resource: "*" })),
        },
      ],
      managedPolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"],
    }),
    resource(T.rolePolicy, "escalate", {
      role: "deploy",
      policy: doc({ Effect: "Allow", Action: ["iam:PassRole", "ec2:RunInstances"], Resource: "*" }),
    }),
    resource(T.codebuildProject, "leaky", {
      name: "leaky",
      environment: {
        privilegedMode: true,
        environmentVariables: [{ name: "GITHUB_TOKEN", value: samples.githubToken }],
      },
    }),
    resource(
      T.metricAlarm,
      "silent",
      {
        namespace: "AWS/Billing",
        metricName: "EstimatedCharges",
        actionsEnabled: false,
        alarmActions: [UNKNOWN_STRING],
      },
      { propertyDependencies: { alarmActions: [urnOf(T.snsTopic, "notifications")] } },
    ),
    resource(T.kmsKey, "unrotated", { enableKeyRotation: false }),
  ];
}

describe("a deliberately bad platform", () => {
  const families = Object.keys(policiesByFamily) as Family[];
  for (const family of families) {
    it(`fails the ${family} family with a mandatory violation`, async () => {
      const failing: string[] = [];
      for (const policy of policiesByFamily[family]) {
        const run = await runPolicyOnResources(policy, badPlatform());
        if (run.violations.length > 0 && policy.enforcementLevel === "mandatory")
          failing.push(policy.name);
      }
      const expectations: Record<Family, string[]> = {
        iam: [
          "iam-no-admin-statements",
          "iam-no-write-on-all-resources",
          "iam-no-passrole-wildcard",
          "iam-no-privilege-escalation",
          "iam-no-elevated-managed-policies",
          "iam-no-open-trust-policies",
        ],
        secrets: ["secrets-no-known-tokens", "secrets-no-plaintext-codebuild-variables"],
        alarms: [
          "alarms-pipeline-failure-notifications",
          "alarms-codebuild-failed-builds",
          "alarms-lambda-errors",
          "alarms-actions-enabled",
          "alarms-topic-subscriptions",
        ],
        baseline: ["baseline-s3-public-access-block", "baseline-codebuild-privileged-mode"],
      };
      assert.deepEqual(failing, expectations[family]);
    });
  }
});
