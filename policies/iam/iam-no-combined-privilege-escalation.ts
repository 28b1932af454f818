// Privilege escalation split across resources. iam-no-privilege-escalation judges one resource at a
// time (a policy document, or a role's inline policies together), so a role that receives
// iam:PassRole from one RolePolicy and ec2:RunInstances from another, or from a managed policy
// attached by a RolePolicyAttachment, escapes it. AWS evaluates every identity policy of a
// principal together, and so does this policy: it groups each document of the stack by the role,
// user or group it applies to and reports the paths that only the group completes.
import { allowedFor, configSchema, reasonedList } from "../lib/config";
import { parsePolicyDocument, type Statement } from "../lib/iam";
import { stackPolicy, type StackFinding } from "../lib/policy";
import {
  attachedPolicyArns,
  attachmentProperty,
  identityDocumentSources,
  physicalNames,
  T,
} from "../lib/resources";
import { ofType, push, ReferenceIndex, type StackResource } from "../lib/stack";
import { knownString, read } from "../lib/unknowns";
import {
  ESCALATION_PATHS,
  findEscalationPaths,
  grantList,
  type EscalationMatch,
  type EscalationPath,
  type PrivilegeEscalationConfig,
} from "./iam-no-privilege-escalation";

type PrincipalType = typeof T.role | typeof T.user | typeof T.group;

const PRINCIPAL_TYPES: readonly PrincipalType[] = [T.role, T.user, T.group];

/** Resources that hold one identity document for one principal, and the property naming it. */
const DOCUMENT_LINKS: readonly { type: string; principal: PrincipalType; property: string }[] = [
  { type: T.rolePolicy, principal: T.role, property: "role" },
  { type: T.userPolicy, principal: T.user, property: "user" },
  { type: T.groupPolicy, principal: T.group, property: "group" },
];

/**
 * Resources that attach managed policies (the ARNs are read with `attachedPolicyArns`), and the
 * properties naming the principals they attach them to. A role's own `managedPolicyArns` is handled
 * apart: the principal is the role itself.
 */
const ATTACHMENT_LINKS: readonly {
  type: string;
  principals: readonly { type: PrincipalType; property: string }[];
}[] = [
  { type: T.rolePolicyAttachment, principals: [{ type: T.role, property: "role" }] },
  { type: T.rolePolicyAttachmentsExclusive, principals: [{ type: T.role, property: "roleName" }] },
  { type: T.userPolicyAttachment, principals: [{ type: T.user, property: "user" }] },
  { type: T.groupPolicyAttachment, principals: [{ type: T.group, property: "group" }] },
  {
    type: T.policyAttachment,
    principals: [
      { type: T.role, property: "roles" },
      { type: T.user, property: "users" },
      { type: T.group, property: "groups" },
    ],
  },
];

/** `RolePolicy "deploy-extra"`: the short type name and the logical name, for messages. */
export function describeResource(r: StackResource): string {
  const short = r.type.slice(r.type.lastIndexOf(":") + 1);
  return `${short} "${r.name}"`;
}

/** The statements of a resource's identity documents. */
export interface ParsedResource {
  /** Statements of its well-formed documents, the ones combined across resources. */
  readonly statements: Statement[];
  /** Every statement, malformed documents included: what iam-no-privilege-escalation judges. */
  readonly ownStatements: Statement[];
}

/**
 * Parses a resource's identity documents, labelling statements with the resource
 * (`RolePolicy "x" statement 0`, `Role "r" inlinePolicies[0] ("y") statement 1`). Documents with
 * problems are not combined: iam-valid-policy-documents reports them, and AWS would refuse them.
 */
function parseResource(r: StackResource): ParsedResource {
  const docs = identityDocumentSources(r.type, r.props).map((source) =>
    parsePolicyDocument(
      source.value,
      r.type === T.role ? `${describeResource(r)} ${source.label}` : describeResource(r),
    ),
  );
  return {
    statements: docs.filter((d) => d.problems.length === 0).flatMap((d) => d.statements),
    ownStatements: docs.flatMap((d) => d.statements),
  };
}

/**
 * The key under which a customer-managed policy is found by a known ARN: its path and name
 * (`/path/name`, for `arn:aws:iam::123456789012:policy/path/name`), when both are known.
 */
function policyArnKey(policy: StackResource): string | undefined {
  const name = knownString(policy.props, "name");
  const path = read(policy.props, "path");
  const prefix = path === undefined ? "/" : typeof path === "string" ? path : undefined;
  if (name === undefined || name === "" || prefix === undefined) return undefined;
  return `${prefix}${name}`;
}

const POLICY_ARN = /^arn:[^:]+:iam::\d{12}:policy\//;

/**
 * Finds the customer-managed policies of the stack that an attachment (or a role's
 * managedPolicyArns) attaches: through its dependencies or known values, then through known ARNs
 * that name a policy by path and name, for programs that build the ARN themselves.
 */
class ManagedPolicyIndex {
  private readonly references: ReferenceIndex<StackResource>;
  private readonly byArnKey = new Map<string, StackResource[]>();

  constructor(private readonly managed: readonly StackResource[]) {
    this.references = new ReferenceIndex(managed);
    for (const m of managed) {
      const key = policyArnKey(m);
      if (key === undefined) continue;
      push(this.byArnKey, key, m);
    }
  }

  /** The managed policies `attachment` attaches, in the stack's order. */
  attachedBy(attachment: StackResource): StackResource[] {
    const found = new Set(
      this.references.referredBy(attachment, attachmentProperty(attachment.type)),
    );
    for (const arn of attachedPolicyArns(attachment.type, attachment.props)) {
      if (typeof arn !== "string" || !POLICY_ARN.test(arn)) continue;
      // The ARN ends with `:policy<path><name>`: try each `:policy` it holds.
      for (let at = arn.indexOf(":policy"); at !== -1; at = arn.indexOf(":policy", at + 1)) {
        this.byArnKey.get(arn.slice(at + ":policy".length))?.forEach((m) => found.add(m));
      }
    }
    return this.managed.filter((m) => found.has(m));
  }
}

/** A resource that grants a principal permissions: the principal, a policy, a managed policy. */
export interface GrantingResource extends ParsedResource {
  readonly resource: StackResource;
  /** For a managed policy: what attaches it (`RolePolicyAttachment "x"`, `managedPolicyArns`). */
  readonly attachedThrough: readonly string[];
}

/**
 * Every resource of the stack that grants identity permissions to each role, user and group, by
 * principal URN: the principal's inline policies, its role / user / group policies, then the
 * managed policies attached to it, each once.
 */
export function grantingResourcesByPrincipal(
  resources: readonly StackResource[],
): Map<string, GrantingResource[]> {
  const principals = ofType(resources, ...PRINCIPAL_TYPES);
  const managed = ofType(resources, T.policy);
  const parsed = new Map<string, ParsedResource>();
  const parse = (r: StackResource): ParsedResource => {
    let result = parsed.get(r.urn);
    if (result === undefined) {
      result = parseResource(r);
      parsed.set(r.urn, result);
    }
    return result;
  };
  type Building = ParsedResource & { resource: StackResource; attachedThrough: string[] };
  const byPrincipal = new Map<string, Map<string, Building>>(
    principals.map((p) => [p.urn, new Map<string, Building>()]),
  );
  const add = (principal: StackResource, r: StackResource, attachedThrough?: string): void => {
    const granting = byPrincipal.get(principal.urn);
    if (granting === undefined) return;
    let g = granting.get(r.urn);
    if (g === undefined) {
      g = { ...parse(r), resource: r, attachedThrough: [] };
      granting.set(r.urn, g);
    }
    if (attachedThrough !== undefined && !g.attachedThrough.includes(attachedThrough)) {
      g.attachedThrough.push(attachedThrough);
    }
  };
  const policies = new ManagedPolicyIndex(managed);
  const principalsOf = new Map(
    PRINCIPAL_TYPES.map((type) => [type, new ReferenceIndex(ofType(principals, type))]),
  );
  const referred = (from: StackResource, property: string, type: PrincipalType) =>
    principalsOf.get(type)!.referredBy(from, property);

  for (const p of principals) add(p, p);
  for (const link of DOCUMENT_LINKS) {
    for (const r of ofType(resources, link.type)) {
      for (const p of referred(r, link.property, link.principal)) add(p, r);
    }
  }
  for (const role of ofType(principals, T.role)) {
    for (const m of policies.attachedBy(role)) add(role, m, "managedPolicyArns");
  }
  for (const link of ATTACHMENT_LINKS) {
    for (const a of ofType(resources, link.type)) {
      const targets = link.principals.flatMap((l) => referred(a, l.property, l.type));
      if (targets.length === 0) continue;
      const attached = policies.attachedBy(a);
      for (const p of targets) for (const m of attached) add(p, m, describeResource(a));
    }
  }
  const out = new Map<string, GrantingResource[]>();
  for (const [urn, granting] of byPrincipal) {
    out.set(
      urn,
      [...granting.values()].filter((g) => g.ownStatements.length > 0),
    );
  }
  return out;
}

/** The message for a path that a principal's resources complete together. */
export function combinedEscalationMessage(
  principal: StackResource,
  match: EscalationMatch,
  granting: readonly GrantingResource[],
): string {
  const source = (s: Statement): string => {
    const g = granting.find((candidate) => candidate.statements.includes(s));
    return g === undefined || g.attachedThrough.length === 0
      ? s.label
      : `${s.label}, attached through ${g.attachedThrough.join(" and ")}`;
  };
  return `Privilege escalation "${match.path.id}" (${match.path.name}) across the policies of ${describeResource(principal)}: ${grantList(match, source)} together let the holder ${match.path.impact}.`;
}

/**
 * One finding per principal and escalation path that the principal's granting resources complete
 * together but none of them completes alone, as iam-no-privilege-escalation judges it (that policy
 * reports those). Deny statements count across all of them.
 */
export function findCombinedEscalations(
  resources: readonly StackResource[],
  paths: readonly EscalationPath[] = ESCALATION_PATHS,
  allowedPathsOf: (principal: StackResource) => readonly string[] = () => [],
): StackFinding[] {
  const findings: StackFinding[] = [];
  const byPrincipal = grantingResourcesByPrincipal(resources);
  for (const principal of ofType(resources, ...PRINCIPAL_TYPES)) {
    const granting = byPrincipal.get(principal.urn) ?? [];
    if (granting.length < 2) continue;
    const all = granting.flatMap((g) => g.statements);
    const allowed = new Set(allowedPathsOf(principal));
    const open = paths.filter((p) => !allowed.has(p.id));
    for (const match of findEscalationPaths(all, open)) {
      const alone = granting.some(
        (g) => findEscalationPaths(g.ownStatements, [match.path]).length > 0,
      );
      if (!alone) {
        findings.push({
          resource: principal,
          message: combinedEscalationMessage(principal, match, granting),
        });
      }
    }
  }
  return findings;
}

export const iamNoCombinedPrivilegeEscalation = stackPolicy<PrivilegeEscalationConfig>({
  name: "iam-no-combined-privilege-escalation",
  family: "iam",
  description:
    "Flags roles, users and groups whose identity policies complete a published privilege-escalation path (the catalogue of iam-no-privilege-escalation, named by id and name) only together: inline policies, role/user/group policies and customer-managed policies of the stack attached through managedPolicyArns or policy attachments, linked through dependencies, then known names and ARNs. Deny statements count across all of them; a path that one resource completes alone is left to iam-no-privilege-escalation.",
  severity: "high",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Remove one step of the path from the principal's policies, or constrain it: name the resources (role, policy or function ARNs) and add a Condition such as iam:PermissionsBoundary or iam:PassedToService; allow-list a path id in this policy's config only with a reason.",
  configSchema: configSchema({
    allowedPaths: reasonedList(
      "path",
      "Escalation path ids (for example passrole-ec2) accepted, each with the reason; with `resources`, only for those principals.",
      true,
    ),
  }),
  check: (resources, config) =>
    findCombinedEscalations(resources, ESCALATION_PATHS, (principal) =>
      allowedFor(config.allowedPaths, "path", [
        principal.name,
        principal.urn,
        ...physicalNames(principal.props),
      ]),
    ),
});
