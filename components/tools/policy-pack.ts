// The blueprint's CrossGuard policy pack (policies/), published from the tools stack so every
// deploy build runs `pulumi preview --policy-pack` with the platform's pack, not one the
// application repository brings along. The pack is uploaded as a zip to the platform's Pulumi
// bucket (the state bucket, SSE-KMS with its key) under a versioned key,
// `policy-pack/<name>/<version>-<content hash>.zip`: a new pack is a new key, so a key always means
// the same bytes and a build logs exactly which pack it ran. The deploy projects receive the
// bucket and key as PLAINTEXT variables (a location is not a secret) and download it in
// buildspecs/deploy-pulumi.yml. Only the tools deploy roles may read the prefix; no tools role may
// write it.
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { REPO_ROOT } from "../../model/paths";

/** The policy pack's directory in this repository. */
export const POLICY_PACK_SOURCE = path.join(REPO_ROOT, "policies");

/**
 * Key prefix of every published pack in the state bucket. Environment names have no hyphen, so no
 * environment's state prefix (`<env>/`) can ever cover it.
 */
export const POLICY_PACK_PREFIX = "policy-pack/";

/** Where the deploy builds unpack the pack (outside the application's source tree). */
export const POLICY_PACK_BUILD_DIR = "/tmp/platform-policy-pack";

/** What the pack consists of: files and family directories of policies/, in this order. */
export const POLICY_PACK_ENTRIES = [
  "PulumiPolicy.yaml",
  "package.json",
  "package-lock.json",
  "tsconfig.json",
  "index.ts",
  "all.ts",
  "lib",
  "iam",
  "secrets",
  "alarms",
  "baseline",
  "production.policy-config.json",
] as const;

/**
 * The policy config production deploys pass with `--policy-pack-config` (POLICY_PACK_CONFIG, a
 * file of the unpacked pack): the pack's levels, with the tracing policies mandatory.
 */
export const PRODUCTION_POLICY_CONFIG = "production.policy-config.json";

/** Entries a pack cannot run without. */
const REQUIRED_ENTRIES = ["PulumiPolicy.yaml", "package.json", "index.ts"];

/** Never published: dependencies (the build installs them), build output and READMEs. */
function skipped(name: string): boolean {
  return name === "node_modules" || name === "bin" || /^readme(\..*)?$/i.test(name);
}

function walk(dir: string, rel: string, out: string[]): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (skipped(entry.name)) continue;
    const childRel = `${rel}/${entry.name}`;
    if (entry.isDirectory()) walk(path.join(dir, entry.name), childRel, out);
    else if (entry.isFile()) out.push(childRel);
  }
}

/** What gets published: the pack's identity, its files and where it goes. */
export interface PolicyPackManifest {
  /** `name` of policies/package.json. */
  readonly name: string;
  /** `version` of policies/package.json. */
  readonly version: string;
  /** First 16 hex characters of the SHA-256 over every published path and its bytes. */
  readonly hash: string;
  /** Published files, relative to the pack directory, `/`-separated, sorted. */
  readonly files: readonly string[];
  /** The object key: `policy-pack/<name>/<version>-<hash>.zip`. */
  readonly key: string;
}

/** The SHA-256 (first 16 hex characters) over these files of `dir`, paths and bytes. */
export function policyPackHash(dir: string, files: readonly string[]): string {
  const h = createHash("sha256");
  for (const f of files) {
    h.update(f);
    h.update("\0");
    h.update(fs.readFileSync(path.join(dir, f)));
    h.update("\0");
  }
  return h.digest("hex").slice(0, 16);
}

/** Reads the pack directory; throws with the fix when it cannot be published. */
export function policyPackManifest(dir: string = POLICY_PACK_SOURCE): PolicyPackManifest {
  const missing = REQUIRED_ENTRIES.filter((e) => !fs.existsSync(path.join(dir, e)));
  if (missing.length > 0)
    throw new Error(
      `policy pack ${dir}: ${missing.join(", ")} missing; a pack needs PulumiPolicy.yaml, package.json and index.ts`,
    );
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as {
    name?: unknown;
    version?: unknown;
  };
  if (typeof pkg.name !== "string" || !/^[a-z0-9][a-z0-9._-]*$/.test(pkg.name))
    throw new Error(
      `policy pack ${dir}/package.json: "name" must be a lowercase package name without a scope`,
    );
  if (typeof pkg.version !== "string" || !/^\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/.test(pkg.version))
    throw new Error(`policy pack ${dir}/package.json: "version" must be a semantic version`);
  const files: string[] = [];
  for (const entry of POLICY_PACK_ENTRIES) {
    const full = path.join(dir, entry);
    if (!fs.existsSync(full)) continue;
    if (fs.statSync(full).isDirectory()) walk(full, entry, files);
    else files.push(entry);
  }
  files.sort();
  const hash = policyPackHash(dir, files);
  return {
    name: pkg.name,
    version: pkg.version,
    hash,
    files,
    key: `${POLICY_PACK_PREFIX}${pkg.name}/${pkg.version}-${hash}.zip`,
  };
}

export interface PolicyPackObjectArgs {
  /** Bucket that receives the pack (the state bucket). */
  readonly bucket: pulumi.Input<string>;
  /** ARN of the bucket's KMS key (the object is encrypted with it, bucket key on). */
  readonly kmsKeyArn: pulumi.Input<string>;
  /** The pack directory. Default: POLICY_PACK_SOURCE (policies/ of this repository). */
  readonly sourceDir?: string;
}

/** The published policy pack: one zip object in the platform's bucket. */
export class PolicyPackObject extends pulumi.ComponentResource {
  /** Bucket name. */
  readonly bucket: pulumi.Output<string>;
  /** Object key (versioned: name, version and content hash). */
  readonly key: string;
  /** What was published. */
  readonly manifest: PolicyPackManifest;
  /** The S3 object (deploy projects wait for it). */
  readonly object: aws.s3.BucketObjectv2;

  constructor(name: string, args: PolicyPackObjectArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:tools:PolicyPackObject", name, {}, opts);
    const dir = args.sourceDir ?? POLICY_PACK_SOURCE;
    let manifest: PolicyPackManifest;
    try {
      manifest = policyPackManifest(dir);
    } catch (e) {
      throw new pulumi.ResourceError(`${name}: ${(e as Error).message}`, this);
    }
    // Paths relative to the working directory (the project directory when the CLI runs), so the
    // recorded asset paths do not depend on where the repository is checked out.
    const assets: Record<string, pulumi.asset.Asset> = {};
    for (const f of manifest.files)
      assets[f] = new pulumi.asset.FileAsset(
        path.relative(process.cwd(), path.join(dir, ...f.split("/"))),
      );
    this.object = new aws.s3.BucketObjectv2(
      name,
      {
        bucket: args.bucket,
        key: manifest.key,
        source: new pulumi.asset.AssetArchive(assets),
        contentType: "application/zip",
        serverSideEncryption: "aws:kms",
        kmsKeyId: args.kmsKeyArn,
        bucketKeyEnabled: true,
        tags: { "platform:policy-pack": `${manifest.name}@${manifest.version}` },
      },
      { parent: this },
    );
    this.bucket = this.object.bucket;
    this.key = manifest.key;
    this.manifest = manifest;
    this.registerOutputs({ bucket: this.bucket, key: this.key });
  }
}
