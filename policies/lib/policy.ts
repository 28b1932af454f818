// How the pack's policies are declared. Every policy names its family, severity, default
// enforcement level and remediation steps; its check is a pure function that returns findings, and
// the wrapper here turns findings into violations (message = finding + remediation steps), applies
// exemptions and skips resource types the policy does not read.
import type {
  EnforcementLevel,
  PolicyConfigSchema,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  Severity,
  StackValidationPolicy,
} from "@pulumi/policy";
import { isExempt, type BaseConfig } from "./config";
import { physicalNames } from "./resources";
import type { StackResource } from "./stack";

/** The four families of the pack, one folder each. */
export type Family = "iam" | "secrets" | "alarms" | "baseline";

/** What every policy of the pack declares, beyond what @pulumi/policy requires. */
export interface PackPolicyInfo {
  readonly name: string;
  readonly family: Family;
  readonly description: string;
  readonly severity: Severity;
  readonly enforcementLevel: EnforcementLevel;
  readonly remediationSteps: string;
  readonly configSchema: PolicyConfigSchema;
}

export type PackResourcePolicy = ResourceValidationPolicy &
  PackPolicyInfo & {
    /**
     * The only resource types the policy reads (absent: every type). Its validateResource calls
     * notApplicable for any other type first thing, so a runner may skip those resources.
     */
    readonly resourceTypes?: readonly string[];
  };
export type PackStackPolicy = StackValidationPolicy & PackPolicyInfo;
export type PackPolicy = PackResourcePolicy | PackStackPolicy;

/** The resource a resource policy is looking at. */
export interface ResourceUnderCheck {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  /** The resource's inputs; during preview reading an unknown value throws (use lib/unknowns). */
  readonly props: Record<string, unknown>;
  /** The explicit provider's properties, when the resource has one. */
  readonly providerProps?: Record<string, unknown>;
}

/** The violation message: what was found, then how to fix it. */
export function violationMessage(finding: string, remediationSteps: string): string {
  return `${finding} Remediation: ${remediationSteps}`;
}

/** Declares a resource policy that reads the listed types (or every type, for "any"). */
export function resourcePolicy<C extends BaseConfig>(
  spec: PackPolicyInfo & {
    readonly resourceTypes: readonly string[] | "any";
    readonly check: (resource: ResourceUnderCheck, config: C) => string[] | Promise<string[]>;
  },
): PackResourcePolicy {
  const { resourceTypes, check, ...info } = spec;
  return {
    ...info,
    ...(resourceTypes === "any" ? {} : { resourceTypes }),
    validateResource: async (args: ResourceValidationArgs, reportViolation) => {
      if (resourceTypes !== "any" && !resourceTypes.includes(args.type)) {
        args.notApplicable(`applies to ${resourceTypes.join(", ")}`);
      }
      const config = args.getConfig<C>();
      const exemption = (config.exemptions ?? []).find((e) =>
        isExempt([e], [args.name, args.urn, ...physicalNames(args.props)]),
      );
      if (exemption) args.notApplicable(`exempt: ${exemption.reason}`);
      const findings = await check(
        {
          type: args.type,
          name: args.name,
          urn: args.urn,
          props: args.props,
          providerProps: args.provider?.props,
        },
        config,
      );
      for (const finding of findings) {
        reportViolation(violationMessage(finding, info.remediationSteps));
      }
    },
  };
}

/** A finding of a stack policy, attached to the resource it is about. */
export interface StackFinding {
  readonly resource: StackResource;
  readonly message: string;
}

/** Declares a stack policy: it sees every resource with its dependencies. */
export function stackPolicy<C extends BaseConfig>(
  spec: PackPolicyInfo & {
    readonly check: (
      resources: readonly StackResource[],
      config: C,
    ) => StackFinding[] | Promise<StackFinding[]>;
  },
): PackStackPolicy {
  const { check, ...info } = spec;
  return {
    ...info,
    validateStack: async (args, reportViolation) => {
      const config = args.getConfig<C>();
      const findings = await check(args.resources, config);
      for (const f of findings) {
        const ids = [f.resource.name, f.resource.urn, ...physicalNames(f.resource.props)];
        if (isExempt(config.exemptions, ids)) continue;
        reportViolation(violationMessage(f.message, info.remediationSteps), f.resource.urn);
      }
    },
  };
}
