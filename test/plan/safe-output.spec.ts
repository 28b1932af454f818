// What the CLI writes as JSON: secret-shaped values masked, Pulumi's public wire markers kept.
import * as assert from "node:assert/strict";
import { safeJson } from "../../plan/cli/safe-output";

describe("safe JSON output", () => {
  it("keeps Pulumi's asset signature and content hash (public markers), and masks a token beside them", () => {
    const asset = {
      "4dabf18193072939515e22adb298388d": "c44067f5952c0a294b673a41bacd8c17",
      hash: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
      text: "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8",
    };
    const out = JSON.parse(safeJson({ source: { assets: { "index.ts": asset } } }));
    const written = out.source.assets["index.ts"];
    assert.equal(
      written["4dabf18193072939515e22adb298388d"],
      asset["4dabf18193072939515e22adb298388d"],
    );
    assert.equal(written.hash, asset.hash);
    assert.equal(written.text, "[secret]");
  });

  it("a hash outside an asset is judged like any other value", () => {
    const hex = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    assert.equal(JSON.parse(safeJson({ api_token: hex })).api_token, "[secret]");
  });
});
