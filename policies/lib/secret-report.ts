// Where the secrets family reports the suppressions that fired (a rule matched, a suppression
// explained the match away). The policy API has no channel for them, so a runner that wants them
// (the offline plan and `check`) installs a sink around each policy call; under `pulumi preview`
// there is none and they are dropped. Policy checks are synchronous, so the sink installed for a
// call sees exactly that call's suppressions. Never carries the value, only where and why.
import type { SuppressionHit } from "./secrets";

/** One suppression at one property of the resource under check. */
export interface SuppressionRecord extends SuppressionHit {
  /** The property path (`environment.variables.DB_PASSWORD`); "" for the whole value. */
  readonly path: string;
}

type Sink = (record: SuppressionRecord) => void;
let current: Sink | undefined;

/** Runs `run` with `sink` receiving every suppression the secrets policies report meanwhile. */
export function collectSuppressions<T>(sink: Sink, run: () => T): T {
  const previous = current;
  current = sink;
  try {
    return run();
  } finally {
    current = previous;
  }
}

/** True when someone is listening (callers may skip building paths otherwise). */
export function suppressionsWanted(): boolean {
  return current !== undefined;
}

/** Reports the suppressions of one scanned value at `path`. */
export function reportSuppressions(path: string, hits: readonly SuppressionHit[]): void {
  if (current === undefined) return;
  for (const h of hits) current({ suppression: h.suppression, rule: h.rule, path });
}
