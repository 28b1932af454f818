// Compares what the plan's engine records for a stack with what the protocol carries when the SDK
// runs the same program through cmd/run against ./engine-server.
import { propertyPath } from "../../policies/lib/unknowns";
import { answerInvoke } from "../../plan/engine/invokes";
import { stackTarget, type RecordedResource, type StackRun } from "../../plan/engine";
import { loadStackConfig } from "../../plan/engine/project";
import { runProgram, type ProgramRun } from "./run-program";
import { SIG, UNKNOWN, type Registration } from "./engine-server";

type Json = Record<string, unknown>;
const isMap = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** Inputs as the plan records them: secrets unwrapped (their paths listed), refs as URNs. */
export function planView(inputs: Json): { inputs: Json; secretPaths: string[] } {
  const secretPaths: string[] = [];
  const at: (string | number)[] = [];
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map((e, i) => (at.push(i), pop(walk(e))));
    if (!isMap(v)) return v;
    const sig = v[SIG.key];
    if (sig === SIG.secret) return (secretPaths.push(propertyPath(at, "")), walk(v["value"]));
    if (sig === SIG.outputValue) {
      if (v["secret"] === true) secretPaths.push(propertyPath(at, ""));
      return "value" in v ? walk(v["value"]) : UNKNOWN;
    }
    if (sig === SIG.resourceRef) return v["urn"];
    if (sig === SIG.asset || sig === SIG.archive) return v;
    return Object.fromEntries(Object.entries(v).map(([k, e]) => (at.push(k), [k, pop(walk(e))])));
  };
  const pop = <T>(x: T): T => (at.pop(), x);
  return { inputs: walk(inputs) as Json, secretPaths: secretPaths.sort() };
}

export interface Comparison {
  readonly protocol: ProgramRun;
  /** Registrations the program sent (the engine's own default providers left out). */
  readonly sent: Registration[];
  /** Registrations compared field by field. */
  readonly compared: number;
  readonly providers: number;
  readonly assets: number;
  /** One line per difference. */
  readonly differences: string[];
}

const sorted = (xs: readonly string[]) => [...xs].sort();
const json = (v: unknown) => JSON.stringify(v, (_k, x) => (isMap(x) ? sortKeys(x) : x));
const sortKeys = (m: Json) =>
  Object.fromEntries(
    Object.keys(m)
      .sort()
      .map((k) => [k, m[k]]),
  );
const hasAsset = (v: unknown): boolean =>
  Array.isArray(v)
    ? v.some(hasAsset)
    : isMap(v) &&
      (v[SIG.key] === SIG.asset || v[SIG.key] === SIG.archive || Object.values(v).some(hasAsset));

/**
 * Runs `stack` through cmd/run, answering each registration with the id and outputs the plan
 * computed for that URN (so both runs see the same outputs), and compares every registration.
 */
export async function compareStack(projectDir: string, plan: StackRun): Promise<Comparison> {
  const byUrn = new Map<string, RecordedResource>(plan.resources.map((r) => [r.urn, r]));
  const target = stackTarget(loadStackConfig(projectDir, plan.stack).config);
  const protocol = await runProgram(projectDir, plan.stack, {
    preview: plan.preview,
    answer: (urn, wire) => {
      const r = byUrn.get(urn);
      const outputs: Json = { ...wire };
      for (const [k, v] of Object.entries(r?.outputs ?? {}))
        if (wire[k] === undefined) outputs[k] = v;
      return { id: r?.id ?? "", outputs };
    },
    invoke: (token, args) => answerInvoke(token, planView(args).inputs, target) as Json,
  });
  const differences: string[] = [];
  if (protocol.exitCode !== 0)
    differences.push(
      `cmd/run exited ${protocol.exitCode}: ${protocol.errors.join("; ")} ${protocol.stderr}`,
    );
  const sent = protocol.registrations.filter((r) => !r.synthetic);
  const seen = new Set(sent.map((r) => r.urn));
  for (const r of plan.resources)
    if (!seen.has(r.urn))
      differences.push(`the plan records ${r.urn}, the engine registered no such URN`);
  let compared = 0;
  for (const reg of sent) {
    const r = byUrn.get(reg.urn);
    if (!r) {
      differences.push(`the engine registered ${reg.urn}, the plan records no such URN`);
      continue;
    }
    compared++;
    const view = planView(reg.inputs);
    const want = {
      type: reg.type,
      name: reg.name,
      custom: reg.custom,
      parent: reg.parent || undefined,
      provider:
        reg.defaultProvider || !reg.provider
          ? undefined
          : reg.provider.split("::").slice(0, -1).join("::"),
      inputs: view.inputs,
      secretPaths: view.secretPaths,
      dependencies: sorted(reg.dependencies),
      propertyDependencies: sortKeys(
        Object.fromEntries(
          Object.entries(reg.propertyDependencies).map(([k, v]) => [k, sorted(v)]),
        ),
      ),
      protect: reg.protect,
      retainOnDelete: reg.retainOnDelete,
    };
    const got = {
      type: r.type,
      name: r.name,
      custom: r.custom,
      parent: r.parent,
      provider: r.providerUrn,
      inputs: r.inputs,
      secretPaths: sorted(r.secretPaths),
      dependencies: sorted(r.dependencies),
      propertyDependencies: sortKeys(
        Object.fromEntries(Object.entries(r.propertyDependencies).map(([k, v]) => [k, sorted(v)])),
      ),
      protect: r.protect,
      retainOnDelete: r.retainOnDelete,
    };
    for (const k of Object.keys(want) as (keyof typeof want)[])
      if (json(want[k]) !== json(got[k]))
        differences.push(
          `${reg.urn} ${k}: engine ${json(want[k]).slice(0, 300)}, plan ${json(got[k]).slice(0, 300)}`,
        );
  }
  return {
    protocol,
    sent,
    compared,
    providers: sent.filter((r) => r.type.startsWith("pulumi:providers:")).length,
    assets: sent.filter((r) => hasAsset(r.inputs)).length,
    differences,
  };
}
