import * as assert from "node:assert/strict";
import { baselineCodeBuildPrivilegedMode } from "../../policies/baseline/baseline-codebuild-privileged-mode";
import { baselineKmsKeyRotation } from "../../policies/baseline/baseline-kms-key-rotation";
import { baselinePipelineArtifactEncryption } from "../../policies/baseline/baseline-pipeline-artifact-encryption";
import { baselineS3BucketEncryption } from "../../policies/baseline/baseline-s3-bucket-encryption";
import { baselineS3PublicAccessBlock } from "../../policies/baseline/baseline-s3-public-access-block";
import { baselineS3TlsOnly } from "../../policies/baseline/baseline-s3-tls-only";
import { policiesByFamily } from "../../policies/all";
import { T } from "../../policies/lib/resources";
import {
  expected,
  messages,
  runPolicyOnResources,
  runResourcePolicy,
  runStackPolicy,
  urnOf,
} from "../helpers/policy";
import { compliantStack, named, without } from "./fixtures/stack";

const stackMessages = async (
  policy: Parameters<typeof runStackPolicy>[0],
  stack: ReturnType<typeof compliantStack>,
) => messages(await runStackPolicy(policy, stack));

describe("baseline of a compliant stack", () => {
  for (const policy of policiesByFamily.baseline) {
    it(`passes ${policy.name}`, async () => {
      assert.deepEqual(messages(await runPolicyOnResources(policy, compliantStack())), []);
    });
  }
});

describe("artifact buckets", () => {
  it("flags a bucket without encryption configuration", async () => {
    assert.deepEqual(
      await stackMessages(baselineS3BucketEncryption, without(compliantStack(), "artifacts-sse")),
      [
        expected(
          baselineS3BucketEncryption,
          'S3 bucket "artifacts" has no server-side encryption configuration (no aws.s3.BucketServerSideEncryptionConfiguration for it).',
        ),
      ],
    );
  });

  it("flags a missing or partial public access block", async () => {
    assert.deepEqual(
      await stackMessages(baselineS3PublicAccessBlock, without(compliantStack(), "artifacts-pab")),
      [expected(baselineS3PublicAccessBlock, 'S3 bucket "artifacts" has no public access block.')],
    );
    const partial = compliantStack();
    named(partial, "artifacts-pab").props.restrictPublicBuckets = false;
    assert.deepEqual(await stackMessages(baselineS3PublicAccessBlock, partial), [
      expected(
        baselineS3PublicAccessBlock,
        'S3 bucket "artifacts" has a public access block without restrictPublicBuckets set to true.',
      ),
    ]);
  });

  it("flags a bucket policy that does not deny insecure transport", async () => {
    const message = expected(
      baselineS3TlsOnly,
      'S3 bucket "artifacts" has no bucket policy that denies requests without TLS (Deny with Bool aws:SecureTransport "false").',
    );
    assert.deepEqual(
      await stackMessages(baselineS3TlsOnly, without(compliantStack(), "artifacts-tls")),
      [message],
    );
    const allowOnly = compliantStack();
    named(allowOnly, "artifacts-tls").props.policy = JSON.stringify({
      Version: "2012-10-17",
      Statement: {
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: "*",
        Condition: { Bool: { "aws:SecureTransport": "true" } },
      },
    });
    assert.deepEqual(await stackMessages(baselineS3TlsOnly, allowOnly), [message]);
  });

  it("links a bucket policy to its bucket by name when dependencies are absent", async () => {
    const stack = compliantStack();
    const bucket = named(stack, "artifacts");
    bucket.props.bucket = "platform-artifacts";
    const policy = named(stack, "artifacts-tls");
    stack[stack.indexOf(policy)] = {
      ...policy,
      dependencies: [],
      propertyDependencies: {},
      props: { ...policy.props, bucket: "platform-artifacts" },
    };
    assert.deepEqual(await stackMessages(baselineS3TlsOnly, stack), []);
  });
});

describe("keys, builds and pipelines", () => {
  it("flags a KMS key without rotation but not an asymmetric key", async () => {
    const run = await runResourcePolicy(baselineKmsKeyRotation, {
      type: T.kmsKey,
      name: "k",
      props: { description: "artifacts" },
    });
    assert.deepEqual(messages(run), [
      expected(baselineKmsKeyRotation, "KMS key has enableKeyRotation unset."),
    ]);
    const signing = await runResourcePolicy(baselineKmsKeyRotation, {
      type: T.kmsKey,
      name: "k",
      props: { customerMasterKeySpec: "RSA_2048", keyUsage: "SIGN_VERIFY" },
    });
    assert.deepEqual(messages(signing), []);
  });

  it("flags privileged mode unless the project opted in with a reason", async () => {
    const project = named(compliantStack(), "app-build");
    (project.props.environment as Record<string, unknown>).privilegedMode = true;
    assert.deepEqual(messages(await runResourcePolicy(baselineCodeBuildPrivilegedMode, project)), [
      expected(
        baselineCodeBuildPrivilegedMode,
        'CodeBuild project "app-build" runs in privileged mode without an opt-in in allowedProjects.',
      ),
    ]);
    const optedIn = await runResourcePolicy(baselineCodeBuildPrivilegedMode, project, {
      allowedProjects: [
        { project: "app-build", reason: "builds the application's container image" },
      ],
    });
    assert.deepEqual(messages(optedIn), []);
  });

  it("flags an artifact store without a customer key", async () => {
    const pipeline = named(compliantStack(), "app");
    pipeline.props.artifactStores = [{ location: "bucket", type: "S3", region: "eu-west-1" }];
    const run = await runResourcePolicy(baselinePipelineArtifactEncryption, pipeline);
    assert.deepEqual(run.violations, [
      {
        message: expected(
          baselinePipelineArtifactEncryption,
          "artifactStores[0] (eu-west-1) has no encryptionKey with a customer-managed KMS key id.",
        ),
      },
    ]);
    assert.equal(urnOf(T.pipeline, "app"), pipeline.urn);
  });
});
