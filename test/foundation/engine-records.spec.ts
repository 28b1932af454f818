// What the offline engine records where the mock runtime and the engine differ: URNs of nested
// resources, explicit providers' inputs, and assets. The conformance test (test/conformance)
// checks the same against the protocol for whole stacks; these cases are small and exact.
import { strict as assert } from "assert";
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as aws from "@pulumi/aws";
import awsPackage from "@pulumi/aws/package.json";
import * as pulumi from "@pulumi/pulumi";
import { evaluate } from "../../plan/engine";
import { analyzerProps } from "../../plan/pack/analyzer-props";

const SIG_KEY = "4dabf18193072939515e22adb298388d";
const ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17";
const ARCHIVE_SIG = "0def7320c3a5731c473e5ecbe6d01bc7";
const sha256 = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");
const ASSET_FILE = path.relative(process.cwd(), path.join(__dirname, "..", "..", "package.json"));

function program() {
  const outer = new pulumi.ComponentResource("test:index:Outer", "outer");
  const inner = new pulumi.ComponentResource("test:index:Inner", "inner", {}, { parent: outer });
  const provider = new aws.Provider("p", { region: "eu-west-1" }, { parent: inner });
  new aws.s3.BucketObjectv2(
    "obj",
    {
      bucket: "b",
      key: "k",
      source: new pulumi.asset.AssetArchive({
        "a.txt": new pulumi.asset.StringAsset("hello"),
        "pkg.json": new pulumi.asset.FileAsset(ASSET_FILE),
      }),
    },
    { parent: inner, provider },
  );
  new aws.s3.BucketObjectv2(
    "text",
    { bucket: "b", key: "t", source: new pulumi.asset.StringAsset("hi") },
    { provider },
  );
}

describe("the offline engine records what the engine records", () => {
  const run = () =>
    evaluate({
      project: "fixture",
      stack: "alpha",
      config: { "aws:region": "us-east-1" },
      program,
    });

  it("the engine elides the root stack type from child URNs (pulumi/pulumi#653) and qualifies a grandchild with its parent's whole type", async () => {
    const r = await run();
    const urns = r.resources.map((x) => x.urn);
    assert.ok(urns.includes("urn:pulumi:alpha::fixture::test:index:Outer::outer"));
    assert.ok(urns.includes("urn:pulumi:alpha::fixture::test:index:Outer$test:index:Inner::inner"));
    const obj = r.resources.find((x) => x.name === "obj")!;
    assert.equal(
      obj.urn,
      "urn:pulumi:alpha::fixture::test:index:Outer$test:index:Inner$aws:s3/bucketObjectv2:BucketObjectv2::obj",
    );
    assert.equal(obj.parent, "urn:pulumi:alpha::fixture::test:index:Outer$test:index:Inner::inner");
    assert.equal(
      obj.providerUrn,
      "urn:pulumi:alpha::fixture::test:index:Outer$test:index:Inner$pulumi:providers:aws::p",
    );
  });

  it("an explicit provider's inputs carry the plugin version and __internal; policies see version, not __internal", async () => {
    const p = (await run()).resources.find((x) => x.type === "pulumi:providers:aws")!;
    assert.equal(p.inputs["version"], awsPackage.version);
    assert.deepEqual(p.inputs["__internal"], {});
    const seen = analyzerProps(p.inputs);
    assert.equal(seen["version"], awsPackage.version);
    assert.ok(!("__internal" in seen));
  });

  it("assets keep their signature and get the sha256 of their content, without the SDK's markers", async () => {
    const r = await run();
    const text = r.resources.find((x) => x.name === "text")!.inputs["source"];
    assert.deepEqual(text, { [SIG_KEY]: ASSET_SIG, text: "hi", hash: sha256("hi") });
    const archive = r.resources.find((x) => x.name === "obj")!.inputs["source"] as Record<
      string,
      unknown
    >;
    assert.equal(archive[SIG_KEY], ARCHIVE_SIG);
    assert.match(String(archive["hash"]), /^[0-9a-f]{64}$/); // a Go tar stream's hash: unverified
    assert.deepEqual(archive["assets"], {
      "a.txt": { [SIG_KEY]: ASSET_SIG, text: "hello", hash: sha256("hello") },
      "pkg.json": {
        [SIG_KEY]: ASSET_SIG,
        path: ASSET_FILE,
        hash: sha256(fs.readFileSync(ASSET_FILE)),
      },
    });
    assert.ok(!JSON.stringify(r.resources.map((x) => x.inputs)).includes("__pulumiA"));
    // Policies get the asset objects @pulumi/policy's deserializer makes.
    const seen = analyzerProps({ source: text });
    assert.equal((seen["source"] as { __pulumiAsset?: boolean }).__pulumiAsset, true);
  });
});
