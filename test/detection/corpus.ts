// The detection corpus: every case of every family, in a stable order.
import type { DetectionCase } from "./corpus-types";
import { baselineCases } from "./cases/baseline";
import { escalationCases } from "./cases/escalation";
import { iamGrammarCases } from "./cases/iam-grammar";
import { publicAccessCases } from "./cases/public-access";
import { secretsCases } from "./cases/secrets";

/** Every case of the corpus (built at load time; token values are generated, never stored). */
export function corpus(): DetectionCase[] {
  return [
    ...secretsCases(),
    ...publicAccessCases(),
    ...iamGrammarCases(),
    ...escalationCases(),
    ...baselineCases(),
  ];
}
