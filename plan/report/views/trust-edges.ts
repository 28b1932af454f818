// View 3: the cross-account trust graph of a stack's IAM roles (who in another account may assume
// which role, under which conditions), the service and federated principals apart, and its text.
import type { RecordedResource } from "../../engine";
import { actionMatches, parsePolicy, PolicyDocument } from "../iam-eval";
import { ROLE_TYPE, arnAccount, arnResource, partitionOf, roleArnOf } from "./arns";
import { KNOWN_AFTER_DEPLOY, isDict, isUnknown, strings } from "./known-values";
import { byText, list, uniqueSorted } from "./wording";

/** The STS actions a trust policy grants that matter for who may act as the role. */
const STS_ACTIONS = [
  "sts:AssumeRole",
  "sts:TagSession",
  "sts:SetSourceIdentity",
  "sts:SetContext",
  "sts:AssumeRoleWithSAML",
  "sts:AssumeRoleWithWebIdentity",
];

/** What narrows a trust statement. */
export interface TrustConditions {
  /** `aws:PrincipalOrgID` values the caller must belong to. */
  readonly principalOrgId?: readonly string[];
  /** Is an `sts:ExternalId` required? (The value is not repeated.) */
  readonly externalId?: boolean;
  /** The `aws:PrincipalArn` condition: its operator and patterns. */
  readonly principalArn?: { readonly operator: string; readonly values: readonly string[] };
  /** Any other condition, as `Operator key`. */
  readonly other: readonly string[];
}

/** A principal in one account that may assume a role in another. */
export interface TrustEdge {
  readonly fromAccount: string;
  /** The caller's ARN or ARN pattern (`...:role/acme-*-pipeline`); `...:root` when not narrowed. */
  readonly fromPrincipal: string;
  readonly toAccount: string;
  /** The trusting role's ARN (KNOWN_AFTER_DEPLOY when its name is unknown). */
  readonly toRole: string;
  /** The logical name of the trusting role resource. */
  readonly resource: string;
  readonly actions: readonly string[];
  readonly conditions: TrustConditions;
  /** False when any principal of the account may assume the role (root trust, no PrincipalArn). */
  readonly narrowed: boolean;
}

/** A role an AWS service (or a federated identity provider) may assume. */
export interface ServiceTrust {
  readonly kind: "service" | "federated";
  readonly principal: string;
  readonly toAccount: string;
  readonly toRole: string;
  readonly resource: string;
  readonly actions: readonly string[];
  readonly conditions: TrustConditions;
}

/** A role whose trust policy could not be read. */
export interface SkippedTrust {
  readonly resource: string;
  readonly reason: string;
}

export interface TrustView {
  readonly edges: readonly TrustEdge[];
  readonly serviceTrust: readonly ServiceTrust[];
  readonly skipped: readonly SkippedTrust[];
}

const POSITIVE_ARN_OPS = ["ArnEquals", "ArnLike", "StringEquals", "StringLike"];

function trustConditions(condition: unknown): TrustConditions {
  let principalOrgId: string[] | undefined;
  let externalId = false;
  let principalArn: { operator: string; values: string[] } | undefined;
  const other: string[] = [];
  if (isDict(condition)) {
    for (const [operator, block] of Object.entries(condition)) {
      if (!isDict(block)) {
        other.push(operator);
        continue;
      }
      for (const [key, value] of Object.entries(block)) {
        const k = key.toLowerCase();
        const values = strings(value);
        if (k === "aws:principalorgid" && POSITIVE_ARN_OPS.includes(operator))
          principalOrgId = [...(principalOrgId ?? []), ...values];
        else if (k === "sts:externalid") externalId = true;
        else if (k === "aws:principalarn" && !principalArn) principalArn = { operator, values };
        else other.push(`${operator} ${key}`);
      }
    }
  }
  return {
    ...(principalOrgId ? { principalOrgId: uniqueSorted(principalOrgId) } : {}),
    ...(externalId ? { externalId } : {}),
    ...(principalArn ? { principalArn } : {}),
    other: uniqueSorted(other),
  };
}

/** An AWS principal value as account + ARN; undefined for what is not a principal. */
function awsPrincipal(
  value: string,
  partition: string,
): { account: string; arn: string; root: boolean } | undefined {
  if (value === "*") return { account: "*", arn: "*", root: true };
  if (/^\d{12}$/.test(value))
    return { account: value, arn: `arn:${partition}:iam::${value}:root`, root: true };
  const account = arnAccount(value);
  if (!account || !/^arn:[^:]+:(iam|sts)::/.test(value)) return undefined;
  return { account, arn: value, root: /:root$/.test(value) };
}

function roleTrust(role: RecordedResource): {
  edges: TrustEdge[];
  services: ServiceTrust[];
  skipped?: SkippedTrust;
} {
  const edges: TrustEdge[] = [];
  const services: ServiceTrust[] = [];
  const raw = role.inputs?.["assumeRolePolicy"];
  if (raw === undefined)
    return { edges, services, skipped: { resource: role.name, reason: "no trust policy" } };
  if (isUnknown(raw))
    return {
      edges,
      services,
      skipped: { resource: role.name, reason: `trust policy ${KNOWN_AFTER_DEPLOY}` },
    };
  let doc: PolicyDocument;
  try {
    doc = parsePolicy(raw);
  } catch (e) {
    return {
      edges,
      services,
      skipped: { resource: role.name, reason: e instanceof Error ? e.message : String(e) },
    };
  }
  const toRole = roleArnOf(role) ?? KNOWN_AFTER_DEPLOY;
  const partition = partitionOf(role.region);
  for (const s of doc.Statement) {
    if (s.Effect !== "Allow" || s.Principal === undefined) continue;
    const allowed = strings(s.Action);
    const notAllowed = strings(s.NotAction);
    const actions = STS_ACTIONS.filter(
      (a) =>
        (s.Action === undefined || allowed.some((p) => actionMatches(p, a))) &&
        (s.NotAction === undefined || !notAllowed.some((p) => actionMatches(p, a))) &&
        (s.Action !== undefined || s.NotAction !== undefined),
    );
    if (actions.length === 0) continue;
    const conditions = trustConditions(s.Condition);
    const principal: Record<string, unknown> =
      s.Principal === "*" ? { AWS: "*" } : isDict(s.Principal) ? s.Principal : {};
    for (const [kind, ids] of Object.entries(principal)) {
      for (const id of strings(ids)) {
        if (kind === "Service" || kind === "Federated") {
          services.push({
            kind: kind === "Service" ? "service" : "federated",
            principal: id,
            toAccount: role.account,
            toRole,
            resource: role.name,
            actions,
            conditions,
          });
          continue;
        }
        if (kind !== "AWS") continue;
        const who = awsPrincipal(id, partition);
        if (!who) continue;
        // A whole account (or everyone) narrowed by aws:PrincipalArn: the patterns are the callers.
        const narrowing =
          who.root &&
          conditions.principalArn &&
          POSITIVE_ARN_OPS.includes(conditions.principalArn.operator)
            ? conditions.principalArn.values
            : undefined;
        const callers = narrowing
          ? narrowing
              .map((pattern) => ({ pattern, account: arnAccount(pattern) ?? who.account }))
              .filter((c) => who.account === "*" || c.account === who.account)
              .map((c) => ({ account: c.account, arn: c.pattern, narrowed: true }))
          : [{ account: who.account, arn: who.arn, narrowed: !who.root }];
        for (const c of callers) {
          if (c.account === role.account) continue;
          edges.push({
            fromAccount: c.account,
            fromPrincipal: c.arn,
            toAccount: role.account,
            toRole,
            resource: role.name,
            actions,
            conditions,
            narrowed: c.narrowed,
          });
        }
      }
    }
  }
  return { edges: mergeEdges(edges), services };
}

/** One edge per (caller, role): statements granting the same caller merge their actions. */
function mergeEdges(edges: readonly TrustEdge[]): TrustEdge[] {
  const merged = new Map<string, TrustEdge>();
  for (const e of edges) {
    const key = `${e.fromPrincipal}\u0000${e.toRole}\u0000${e.resource}`;
    const prev = merged.get(key);
    merged.set(
      key,
      prev
        ? {
            ...prev,
            actions: STS_ACTIONS.filter((a) => prev.actions.includes(a) || e.actions.includes(a)),
            narrowed: prev.narrowed && e.narrowed,
          }
        : e,
    );
  }
  return [...merged.values()];
}

/**
 * Cross-account trust of the stack's IAM roles: every principal of another account a trust policy
 * admits (an account root narrowed by `aws:PrincipalArn` yields the patterns; a role ARN yields
 * itself), the service and federated principals apart, and the roles whose trust policy could not
 * be read (malformed or unknown) as `skipped`. Allow statements are read; Deny statements are not
 * subtracted.
 */
export function trustEdges(resources: readonly RecordedResource[]): TrustView {
  const edges: TrustEdge[] = [];
  const serviceTrust: ServiceTrust[] = [];
  const skipped: SkippedTrust[] = [];
  for (const role of resources.filter((r) => r.type === ROLE_TYPE)) {
    const found = roleTrust(role);
    for (const e of found.edges) edges.push(e);
    for (const s of found.services) serviceTrust.push(s);
    if (found.skipped) skipped.push(found.skipped);
  }
  const edgeKey = (e: TrustEdge) =>
    [e.toAccount, e.toRole, e.resource, e.fromAccount, e.fromPrincipal].join("\u0000");
  const serviceKey = (s: ServiceTrust) =>
    [s.toAccount, s.toRole, s.resource, s.kind, s.principal].join("\u0000");
  return {
    edges: edges.sort(byText(edgeKey)),
    serviceTrust: serviceTrust.sort(byText(serviceKey)),
    skipped: skipped.sort(byText((s) => s.resource)),
  };
}

/** The conditions of a trust statement, for a reader. */
export function describeConditions(c: TrustConditions, narrowed = true): string {
  const parts: string[] = [];
  if (c.principalArn) parts.push(`${c.principalArn.operator} aws:PrincipalArn`);
  if (c.principalOrgId) parts.push(`org ${list(c.principalOrgId)}`);
  if (c.externalId) parts.push("external id required");
  for (const o of c.other) parts.push(o);
  if (!narrowed) parts.push("NOT NARROWED: any principal of the account");
  return parts.length ? parts.join(", ") : "no conditions";
}

/** The trust view as text, grouped by the trusting role. */
export function renderTrust(view: TrustView): string[] {
  const lines: string[] = [];
  const roles = new Map<string, TrustEdge[]>();
  for (const e of view.edges) {
    const key = `${e.toRole}\u0000${e.resource}`;
    roles.set(key, [...(roles.get(key) ?? []), e]);
  }
  for (const edges of roles.values()) {
    const { toRole, toAccount, resource } = edges[0];
    const name = toRole === KNOWN_AFTER_DEPLOY ? `${resource} ${toRole}` : arnResource(toRole);
    lines.push(`${name} in ${toAccount}`);
    for (const e of edges)
      lines.push(
        `  ← ${e.fromPrincipal} (${e.fromAccount}) · ${list(e.actions)} · ${describeConditions(e.conditions, e.narrowed)}`,
      );
  }
  if (view.edges.length === 0) lines.push("No role trusts another account.");
  if (view.serviceTrust.length > 0) {
    lines.push("Service principals");
    for (const s of view.serviceTrust) {
      const name = s.toRole === KNOWN_AFTER_DEPLOY ? s.resource : arnResource(s.toRole);
      lines.push(
        `  ${name} in ${s.toAccount} ← ${s.principal} · ${list(s.actions)} · ${describeConditions(s.conditions)}`,
      );
    }
  }
  if (view.skipped.length > 0) {
    lines.push("Unreadable trust policies");
    for (const s of view.skipped) lines.push(`  ${s.resource}: ${s.reason}`);
  }
  return lines;
}
