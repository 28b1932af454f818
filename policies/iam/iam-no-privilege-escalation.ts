// Privilege escalation: permissions that let a principal give itself (or a role it controls) more
// permissions than it was granted. The paths are the published catalogue (lib/escalation-paths.ts:
// Rhino Security Labs, Pacu, BishopFox's iam-vulnerable, cloudsplaining and pathfinding.cloud), each
// reported by its id and name. Combinations are evaluated across every statement of a document, and
// for a role across all its inline policies, because splitting a path over statements or policies
// does not make it safer. A statement whose Resource list names none of the resources a step needs,
// or whose iam:PassedToService names only other services, does not complete the path
// (lib/escalation-resources.ts).
import {
  allowedFor,
  configSchema,
  reasonedList,
  type BaseConfig,
  type ScopedEntry,
} from "../lib/config";
import {
  actionMatches,
  isAllActionsPattern,
  isAllow,
  parseSources,
  provablyMatchesAction,
  provablyUnconstrained,
  type Statement,
} from "../lib/iam";
import { ESCALATION_PATHS, type EscalationPath } from "../lib/escalation-paths";
import {
  deniedFor,
  isUnconditionalDeny,
  mayCoverEveryResourceOfType,
  mayGrantOnNeededResources,
  passRoleFits,
} from "../lib/escalation-resources";
import { resourcePolicy } from "../lib/policy";
import { IDENTITY_DOCUMENT_TYPES, identityDocumentSources, physicalNames } from "../lib/resources";

export { ESCALATION_PATHS, type EscalationPath } from "../lib/escalation-paths";

export interface PrivilegeEscalationConfig extends BaseConfig {
  readonly allowedPaths: readonly (ScopedEntry & { readonly path: string })[];
}

/** A path that the statements complete, with the statement that grants each step. */
export interface EscalationMatch {
  readonly path: EscalationPath;
  readonly grants: readonly { readonly action: string; readonly statement: Statement }[];
}

/**
 * The escalation paths that `statements` (taken together) complete. A statement counts when it is
 * an Allow that is not constrained (see lib/iam.ts) and its Resource list may name a resource the
 * step needs; for iam:PassRole, when its iam:PassedToService admits a service of the path. An
 * action that an unconditional Deny removes from the statement (on every resource, or on every
 * resource the statement names) does not count.
 */
export function findEscalationPaths(
  statements: readonly Statement[],
  paths: readonly EscalationPath[] = ESCALATION_PATHS,
): EscalationMatch[] {
  const counting = statements.filter((s) => isAllow(s) && provablyUnconstrained(s));
  const denying = statements.filter(isUnconditionalDeny);
  // Admin patterns ("*") are left to iam-no-admin-statements, so they do not complete paths here.
  const grants = (s: Statement, action: string): boolean =>
    (s.action
      ? s.action.known.some((p) => escalationActionMatches(p, action))
      : provablyMatchesAction(s, action)) &&
    mayGrantOnNeededResources(s, action) &&
    !deniedFor(s, action, denying);
  // The first counting statement that grants each action of the known paths, in one pass.
  const firstGrant = new Map<string, Statement>();
  for (const s of counting) {
    const granted = s.action
      ? s.action.known.flatMap((p) => [...pathActionsOf(p)])
      : [...PATH_ACTIONS].filter((a) => provablyMatchesAction(s, a));
    for (const a of granted) {
      if (!firstGrant.has(a) && mayGrantOnNeededResources(s, a) && !deniedFor(s, a, denying))
        firstGrant.set(a, s);
    }
  }
  const grantOf = (action: string, path: EscalationPath): Statement | undefined => {
    const first = PATH_ACTIONS.has(action)
      ? firstGrant.get(action)
      : counting.find((s) => grants(s, action));
    const passRole = path.passedTo !== undefined && action.toLowerCase() === "iam:passrole";
    if (first === undefined || (!passRole && !path.anyResource)) return first;
    const fits = (s: Statement): boolean =>
      (!passRole || passRoleFits(s, path)) && (!path.anyResource || mayCoverEveryResourceOfType(s));
    return fits(first) ? first : counting.find((s) => grants(s, action) && fits(s));
  };
  const matches: EscalationMatch[] = [];
  for (const path of paths) {
    const granted: { action: string; statement: Statement }[] = [];
    for (const step of path.steps) {
      for (const action of step) {
        const statement = grantOf(action, path);
        if (statement) {
          granted.push({ action, statement });
          break;
        }
      }
    }
    if (granted.length === path.steps.length) matches.push({ path, grants: granted });
  }
  return matches;
}

/** Every action some known path names: the actions whose matches are remembered per pattern. */
const PATH_ACTIONS: ReadonlySet<string> = new Set(ESCALATION_PATHS.flatMap((p) => p.steps.flat()));
const pathActionsByPattern = new Map<string, ReadonlySet<string>>();

/**
 * The known paths' actions that an Action pattern grants for escalation purposes: those it
 * matches, none for an admin pattern. Patterns repeat across a stack's documents, so each is
 * worked out once.
 */
function pathActionsOf(pattern: string): ReadonlySet<string> {
  let granted = pathActionsByPattern.get(pattern);
  if (granted === undefined) {
    granted = isAllActionsPattern(pattern)
      ? new Set()
      : new Set([...PATH_ACTIONS].filter((a) => actionMatches(pattern, a)));
    if (pathActionsByPattern.size > 10_000) pathActionsByPattern.clear();
    pathActionsByPattern.set(pattern, granted);
  }
  return granted;
}

/** True when the Action pattern grants `action`: it matches and is not an admin pattern. */
function escalationActionMatches(pattern: string, action: string): boolean {
  return PATH_ACTIONS.has(action)
    ? pathActionsOf(pattern).has(action)
    : !isAllActionsPattern(pattern) && actionMatches(pattern, action);
}

/**
 * The granted actions of a match, each with where it is granted: `a (x), b (y) and c (z)`. By
 * default a statement is named by its label; `source` names it otherwise.
 */
export function grantList(
  match: EscalationMatch,
  source: (statement: Statement) => string = (s) => s.label,
): string {
  const parts = match.grants.map((g) => `${g.action} (${source(g.statement)})`);
  return parts.length === 1
    ? parts[0]
    : `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]}`;
}

/** The message for one match. */
export function escalationMessage(match: EscalationMatch): string {
  return `Privilege escalation "${match.path.id}" (${match.path.name}): grants ${grantList(match)}, so the holder can ${match.path.impact}.`;
}

export const iamNoPrivilegeEscalation = resourcePolicy<PrivilegeEscalationConfig>({
  name: "iam-no-privilege-escalation",
  family: "iam",
  description:
    "Flags identity policies that complete a published privilege-escalation path (Rhino Security Labs, Pacu, iam-vulnerable, cloudsplaining: iam:CreatePolicyVersion, iam:PassRole with lambda:CreateFunction and lambda:InvokeFunction, ec2-instance-connect:SendSSHPublicKey, ssm:StartSession, ...), named by id and name, combining all statements of a document and all inline policies of a role. A statement constrained by specific resource ARNs and a Condition (for example iam:PermissionsBoundary) does not count, nor one whose resources provably are none the step needs (AWS managed policies, another resource type) or whose iam:PassedToService names only other services; an unconditional Deny removes a step. All paths found on one resource are reported in one message.",
  severity: "critical",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Remove one step of the path, or constrain it: name the resources (role, policy or function ARNs) and add a Condition such as iam:PermissionsBoundary or iam:PassedToService; allow-list a path id in this policy's config only with a reason.",
  configSchema: configSchema({
    allowedPaths: reasonedList(
      "path",
      "Escalation path ids (for example passrole-lambda) accepted, each with the reason; with `resources`, only for those resources.",
      true,
    ),
  }),
  resourceTypes: IDENTITY_DOCUMENT_TYPES,
  check: (r, config) => {
    const allowed = new Set(
      allowedFor(config.allowedPaths, "path", [r.name, r.urn, ...physicalNames(r.props)]),
    );
    const statements = parseSources(identityDocumentSources(r.type, r.props)).flatMap(
      (d) => d.statements,
    );
    const matches = findEscalationPaths(
      statements,
      ESCALATION_PATHS.filter((p) => !allowed.has(p.id)),
    );
    return matches.length === 0 ? [] : [matches.map(escalationMessage).join(" ")];
  },
});
