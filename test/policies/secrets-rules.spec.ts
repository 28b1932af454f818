import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import { GENERIC_RULES, SECRET_RULES } from "../../policies/lib/secret-rules";
import { RULE_SUPPRESSIONS, SUPPRESSIONS } from "../../policies/lib/secret-suppressions";
import { detectSecret, scanTokens, scanValue } from "../../policies/lib/secrets";
import { formattedSecretRules, SECRET_RULES_PATH } from "../../policies/scripts/gen-docs";
import { b64, hex, ruleSamples, samples } from "./fixtures/secrets";

const kindOf = (value: string, key?: string) =>
  scanValue(value, key === undefined ? {} : { key }).findings[0]?.kind ?? "none";

/** The suppressions a scan reported, as "suppression/rule". */
const suppressed = (value: string, key?: string) =>
  scanValue(value, key === undefined ? {} : { key }).suppressions.map(
    (s) => `${s.suppression}/${s.rule}`,
  );

describe("secret formats as data", () => {
  it("gives every rule a unique id, lower-case keywords and a format source", () => {
    const ids = [...SECRET_RULES.map((r) => r.id), ...GENERIC_RULES.map((r) => r.id)];
    assert.equal(new Set(ids).size, ids.length);
    for (const r of SECRET_RULES) {
      assert.ok(r.keywords.length > 0, r.id);
      for (const k of r.keywords) assert.equal(k, k.toLowerCase(), r.id);
      assert.match(r.docs, /https:\/\//, r.id);
    }
  });

  it("recognises each format in its sample, under its own rule id", () => {
    assert.deepEqual(Object.keys(ruleSamples).sort(), SECRET_RULES.map((r) => r.id).sort());
    const kinds = Object.fromEntries(
      Object.entries(ruleSamples).map(([id, s]) => [id, kindOf(s.value, s.key)]),
    );
    assert.deepEqual(kinds, Object.fromEntries(Object.keys(ruleSamples).map((id) => [id, id])));
  });

  it("finds each value-anchored format inside free text as well", () => {
    for (const rule of SECRET_RULES.filter((r) => r.anchor !== "context")) {
      const sample = ruleSamples[rule.id]!;
      const text = `# deploy notes\nvalue: ${sample.value}\n`;
      assert.equal(scanTokens(text).findings[0]?.kind, rule.id, rule.id);
    }
  });

  it("fires a keyword-anchored format only when the key or the assignment before it names the keyword", () => {
    for (const rule of SECRET_RULES.filter((r) => r.anchor === "context")) {
      const sample = ruleSamples[rule.id]!;
      assert.notEqual(kindOf(sample.value, "VALUE"), rule.id, `${rule.id} without its keyword`);
      const line = `export ${sample.key}="${sample.value}"`;
      assert.equal(scanTokens(line).findings[0]?.kind, rule.id, `${rule.id} in a script`);
      assert.equal(scanTokens(`${sample.key} ${sample.value}`).findings.length, 0, rule.id);
    }
  });

  it("keeps the token families the config validation already reports", () => {
    assert.equal(detectSecret(samples.githubToken)?.description, "a GitHub token");
    assert.equal(
      detectSecret(samples.dbPassword, "DB_PASSWORD")?.description,
      "a high-entropy value under the secret-like name 'DB_PASSWORD'",
    );
  });

  it("reads a service-account key given as an object's private_key as a private key", () => {
    const key = JSON.parse(ruleSamples["gcp-service-account-key"]!.value) as Record<string, string>;
    assert.equal(kindOf(key["private_key"]!, "private_key"), "private-key");
  });

  it("keeps SECRET-RULES.md in step with the tables (regenerate with npm run docs:policies)", async () => {
    assert.equal(fs.readFileSync(SECRET_RULES_PATH, "utf8"), await formattedSecretRules());
  });
});

describe("placeholders and references are not secrets", () => {
  const realToken = ruleSamples["github-pat"]!.value;

  it("documents every suppression with an id and a source", () => {
    const ids = [...SUPPRESSIONS, ...RULE_SUPPRESSIONS].map((s) => s.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const s of [...SUPPRESSIONS, ...RULE_SUPPRESSIONS]) assert.match(s.docs, /https:\/\//);
  });

  const cases: { suppression: string; value: string; key?: string; rule: string }[] = [
    {
      suppression: "aws-documented-example",
      value: samples.awsExampleKeyId,
      rule: "aws-access-key-id",
    },
    {
      suppression: "aws-documented-example",
      value: ["wJalrXUtnFEMI/K7MDENG/bPxRfiCY", "EXAMPLEKEY"].join(""),
      key: "AWS_SECRET_ACCESS_KEY",
      rule: "aws-secret-access-key",
    },
    {
      suppression: "runtime-reference",
      value: "${DB_PASSWORD}",
      key: "DB_PASSWORD",
      rule: "secret-like-value",
    },
    {
      suppression: "runtime-reference",
      value: "$DB_PASSWORD",
      key: "DB_PASSWORD",
      rule: "secret-like-value",
    },
    {
      suppression: "runtime-reference",
      value: "$(cat /run/secrets/db)",
      key: "DB_PASSWORD",
      rule: "secret-like-value",
    },
    {
      suppression: "runtime-reference",
      value: "{{resolve:ssm:/app/db/password}}",
      key: "DB_PASSWORD",
      rule: "secret-like-value",
    },
    {
      suppression: "runtime-reference",
      value: "{{resolve:secretsmanager:db:SecretString:password}}",
      key: "DB_PASSWORD",
      rule: "secret-like-value",
    },
    {
      suppression: "runtime-reference",
      value: "&{db.password}",
      key: "DB_PASSWORD",
      rule: "secret-like-value",
    },
    {
      suppression: "runtime-reference",
      value: "${{ secrets.DB_PASSWORD }}",
      key: "DB_PASSWORD",
      rule: "secret-like-value",
    },
    {
      suppression: "runtime-reference",
      value: "#{DatabasePassword}",
      key: "DB_PASSWORD",
      rule: "secret-like-value",
    },
    {
      suppression: "runtime-reference",
      value: "os.environ['AUTH_TOKEN']",
      key: "AUTH_TOKEN",
      rule: "secret-like-value",
    },
    {
      suppression: "runtime-reference",
      value: "%(db_password)s",
      key: "DB_PASSWORD",
      rule: "secret-like-value",
    },
    {
      suppression: "runtime-reference",
      value: "https://deploy:${GIT_PASSWORD}@git.example.com/app.git",
      rule: "url-credentials",
    },
    {
      suppression: "secret-store-reference",
      value: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf",
      key: "DB_PASSWORD",
      rule: "secret-like-value",
    },
    {
      suppression: "secret-store-reference",
      value: "arn:aws:ssm:eu-west-1:123456789012:parameter/app/db",
      key: "API_TOKEN",
      rule: "secret-like-value",
    },
    {
      suppression: "parameter-path",
      value: "/platform/prod/db/password",
      key: "DB_PASSWORD",
      rule: "secret-like-value",
    },
    {
      suppression: "repeated-character",
      value: "xxxxxxxxxxxxxxxx",
      key: "API_TOKEN",
      rule: "secret-like-value",
    },
    {
      suppression: "repeated-character",
      value: "0000000000000000",
      key: "API_TOKEN",
      rule: "secret-like-value",
    },
    {
      suppression: "repeated-character",
      value: "****************",
      key: "API_TOKEN",
      rule: "secret-like-value",
    },
    {
      suppression: "repeated-character",
      value: ["gh", "p_", "x".repeat(36)].join(""),
      rule: "github-pat",
    },
    {
      suppression: "repeated-character",
      value: ["gh", "p_", "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghij"].join(""),
      rule: "github-pat",
    },
    {
      suppression: "stop-word",
      value: "your_api_key_here",
      key: "API_KEY",
      rule: "secret-like-value",
    },
    {
      suppression: "stop-word",
      value: "<your-token>",
      key: "GITHUB_TOKEN",
      rule: "secret-like-value",
    },
    {
      suppression: "stop-word",
      value: "changeme123",
      key: "DB_PASSWORD",
      rule: "secret-like-value",
    },
    {
      suppression: "stop-word",
      value: "https://deploy:password@git.example.com/app.git",
      rule: "url-credentials",
    },
    {
      suppression: "stop-word",
      value: ["sk", "_live_", "PLACEHOLDERplaceholder1234"].join(""),
      rule: "stripe-secret-key",
    },
    {
      suppression: "content-hash",
      value: hex(40),
      key: "GIT_COMMIT_SHA",
      rule: "high-entropy-string",
    },
    {
      suppression: "content-hash",
      value: hex(64),
      key: "ARTIFACT_CHECKSUM",
      rule: "high-entropy-string",
    },
    {
      suppression: "non-secret-shape",
      value: "https://vault.acme.internal/v1/secret/db",
      key: "DB_PASSWORD",
      rule: "secret-like-value",
    },
    {
      suppression: "non-secret-shape",
      value: "v1.24.3-beta.1",
      key: "CLIENT_SECRET",
      rule: "secret-like-value",
    },
    {
      suppression: "non-secret-shape",
      value: "artifacts/builds/app-1.2.3.zip",
      key: "API_TOKEN",
      rule: "secret-like-value",
    },
    {
      suppression: "encoded-text",
      value: Buffer.from(
        JSON.stringify({ stage: "prod", region: "eu-west-1", replicas: 3 }),
      ).toString("base64"),
      rule: "high-entropy-string",
    },
    {
      suppression: "below-entropy",
      value: ["gh", "p_", "ab".repeat(18)].join(""),
      rule: "github-pat",
    },
    {
      suppression: "dummy-key-block",
      value: ["-----BEGIN RSA ", "PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----"].join(""),
      rule: "private-key",
    },
    {
      suppression: "dummy-key-block",
      value: ["-----BEGIN OPENSSH ", "PRIVATE KEY-----\n-----END OPENSSH PRIVATE KEY-----"].join(
        "",
      ),
      rule: "private-key",
    },
    {
      suppression: "rule-allowlist",
      value: "platform/artifacts/app/build/outputs/zip",
      key: "AWS_SECRET_ACCESS_KEY",
      rule: "aws-secret-access-key",
    },
  ];

  for (const c of cases) {
    it(`${c.suppression} lets through ${JSON.stringify(c.value.slice(0, 40))}`, () => {
      assert.equal(kindOf(c.value, c.key), "none");
      assert.ok(
        suppressed(c.value, c.key).includes(`${c.suppression}/${c.rule}`),
        JSON.stringify(suppressed(c.value, c.key)),
      );
    });
  }

  it("still catches a real token right beside each placeholder", () => {
    for (const c of cases) {
      const text = `${c.value}\nGITHUB_TOKEN=${realToken}\n`;
      assert.equal(scanTokens(text).findings[0]?.kind, "github-pat", c.suppression);
    }
  });

  it("still flags a real value under the same key", () => {
    for (const c of cases.filter((x) => x.rule === "secret-like-value"))
      assert.equal(kindOf(samples.dbPassword, c.key), "secret-like-value", c.key);
  });

  it("decodes base64 text and reports the token it holds", () => {
    const encoded = Buffer.from(JSON.stringify({ auth: realToken, stage: "prod" })).toString(
      "base64",
    );
    assert.deepEqual(scanValue(encoded).findings, [
      { kind: "github-pat", description: "a GitHub token (base64-encoded)" },
    ]);
  });

  it("does not read ids, names, digests and templates as high-entropy strings", () => {
    const clean = [
      "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
      "1234abcd-12ab-34cd-56ef-1234567890ab",
      "123456789012.dkr.ecr.eu-west-1.amazonaws.com/app@sha256:" + hex(64),
      "acme-prod-artifacts-123456789012-eu-west-1",
      "builds/web-frontend/" + hex(12) + "/artifact.zip",
      "AWSTemplateFormatVersion: '2010-09-09'\nResources: {}\n",
      "i-0abcd1234ef567890",
      "subnet-0123456789abcdef0",
      "AcmeWebFrontendPipelineRole",
    ];
    for (const v of clean) assert.equal(kindOf(v), "none", v);
  });

  it("reads a random base64 secret as a high-entropy string", () => {
    assert.equal(kindOf(b64(44)), "high-entropy-string");
  });
});
