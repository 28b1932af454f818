// Token-shaped values for the corpus, generated at load time from a seed and each format's parts
// (prefix, alphabet, length), so that no full token is ever written in a file of the repository.
// They satisfy the formats of the scanners' rules but are random: none is a real credential.
import { createHash } from "node:crypto";

const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const LOWER = "abcdefghijklmnopqrstuvwxyz";
const DIGITS = "0123456789";
/** Alphabets the formats use. */
export const A = {
  upper: UPPER,
  lower: LOWER,
  digits: DIGITS,
  hex: "0123456789abcdef",
  HEX: "0123456789ABCDEF",
  alnum: UPPER + LOWER + DIGITS,
  lowerAlnum: LOWER + DIGITS,
  upperAlnum: UPPER + DIGITS,
  base32: UPPER + "234567",
  base64: UPPER + LOWER + DIGITS + "+/",
  word: UPPER + LOWER + DIGITS + "_",
  urlSafe: UPPER + LOWER + DIGITS + "_-",
  bech32: "qpzry9x8gf2tvdw0s3jn54khce6mua7l",
} as const;

/** A deterministic stream of bytes from a seed (SHA-256 in counter mode). */
function bytes(seed: string, n: number): Buffer {
  const out: Buffer[] = [];
  for (let i = 0; out.length * 32 < n; i++)
    out.push(createHash("sha256").update(`${seed}#${i}`).digest());
  return Buffer.concat(out).subarray(0, n);
}

/** `n` characters of `alphabet`, determined by `seed`. */
export function chars(seed: string, alphabet: string, n: number): string {
  const b = bytes(seed, n * 2);
  let s = "";
  for (let i = 0; i < n; i++) s += alphabet[b.readUInt16BE(i * 2) % alphabet.length];
  return s;
}

/** Lowercase hex of `n` characters. */
export const hex = (seed: string, n: number): string => chars(seed, A.hex, n);

/** A random (version 4 shaped) UUID. */
export function uuid(seed: string, upper = false): string {
  const h = hex(seed, 32);
  const u = `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
  return upper ? u.toUpperCase() : u;
}

/** Base64 of `n` random bytes. */
export const b64 = (seed: string, n: number): string => bytes(seed, n).toString("base64");

/** Base64url without padding, of a string. */
export const b64url = (text: string): string => Buffer.from(text).toString("base64url");

/** Base64 of a string (how user data travels). */
export const base64 = (text: string): string => Buffer.from(text).toString("base64");

/** Joins parts: the prefixes of token formats are written apart from their bodies. */
export const cat = (...parts: string[]): string => parts.join("");

/** A PEM block of `label` (e.g. "RSA PRIVATE KEY") with a random body of `size` bytes. */
export function pem(seed: string, label: string, size = 600): string {
  const body = b64(seed, size).replace(/(.{64})/g, "$1\n");
  const dash = "-".repeat(5);
  return `${dash}BEGIN ${label}${dash}\n${body.trimEnd()}\n${dash}END ${label}${dash}\n`;
}

/** A signed-looking JWT with the given claims (random signature). */
export function jwt(seed: string, claims: Record<string, unknown>, alg = "HS256"): string {
  const head = b64url(JSON.stringify({ alg, typ: "JWT" }));
  const body = b64url(JSON.stringify(claims));
  return `${head}.${body}.${chars(seed, A.urlSafe, 43)}`;
}

/** A string of `n` characters with high Shannon entropy (letters, digits and a few symbols). */
export const strong = (seed: string, n: number): string => chars(seed, A.alnum + "!#%+=_-", n);
