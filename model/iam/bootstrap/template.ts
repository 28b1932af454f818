// The StackSet's CloudFormation template, generated from the bootstrap documents: the documents
// are written once (documents.ts), evaluated by the tests with concrete values, and rendered here
// with CloudFormation tokens so that one template text serves every account. The rendered text is
// committed as bootstrap/platform-bootstrap.yaml (a reviewer reads the real template; a test fails
// when the file and the documents differ) and the bootstrap component deploys that file.
import { Document, isScalar, isSeq, parse, Scalar, ScalarTag, visit } from "yaml";
import { platformNames } from "../../naming";
import {
  BootstrapRoleInputs,
  bootstrapBoundaryPolicy,
  bootstrapPermissionsPolicy,
  bootstrapTrustPolicy,
  driftReaderPolicy,
  driftReaderTrustPolicy,
} from "./documents";

/** Where the template lives in the repository (the component reads it; the test compares it). */
export const BOOTSTRAP_TEMPLATE_PATH = "bootstrap/platform-bootstrap.yaml";

/** The template's parameters, as the StackSet passes them. */
export interface BootstrapTemplateParameters {
  readonly Prefix: string;
  readonly ToolsAccount: string;
  readonly OrganizationId: string;
}

/** The documents' inputs as CloudFormation tokens: resolved by Fn::Sub in each account. */
export const TEMPLATE_TOKENS: BootstrapRoleInputs = {
  partition: "${AWS::Partition}",
  account: "${AWS::AccountId}",
  prefix: "${Prefix}",
  toolsAccount: "${ToolsAccount}",
  orgId: "${OrganizationId}",
};

/** The template as an object, in CloudFormation's long form (`{ "Fn::Sub": ... }`, `{ Ref: ... }`). */
export function bootstrapTemplate(): Record<string, unknown> {
  const t = TEMPLATE_TOKENS;
  const n = platformNames(t.prefix);
  return {
    AWSTemplateFormatVersion: "2010-09-09",
    Description:
      "The platform bootstrap role: the role the platform pipeline assumes to apply this account's workload stack. Deployed by the platform's StackSet; generated from model/iam/bootstrap, do not edit.",
    Parameters: {
      Prefix: {
        Type: "String",
        Description: "The organization's naming prefix (organization.prefix).",
        AllowedPattern: "^[a-z][a-z0-9]{1,11}$",
      },
      ToolsAccount: {
        Type: "String",
        Description: "The tools account, whose platform deployer role assumes the bootstrap role.",
        AllowedPattern: "^[0-9]{12}$",
      },
      OrganizationId: {
        Type: "String",
        Description:
          "The AWS Organizations id; the trust admits principals of this organization only.",
        AllowedPattern: "^o-[a-z0-9]{10,32}$",
      },
    },
    Resources: {
      Boundary: {
        Type: "AWS::IAM::ManagedPolicy",
        Properties: {
          ManagedPolicyName: n.bootstrapBoundary,
          Description:
            "Caps the platform bootstrap role: what a workload stack creates, nothing more.",
          PolicyDocument: bootstrapBoundaryPolicy(t),
        },
      },
      Role: {
        Type: "AWS::IAM::Role",
        Properties: {
          RoleName: n.bootstrapRole,
          Description:
            "Assumed by the platform deployer of the tools account to apply the workload stack.",
          AssumeRolePolicyDocument: bootstrapTrustPolicy(t),
          PermissionsBoundary: { Ref: "Boundary" },
          Policies: [
            { PolicyName: "workload-stack", PolicyDocument: bootstrapPermissionsPolicy(t) },
          ],
          Tags: [{ Key: "platform:managed-by", Value: "cicd-platform" }],
        },
      },
      DriftReader: {
        Type: "AWS::IAM::Role",
        Properties: {
          RoleName: n.driftReaderRole,
          Description:
            "Assumed by the platform's drift detection in the tools account to preview this account's stacks; reads only.",
          AssumeRolePolicyDocument: driftReaderTrustPolicy(t),
          Policies: [{ PolicyName: "read-workload-stack", PolicyDocument: driftReaderPolicy(t) }],
          Tags: [{ Key: "platform:managed-by", Value: "cicd-platform" }],
        },
      },
    },
    Outputs: {
      RoleArn: { Value: { "Fn::GetAtt": ["Role", "Arn"] } },
      DriftReaderArn: { Value: { "Fn::GetAtt": ["DriftReader", "Arn"] } },
      BoundaryArn: { Value: { Ref: "Boundary" } },
    },
  };
}

/** Wraps every string that holds a `${...}` token in Fn::Sub (the long form). */
function withSubs(value: unknown): unknown {
  if (typeof value === "string") return value.includes("${") ? { "Fn::Sub": value } : value;
  if (Array.isArray(value)) return value.map(withSubs);
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 1 && (entries[0][0] === "Ref" || entries[0][0] === "Fn::GetAtt"))
      return value;
    return Object.fromEntries(entries.map(([k, v]) => [k, withSubs(v)]));
  }
  return value;
}

/** The template as YAML with CloudFormation's short-form tags (!Sub, !Ref, !GetAtt). */
export function renderBootstrapTemplate(): string {
  const document = new Document(withSubs(bootstrapTemplate()));
  visit(document, {
    // A date-like string quoted, so that no YAML 1.1 reader takes "2012-10-17" for a date.
    Scalar(_key, node) {
      if (typeof node.value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(node.value))
        node.type = "QUOTE_DOUBLE";
    },
    Map(_key, node) {
      if (node.items.length !== 1) return undefined;
      const pair = node.items[0];
      const key = isScalar(pair.key) ? pair.key.value : undefined;
      const tag = key === "Fn::Sub" ? "!Sub" : key === "Ref" ? "!Ref" : undefined;
      if (tag && isScalar(pair.value)) {
        const scalar = new Scalar(pair.value.value);
        scalar.tag = tag;
        return scalar;
      }
      if (key === "Fn::GetAtt" && isSeq(pair.value)) {
        const parts = (pair.value.toJSON() as string[]).join(".");
        const scalar = new Scalar(parts);
        scalar.tag = "!GetAtt";
        return scalar;
      }
      return undefined;
    },
  });
  const header =
    "# Generated from model/iam/bootstrap by renderBootstrapTemplate(); do not edit by hand.\n" +
    "# Regenerate: npx ts-node --transpile-only -e 'require(\"./components/bootstrap/template-file\").writeBootstrapTemplate()'\n";
  return header + document.toString({ lineWidth: 0 });
}

const FUNCTIONS = [
  "Base64",
  "Cidr",
  "FindInMap",
  "GetAZs",
  "If",
  "ImportValue",
  "Join",
  "Select",
  "Split",
  "Sub",
  "Transform",
  "And",
  "Equals",
  "Not",
  "Or",
];

/** The CloudFormation short-form tags, each read into its long form. */
function cloudFormationTags(): ScalarTag[] {
  const tags: ScalarTag[] = [];
  const add = (name: string, build: (value: unknown) => unknown) => {
    for (const collection of [undefined, "seq", "map"] as const)
      tags.push({
        tag: `!${name}`,
        ...(collection ? { collection } : {}),
        resolve: (value: unknown) =>
          build(
            value && typeof value === "object" && "toJSON" in value
              ? (value as { toJSON(): unknown }).toJSON()
              : value,
          ),
      } as ScalarTag);
  };
  add("Ref", (v) => ({ Ref: v }));
  add("GetAtt", (v) => ({ "Fn::GetAtt": typeof v === "string" ? v.split(".") : v }));
  add("Condition", (v) => ({ Condition: v }));
  for (const f of FUNCTIONS) add(f, (v) => ({ [`Fn::${f}`]: v }));
  return tags;
}

/** Parses a CloudFormation YAML template, short-form tags read into their long form. */
export function parseCloudFormationYaml(text: string): Record<string, unknown> {
  return parse(text, { customTags: cloudFormationTags() }) as Record<string, unknown>;
}
