import * as assert from "node:assert/strict";
import { allPolicies } from "../../policies/all";
import { iamNoAdminStatements } from "../../policies/iam/iam-no-admin-statements";
import { iamNoOpenTrustPolicies } from "../../policies/iam/iam-no-open-trust-policies";
import { iamNoPrivilegeEscalation } from "../../policies/iam/iam-no-privilege-escalation";
import { iamValidPolicyDocuments } from "../../policies/iam/iam-valid-policy-documents";
import { secretsNoPlaintextCodeBuildVariables } from "../../policies/secrets/secrets-no-plaintext-codebuild-variables";
import { T } from "../../policies/lib/resources";
import { read, UNKNOWN } from "../../policies/lib/unknowns";
import { unknownCheckingProxy } from "@pulumi/policy";
import {
  expected,
  messages,
  resource,
  runPolicyOnResources,
  runResourcePolicy,
  UNKNOWN_ARRAY,
  UNKNOWN_BOOLEAN,
  UNKNOWN_OBJECT,
  UNKNOWN_STRING,
} from "../helpers/policy";
import { doc, rolePolicyWith } from "./fixtures/iam";
import { samples } from "./fixtures/secrets";

describe("preview unknowns", () => {
  it("reads unknown values as UNKNOWN instead of throwing", () => {
    const props = unknownCheckingProxy({ a: { b: UNKNOWN_STRING }, c: [UNKNOWN_STRING, "x"] });
    assert.throws(() => props.a.b);
    assert.equal(read(props, "a", "b"), UNKNOWN);
    assert.equal(read(props, "c", 1), "x");
  });

  it("still flags a role whose trust policy is unknown but whose inline policy grants *:*", async () => {
    const role = resource(T.role, "r", {
      assumeRolePolicy: UNKNOWN_STRING,
      inlinePolicies: [
        {
          name: "all",
          policy: JSON.stringify(doc({ Effect: "Allow", Action: "*:*", Resource: "*" })),
        },
        { name: "later", policy: UNKNOWN_STRING },
      ],
    });
    assert.deepEqual(messages(await runResourcePolicy(iamNoAdminStatements, role)), [
      expected(
        iamNoAdminStatements,
        'inlinePolicies[0] ("all") statement 0 allows every action ("*:*") on every resource.',
      ),
    ]);
    assert.deepEqual(messages(await runResourcePolicy(iamNoOpenTrustPolicies, role)), []);
    assert.deepEqual(messages(await runResourcePolicy(iamValidPolicyDocuments, role)), []);
  });

  it("flags what the known elements prove and nothing the unknown ones might", async () => {
    const proven = rolePolicyWith({
      Effect: "Allow",
      Action: ["*", UNKNOWN_STRING],
      Resource: [UNKNOWN_STRING, "*"],
    });
    assert.equal((await runResourcePolicy(iamNoAdminStatements, proven)).violations.length, 1);
    const unproven = rolePolicyWith({ Effect: "Allow", Action: [UNKNOWN_STRING], Resource: "*" });
    assert.deepEqual(messages(await runResourcePolicy(iamNoAdminStatements, unproven)), []);
    const unknownEffect = rolePolicyWith({ Effect: UNKNOWN_STRING, Action: "*", Resource: "*" });
    assert.deepEqual(messages(await runResourcePolicy(iamNoAdminStatements, unknownEffect)), []);
  });

  it("treats an unknown Condition as constraining only a resource-scoped statement", async () => {
    const scoped = rolePolicyWith({
      Effect: "Allow",
      Action: "iam:PutRolePolicy",
      Resource: "arn:aws:iam::1:role/app-*",
      Condition: UNKNOWN_OBJECT,
    });
    assert.deepEqual(messages(await runResourcePolicy(iamNoPrivilegeEscalation, scoped)), []);
    const everywhere = rolePolicyWith({
      Effect: "Allow",
      Action: "iam:PutRolePolicy",
      Resource: "*",
      Condition: UNKNOWN_OBJECT,
    });
    assert.equal(
      (await runResourcePolicy(iamNoPrivilegeEscalation, everywhere)).violations.length,
      1,
    );
  });

  it("keeps judging the known variables of a build project", async () => {
    const project = resource(T.codebuildProject, "p", {
      name: UNKNOWN_STRING,
      environment: {
        privilegedMode: UNKNOWN_BOOLEAN,
        environmentVariables: [
          { name: "A", value: UNKNOWN_STRING },
          { name: "GH", value: samples.githubToken, type: UNKNOWN_STRING },
        ],
      },
    });
    assert.deepEqual(
      messages(await runResourcePolicy(secretsNoPlaintextCodeBuildVariables, project)),
      [
        expected(
          secretsNoPlaintextCodeBuildVariables,
          "environment.environmentVariables[1] (GH) holds a GitHub token.",
        ),
      ],
    );
  });

  it("never throws when every property of every resource type is unknown", async () => {
    const sentinels = [UNKNOWN_STRING, UNKNOWN_ARRAY, UNKNOWN_OBJECT, UNKNOWN_BOOLEAN];
    const properties = [
      "policy",
      "assumeRolePolicy",
      "inlinePolicies",
      "managedPolicyArns",
      "policyArn",
      "environment",
      "stages",
      "artifactStores",
      "containerDefinitions",
      "userData",
      "value",
      "type",
      "name",
      "principal",
      "dimensions",
      "alarmActions",
      "actionsEnabled",
      "eventTypeIds",
      "resource",
      "bucket",
      "topic",
      "metricQueries",
      "enableKeyRotation",
      "namespace",
      "metricName",
      "tracingConfig",
      "xrayTracingEnabled",
    ];
    const resources = Object.values(T).flatMap((type, i) =>
      sentinels.map((s, j) =>
        resource(type, `r${i}-${j}`, Object.fromEntries(properties.map((p) => [p, s])), {
          dependencies: [],
          propertyDependencies: { policy: [] },
        }),
      ),
    );
    for (const policy of allPolicies) {
      const run = await runPolicyOnResources(policy, resources);
      // Resource policies have nothing known to judge; stack policies may still report missing links.
      if ("validateResource" in policy) assert.deepEqual(messages(run), [], policy.name);
    }
  });
});
