// The detection corpus: every case of every family, in a stable order.
import type { DetectionCase } from "./corpus-types";
import { secretsCases } from "./cases/secrets";

/** Every case of the corpus (built at load time; token values are generated, never stored). */
export function corpus(): DetectionCase[] {
  return [...secretsCases()];
}
