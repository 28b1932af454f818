// Assets and archives as the engine records them: the SDK sends every field of an asset object
// (its `__pulumiAsset` / `__pulumiArchive` marker among them, runtime/rpc.js l.344-350); the engine
// keeps only the signature, `hash`, and `text`/`path`/`uri` (assets) or `assets`/`path`/`uri`
// (archives), and computes the sha256 `hash` when registering. Engine source, pulumi/pulumi at
// 1b5949891b3c: pkg/resource/deploy/source_eval.go l.2358-2369 (ComputeAssetHashes),
// sdk/go/common/resource/plugin/rpc.go l.426-470, asset/asset.go l.184-225 (Deserialize) and
// l.336-355 (EnsureHash), archive/archive.go l.234-300 (Deserialize) and l.806-835 (EnsureHash).
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

export const SIG_KEY = "4dabf18193072939515e22adb298388d";
export const ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17";
export const ARCHIVE_SIG = "0def7320c3a5731c473e5ecbe6d01bc7";

type Json = Record<string, unknown>;
const isMap = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const sha256 = (data: Buffer) => createHash("sha256").update(data).digest("hex");

function assetBytes(a: Json, wd: string): Buffer | undefined {
  if (typeof a["text"] === "string") return Buffer.from(a["text"], "utf8");
  if (typeof a["path"] === "string") return fs.readFileSync(path.resolve(wd, a["path"]));
  return undefined; // a remote asset: the engine fetches it; offline there is no hash
}

/** One USTAR header as Go's archive/tar writes it for `{Name, Mode: 0600, Size}`. */
function tarHeader(name: string, size: number): Buffer {
  if (Buffer.byteLength(name) > 100) throw new Error(`archive member name too long: ${name}`);
  const h = Buffer.alloc(512, 0);
  const octal = (at: number, len: number, n: number) =>
    h.write(`${n.toString(8).padStart(len - 1, "0")}\0`, at, len, "ascii");
  h.write(name, 0, 100, "utf8");
  octal(100, 8, 0o600);
  octal(108, 8, 0);
  octal(116, 8, 0);
  octal(124, 12, size);
  octal(136, 12, 0); // mtime: Go's zero time is written as 0
  h.write("        ", 148, 8, "ascii");
  h.write("0", 156, 1, "ascii");
  h.write("ustar\0", 257, 6, "ascii");
  h.write("00", 263, 2, "ascii");
  octal(329, 8, 0);
  octal(337, 8, 0);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148, 8, "ascii");
  return h;
}

function members(ar: Json, wd: string, prefix: string, out: [string, Buffer][]): void {
  const at = (k: string) => (prefix ? `${prefix}/${k}` : k);
  if (isMap(ar["assets"])) {
    const assets = ar["assets"];
    for (const k of Object.keys(assets).sort()) {
      const v = assets[k];
      if (!isMap(v)) continue;
      if (v[SIG_KEY] === ASSET_SIG) {
        const bytes = assetBytes(v, wd);
        if (bytes === undefined) throw new Error("a remote asset in an archive");
        out.push([at(k), bytes]);
      } else members(v, wd, at(k), out);
    }
  } else if (typeof ar["path"] === "string") {
    const root = path.resolve(wd, ar["path"]);
    if (!fs.statSync(root).isDirectory()) throw new Error("an archive file inside an archive");
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir).sort()) {
        const f = path.join(dir, e);
        if (fs.statSync(f).isDirectory()) walk(f);
        else out.push([at(path.relative(root, f).split(path.sep).join("/")), fs.readFileSync(f)]);
      }
    };
    walk(root);
  } else throw new Error("a remote archive");
}

/**
 * The engine's archive hash: sha256 of the file for an archive file; for an asset map or a
 * directory, sha256 of the tar stream archive.go builds (members in sorted order, nested archives
 * flattened under their key, each header only name, mode 0600 and size; l.418-430, l.642-695).
 * UNVERIFIED: this tar writer has not been compared byte for byte with Go's archive/tar (no Go
 * toolchain was at hand); asset hashes and archive-file hashes are exact.
 */
export function archiveHash(ar: Json, wd: string): string | undefined {
  try {
    if (typeof ar["path"] === "string" && !isMap(ar["assets"])) {
      const p = path.resolve(wd, ar["path"]);
      if (fs.statSync(p).isFile()) return sha256(fs.readFileSync(p));
    }
    const files: [string, Buffer][] = [];
    members(ar, wd, "", files);
    const seen = new Set<string>();
    const parts: Buffer[] = [];
    for (const [name, data] of files) {
      if (seen.has(name)) continue;
      seen.add(name);
      parts.push(
        tarHeader(name, data.length),
        data,
        Buffer.alloc((512 - (data.length % 512)) % 512),
      );
    }
    parts.push(Buffer.alloc(1024));
    return sha256(Buffer.concat(parts));
  } catch {
    return undefined; // remote or unreadable content: the engine would fetch it; offline, no hash
  }
}

/** The engine's record of an asset or archive sent by the SDK (`v` carries the signature). */
export function engineAsset(v: Json, wd: string): Json {
  const sig = v[SIG_KEY];
  const out: Json = { [SIG_KEY]: sig };
  const keys = sig === ASSET_SIG ? ["hash", "text", "path", "uri"] : ["hash", "path", "uri"];
  for (const k of keys) if (v[k] !== undefined && v[k] !== "") out[k] = v[k];
  if (sig === ARCHIVE_SIG && isMap(v["assets"])) {
    const assets: Json = {};
    for (const [k, a] of Object.entries(v["assets"])) assets[k] = isMap(a) ? engineAsset(a, wd) : a;
    out["assets"] = assets;
  }
  if (out["hash"] === undefined) {
    let hash: string | undefined;
    if (sig === ASSET_SIG) {
      try {
        const bytes = assetBytes(v, wd);
        hash = bytes && sha256(bytes);
      } catch {
        hash = undefined;
      }
    } else hash = archiveHash(v, wd);
    if (hash !== undefined) out["hash"] = hash;
  }
  return out;
}
