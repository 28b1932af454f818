// The stack-export reader: a `pulumi stack export` file (deployment version 3) read into the
// resources the policy pack reads, or a StackExportError listing every problem.
import {
  type ParsedExport,
  StackExportError,
  SUPPORTED_EXPORT_VERSIONS,
  UNKNOWN_TARGET,
} from "./parsed-export";
import { targets } from "./resource-placement";
import { type Draft, readResource } from "./resource-reader";
import { kindOf, preview } from "./value-reader";
import { isDefaultProviderUrn, isMap, parseUrn, STACK_TYPE } from "./wire-format";

/** Reads the top of the document; returns the resources array (or undefined) with problems. */
function readDocument(doc: unknown, problems: string[]): unknown[] | undefined {
  if (!isMap(doc)) {
    problems.push(
      `(top level): must be a JSON object {"version": 3, "deployment": {...}}, not ${kindOf(doc)}; use the file \`pulumi stack export --file FILE\` writes`,
    );
    return undefined;
  }
  const version = doc["version"];
  if (version === undefined)
    problems.push(
      `version: missing; a stack export reads {"version": 3, "deployment": {...}}: use the file \`pulumi stack export --file FILE\` writes`,
    );
  else if (!SUPPORTED_EXPORT_VERSIONS.includes(version as number))
    problems.push(
      `version: ${preview(version)} is not supported; only deployment version ${SUPPORTED_EXPORT_VERSIONS.join(", ")} is (what current Pulumi CLIs write): export the stack again with \`pulumi stack export --file FILE\``,
    );
  const deployment = doc["deployment"];
  if (deployment === undefined || deployment === null) {
    const hint =
      "checkpoint" in doc
        ? 'this looks like a backend checkpoint file (it has "checkpoint"), not an export: run `pulumi stack export --file FILE`'
        : "resources" in doc || "manifest" in doc
          ? 'this looks like the inner deployment object: wrap it as {"version": 3, "deployment": {...}}'
          : "the resources live under deployment.resources: use the file `pulumi stack export --file FILE` writes";
    problems.push(`deployment: missing; ${hint}`);
    return undefined;
  }
  if (!isMap(deployment)) {
    problems.push(
      `deployment: must be an object with "manifest" and "resources", not ${kindOf(deployment)}`,
    );
    return undefined;
  }
  const ops = deployment["pending_operations"];
  if (ops !== undefined && ops !== null && !Array.isArray(ops))
    problems.push(
      `deployment.pending_operations: must be an array of operations, not ${kindOf(ops)}`,
    );
  const resources = deployment["resources"];
  // Pulumi omits an empty resource list (`omitempty`): a stack with nothing in it.
  if (resources === undefined || resources === null) return [];
  if (!Array.isArray(resources)) {
    problems.push(`deployment.resources: must be an array of resources, not ${kindOf(resources)}`);
    return undefined;
  }
  return resources;
}

/**
 * Reads a `pulumi stack export` file (deployment version 3) into the resources the policy pack
 * reads. Project and stack come from the root stack's URN (or any URN). Secrets with `plaintext`
 * (`--show-secrets`) become their decoded value, encrypted ones the string SECRET_MASK; both are
 * listed in `secretPaths`. Resource references become URNs, assets and archives keep their
 * signature and hash (as plan/engine records them). Resources pending deletion (`delete: true`) are left out, as
 * the engine leaves them out of the next program run. Account and region come from the resource's
 * provider (region input, `allowedAccountIds[0]`, `assumeRole(s)` role account); a resource
 * with a `region` input of its own is in that region. A component (and the root stack) is where
 * all of its custom descendants are when they agree, else where its parent is; the root stack is
 * where the default `pulumi:providers:aws::default*` provider points (the stack's `aws:` config),
 * else where most resources are, else "unknown". A default provider is not reported as
 * `providerUrn`, as the engine records only explicit providers.
 * Throws StackExportError, listing every problem, for anything that is not a usable export.
 */
export function parseStackExport(text: string, file: string): ParsedExport {
  let doc: unknown;
  try {
    doc = JSON.parse(text) as unknown;
  } catch (e) {
    throw new StackExportError(file, [
      `(top level): not valid JSON (${e instanceof Error ? e.message : String(e)}); use the file \`pulumi stack export --file FILE\` writes`,
    ]);
  }
  const problems: string[] = [];
  const rawResources = readDocument(doc, problems);
  const drafts: Draft[] = [];
  const live = new Map<string, number>();
  (rawResources ?? []).forEach((raw, i) => {
    const r = readResource(raw, i, problems);
    if (!r || r.deleted) return;
    const earlier = live.get(r.urn);
    if (earlier !== undefined) {
      problems.push(
        `deployment.resources[${i}].urn: the same urn as deployment.resources[${earlier}]; a stack holds one live resource per urn (only a copy with "delete": true may share it)`,
      );
      return;
    }
    live.set(r.urn, i);
    drafts.push(r);
  });
  if (problems.length > 0) throw new StackExportError(file, problems);

  const root = drafts.find((d) => d.type === STACK_TYPE) ?? drafts[0];
  const rootUrn = root ? parseUrn(root.urn) : undefined;
  const where = targets(drafts);
  return {
    project: rootUrn?.project ?? UNKNOWN_TARGET,
    stack: rootUrn?.stack ?? UNKNOWN_TARGET,
    resources: drafts.map((d) => {
      const t = where.get(d.urn)!;
      const explicit = d.providerRef && !isDefaultProviderUrn(d.providerRef.urn);
      return {
        urn: d.urn,
        type: d.type,
        name: d.name,
        custom: d.custom,
        ...(d.id !== undefined ? { id: d.id } : {}),
        ...(d.parent !== undefined ? { parent: d.parent } : {}),
        inputs: d.inputs,
        outputs: d.outputs,
        ...(explicit ? { providerUrn: d.providerRef!.urn } : {}),
        account: t.account,
        region: t.region,
        dependencies: d.dependencies,
        propertyDependencies: d.propertyDependencies,
        secretPaths: d.secretPaths,
        protect: d.protect,
        retainOnDelete: d.retainOnDelete,
      };
    }),
  };
}
