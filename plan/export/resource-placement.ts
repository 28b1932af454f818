// Where each resource of an export lives: account and region from its provider (or its own region
// input), the root stack at the stack's home, components where their custom descendants agree.
import { providerTarget, usable, type Target } from "../engine/provider-target";
import { UNKNOWN_TARGET } from "./parsed-export";
import type { Draft } from "./resource-reader";
import { isDefaultProviderUrn, PROVIDER_PREFIX, STACK_TYPE } from "./wire-format";

/** Account and region of every resource, keyed by URN (see parseStackExport). */
export function targets(drafts: readonly Draft[]): Map<string, Target> {
  const unknown: Target = { account: UNKNOWN_TARGET, region: UNKNOWN_TARGET };
  const byUrn = new Map(drafts.map((d) => [d.urn, d]));
  const defaultAws = drafts.find(
    (d) => d.type === `${PROVIDER_PREFIX}aws` && isDefaultProviderUrn(d.urn),
  );
  const stackDefault = defaultAws ? providerTarget(defaultAws.inputs, unknown) : unknown;
  const out = new Map<string, Target>();
  const withRegion = (d: Draft, t: Target): Target =>
    usable(d.inputs["region"]) ? { account: t.account, region: d.inputs["region"] } : t;
  for (const d of drafts) {
    if (!d.custom) continue;
    let t = stackDefault;
    if (d.type.startsWith(PROVIDER_PREFIX)) t = providerTarget(d.inputs, stackDefault);
    else if (d.providerRef) {
      const p = byUrn.get(d.providerRef.urn);
      if (p) t = providerTarget(p.inputs, stackDefault);
    }
    out.set(d.urn, withRegion(d, t));
  }
  // The stack's home: its default provider's target (the stack's `aws:` config), else where most
  // of its resources are.
  let home = defaultAws ? stackDefault : undefined;
  if (!home) {
    const counts = new Map<string, { target: Target; n: number }>();
    for (const d of drafts) {
      const t = out.get(d.urn);
      if (!d.custom || d.type.startsWith(PROVIDER_PREFIX) || !t) continue;
      if (t.account === UNKNOWN_TARGET && t.region === UNKNOWN_TARGET) continue;
      const key = `${t.account}|${t.region}`;
      const entry = counts.get(key) ?? { target: t, n: 0 };
      entry.n += 1;
      counts.set(key, entry);
    }
    for (const { target, n } of counts.values())
      if (!home || n > counts.get(`${home.account}|${home.region}`)!.n) home = target;
  }
  // Components: where all their custom descendants are, when those agree; else their parent's.
  const children = new Map<string, Draft[]>();
  for (const d of drafts)
    if (d.parent && d.parent !== d.urn) {
      const list = children.get(d.parent) ?? [];
      list.push(d);
      children.set(d.parent, list);
    }
  const agreed = new Map<string, Target | undefined>();
  for (const d of drafts) {
    if (d.custom) continue;
    const seen = new Set<string>([d.urn]);
    const stack = [...(children.get(d.urn) ?? [])];
    let found: Target | undefined;
    let conflict = false;
    while (stack.length > 0 && !conflict) {
      const c = stack.pop()!;
      if (seen.has(c.urn)) continue;
      seen.add(c.urn);
      const t = out.get(c.urn);
      if (c.custom && t) {
        if (!found) found = t;
        else if (found.account !== t.account || found.region !== t.region) conflict = true;
      }
      for (const child of children.get(c.urn) ?? []) stack.push(child);
    }
    agreed.set(d.urn, conflict ? undefined : found);
  }
  for (const d of drafts) {
    if (d.custom) continue;
    // The root stack is the stack's home, whatever its resources say.
    const own = (r: Draft): Target | undefined =>
      r.type === STACK_TYPE ? (home ?? unknown) : r.custom ? out.get(r.urn) : agreed.get(r.urn);
    let t = own(d);
    const seen = new Set<string>([d.urn]);
    let at: Draft | undefined = d;
    while (!t && at?.parent && !seen.has(at.parent)) {
      seen.add(at.parent);
      at = byUrn.get(at.parent);
      if (!at) break;
      t = own(at);
    }
    out.set(d.urn, withRegion(d, t ?? home ?? unknown));
  }
  return out;
}
