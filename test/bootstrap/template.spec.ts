// The StackSet template is a real CloudFormation template: the committed file is what the model
// renders, it parses with CloudFormation's short-form tags, and every resource type and property
// exists in the CloudFormation resource specification (@aws-cdk/aws-service-spec, the database the
// AWS CDK generates its L1 constructs from), with the required properties present.
import { strict as assert } from "assert";
import { loadAwsServiceSpecSync } from "@aws-cdk/aws-service-spec";
import { parseCloudFormationYaml, renderBootstrapTemplate } from "../../model/iam/bootstrap";
import { readBootstrapTemplate } from "../../components/bootstrap/template-file";

type SpecDatabase = ReturnType<typeof loadAwsServiceSpecSync>;
/** A property's type as the specification writes it (the part this check reads). */
interface PropertyType {
  readonly type: string;
  readonly element?: PropertyType;
  readonly reference?: { readonly $ref: string };
  readonly types?: readonly PropertyType[];
}

interface SpecProperty {
  readonly required?: boolean;
  readonly type: PropertyType;
}

let db: SpecDatabase;
before(function () {
  this.timeout(20_000);
  db = loadAwsServiceSpecSync();
});

/** An intrinsic function (`{ Ref }`, `{ "Fn::Sub" }` ...): its value is known only in the account. */
const isIntrinsic = (v: unknown): boolean => {
  if (!v || typeof v !== "object" || Array.isArray(v)) return false;
  const keys = Object.keys(v);
  return keys.length === 1 && (keys[0] === "Ref" || keys[0].startsWith("Fn::"));
};

/** Problems of a template against the resource specification: unknown types and properties, missing required ones. */
function specProblems(template: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const checkValue = (path: string, type: PropertyType, value: unknown): void => {
    if (isIntrinsic(value)) return;
    switch (type.type) {
      case "array":
        if (!Array.isArray(value)) return void problems.push(`${path}: expected a list`);
        value.forEach((v, k) => checkValue(`${path}[${k}]`, type.element!, v));
        return;
      case "map":
        if (!value || typeof value !== "object")
          return void problems.push(`${path}: expected a map`);
        for (const [k, v] of Object.entries(value)) checkValue(`${path}.${k}`, type.element!, v);
        return;
      case "ref": {
        const def = db.get("typeDefinition", type.reference!.$ref);
        checkProperties(path, def.name, def.properties as Record<string, SpecProperty>, value);
        return;
      }
      case "union":
        // Accept the value when one of the member types accepts it.
        for (const t of type.types ?? []) {
          const before = problems.length;
          checkValue(path, t, value);
          if (problems.length === before) return;
          problems.length = before;
        }
        return void problems.push(`${path}: matches none of the property's types`);
      case "string":
        if (typeof value !== "string") problems.push(`${path}: expected a string`);
        return;
      case "boolean":
        if (typeof value !== "boolean") problems.push(`${path}: expected a boolean`);
        return;
      case "integer":
      case "number":
        if (typeof value !== "number") problems.push(`${path}: expected a number`);
        return;
      default:
        return; // json, date-time, tag, null: any shape
    }
  };
  const checkProperties = (
    path: string,
    owner: string,
    properties: Record<string, SpecProperty>,
    value: unknown,
  ): void => {
    if (!value || typeof value !== "object" || Array.isArray(value))
      return void problems.push(`${path}: expected a map of ${owner} properties`);
    for (const [k, v] of Object.entries(value)) {
      const spec = properties[k];
      if (!spec) {
        problems.push(
          `${path}.${k}: ${owner} has no property ${k} (known: ${Object.keys(properties).join(", ")})`,
        );
        continue;
      }
      checkValue(`${path}.${k}`, spec.type, v);
    }
    for (const [k, spec] of Object.entries(properties))
      if (spec.required && !(k in (value as object)))
        problems.push(`${path}.${k}: required by ${owner} but missing`);
  };
  const resources = (template["Resources"] ?? {}) as Record<string, Record<string, unknown>>;
  for (const [logical, resource] of Object.entries(resources)) {
    const type = String(resource["Type"]);
    const found = db.lookup("resource", "cloudFormationType", "equals", type);
    if (found.length !== 1) {
      problems.push(`Resources.${logical}.Type: ${type} is not a CloudFormation resource type`);
      continue;
    }
    checkProperties(
      `Resources.${logical}.Properties`,
      type,
      found.only().properties as Record<string, SpecProperty>,
      resource["Properties"] ?? {},
    );
  }
  return problems;
}

const template = () => parseCloudFormationYaml(readBootstrapTemplate());
const resource = (t: Record<string, unknown>, name: string) =>
  (t["Resources"] as Record<string, { Type: string; Properties: Record<string, unknown> }>)[name];

describe("bootstrap template: the committed file", () => {
  it("is what the model renders (regenerate with writeBootstrapTemplate() after changing model/iam/bootstrap)", () => {
    assert.equal(
      readBootstrapTemplate(),
      renderBootstrapTemplate(),
      "bootstrap/platform-bootstrap.yaml is stale: run npx ts-node --transpile-only -e 'require(\"./components/bootstrap/template-file\").writeBootstrapTemplate()'",
    );
  });

  it("reads CloudFormation's short-form tags into their long form (!Sub, !Ref, !GetAtt)", () => {
    const t = template();
    const role = resource(t, "Role");
    assert.deepEqual(role.Properties["RoleName"], { "Fn::Sub": "${Prefix}-platform-bootstrap" });
    assert.deepEqual(role.Properties["PermissionsBoundary"], { Ref: "Boundary" });
    assert.deepEqual((t["Outputs"] as Record<string, { Value: unknown }>)["RoleArn"].Value, {
      "Fn::GetAtt": ["Role", "Arn"],
    });
    assert.deepEqual(
      parseCloudFormationYaml("A: !Join [',', [a, b]]\nB: !Select [0, !GetAZs '']"),
      {
        A: { "Fn::Join": [",", ["a", "b"]] },
        B: { "Fn::Select": [0, { "Fn::GetAZs": "" }] },
      },
    );
  });

  it("creates only the bootstrap role, its boundary and the drift reader role", () => {
    const resources = template()["Resources"] as Record<string, { Type: string }>;
    assert.deepEqual(
      Object.values(resources)
        .map((r) => r.Type)
        .sort(),
      ["AWS::IAM::ManagedPolicy", "AWS::IAM::Role", "AWS::IAM::Role"],
    );
  });

  it("every Ref names a parameter, a pseudo parameter or a resource of the template", () => {
    const t = template();
    const known = new Set([
      ...Object.keys(t["Parameters"] as object),
      ...Object.keys(t["Resources"] as object),
    ]);
    const refs: string[] = [];
    const subs: string[] = [];
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) return v.forEach(walk);
      if (!v || typeof v !== "object") return;
      for (const [k, x] of Object.entries(v)) {
        if (k === "Ref") refs.push(String(x));
        if (k === "Fn::Sub" && typeof x === "string")
          for (const m of x.matchAll(/\$\{([^}!]+)\}/g)) subs.push(m[1]);
        walk(x);
      }
    };
    walk(t["Resources"]);
    walk(t["Outputs"]);
    for (const name of [...refs, ...subs])
      assert.ok(name.startsWith("AWS::") || known.has(name), `unknown reference ${name}`);
    assert.ok(subs.includes("ToolsAccount") && subs.includes("OrganizationId"));
  });
});

describe("bootstrap template: the CloudFormation resource specification", () => {
  it("knows every resource type and property, and every required property is present", () => {
    assert.deepEqual(specProblems(template()), []);
  });

  it("IAM names are global: the specification warns that a named IAM resource cannot be reused in several regions (hence one stack instance region)", () => {
    for (const [type, prop] of [
      ["AWS::IAM::Role", "RoleName"],
      ["AWS::IAM::ManagedPolicy", "ManagedPolicyName"],
    ]) {
      const doc = db.lookup("resource", "cloudFormationType", "equals", type).only().properties[
        prop
      ].documentation;
      assert.match(String(doc), /reuse the same template in multiple Regions/, type);
    }
  });

  it("refuses a misspelt property", () => {
    const t = template();
    const props = resource(t, "Role").Properties;
    props["RoleNmae"] = props["RoleName"];
    delete props["RoleName"];
    assert.deepEqual(
      specProblems(t).map((p) => p.split(" (known")[0]),
      ["Resources.Role.Properties.RoleNmae: AWS::IAM::Role has no property RoleNmae"],
    );
  });

  it("refuses a misspelt property inside a property type (Policies[0].PolicyNmae)", () => {
    const t = template();
    const policies = resource(t, "Role").Properties["Policies"] as Record<string, unknown>[];
    policies[0]["PolicyNmae"] = policies[0]["PolicyName"];
    delete policies[0]["PolicyName"];
    const problems = specProblems(t);
    assert.ok(
      problems.some((p) => p.startsWith("Resources.Role.Properties.Policies[0].PolicyNmae: ")),
      problems.join("\n"),
    );
    assert.ok(
      problems.some((p) => p.includes("Policies[0].PolicyName: required")),
      problems.join("\n"),
    );
  });

  it("refuses a missing required property and an unknown resource type", () => {
    const t = template();
    delete resource(t, "Role").Properties["AssumeRolePolicyDocument"];
    resource(t, "Boundary").Type = "AWS::IAM::ManagedPolicyy";
    assert.deepEqual(specProblems(t), [
      "Resources.Boundary.Type: AWS::IAM::ManagedPolicyy is not a CloudFormation resource type",
      "Resources.Role.Properties.AssumeRolePolicyDocument: required by AWS::IAM::Role but missing",
    ]);
  });
});
