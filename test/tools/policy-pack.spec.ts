// The platform's policy pack reaches every Pulumi deploy build: published once from the tools
// stack to the platform's Pulumi bucket, named by version and content, passed to the deploy
// projects as a location, readable by the deploy roles only, and unpacked by the buildspec before
// the preview runs.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { byName, ofType, programOutputs, runStackOk, RecordedResource, StackRun } from "../helpers";
import { Organization } from "../../model/config/schema";
import {
  evaluatePolicies,
  parsePolicy,
  PolicyDocument,
  resourcePolicyAllows,
} from "../../plan/report/iam-eval";
import {
  POLICY_PACK_BUILD_DIR,
  POLICY_PACK_SOURCE,
  policyPackHash,
  policyPackManifest,
  PRODUCTION_POLICY_CONFIG,
} from "../../components/tools/policy-pack";
import { BUILDSPEC_DIR } from "../../components/tools/application-pipeline";

const OBJECT = "aws:s3/bucketObjectv2:BucketObjectv2";
const PROJECT = "aws:codebuild/project:Project";
const STATE_BUCKET = "acme-pulumi-state-111111111111";
const TOOLS = "111111111111";
const toolsRole = (name: string) => `arn:aws:iam::${TOOLS}:role/${name}`;
const pkg = JSON.parse(fs.readFileSync(path.join(POLICY_PACK_SOURCE, "package.json"), "utf8"));

type Variable = { name: string; value: string; type: string };
const variables = (p: RecordedResource) =>
  (p.inputs["environment"] as { environmentVariables: Variable[] }).environmentVariables;
const rolePolicy = (run: StackRun, role: string): PolicyDocument =>
  parsePolicy(byName(run, `${role}-policy`, "aws:iam/rolePolicy:RolePolicy").inputs["policy"]);
/** The published archive as recorded: file name in the zip -> path of the file it is read from. */
const archive = (o: RecordedResource): Record<string, string> => {
  const assets = (o.inputs["source"] as { assets: Record<string, { path: string }> }).assets;
  return Object.fromEntries(Object.entries(assets).map(([k, v]) => [k, v.path]));
};

let run: StackRun;
let pack: RecordedResource;
before(async () => {
  run = await runStackOk("tools");
  pack = ofType(run, OBJECT)[0];
});

describe("policy pack publication", () => {
  it("publishes one object, in the tools account and region, to the platform's Pulumi bucket", () => {
    const objects = ofType(run, OBJECT);
    assert.equal(objects.length, 1);
    assert.deepEqual([pack.account, pack.region], [TOOLS, "us-east-1"]);
    assert.equal(pack.inputs["bucket"], STATE_BUCKET);
    assert.deepEqual(run.outputs["policyPack"], { bucket: STATE_BUCKET, key: pack.inputs["key"] });
  });

  it("names the object by pack name, version and content hash", () => {
    const files = Object.keys(archive(pack)).sort();
    assert.equal(
      pack.inputs["key"],
      `policy-pack/${pkg.name}/${pkg.version}-${policyPackHash(POLICY_PACK_SOURCE, files)}.zip`,
    );
    assert.match(
      String(pack.inputs["key"]),
      /^policy-pack\/[a-z0-9.-]+\/\d+\.\d+\.\d+-[0-9a-f]{16}\.zip$/,
    );
  });

  it("encrypts it with the state key (SSE-KMS, bucket key), as a zip", () => {
    const key = byName(run, "acme-state-key", "aws:kms/key:Key");
    assert.deepEqual(
      [
        pack.inputs["serverSideEncryption"],
        pack.inputs["kmsKeyId"],
        pack.inputs["bucketKeyEnabled"],
        pack.inputs["contentType"],
      ],
      ["aws:kms", key.outputs["arn"], true, "application/zip"],
    );
  });

  it("holds the pack's files and nothing else: no node_modules, README or scripts", () => {
    const files = archive(pack);
    const names = Object.keys(files);
    for (const required of [
      "PulumiPolicy.yaml",
      "package.json",
      "index.ts",
      "all.ts",
      "tsconfig.json",
      PRODUCTION_POLICY_CONFIG,
    ])
      assert.ok(names.includes(required), required);
    for (const family of ["lib", "iam", "secrets", "alarms", "baseline"])
      assert.ok(
        names.some((n) => n.startsWith(`${family}/`)),
        `${family}/ is in the archive`,
      );
    assert.deepEqual(
      names.filter((n) => /node_modules|(^|\/)readme|^scripts\/|^bin\//i.test(n)),
      [],
    );
    // Every entry is read from the same path under policies/ (relative to the project directory).
    for (const [name, file] of Object.entries(files)) {
      assert.equal(path.resolve(file), path.join(POLICY_PACK_SOURCE, name), name);
      assert.ok(fs.statSync(file).isFile(), file);
    }
    // Everything the pack's TypeScript has: every .ts file of the published directories.
    const onDisk = ["lib", "iam", "secrets", "alarms", "baseline"].flatMap((d) =>
      fs
        .readdirSync(path.join(POLICY_PACK_SOURCE, d))
        .filter((f) => f.endsWith(".ts"))
        .map((f) => `${d}/${f}`),
    );
    assert.deepEqual(
      onDisk.filter((f) => !names.includes(f)),
      [],
    );
  });

  it("is self-contained: every relative import of the pack resolves inside the archive", () => {
    const names = new Set(Object.keys(archive(pack)));
    const unresolved: string[] = [];
    for (const name of names) {
      if (!name.endsWith(".ts")) continue;
      const text = fs.readFileSync(path.join(POLICY_PACK_SOURCE, name), "utf8");
      for (const m of text.matchAll(/(?:from|import|require\()\s*["'](\.{1,2}\/[^"']+)["']/g)) {
        const target = path.posix.normalize(path.posix.join(path.posix.dirname(name), m[1]));
        const found = [target, `${target}.ts`, `${target}.json`, `${target}/index.ts`].some((t) =>
          names.has(t),
        );
        if (!found) unresolved.push(`${name} -> ${m[1]}`);
      }
    }
    assert.deepEqual(unresolved, []);
  });

  it("changes key when a published file changes, not when a README or node_modules does", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pack-"));
    try {
      fs.cpSync(POLICY_PACK_SOURCE, dir, {
        recursive: true,
        filter: (src) => !src.includes(`${path.sep}node_modules`),
      });
      const before = policyPackManifest(dir);
      fs.writeFileSync(path.join(dir, "README.md"), "changed");
      fs.mkdirSync(path.join(dir, "iam", "node_modules"), { recursive: true });
      fs.writeFileSync(path.join(dir, "iam", "node_modules", "x.js"), "x");
      fs.writeFileSync(path.join(dir, "lib", "README.md"), "x");
      assert.equal(policyPackManifest(dir).key, before.key);
      fs.appendFileSync(
        path.join(dir, "iam", fs.readdirSync(path.join(dir, "iam"))[0]),
        "\n// x\n",
      );
      const after = policyPackManifest(dir);
      assert.notEqual(after.key, before.key);
      assert.equal(after.version, before.version);
      fs.rmSync(path.join(dir, "index.ts"));
      assert.throws(() => policyPackManifest(dir), /index\.ts missing/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("is absent when no application deploys with Pulumi", async () => {
    const cfnOnly = await runStackOk("tools", {
      editOrganization: (o) => (o.applications = o.applications.slice(2)),
    });
    assert.deepEqual(ofType(cfnOnly, OBJECT), []);
    assert.equal(cfnOnly.outputs["policyPack"], undefined);
  });

  it("Pulumi drops an undefined stack output with a warning: without Pulumi deploys the tools stack exports no stateBucket or policyPack key", async () => {
    // Without the platform pipeline too: it keeps its own stacks' state in the state bucket.
    const edit = (o: Organization) => {
      o.applications = o.applications.slice(2);
      delete (o as { platform?: unknown }).platform;
    };
    const out = await programOutputs("tools", { editOrganization: edit });
    assert.equal("stateBucket" in out, false);
    assert.equal("policyPack" in out, false);
    for (const [k, v] of Object.entries(out)) assert.notEqual(v, undefined, k);
    const example = await programOutputs("tools");
    for (const [k, v] of Object.entries(example)) assert.notEqual(v, undefined, k);
    assert.ok("stateBucket" in example && "policyPack" in example);
  });
});

describe("policy pack in the deploy builds", () => {
  const deployProjects = () => ofType(run, PROJECT).filter((p) => /-deploy-/.test(p.name));

  it("gives every Pulumi deploy project the pack's location as PLAINTEXT, and no other project but the pull-request previews", () => {
    const projects = deployProjects();
    assert.deepEqual(
      projects.map((p) => p.inputs["name"]).sort(),
      ["orders-api", "web-frontend"]
        .flatMap((a) => ["dev", "staging", "prod"].map((e) => `acme-${a}-deploy-${e}`))
        .sort(),
    );
    for (const p of projects) {
      const vars = variables(p).filter((v) => v.name.startsWith("POLICY_PACK_"));
      // Production deploys also name the pack's production policy config (docs/compliance.md).
      const production = String(p.inputs["name"]).endsWith("-deploy-prod");
      assert.deepEqual(vars, [
        { name: "POLICY_PACK_BUCKET", value: STATE_BUCKET, type: "PLAINTEXT" },
        { name: "POLICY_PACK_KEY", value: pack.inputs["key"], type: "PLAINTEXT" },
        { name: "POLICY_PACK_DIR", value: POLICY_PACK_BUILD_DIR, type: "PLAINTEXT" },
        ...(production
          ? [{ name: "POLICY_PACK_CONFIG", value: PRODUCTION_POLICY_CONFIG, type: "PLAINTEXT" }]
          : []),
      ]);
      // Created or updated only once the object they name exists.
      assert.ok(p.dependencies.includes(pack.urn), p.name);
    }
    // A pull-request preview runs the same pack (test/tools/pull-requests.spec.ts).
    const previews = ["orders-api", "web-frontend"].map((a) => `acme-${a}-pr-preview-dev`);
    for (const p of ofType(run, PROJECT).filter((x) => !projects.includes(x)))
      assert.equal(
        variables(p).some((v) => v.name.startsWith("POLICY_PACK_")),
        previews.includes(String(p.inputs["name"])),
        p.name,
      );
  });

  it("downloads, unpacks and installs the pack before the preview, outside the source tree", () => {
    const spec = parse(fs.readFileSync(path.join(BUILDSPEC_DIR, "deploy-pulumi.yml"), "utf8"));
    const commands: string[] = [
      ...spec.phases.install.commands,
      ...spec.phases.pre_build.commands,
      ...spec.phases.build.commands,
    ];
    const at = (re: RegExp) => {
      const i = commands.findIndex((c) => re.test(c));
      assert.ok(i >= 0, `a command matches ${re}`);
      return i;
    };
    const download = at(/aws s3 cp [^\n]*"s3:\/\/\$\{POLICY_PACK_BUCKET\}\/\$\{POLICY_PACK_KEY\}"/);
    assert.match(commands[download], /extractall[^\n]*"\$POLICY_PACK_DIR"/);
    assert.match(commands[download], /cd "\$POLICY_PACK_DIR"[\s\S]*npm ci --include=dev/);
    const preview = at(/pulumi preview [^\n]*--policy-pack "\$POLICY_PACK_DIR"/);
    const up = at(/pulumi up [^\n]*--policy-pack "\$POLICY_PACK_DIR"/);
    assert.ok(download < preview && preview < up);
    // With POLICY_PACK_CONFIG set (production), both run with that file of the unpacked pack.
    const withConfig =
      /\$\{POLICY_PACK_CONFIG:\+--policy-pack-config "\$POLICY_PACK_DIR\/\$POLICY_PACK_CONFIG"\}/;
    assert.match(commands[preview], withConfig);
    assert.match(commands[up], withConfig);
    // The application's repository cannot bring its own pack.
    assert.ok(!commands.some((c) => /CODEBUILD_SRC_DIR\/policies/.test(c)));
    assert.ok(!POLICY_PACK_BUILD_DIR.startsWith("$CODEBUILD_SRC_DIR"));
  });
});

describe("who may read the published pack", () => {
  const object = () => `arn:aws:s3:::${STATE_BUCKET}/${pack.inputs["key"]}`;
  const s3 = (action: string, resource = object()) => ({ action, resource });

  it("every tools deploy role may get the pack, and may neither write nor delete it", () => {
    for (const env of ["dev", "staging", "prod"]) {
      const doc = rolePolicy(run, `acme-tools-deploy-${env}`);
      assert.equal(evaluatePolicies([doc], s3("s3:GetObject")), "allow", env);
      for (const action of ["s3:PutObject", "s3:DeleteObject", "s3:GetObjectVersion"])
        assert.equal(evaluatePolicies([doc], s3(action)), "implicit-deny", `${env} ${action}`);
      // Only the pack's prefix: not another environment's state.
      const other = env === "prod" ? "dev" : "prod";
      assert.equal(
        evaluatePolicies([doc], s3("s3:GetObject", `arn:aws:s3:::${STATE_BUCKET}/${other}/x`)),
        "implicit-deny",
      );
    }
  });

  it("no build or pipeline role may get it", () => {
    for (const app of ["orders-api", "web-frontend", "billing-worker"])
      for (const role of [`acme-${app}-build`, `acme-${app}-pipeline`])
        assert.equal(
          evaluatePolicies([rolePolicy(run, role)], s3("s3:GetObject")),
          "implicit-deny",
          role,
        );
  });

  it("the state key lets the deploy roles decrypt it, not the build roles", () => {
    const key = byName(run, "acme-state-key", "aws:kms/key:Key");
    const keyPolicy = parsePolicy(key.inputs["policy"]);
    const decrypt = (role: string) =>
      resourcePolicyAllows(
        keyPolicy,
        { arn: toolsRole(role), account: TOOLS },
        { action: "kms:Decrypt", resource: "*" },
      );
    const identity = (role: string) =>
      evaluatePolicies([rolePolicy(run, role)], {
        action: "kms:Decrypt",
        resource: String(key.outputs["arn"]),
      });
    for (const env of ["dev", "staging", "prod"]) {
      assert.equal(decrypt(`acme-tools-deploy-${env}`), true, env);
      assert.equal(identity(`acme-tools-deploy-${env}`), "allow", env);
    }
    assert.equal(decrypt("acme-orders-api-build"), false);
    assert.equal(identity("acme-orders-api-build"), "implicit-deny");
  });

  it("whoever runs the tools stack may encrypt the upload through S3, for this bucket only", () => {
    const keyPolicy = parsePolicy(
      byName(run, "acme-state-key", "aws:kms/key:Key").inputs["policy"],
    );
    const admin = { arn: toolsRole("platform-admin"), account: TOOLS };
    const context = {
      "kms:ViaService": "s3.us-east-1.amazonaws.com",
      "kms:CallerAccount": TOOLS,
      "kms:EncryptionContext:aws:s3:arn": `arn:aws:s3:::${STATE_BUCKET}`,
    };
    const upload = (who: typeof admin, ctx: Record<string, string>) =>
      resourcePolicyAllows(keyPolicy, who, {
        action: "kms:GenerateDataKey",
        resource: "*",
        context: ctx,
      });
    assert.equal(upload(admin, context), true);
    assert.equal(upload(admin, { ...context, "kms:ViaService": "" }), false);
    assert.equal(
      upload(admin, { ...context, "kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::elsewhere" }),
      false,
    );
    assert.equal(
      upload(
        { arn: "arn:aws:iam::999999999999:role/x", account: "999999999999" },
        {
          ...context,
          "kms:CallerAccount": "999999999999",
        },
      ),
      false,
    );
    // Direct use (not through S3) stays limited to the deploy roles.
    assert.equal(upload(admin, {}), false);
  });
});

describe("policy pack with the Pulumi Cloud backend", () => {
  it("is still published to the platform bucket, and the deploy roles may read and decrypt it", async () => {
    const cloud = await runStackOk("tools", {
      editOrganization: (o) =>
        (o.pulumiState = {
          backend: "pulumi-cloud",
          accessTokenSecretArn:
            "arn:aws:secretsmanager:us-east-1:111111111111:secret:acme/pulumi-token-AbCdEf",
          organization: "acme",
        }),
    });
    const object = ofType(cloud, OBJECT);
    assert.equal(object.length, 1);
    assert.equal(object[0].inputs["bucket"], STATE_BUCKET);
    const doc = rolePolicy(cloud, "acme-tools-deploy-prod");
    const key = String(byName(cloud, "acme-state-key", "aws:kms/key:Key").outputs["arn"]);
    assert.equal(
      evaluatePolicies([doc], {
        action: "s3:GetObject",
        resource: `arn:aws:s3:::${STATE_BUCKET}/${object[0].inputs["key"]}`,
      }),
      "allow",
    );
    assert.equal(evaluatePolicies([doc], { action: "kms:Decrypt", resource: key }), "allow");
    // No state in the bucket with this backend.
    assert.equal(
      evaluatePolicies([doc], {
        action: "s3:PutObject",
        resource: `arn:aws:s3:::${STATE_BUCKET}/prod/x`,
      }),
      "implicit-deny",
    );
    for (const p of ofType(cloud, PROJECT).filter((x) => /-deploy-/.test(x.name)))
      assert.ok(
        variables(p).some((v) => v.name === "POLICY_PACK_KEY"),
        p.name,
      );
  });
});
