// Decoding one property value of an export (secrets, resource references, assets, archives),
// recording secret paths and problems, and how a problem names a bad value.
import { describeValue } from "../../policies/lib/display";
import { propertyPath } from "../../policies/lib/unknowns";
import { mapChildren, SECRET_MASK } from "../engine/values";
import {
  ARCHIVE_SIG,
  ASSET_SIG,
  isMap,
  RESOURCE_REF_SIG,
  SECRET_SIG,
  SIG_KEY,
} from "./wire-format";

/** Property values nested deeper than this are refused rather than risk the call stack. */
const MAX_DEPTH = 512;

export function kindOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "object") return "an object";
  if (v === undefined) return "undefined";
  return `a ${typeof v}`;
}

/**
 * A bad value as a problem names it: quoted only when short and plainly not a secret, else its
 * kind and length (policies/lib/display). Never a prefix of the value: that is part of a secret.
 */
export function preview(v: unknown): string {
  return describeValue(v);
}

/**
 * Decodes one property value of the export; records secret paths and problems. A value without
 * secrets, resource references, assets or archives inside is returned as it is, not copied, and
 * the path of a value is spelled out only when a secret or a problem needs it.
 */
export class ValueReader {
  constructor(
    private readonly problems: string[],
    private readonly where: string,
  ) {}

  readonly secretPaths: string[] = [];
  /** The keys and indexes leading to the value being read. */
  private readonly segments: (string | number)[] = [];

  read(value: unknown, depth: number, inSecret: boolean): unknown {
    if (depth > MAX_DEPTH) {
      this.problems.push(
        `${this.at()}: nested deeper than ${MAX_DEPTH} levels; Pulumi does not write such values, so the file is damaged`,
      );
      return null;
    }
    if (Array.isArray(value)) return this.children(value, depth, inSecret);
    if (!isMap(value)) return value;
    const sig = value[SIG_KEY];
    if (sig === SECRET_SIG) {
      if (!inSecret) this.secretPaths.push(this.path());
      if (!("plaintext" in value)) return SECRET_MASK;
      const plaintext = value["plaintext"];
      let decoded: unknown;
      try {
        if (typeof plaintext !== "string") throw new Error("not a string");
        decoded = JSON.parse(plaintext) as unknown;
      } catch {
        this.problems.push(
          `${this.at()}: a secret's plaintext must be a JSON-encoded string (as \`pulumi stack export --show-secrets\` writes it), not ${kindOf(plaintext)}${typeof plaintext === "string" ? ` of ${plaintext.length} characters` : ""} (not shown: it is a secret); export the stack again`,
        );
        return SECRET_MASK;
      }
      return this.read(decoded, depth + 1, true);
    }
    if (sig === RESOURCE_REF_SIG && typeof value["urn"] === "string") return value["urn"];
    // An asset or archive is kept as the engine holds it (signature, hash, content), as the
    // offline engine (plan/engine) records it.
    if (sig === ASSET_SIG || sig === ARCHIVE_SIG) return value;
    return this.children(value, depth, inSecret);
  }

  private children(
    value: unknown[] | Record<string, unknown>,
    depth: number,
    inSecret: boolean,
  ): unknown {
    return mapChildren(value, (child, key) => {
      this.segments.push(key);
      const read = this.read(child, depth + 1, inSecret);
      this.segments.pop();
      return read;
    });
  }

  /** The path of the value being read: `a.b[0].c`. */
  private path(): string {
    return propertyPath(this.segments);
  }

  private at(): string {
    const path = this.path();
    return path ? `${this.where}.${path}` : this.where;
  }
}
