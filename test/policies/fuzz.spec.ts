import * as assert from "node:assert/strict";
import fc from "fast-check";
import { allPolicies, policiesByFamily } from "../../policies/all";
import { unknownCheckingProxy } from "@pulumi/policy";
import { findAdminStatements } from "../../policies/iam/iam-no-admin-statements";
import { findAllowWithNotElements } from "../../policies/iam/iam-no-allow-not-action";
import { findElevatedManagedPolicies } from "../../policies/iam/iam-no-elevated-managed-policies";
import { findOpenTrust } from "../../policies/iam/iam-no-open-trust-policies";
import { findPassRoleWildcards } from "../../policies/iam/iam-no-passrole-wildcard";
import { findEscalationPaths } from "../../policies/iam/iam-no-privilege-escalation";
import {
  findPublicLambdaPermission,
  findPublicStatements,
} from "../../policies/iam/iam-no-public-resource-policies";
import { findServiceWildcards } from "../../policies/iam/iam-no-service-wildcards";
import { findWriteOnAllResources } from "../../policies/iam/iam-no-write-on-all-resources";
import { findInvalidDocuments } from "../../policies/iam/iam-valid-policy-documents";
import { parsePolicyDocument, parseSources } from "../../policies/lib/iam";
import { loadIamCatalogue } from "../../policies/lib/iam-catalogue";
import { loadResourceTypes } from "../../policies/lib/all-resources";
import { loadConditionKeys } from "../../policies/lib/iam-conditions";
import { identityDocumentSources, resourcePolicySources, T } from "../../policies/lib/resources";
import { read } from "../../policies/lib/unknowns";
import { detectSecret } from "../../policies/lib/secrets";
import {
  resource,
  runPolicyOnResources,
  runResourcePolicy,
  runStackPolicy,
  UNKNOWN_ARRAY,
  UNKNOWN_OBJECT,
  UNKNOWN_STRING,
  urnOf,
} from "../helpers/policy";

// Run counts: 2,800 documents + 1,800 resource inputs + 400 stacks (5,000), plus 1,000 strings.
const unknown = fc.constantFrom(UNKNOWN_STRING, UNKNOWN_ARRAY, UNKNOWN_OBJECT);
const actionPart = fc.stringMatching(/^[A-Za-z*?]{0,6}$/);
const action = fc.oneof(
  fc.constantFrom(
    "*",
    "*:*",
    "iam:PassRole",
    "iam:*",
    "s3:Put*",
    "iam:*Policy*",
    "lambda:CreateFunction",
    "ec2:RunInstances",
    "sts:AssumeRole",
  ),
  fc
    .tuple(fc.constantFrom("iam", "s3", "lambda", "ec2", "kms", "nosuch"), actionPart)
    .map(([s, a]) => `${s}:${a}`),
  fc.string({ maxLength: 8 }),
  unknown,
);
const arn = fc.oneof(
  fc.constantFrom(
    "*",
    "arn:aws:*:*:*:*",
    "arn:aws:iam::123456789012:role/*",
    "arn:aws:s3:::b/*",
    "arn:*",
  ),
  fc.string({ maxLength: 12 }),
  unknown,
);
const stringOrList = <T>(a: fc.Arbitrary<T>) =>
  fc.oneof(a, fc.array(a, { maxLength: 4 }), fc.anything());
const principal = fc.oneof(
  fc.constantFrom(
    "*",
    { AWS: "*" },
    { AWS: "123456789012" },
    { AWS: ["arn:aws:iam::123456789012:root"] },
    { Service: "lambda.amazonaws.com" },
    { Federated: "x" },
  ),
  fc.dictionary(
    fc.constantFrom("AWS", "Service", "Federated", "Bogus"),
    stringOrList(fc.string({ maxLength: 6 })),
  ),
  unknown,
);
const condition = fc.oneof(
  fc.constantFrom(
    { StringEquals: { "aws:PrincipalOrgID": "o-1" } },
    { Bool: { "aws:SecureTransport": "false" } },
    { StringEquals: { "iam:PermissionsBoundary": "arn:aws:iam::1:policy/b" } },
    { "ForAllValues:StringLike": { "aws:PrincipalOrgPaths": ["o-*/r-1/*", "x"] } },
    { IpAddress: { "aws:SourceIp": ["10.0.0.0/8", "::1", "300.0.0.0/99", "0.0.0.0/0"] } },
    { DateGreaterThan: { "aws:CurrentTime": ["2026-01-01", "nope", 12] } },
    { NullIfExists: { "aws:SourceArn": true } },
    { "ForAnyValue:ArnLike": { "aws:SourceArn": "arn:aws:s3:::*" } },
  ),
  fc.dictionary(
    fc.oneof(
      fc.string({ maxLength: 6 }),
      fc.constantFrom("StringLike", "ArnNotLikeIfExists", "Bool", "ForAllValues:x", "Null"),
    ),
    fc.oneof(
      fc.dictionary(
        fc.oneof(
          fc.string({ maxLength: 6 }),
          fc.constantFrom("aws:SourceIp", "aws:PrincipalOrgID", "aws:CurrentTime", "s3:x", "a:"),
        ),
        stringOrList(fc.oneof(fc.string(), fc.boolean(), fc.integer())),
      ),
      fc.anything(),
    ),
  ),
  unknown,
);
const statement = fc.oneof(
  fc.record(
    {
      Sid: fc.string({ maxLength: 5 }),
      Effect: fc.oneof(fc.constantFrom("Allow", "Deny"), fc.string({ maxLength: 4 }), unknown),
      Action: stringOrList(action),
      NotAction: stringOrList(action),
      Resource: stringOrList(arn),
      NotResource: stringOrList(arn),
      Principal: principal,
      NotPrincipal: principal,
      Condition: condition,
    },
    { requiredKeys: ["Effect"] },
  ),
  fc.anything(),
  unknown,
);
const document = fc.oneof(
  fc.record(
    {
      Version: fc.constantFrom("2012-10-17", "2008-10-17", "x"),
      Statement: fc.oneof(fc.array(statement, { maxLength: 5 }), statement),
    },
    { requiredKeys: ["Statement"] },
  ),
  fc.anything(),
  unknown,
);
const documentValue = fc.oneof(
  document,
  document.map((d) => JSON.stringify(d) ?? ""),
  fc.string({ maxLength: 20 }),
);

describe("fuzzing: random policy documents", () => {
  it("never make the IAM checks throw, and a document reads the same as an object or JSON", async () => {
    const catalogue = await loadIamCatalogue();
    const resourceTypes = await loadResourceTypes();
    const keys = await loadConditionKeys();
    await fc.assert(
      fc.property(
        documentValue,
        documentValue,
        fc.array(fc.oneof(fc.string(), unknown), { maxLength: 3 }),
        (a, b, arns) => {
          // Props behind the preview proxy, as the engine passes them.
          const role = unknownCheckingProxy({
            assumeRolePolicy: a,
            inlinePolicies: [
              { name: "x", policy: b },
              { name: "y", policy: a },
            ],
            managedPolicyArns: arns,
          });
          const docs = parseSources(identityDocumentSources(T.role, role));
          findAdminStatements(docs);
          findServiceWildcards(docs, [], resourceTypes);
          findWriteOnAllResources(docs, catalogue, [], resourceTypes);
          findPassRoleWildcards(docs, resourceTypes);
          findAllowWithNotElements(docs);
          findEscalationPaths(docs.flatMap((d) => d.statements));
          findOpenTrust(parsePolicyDocument(read(role, "assumeRolePolicy")));
          findInvalidDocuments(T.role, role, keys);
          findElevatedManagedPolicies(T.role, role);
          const bucketPolicy = unknownCheckingProxy({ bucket: "b", policy: b });
          findPublicStatements(parseSources(resourcePolicySources(T.bucketPolicy, bucketPolicy)));
          findInvalidDocuments(T.bucketPolicy, bucketPolicy, keys);
          findPublicLambdaPermission(unknownCheckingProxy({ principal: a, function: "f" }));
          if (typeof a === "object" && a !== null && !Array.isArray(a)) {
            const text = JSON.stringify(a);
            if (text !== undefined && !text.includes(UNKNOWN_STRING.slice(0, 8))) {
              assert.deepEqual(
                findAdminStatements([parsePolicyDocument(text)]),
                findAdminStatements([parsePolicyDocument(a)]),
              );
            }
          }
        },
      ),
      { numRuns: 2500 },
    );
  });

  it("never make an IAM policy throw through the pack's wrapper", async () => {
    await fc.assert(
      fc.asyncProperty(documentValue, documentValue, async (a, b) => {
        const resources = [
          resource(T.role, "role", {
            assumeRolePolicy: a,
            inlinePolicies: [{ name: "x", policy: b }],
          }),
          resource(T.bucketPolicy, "bp", { bucket: "b", policy: b }),
        ];
        for (const policy of policiesByFamily.iam) await runPolicyOnResources(policy, resources);
      }),
      { numRuns: 300 },
    );
  });
});

const anyValue = fc.oneof(
  { depthSize: "small" },
  fc.anything({ maxDepth: 3 }),
  unknown,
  fc.string({ maxLength: 50 }),
);
const types = fc.constantFrom(...Object.values(T));

describe("fuzzing: random resource inputs", () => {
  it("never make a resource policy throw", async () => {
    const resourcePolicies = allPolicies.filter((p) => "validateResource" in p);
    const props = fc.record(
      {
        environment: fc.oneof(
          fc.record({
            variables: fc.dictionary(fc.string({ maxLength: 8 }), anyValue),
            environmentVariables: fc.array(
              fc.record({
                name: anyValue,
                value: anyValue,
                type: fc.oneof(fc.constantFrom("PLAINTEXT", "SECRETS_MANAGER"), anyValue),
              }),
              { maxLength: 3 },
            ),
            privilegedMode: anyValue,
          }),
          anyValue,
        ),
        stages: fc.oneof(
          fc.array(
            fc.record({
              name: anyValue,
              actions: fc.array(
                fc.record({
                  name: anyValue,
                  configuration: fc.dictionary(
                    fc.constantFrom("EnvironmentVariables", "OAuthToken", "ProjectName"),
                    anyValue,
                  ),
                }),
                { maxLength: 2 },
              ),
            }),
            { maxLength: 2 },
          ),
          anyValue,
        ),
        containerDefinitions: fc.oneof(anyValue, fc.json()),
        userData: anyValue,
        userDataBase64: anyValue,
        value: anyValue,
        type: fc.oneof(fc.constantFrom("String", "StringList"), anyValue),
        artifactStores: anyValue,
        enableKeyRotation: anyValue,
        tags: anyValue,
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(types, props, async (type, p) => {
        for (const policy of resourcePolicies)
          await runResourcePolicy(policy, resource(type, "r", p as Record<string, unknown>));
      }),
      { numRuns: 1800 },
    );
  });
});

describe("fuzzing: random stacks", () => {
  it("never make a stack policy throw, whatever the links", async () => {
    const stackPolicies = allPolicies.filter((p) => "validateStack" in p);
    const names = ["a", "b", "c", "d"];
    const fake = fc.record({
      type: types,
      name: fc.constantFrom(...names),
      props: fc.dictionary(
        fc.constantFrom(
          "name",
          "arn",
          "bucket",
          "resource",
          "dimensions",
          "alarmActions",
          "eventTypeIds",
          "topic",
          "rule",
          "eventPattern",
          "policy",
          "metricQueries",
          "namespace",
          "metricName",
          "actionsEnabled",
        ),
        anyValue,
      ),
      deps: fc.array(fc.tuple(types, fc.constantFrom(...names)), { maxLength: 3 }),
      prop: fc.constantFrom("resource", "dimensions", "bucket", "topic", "rule"),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(fake, { maxLength: 8 }), async (fakes) => {
        const resources = fakes.map((f, i) => {
          const urns = f.deps.map(([t, n]) => urnOf(t, n));
          return {
            ...resource(f.type, `${f.name}${i}`, f.props),
            urn: urnOf(f.type, f.name),
            dependencies: urns,
            propertyDependencies: { [f.prop]: urns },
          };
        });
        for (const policy of stackPolicies) await runStackPolicy(policy, resources);
      }),
      { numRuns: 400 },
    );
  });
});

describe("fuzzing: secret detection", () => {
  it("never throws and never reports a reference", () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 80 }),
        fc.option(fc.string({ maxLength: 12 })),
        (value, key) => {
          detectSecret(value, key ?? undefined);
          assert.equal(
            detectSecret(
              `{{resolve:secretsmanager:${value.replace(/[{}]/g, "")}}}`,
              key ?? undefined,
            )?.kind === "secret-like-value",
            false,
          );
        },
      ),
      { numRuns: 1000 },
    );
  });
});
