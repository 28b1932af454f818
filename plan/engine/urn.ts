// The URNs the engine gives resources: the ones `pulumi stack export`, `pulumi state` and
// `--target` use. The SDK's mock runtime builds them differently (pulumi/pulumi#8637), so the
// offline engine builds them itself.

/** The root stack's type token (sdk/go/common/resource/stack.go, RootStackType). */
export const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";

/**
 * The engine's URN for a resource registered with `parent`, `type` and `name`:
 * `urn:pulumi:<stack>::<project>::<qualifiedType>::<name>`, where the qualified type is the
 * parent's whole qualified type (`a$b$c`) joined to `type` with "$", and just `type` when there is
 * no parent or the parent is the root stack (pulumi/pulumi#653). Engine source, pulumi/pulumi at
 * 1b5949891b3c: pkg/resource/deploy/deployment.go l.796-805 (generateURN) and
 * sdk/go/common/resource/urn/urn.go l.80-93 (urn.New).
 */
export function engineUrn(
  stack: string,
  project: string,
  parent: string | undefined,
  type: string,
  name: string,
): string {
  let qualified = type;
  // The qualified type is the URN's third "::" part (urn.go l.134-136, QualifiedType).
  const parentType = parent ? parent.split("::")[2] : undefined;
  if (parentType && parentType !== ROOT_STACK_TYPE) qualified = `${parentType}$${type}`;
  return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

/**
 * Which engine's URN scheme the plan's URNs follow (the JSON and `check` reports state it): the
 * engine version whose source the rule was checked against, and the rule.
 */
export const URN_SCHEME = {
  engine: "3.260.0",
  rule: "root stack elided from parent types (pulumi/pulumi#653); otherwise the parent's whole qualified type",
} as const;
