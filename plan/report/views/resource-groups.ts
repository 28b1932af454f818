// View 1: the custom resources of a stack by account, region and top-level component, with counts
// by type and the providers that pin them, and their plain-text rendering.
import type { RecordedResource } from "../../engine";
import { plural } from "./wording";

const STACK_TYPE = "pulumi:pulumi:Stack";

/** `s3.Bucket` for `aws:s3/bucket:Bucket`; `random.RandomString` for other packages' tokens. */
export function shortType(type: string): string {
  const [pkg, mod, name] = type.split(":");
  if (name === undefined) return type;
  const module = (mod ?? "").split("/")[0];
  const prefix = pkg === "aws" ? [] : [pkg];
  if (module && module !== "index") prefix.push(module);
  return [...prefix, name].join(".");
}

/** How many resources of one type a group holds. */
export interface TypeCount {
  readonly type: string;
  readonly count: number;
}

/** The resources under one top-level component (or directly under the stack). */
export interface ComponentGroup {
  /** The component's name, or the stack's name for resources registered directly under it. */
  readonly name: string;
  /** The component's type token (`platform:tools:ArtifactStore`), or `pulumi:pulumi:Stack`. */
  readonly type: string;
  readonly count: number;
  /** Counts by type token, most frequent first, then by type. */
  readonly types: readonly TypeCount[];
}

export interface RegionGroup {
  readonly region: string;
  readonly count: number;
  readonly components: readonly ComponentGroup[];
}

export interface AccountGroup {
  readonly account: string;
  readonly count: number;
  readonly regions: readonly RegionGroup[];
}

/** A provider resource and the account and region it pins its resources to. */
export interface ProviderTarget {
  readonly name: string;
  /** The provider package (`aws`). */
  readonly package: string;
  readonly account: string;
  readonly region: string;
  /** The top-level component the provider belongs to (or the stack's name). */
  readonly component: string;
}

export interface ResourceGroups {
  /** The root stack resource's name, when it was recorded. */
  readonly stack?: string;
  /** Custom resources counted (root stack, components and providers excluded). */
  readonly total: number;
  readonly accounts: readonly AccountGroup[];
  readonly providers: readonly ProviderTarget[];
}

const isProvider = (r: RecordedResource) => r.type.startsWith("pulumi:providers:");

/** The component just below the root stack that holds `r`, or undefined when `r` sits under the root. */
function topComponent(
  r: RecordedResource,
  byUrn: ReadonlyMap<string, RecordedResource>,
): RecordedResource | undefined {
  let top: RecordedResource | undefined;
  let cur: RecordedResource | undefined = r;
  const seen = new Set<string>();
  while (cur && cur.parent && !seen.has(cur.urn)) {
    seen.add(cur.urn);
    const parent = byUrn.get(cur.parent);
    if (!parent || parent.type === STACK_TYPE) break;
    top = parent;
    cur = parent;
  }
  // A custom resource parented to another custom resource at the top stays with the stack.
  return top && !top.custom ? top : undefined;
}

/** Custom resources grouped by account, region and top-level component, with counts by type. */
export function resourceGroups(resources: readonly RecordedResource[]): ResourceGroups {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const root = resources.find((r) => r.type === STACK_TYPE);
  const stackGroup = { name: root?.name ?? "(stack)", type: STACK_TYPE };
  // account -> region -> component key -> { group, type counts }
  const tree = new Map<
    string,
    Map<string, Map<string, { name: string; type: string; types: Map<string, number> }>>
  >();
  const providers: ProviderTarget[] = [];
  let total = 0;
  for (const r of resources) {
    if (!r.custom || r.type === STACK_TYPE) continue;
    const top = topComponent(r, byUrn);
    const group = top ? { name: top.name, type: top.type } : stackGroup;
    if (isProvider(r)) {
      providers.push({
        name: r.name,
        package: r.type.slice("pulumi:providers:".length),
        account: r.account,
        region: r.region,
        component: group.name,
      });
      continue;
    }
    total++;
    const regions = tree.get(r.account) ?? new Map();
    tree.set(r.account, regions);
    const components = regions.get(r.region) ?? new Map();
    regions.set(r.region, components);
    const key = `${group.type}::${group.name}`;
    const entry = components.get(key) ?? { ...group, types: new Map<string, number>() };
    components.set(key, entry);
    entry.types.set(r.type, (entry.types.get(r.type) ?? 0) + 1);
  }
  const accounts: AccountGroup[] = [...tree.keys()].sort().map((account) => {
    const regionMap = tree.get(account)!;
    const regions: RegionGroup[] = [...regionMap.keys()].sort().map((region) => {
      const components: ComponentGroup[] = [...regionMap.get(region)!.values()]
        .map((c) => {
          const types = [...c.types.entries()]
            .map(([type, count]) => ({ type, count }))
            .sort((a, b) => b.count - a.count || a.type.localeCompare(b.type));
          return {
            name: c.name,
            type: c.type,
            count: types.reduce((n, t) => n + t.count, 0),
            types,
          };
        })
        .sort(
          (a, b) =>
            Number(b.type === STACK_TYPE) - Number(a.type === STACK_TYPE) ||
            a.name.localeCompare(b.name) ||
            a.type.localeCompare(b.type),
        );
      return { region, count: components.reduce((n, c) => n + c.count, 0), components };
    });
    return { account, count: regions.reduce((n, g) => n + g.count, 0), regions };
  });
  providers.sort(
    (a, b) =>
      a.account.localeCompare(b.account) ||
      a.region.localeCompare(b.region) ||
      a.name.localeCompare(b.name),
  );
  return { ...(root ? { stack: root.name } : {}), total, accounts, providers };
}

/** The resource groups as text. */
export function renderGroups(groups: ResourceGroups): string[] {
  const lines: string[] = [];
  for (const account of groups.accounts) {
    lines.push(`Account ${account.account} · ${plural(account.count, "resource")}`);
    for (const region of account.regions) {
      lines.push(`  ${region.region} · ${plural(region.count, "resource")}`);
      for (const c of region.components) {
        const kind = c.type === STACK_TYPE ? "directly under the stack" : c.type;
        const types = c.types.map((t) => `${t.count} ${shortType(t.type)}`).join(", ");
        lines.push(`    ${c.name} (${kind}) · ${c.count}: ${types}`);
      }
    }
  }
  if (groups.providers.length > 0) {
    lines.push(`Providers · ${groups.providers.length}`);
    for (const p of groups.providers)
      lines.push(`  ${p.name} (${p.package}) → ${p.account} ${p.region}`);
  }
  return lines;
}
