// Rule of #21 over random stack exports (property-based): whatever a `pulumi stack export` file
// holds, `check` never repeats a planted secret (in any encoding the export format allows: a
// plaintext JSON string, an object, a ciphertext, a secret inside a secret, the whole inputs, a
// plaintext that is not JSON) and never writes a raw control character (C0, DEL, C1,
// bidirectional controls) it was given, on stdout, on stderr or in the JSON report, and never
// crashes: it exits 0, 1 or 2 with a message, never a stack trace.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import fc from "fast-check";
import { runCli } from "../helpers";
import { assertNoPieceOf } from "./no-secret-echo.spec";

const SIG = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const URN = "urn:pulumi:prod::payments::";

/** What may not reach any output raw (tab and newline are text). */
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

const control = fc.constantFrom(
  "\u001b[2J",
  "\u001b]8;;http://x\u0007",
  "\u0000",
  "\u0007",
  "\u007f",
  "\u009b31m",
  "\u0085",
  "\u202e",
  "\u2066",
  "\r",
);
/** A short string with control characters somewhere in it. */
const tainted = fc
  .tuple(fc.stringMatching(/^[a-z0-9-]{0,6}$/), control, fc.stringMatching(/^[a-z0-9-]{0,6}$/))
  .map(([a, c, b]) => `${a}${c}${b}`);
const word = fc.oneof(fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/), tainted);

/** A secret planted in the export: a GitHub token or a random password, never repeated. */
const planted = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9]{36}$/).map((s) => `ghp_${s}`),
  fc.stringMatching(/^[A-Za-z0-9!#%&*+=?@^_~-]{24}$/).map((s) => `Pw-${s}`),
);

type Encoded = { value: unknown; whole: boolean };
/** The planted secret in one of the encodings of the export format. */
const encoded = (secret: string): fc.Arbitrary<Encoded> =>
  fc.constantFrom<Encoded>(
    { value: { [SIG]: SECRET_SIG, plaintext: JSON.stringify(secret) }, whole: false },
    {
      value: { [SIG]: SECRET_SIG, plaintext: JSON.stringify({ k: secret, list: [secret] }) },
      whole: false,
    },
    { value: { [SIG]: SECRET_SIG, ciphertext: secret }, whole: false },
    {
      value: {
        [SIG]: SECRET_SIG,
        plaintext: JSON.stringify({
          inner: { [SIG]: SECRET_SIG, plaintext: JSON.stringify(secret) },
        }),
      },
      whole: false,
    },
    { value: { [SIG]: SECRET_SIG, plaintext: secret }, whole: false },
    { value: { [SIG]: SECRET_SIG, plaintext: JSON.stringify(secret) }, whole: false },
    { value: { [SIG]: SECRET_SIG, plaintext: JSON.stringify({ v: secret }) }, whole: true },
    { value: { [SIG]: SECRET_SIG, ciphertext: secret }, whole: true },
  );

/** Mostly `good`, sometimes `bad`: most exports are read, some are refused. */
const mostly = <T, U>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<U>) =>
  fc.oneof({ arbitrary: good, weight: 12 }, { arbitrary: bad, weight: 1 });

const resource = (secret: string) =>
  fc
    .record({
      type: fc.oneof(
        fc.constantFrom("aws:s3/bucket:Bucket", "aws:iam/role:Role", "aws:ssm/parameter:Parameter"),
        word.map((w) => `aws:${w}/x:X`),
        mostly(fc.constant("aws:s3/bucket:Bucket"), fc.anything()),
      ),
      name: word,
      key: word,
      id: fc.option(mostly(fc.oneof(word, fc.constant(secret)), fc.anything()), { nil: undefined }),
      custom: mostly(fc.boolean(), fc.anything()),
      parent: fc.option(fc.oneof(word, fc.constant(`${URN}pulumi:pulumi:Stack::payments-prod`)), {
        nil: undefined,
      }),
      provider: fc.option(mostly(fc.constant(undefined), word), { nil: undefined, freq: 2 }),
      secret: encoded(secret),
      extra: fc.jsonValue({ maxDepth: 2 }),
    })
    .map((r) => {
      const type = typeof r.type === "string" ? r.type : "aws:s3/bucket:Bucket";
      // A ciphertext is never decoded, so an id equal to it is not a repeat of a known secret.
      const cipher = JSON.stringify(r.secret.value).includes("ciphertext");
      if (cipher && r.id === secret) r.id = undefined;
      const props = r.secret.whole ? r.secret.value : { [r.key]: r.secret.value, extra: r.extra };
      return {
        urn: `${URN}${type}::${r.name}`,
        type: r.type,
        custom: r.custom,
        ...(r.id !== undefined ? { id: r.id } : {}),
        ...(r.parent !== undefined ? { parent: r.parent } : {}),
        ...(r.provider !== undefined ? { provider: r.provider } : {}),
        inputs: props,
        outputs: props,
      };
    });

const documentOf = (secret: string) =>
  fc
    .tuple(fc.array(resource(secret), { minLength: 1, maxLength: 4 }), word)
    .map(([resources, stack]) => ({
      version: 3,
      deployment: {
        manifest: { time: "2025-01-01T00:00:00Z", magic: "", version: "v3.248.0" },
        resources: [
          {
            urn: `urn:pulumi:${stack}::payments::pulumi:pulumi:Stack::root`,
            custom: false,
            type: "pulumi:pulumi:Stack",
          },
          ...resources,
        ],
      },
    }));

describe("check never repeats a secret nor writes a raw control character (property-based)", function () {
  this.timeout(120_000);
  it("random exports with planted secrets and control characters in every string field", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cicd-export-fuzz-"));
    const codes = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(
        planted.chain((secret) => fc.tuple(fc.constant(secret), documentOf(secret))),
        async ([secret, doc]) => {
          fs.writeFileSync(path.join(dir, "stack.json"), JSON.stringify(doc));
          fs.rmSync(path.join(dir, "report.json"), { force: true });
          const run = await runCli(
            ["check", "stack.json", "--json", "report.json", "--no-policy-config"],
            dir,
          );
          codes.set(run.code, (codes.get(run.code) ?? 0) + 1);
          if (process.env["FUZZ_DEBUG"]) console.log(run.code, run.stderr.slice(0, 300));
          const reportFile = path.join(dir, "report.json");
          const report = fs.existsSync(reportFile) ? fs.readFileSync(reportFile, "utf8") : "";
          assert.ok([0, 1, 2].includes(run.code), `exit ${run.code}`);
          assert.doesNotMatch(run.stderr, /\n\s+at /, "a stack trace: check crashed");
          for (const [where, text] of [
            ["stdout", run.stdout],
            ["stderr", run.stderr],
            ["the report", report],
          ] as const) {
            assertNoPieceOf(secret, text, where);
            assert.doesNotMatch(text, RAW_CONTROL, `${where} holds a raw control character`);
          }
          if (report !== "") JSON.parse(report);
        },
      ),
      { numRuns: 150, seed: 2026_0521 },
    );
    // Both sides must be exercised: exports that are read and exports that are refused.
    assert.ok((codes.get(2) ?? 0) > 10, `only ${codes.get(2) ?? 0} refused exports`);
    assert.ok((codes.get(0) ?? 0) + (codes.get(1) ?? 0) > 10, "too few exports were read");
  });
});
