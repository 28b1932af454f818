// Reading one `ResourceV3` of an export into a draft resource (urn, type, flags, provider
// reference, dependencies, decoded inputs and outputs), with a problem for every bad field.
import { kindOf, preview, ValueReader } from "./value-reader";
import { isMap, type Json, parseProviderReference, parseUrn } from "./wire-format";

export interface Draft {
  readonly index: number;
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly custom: boolean;
  readonly id?: string;
  readonly parent?: string;
  readonly inputs: Json;
  readonly outputs: Json;
  readonly providerRef?: { urn: string; id: string };
  readonly dependencies: string[];
  readonly propertyDependencies: Record<string, string[]>;
  readonly secretPaths: string[];
  readonly protect: boolean;
  readonly retainOnDelete: boolean;
}

function readUrnList(value: unknown, path: string, problems: string[]): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    problems.push(`${path}: must be an array of URN strings, not ${kindOf(value)}`);
    return [];
  }
  const urns: string[] = [];
  value.forEach((u, i) => {
    if (typeof u === "string") urns.push(u);
    else problems.push(`${path}[${i}]: must be a URN string, not ${kindOf(u)}`);
  });
  return urns;
}

function readBool(r: Json, key: string, path: string, problems: string[]): boolean {
  const v = r[key];
  if (v === undefined || v === null) return false;
  if (typeof v === "boolean") return v;
  problems.push(`${path}.${key}: must be true or false, not ${kindOf(v)}`);
  return false;
}

function readProps(r: Json, key: string, path: string, problems: string[], reader: ValueReader) {
  const v = r[key];
  if (v === undefined || v === null) return {};
  if (!isMap(v)) {
    problems.push(`${path}.${key}: must be an object of properties, not ${kindOf(v)}`);
    return {};
  }
  return reader.read(v, 0, false) as Json;
}

/** Reads one `ResourceV3`; returns undefined (with problems) when it cannot be used. */
export function readResource(
  raw: unknown,
  index: number,
  problems: string[],
): (Draft & { deleted: boolean }) | undefined {
  const path = `deployment.resources[${index}]`;
  if (!isMap(raw)) {
    problems.push(`${path}: must be an object (a resource), not ${kindOf(raw)}`);
    return undefined;
  }
  const before = problems.length;
  const urn = raw["urn"];
  let parsedUrn: ReturnType<typeof parseUrn>;
  if (urn === undefined || urn === null || urn === "")
    problems.push(`${path}.urn: missing; every resource needs a urn`);
  else if (typeof urn !== "string")
    problems.push(
      `${path}.urn: must be a URN string, not ${kindOf(urn)}; every resource needs a urn`,
    );
  else if (!(parsedUrn = parseUrn(urn)))
    problems.push(
      `${path}.urn: ${preview(urn)} is not a Pulumi URN; a urn reads urn:pulumi:<stack>::<project>::<type>::<name>`,
    );
  const type = raw["type"];
  if (type === undefined || type === null || type === "")
    problems.push(
      `${path}.type: missing; every resource needs a type token such as aws:s3/bucket:Bucket`,
    );
  else if (typeof type !== "string")
    problems.push(
      `${path}.type: must be a type token string such as aws:s3/bucket:Bucket, not ${kindOf(type)}`,
    );
  const custom = readBool(raw, "custom", path, problems);
  const deleted = readBool(raw, "delete", path, problems);
  const protect = readBool(raw, "protect", path, problems);
  const retainOnDelete = readBool(raw, "retainOnDelete", path, problems);
  const id = raw["id"];
  if (id !== undefined && id !== null && typeof id !== "string")
    problems.push(`${path}.id: must be a string, not ${kindOf(id)}`);
  const parent = raw["parent"];
  if (parent !== undefined && parent !== null && typeof parent !== "string")
    problems.push(`${path}.parent: must be the parent's URN string, not ${kindOf(parent)}`);
  const provider = raw["provider"];
  let providerRef: { urn: string; id: string } | undefined;
  if (provider !== undefined && provider !== null && provider !== "") {
    if (typeof provider !== "string")
      problems.push(
        `${path}.provider: must be a provider reference string "<provider urn>::<provider id>", not ${kindOf(provider)}`,
      );
    else if (!(providerRef = parseProviderReference(provider)))
      problems.push(
        `${path}.provider: ${preview(provider)} is not a provider reference; it must read "<provider urn>::<provider id>" with a pulumi:providers:<package> urn`,
      );
  }
  const dependencies = readUrnList(raw["dependencies"], `${path}.dependencies`, problems);
  let propertyDependencies: Record<string, string[]> = {};
  const pd = raw["propertyDependencies"];
  if (pd !== undefined && pd !== null) {
    if (!isMap(pd))
      problems.push(
        `${path}.propertyDependencies: must be an object mapping input names to arrays of URNs, not ${kindOf(pd)}`,
      );
    else
      propertyDependencies = Object.fromEntries(
        Object.entries(pd).map(([key, urns]) => [
          key,
          readUrnList(urns, `${path}.propertyDependencies.${key}`, problems),
        ]),
      );
  }
  const inputsReader = new ValueReader(problems, `${path}.inputs`);
  const inputs = readProps(raw, "inputs", path, problems, inputsReader);
  const outputsReader = new ValueReader(problems, `${path}.outputs`);
  const outputs = readProps(raw, "outputs", path, problems, outputsReader);
  if (problems.length > before || typeof urn !== "string" || typeof type !== "string")
    return undefined;
  const secretPaths = [...inputsReader.secretPaths];
  for (const p of outputsReader.secretPaths) if (!secretPaths.includes(p)) secretPaths.push(p);
  return {
    index,
    urn,
    type,
    name: parsedUrn!.name,
    custom,
    ...(typeof id === "string" && id !== "" ? { id } : {}),
    ...(typeof parent === "string" && parent !== "" ? { parent } : {}),
    inputs,
    outputs,
    ...(providerRef ? { providerRef } : {}),
    dependencies,
    propertyDependencies,
    secretPaths,
    protect,
    retainOnDelete,
    deleted,
  };
}
