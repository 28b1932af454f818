// Checks the detection corpus itself (not the pack's results on it; `npm run bench:detection` runs
// it): ids, expected policies, type tokens and input names of @pulumi/aws, size and mix, token
// values that keep their formats, and no credential-shaped literal in the corpus' own files.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { allPolicies } from "../../policies/all";
import { parseStackExport } from "../../plan/export";
import { awsInputNames } from "./aws-schema";
import { TOKEN_FAMILIES } from "./cases/secrets";
import { corpus } from "./corpus";
import { FAMILIES } from "./corpus-types";
import { caseExport } from "./loader";

const cases = corpus();

/** Every file of the corpus and its bench, with its text. */
function corpusFiles(): { file: string; text: string }[] {
  const root = path.join(__dirname, "..", "..");
  const files: string[] = [path.join(root, "bench", "detection.ts")];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }))
      if (e.isDirectory()) walk(path.join(dir, e.name));
      else files.push(path.join(dir, e.name));
  };
  walk(__dirname);
  return files.map((file) => ({ file, text: fs.readFileSync(file, "utf8") }));
}

/** Literal shapes of real provider credentials (what push protection looks for). */
const CREDENTIAL_SHAPES: readonly [string, RegExp][] = [
  ["AWS access key id", /\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}\b/],
  ["GitHub token", /\bgh[pousr]_[A-Za-z0-9]{36}\b/],
  ["GitHub fine-grained token", /github_pat_\w{60,}/],
  ["GitLab token", /glpat-[\w-]{20}/],
  ["Slack token", /xox[abposr]-\d{6,}/],
  ["Slack webhook", /hooks\.slack\.com\/services\/T[A-Z0-9]{6,}\/B/],
  ["Stripe key", /\b[sr]k_live_[A-Za-z0-9]{10,}/],
  ["SendGrid key", /SG\.[\w-]{22}\.[\w-]{43}/],
  ["npm token", /\bnpm_[A-Za-z0-9]{36}\b/],
  ["PyPI token", /pypi-AgEIcHlwaS5vcmc[\w-]{50}/],
  ["Google API key", /AIza[\w-]{35}/],
  ["Twilio key", /\bSK[0-9a-fA-F]{32}\b/],
  ["Shopify token", /shp(?:at|ss|ca|pa)_[a-fA-F0-9]{32}/],
  ["private key", /-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----\s*[A-Za-z0-9+/=]{20}/],
  ["JWT", /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/],
];

/** Formats of gitleaks' rules (config/gitleaks.toml) the generated values must keep. */
const FORMATS: Readonly<Record<string, RegExp>> = {
  "gitleaks:aws-access-token": /^AKIA[A-Z2-7]{16}$/,
  "gitleaks:github-pat": /^ghp_[0-9a-zA-Z]{36}$/,
  "gitleaks:github-fine-grained-pat": /^github_pat_\w{82}$/,
  "gitleaks:gitlab-pat": /^glpat-[\w-]{20}$/,
  "gitleaks:gitlab-ptt": /^glptt-[0-9a-f]{40}$/,
  "gitleaks:slack-bot-token": /^xoxb-[0-9]{10,13}-[0-9]{10,13}[a-zA-Z0-9-]*$/,
  "gitleaks:slack-user-token": /^xox[pe](?:-[0-9]{10,13}){3}-[a-zA-Z0-9-]{28,34}$/,
  "gitleaks:slack-webhook-url": /^https:\/\/hooks.slack.com\/services\/[A-Za-z0-9+/]{43,56}$/,
  "gitleaks:stripe-access-token": /^sk_live_[a-zA-Z0-9]{10,99}$/,
  "gitleaks:twilio-api-key": /^SK[0-9a-fA-F]{32}$/,
  "gitleaks:sendgrid-api-token": /^SG\.[a-zA-Z0-9=_\-.]{66}$/,
  "gitleaks:npm-access-token": /^npm_[a-zA-Z0-9]{36}$/,
  "gitleaks:pypi-upload-token": /^pypi-AgEIcHlwaS5vcmc[\w-]{50,1000}$/,
  "gitleaks:shopify-access-token": /^shpat_[a-fA-F0-9]{32}$/,
  "gitleaks:square-access-token": /^EAAA[\w-]{22,60}$/,
  "gitleaks:heroku-api-key-v2": /^HRKU-AA[0-9a-zA-Z_-]{58}$/,
  "gitleaks:mailchimp-api-key": /^[a-f0-9]{32}-us\d\d$/,
  "gitleaks:artifactory-api-key": /^AKCp[A-Za-z0-9]{69}$/,
  "gitleaks:airtable-personnal-access-token": /^pat[A-Za-z0-9]{14}\.[a-f0-9]{64}$/,
  "gitleaks:adobe-client-secret": /^p8e-[a-zA-Z0-9]{32}$/,
  "gitleaks:facebook-page-access-token": /^EAA[MC][a-zA-Z0-9]{100,}$/,
  "gitleaks:intra42-client-secret": /^s-s4t2(?:ud|af)-[abcdef0123456789]{64}$/,
  "gitleaks:azure-ad-client-secret": /^[a-zA-Z0-9_~.]{3}\dQ~[a-zA-Z0-9_~.-]{31,34}$/,
  "gitleaks:gcp-api-key": /^AIza[\w-]{35}$/,
  "gitleaks:jwt": /^ey[a-zA-Z0-9]{17,}\.ey[a-zA-Z0-9/\\_-]{17,}\.[a-zA-Z0-9/\\_-]{10,}={0,2}$/,
  "gitleaks:openai-api-key": /^sk-proj-[A-Za-z0-9_-]{74}T3BlbkFJ[A-Za-z0-9_-]{74}$/,
  "gitleaks:anthropic-api-key": /^sk-ant-api03-[a-zA-Z0-9_-]{93}AA$/,
  "gitleaks:digitalocean-pat": /^dop_v1_[a-f0-9]{64}$/,
  "gitleaks:pulumi-api-token": /^pul-[a-f0-9]{40}$/,
  "gitleaks:vault-service-token": /^hvs\.[\w-]{90,120}$/,
  "gitleaks:grafana-service-account-token": /^glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}$/,
  "gitleaks:databricks-api-token": /^dapi[a-f0-9]{32}$/,
  "gitleaks:postman-api-token": /^PMAK-[a-f0-9]{24}-[a-f0-9]{34}$/,
  "gitleaks:age-secret-key": /^AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}$/,
  "gitleaks:private-key (RSA PRIVATE KEY)":
    /^-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----[\s\S-]{64,}?KEY(?: BLOCK)?-----\n$/,
};

describe("detection corpus", () => {
  it("has at least 300 cases, every family, and violations and clean cases in each", () => {
    assert.ok(cases.length >= 300, `${cases.length} cases`);
    for (const family of FAMILIES) {
      const of = cases.filter((c) => c.family === family);
      assert.ok(
        of.some((c) => c.expect.violation),
        `${family} has no violation case`,
      );
      assert.ok(
        of.some((c) => !c.expect.violation),
        `${family} has no clean case`,
      );
    }
  });

  it("gives every case a unique id, a source and 1 to 6 resources with unique names", () => {
    const seen = new Set<string>();
    for (const c of cases) {
      assert.ok(!seen.has(c.id), `duplicate id ${c.id}`);
      seen.add(c.id);
      assert.match(c.id, /^[a-z0-9-]+$/, c.id);
      assert.ok(c.source.trim().length > 0, `${c.id} has no source`);
      assert.ok(
        c.resources.length >= 1 && c.resources.length <= 6,
        `${c.id}: ${c.resources.length}`,
      );
      const names = c.resources.map((r) => r.name);
      assert.equal(new Set(names).size, names.length, `${c.id} repeats a resource name`);
    }
  });

  it("expects only policies of the pack", () => {
    const names = new Set(allPolicies.map((p) => p.name));
    for (const c of cases)
      if (c.expect.violation) assert.ok(names.has(c.expect.policy), `${c.id}: ${c.expect.policy}`);
  });

  it("uses @pulumi/aws type tokens and the input names their Args declare", () => {
    const known = new Map<string, ReadonlySet<string> | undefined>();
    for (const c of cases)
      for (const r of c.resources) {
        if (!known.has(r.type)) known.set(r.type, awsInputNames(r.type));
        const inputs = known.get(r.type);
        assert.ok(inputs, `${c.id}: ${r.type} is not a @pulumi/aws resource`);
        for (const key of Object.keys(r.inputs))
          assert.ok(inputs.has(key), `${c.id}: ${r.type} has no input ${key}`);
      }
  });

  it("writes every case as a stack export the reader accepts, with each resource once", () => {
    for (const c of cases) {
      const parsed = parseStackExport(JSON.stringify(caseExport(c)), `${c.id}.json`);
      const custom = parsed.resources.filter(
        (r) => r.type !== "pulumi:pulumi:Stack" && !r.type.startsWith("pulumi:providers:"),
      );
      assert.deepEqual(
        custom.map((r) => r.name),
        c.resources.map((r) => r.name),
        c.id,
      );
    }
  });

  it("generates token values that keep the formats of gitleaks' rules", () => {
    let checked = 0;
    for (const family of TOKEN_FAMILIES) {
      const format = FORMATS[family.source];
      if (!format) continue;
      for (const seed of ["a", "b", "c"]) {
        const value = family.value(seed);
        assert.match(value, format, `${family.source}: ${value.slice(0, 12)}...`);
      }
      checked++;
    }
    assert.equal(checked, Object.keys(FORMATS).length, "a format names no token family");
  });

  it("writes no credential-shaped literal in its own files", () => {
    for (const { file, text } of corpusFiles())
      for (const [kind, shape] of CREDENTIAL_SHAPES) {
        const m = shape.exec(text);
        assert.equal(
          m,
          null,
          `${path.basename(file)} holds a literal ${kind}: ${m?.[0].slice(0, 12)}...`,
        );
      }
  });
});
