import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { PROJECT_DIR } from "../helpers";
import { deserializeAsset } from "../../plan/pack/analyzer-props";

/* eslint-disable @typescript-eslint/no-require-imports */
const SIG = "4dabf18193072939515e22adb298388d";
const ASSET = "c44067f5952c0a294b673a41bacd8c17";
const ARCHIVE = "0def7320c3a5731c473e5ecbe6d01bc7";

/** @pulumi/policy's own deserializer: what a policy receives under `pulumi preview`. */
function policyDeserialize(v: unknown): unknown {
  const { deserializeProperties } = require("@pulumi/policy/deserialize") as {
    deserializeProperties: (s: { toJavaScript(): unknown }, proxy: boolean) => { v: unknown };
  };
  return deserializeProperties({ toJavaScript: () => ({ v }) }, false).v;
}

/** What a policy can read of an asset: its class and its (promised) fields, members included. */
async function readable(value: unknown): Promise<unknown> {
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = { cls: value.constructor.name };
  for (const [k, v] of Object.entries(value)) {
    if (k.startsWith("__")) {
      out[k] = v;
      continue;
    }
    const resolved: unknown = await v;
    out[k] =
      resolved !== null && typeof resolved === "object" && value.constructor.name === "AssetArchive"
        ? Object.fromEntries(
            await Promise.all(
              Object.entries(resolved).map(async ([n, m]) => [n, await readable(m)] as const),
            ),
          )
        : resolved;
  }
  return out;
}

async function outcome(f: () => unknown): Promise<unknown> {
  try {
    return await readable(f());
  } catch (e) {
    return { error: (e as Error).message };
  }
}

const SAMPLES: Record<string, Record<string, unknown>> = {
  "file asset": { [SIG]: ASSET, path: "buildspec.yml", hash: "0".repeat(64) },
  "string asset": { [SIG]: ASSET, text: "version: 0.2", hash: "1".repeat(64) },
  "remote asset": { [SIG]: ASSET, uri: "https://example.com/a.zip" },
  "empty asset": { [SIG]: ASSET, text: "" },
  "file archive": { [SIG]: ARCHIVE, path: "dist" },
  "remote archive": { [SIG]: ARCHIVE, uri: "https://example.com/a.tgz" },
  "asset archive": {
    [SIG]: ARCHIVE,
    assets: {
      "index.js": { [SIG]: ASSET, text: "exports.handler = 1" },
      lib: { [SIG]: ARCHIVE, path: "lib" },
    },
  },
  "archive with a plain member": { [SIG]: ARCHIVE, assets: { "a.txt": "hello" } },
  "empty archive": { [SIG]: ARCHIVE },
};

describe("assets reach policies as @pulumi/policy makes them", () => {
  for (const [name, sample] of Object.entries(SAMPLES)) {
    it(`${name}: the same object or error as deserializeProperties`, async () => {
      const ours = await outcome(() => deserializeAsset(sample));
      assert.deepEqual(ours, await outcome(() => policyDeserialize(sample)));
    });
  }

  it("check converts assets without loading the Pulumi SDK's index", () => {
    // A fresh process: this one has long loaded the SDK for other specs.
    const script = [
      'require("ts-node").register({ transpileOnly: true });',
      'const { deserializeAsset } = require("./plan/pack/analyzer-props");',
      `deserializeAsset({ "${SIG}": "${ASSET}", text: "x" });`,
      'process.stdout.write(String(require.resolve("@pulumi/pulumi") in require.cache));',
    ].join("\n");
    const out = execFileSync(process.execPath, ["-e", script], { cwd: PROJECT_DIR });
    assert.equal(out.toString(), "false");
  });
});
