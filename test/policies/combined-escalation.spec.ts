import * as assert from "node:assert/strict";
import fc from "fast-check";
import {
  grantingResourcesByPrincipal,
  iamNoCombinedPrivilegeEscalation,
} from "../../policies/iam/iam-no-combined-privilege-escalation";
import { iamNoPrivilegeEscalation } from "../../policies/iam/iam-no-privilege-escalation";
import { T } from "../../policies/lib/resources";
import {
  expected,
  messages,
  resource,
  runPolicyOnResources,
  runResourcePolicy,
  runStackPolicy,
  stackArgs,
  UNKNOWN_ARRAY,
  UNKNOWN_OBJECT,
  UNKNOWN_STRING,
  urnOf,
  type FakeResource,
} from "../helpers/policy";
import { ACCOUNT, deployStatements, doc, roleWith, type Stmt } from "./fixtures/iam";

const policy = iamNoCombinedPrivilegeEscalation;
const ROLE_URN = urnOf(T.role, "deploy-role");
const RUNNER_ARN = `arn:aws:iam::${ACCOUNT}:policy/runner`;

const pass: Stmt = {
  Sid: "Pass",
  Effect: "Allow",
  Action: "iam:PassRole",
  Resource: `arn:aws:iam::${ACCOUNT}:role/app-*`,
};
const run: Stmt = { Effect: "Allow", Action: "ec2:RunInstances", Resource: "*" };

/** A role policy of the deploy role (known role name, JSON document). */
function rolePolicy(name: string, ...statements: Stmt[]): FakeResource {
  return resource(T.rolePolicy, name, {
    role: "deploy-role",
    policy: JSON.stringify(doc(...statements)),
  });
}

/** A customer-managed policy with a known name and ARN. */
function managedPolicy(name: string, ...statements: Stmt[]): FakeResource {
  return resource(T.policy, name, {
    name,
    path: "/",
    arn: `arn:aws:iam::${ACCOUNT}:policy/${name}`,
    policy: doc(...statements),
  });
}

/** The compliant baseline: the deploy role and a role policy that passes application roles. */
function baseline(): FakeResource[] {
  return [roleWith(deployStatements, { name: "deploy-role" }), rolePolicy("pass", pass)];
}

const PASSROLE_EC2 = (runSource: string) =>
  expected(
    policy,
    `Privilege escalation "passrole-ec2" (new EC2 instance with a passed role) across the policies of Role "deploy-role": iam:PassRole (RolePolicy "pass" statement 0 ("Pass")) and ec2:RunInstances (${runSource}) together let the holder pass a role to a new EC2 instance and use its credentials.`,
  );

const violations = async (resources: FakeResource[], config: Record<string, unknown> = {}) =>
  (await runStackPolicy(policy, resources, config)).violations;

describe("privilege escalation split across resources", () => {
  it("accepts the compliant baseline", async () => {
    assert.deepEqual(await violations(baseline()), []);
  });

  it("flags a role given iam:PassRole and ec2:RunInstances by two role policies", async () => {
    assert.deepEqual(await violations([...baseline(), rolePolicy("run", run)]), [
      { message: PASSROLE_EC2('RolePolicy "run" statement 0'), urn: ROLE_URN },
    ]);
  });

  it("combines the role's inline policies with its role policies", async () => {
    const stack = baseline();
    stack[0] = roleWith([...deployStatements, run], { name: "deploy-role" });
    assert.deepEqual(await violations(stack), [
      {
        message: PASSROLE_EC2(
          `Role "deploy-role" inlinePolicies[0] ("deploy") statement ${deployStatements.length}`,
        ),
        urn: ROLE_URN,
      },
    ]);
  });

  it("flags the split across a managed policy and a RolePolicyAttachment", async () => {
    const stack = [
      ...baseline(),
      managedPolicy("runner", run),
      resource(T.rolePolicyAttachment, "runner-attach", {
        role: "deploy-role",
        policyArn: RUNNER_ARN,
      }),
    ];
    assert.deepEqual(await violations(stack), [
      {
        message: PASSROLE_EC2(
          'Policy "runner" statement 0, attached through RolePolicyAttachment "runner-attach"',
        ),
        urn: ROLE_URN,
      },
    ]);
  });

  it("follows managedPolicyArns, PolicyAttachment and an ARN built from the policy's name", async () => {
    const viaArns = baseline();
    viaArns[0] = roleWith(deployStatements, {
      name: "deploy-role",
      managedPolicyArns: [RUNNER_ARN],
    });
    const runner = managedPolicy("runner", run);
    delete runner.props.arn;
    assert.deepEqual(await violations([...viaArns, runner]), [
      {
        message: PASSROLE_EC2('Policy "runner" statement 0, attached through managedPolicyArns'),
        urn: ROLE_URN,
      },
    ]);
    const viaAttachment = [
      ...baseline(),
      managedPolicy("runner", run),
      resource(T.policyAttachment, "runners", {
        roles: ["other-role", "deploy-role"],
        policyArn: RUNNER_ARN,
      }),
    ];
    assert.deepEqual(await violations(viaAttachment), [
      {
        message: PASSROLE_EC2(
          'Policy "runner" statement 0, attached through PolicyAttachment "runners"',
        ),
        urn: ROLE_URN,
      },
    ]);
  });

  it("flags users and groups the same way", async () => {
    const stack = [
      resource(T.user, "ci", { name: "ci" }),
      resource(T.userPolicy, "ci-pass", { user: "ci", policy: JSON.stringify(doc(pass)) }),
      managedPolicy("runner", run),
      resource(T.userPolicyAttachment, "ci-runner", { user: "ci", policyArn: RUNNER_ARN }),
      resource(T.group, "ops", { name: "ops" }),
      resource(T.groupPolicy, "ops-lambda", {
        group: "ops",
        policy: doc(pass, { Effect: "Allow", Action: "lambda:CreateFunction", Resource: "*" }),
      }),
      managedPolicy("invoker", { Effect: "Allow", Action: "lambda:InvokeFunction", Resource: "*" }),
      resource(T.groupPolicyAttachment, "ops-invoker", {
        group: "ops",
        policyArn: `arn:aws:iam::${ACCOUNT}:policy/invoker`,
      }),
    ];
    assert.deepEqual(await violations(stack), [
      {
        message: expected(
          policy,
          'Privilege escalation "passrole-ec2" (new EC2 instance with a passed role) across the policies of User "ci": iam:PassRole (UserPolicy "ci-pass" statement 0 ("Pass")) and ec2:RunInstances (Policy "runner" statement 0, attached through UserPolicyAttachment "ci-runner") together let the holder pass a role to a new EC2 instance and use its credentials.',
        ),
        urn: urnOf(T.user, "ci"),
      },
      {
        message: expected(
          policy,
          'Privilege escalation "passrole-lambda" (new Lambda function with a passed role) across the policies of Group "ops": iam:PassRole (GroupPolicy "ops-lambda" statement 0 ("Pass")), lambda:CreateFunction (GroupPolicy "ops-lambda" statement 1) and lambda:InvokeFunction (Policy "invoker" statement 0, attached through GroupPolicyAttachment "ops-invoker") together let the holder pass a role to a new Lambda function and run it.',
        ),
        urn: urnOf(T.group, "ops"),
      },
    ]);
  });

  it("reports each path completed together, and none that one resource completes alone", async () => {
    const stack = [
      ...baseline(),
      rolePolicy("run", run),
      rolePolicy("stacks", {
        Effect: "Allow",
        Action: "cloudformation:CreateStack",
        Resource: "*",
      }),
      rolePolicy("ssm", { Effect: "Allow", Action: "ssm:StartSession", Resource: "*" }),
    ];
    const found = await violations(stack);
    assert.deepEqual(
      found.map((v) => /Privilege escalation "([^"]+)"/.exec(v.message)?.[1]),
      ["passrole-ec2", "passrole-cloudformation"],
    );
    // ssm-start-session is complete within the "ssm" role policy: the resource policy's finding.
    assert.deepEqual(
      (await runPolicyOnResources(iamNoPrivilegeEscalation, stack)).violations.map((v) => v.urn),
      [urnOf(T.rolePolicy, "ssm")],
    );
  });

  it("leaves a path complete within one resource to iam-no-privilege-escalation", async () => {
    const stack = [...baseline(), rolePolicy("both", pass, run)];
    assert.deepEqual(await violations(stack), []);
    assert.deepEqual(
      (await runPolicyOnResources(iamNoPrivilegeEscalation, stack)).violations.map((v) => v.urn),
      [urnOf(T.rolePolicy, "both")],
    );
  });

  it("counts a Deny in another policy of the same principal", async () => {
    const stack = [
      ...baseline(),
      managedPolicy("runner", run),
      resource(T.rolePolicyAttachment, "runner-attach", {
        role: "deploy-role",
        policyArn: RUNNER_ARN,
      }),
      rolePolicy("guard", { Effect: "Deny", Action: "ec2:Run*", Resource: "*" }),
    ];
    assert.deepEqual(await violations(stack), []);
    // A conditional Deny does not remove the action everywhere.
    const conditional = stack.slice(0, -1);
    conditional.push(
      rolePolicy("guard", {
        Effect: "Deny",
        Action: "ec2:Run*",
        Resource: "*",
        Condition: { StringNotEquals: { "aws:RequestedRegion": "eu-west-1" } },
      }),
    );
    assert.equal((await violations(conditional)).length, 1);
  });

  it("does not complete a path whose iam:PassRole goes only to another service", async () => {
    const toGlue: Stmt = {
      Effect: "Allow",
      Action: "iam:PassRole",
      Resource: "*",
      Condition: { StringEquals: { "iam:PassedToService": "glue.amazonaws.com" } },
    };
    const stack = [roleWith(deployStatements, { name: "deploy-role" }), rolePolicy("pass", toGlue)];
    assert.deepEqual(await violations([...stack, rolePolicy("run", run)]), []);
    assert.deepEqual(
      (
        await violations([
          ...stack,
          rolePolicy("glue", { Effect: "Allow", Action: "glue:CreateDevEndpoint", Resource: "*" }),
        ])
      ).map((v) => /Privilege escalation "([^"]+)"/.exec(v.message)?.[1]),
      ["passrole-glue"],
    );
  });

  it("names a newer path that the principal's policies complete only together", async () => {
    const stack = [
      ...baseline(),
      rolePolicy("stacksets", {
        Effect: "Allow",
        Action: ["cloudformation:CreateStackSet", "cloudformation:CreateStackInstances"],
        Resource: "*",
      }),
    ];
    assert.deepEqual(await violations(stack), [
      {
        message: expected(
          policy,
          'Privilege escalation "passrole-cloudformation-stackset" (new CloudFormation StackSet with a passed role) across the policies of Role "deploy-role": iam:PassRole (RolePolicy "pass" statement 0 ("Pass")), cloudformation:CreateStackSet (RolePolicy "stacksets" statement 0) and cloudformation:CreateStackInstances (RolePolicy "stacksets" statement 0) together let the holder pass an administration role to a new StackSet and deploy its instances.',
        ),
        urn: ROLE_URN,
      },
    ]);
  });

  it("does not combine the policies of two different roles", async () => {
    const stack = [
      ...baseline(),
      resource(T.role, "other-role", { name: "other-role" }),
      resource(T.rolePolicy, "other-run", {
        role: "other-role",
        policy: JSON.stringify(doc(run)),
      }),
      managedPolicy("runner", run),
      resource(T.rolePolicyAttachment, "runner-attach", {
        role: "other-role",
        policyArn: RUNNER_ARN,
      }),
    ];
    assert.deepEqual(await violations(stack), []);
  });

  it("honours an exemption and an allow-listed path, each with a reason", async () => {
    const stack = [...baseline(), rolePolicy("run", run)];
    assert.deepEqual(
      await violations(stack, {
        exemptions: [{ resource: "deploy-role", reason: "launches the build fleet" }],
      }),
      [],
    );
    assert.deepEqual(
      await violations(stack, {
        allowedPaths: [{ path: "passrole-ec2", reason: "instances get only app-* roles" }],
      }),
      [],
    );
    assert.equal(
      (
        await violations(stack, {
          allowedPaths: [{ path: "passrole-lambda", reason: "another path" }],
        })
      ).length,
      1,
    );
  });

  it("reports the same with the documents as objects or as JSON", async () => {
    const split = [...baseline(), rolePolicy("run", run)];
    const asObjects = split.map((r) =>
      r.type === T.rolePolicy
        ? { ...r, props: { ...r.props, policy: JSON.parse(String(r.props.policy)) } }
        : r,
    );
    assert.deepEqual(
      messages(await runStackPolicy(policy, asObjects)),
      messages(await runStackPolicy(policy, split)),
    );
  });

  it("does not report again what a resource with a malformed document completes alone", async () => {
    const role = roleWith([...deployStatements, pass], { name: "deploy-role" });
    (role.props.inlinePolicies as unknown[]).push({
      name: "legacy",
      policy: { Version: "1", Statement: [run] },
    });
    const stack = [role, rolePolicy("run", run)];
    // iam-no-privilege-escalation reads the malformed document and reports the path on the role.
    assert.deepEqual(
      (await runPolicyOnResources(iamNoPrivilegeEscalation, stack)).violations.map((v) => v.urn),
      [ROLE_URN],
    );
    assert.deepEqual(await violations(stack), []);
  });

  it("skips malformed documents, which iam-valid-policy-documents reports", async () => {
    const stack = [
      ...baseline(),
      resource(T.rolePolicy, "run", {
        role: "deploy-role",
        policy: doc(run, { Effect: "Allow", Action: 7, Resource: "*" }),
      }),
      resource(T.rolePolicy, "broken", { role: "deploy-role", policy: "{not json" }),
    ];
    assert.deepEqual(await violations(stack), []);
  });
});

describe("privilege escalation split across resources during preview", () => {
  /** Names and ARNs are unknown; the links are the URNs the engine records. */
  function previewStack(links: "property" | "dependencies"): FakeResource[] {
    const via = (deps: Record<string, string[]>) =>
      links === "property"
        ? { dependencies: Object.values(deps).flat(), propertyDependencies: deps }
        : { dependencies: Object.values(deps).flat() };
    return [
      resource(T.role, "deploy-role", { name: UNKNOWN_STRING, arn: UNKNOWN_STRING }),
      resource(T.role, "other-role", { name: UNKNOWN_STRING }),
      resource(
        T.rolePolicy,
        "pass",
        { role: UNKNOWN_STRING, policy: JSON.stringify(doc(pass)) },
        via({ role: [ROLE_URN] }),
      ),
      resource(T.policy, "runner", {
        name: UNKNOWN_STRING,
        arn: UNKNOWN_STRING,
        policy: JSON.stringify(doc(run)),
      }),
      resource(
        T.rolePolicyAttachment,
        "runner-attach",
        { role: UNKNOWN_STRING, policyArn: UNKNOWN_STRING },
        via({ role: [ROLE_URN], policyArn: [urnOf(T.policy, "runner")] }),
      ),
    ];
  }

  it("links principals and policies through propertyDependencies when names are unknown", async () => {
    assert.deepEqual(await violations(previewStack("property")), [
      {
        message: PASSROLE_EC2(
          'Policy "runner" statement 0, attached through RolePolicyAttachment "runner-attach"',
        ),
        urn: ROLE_URN,
      },
    ]);
  });

  it("falls back to dependencies when no property dependencies are recorded", async () => {
    assert.equal((await violations(previewStack("dependencies"))).length, 1);
  });

  it("does not link a policy whose property dependencies point at another role", async () => {
    const stack = previewStack("property");
    stack[2] = {
      ...stack[2],
      propertyDependencies: { role: [urnOf(T.role, "other-role")] },
      dependencies: [urnOf(T.role, "other-role")],
    };
    assert.deepEqual(await violations(stack), []);
  });

  it("never lets an unknown document complete a path", async () => {
    const stack = previewStack("property");
    stack[3] = { ...stack[3], props: { ...stack[3].props, policy: UNKNOWN_STRING } };
    assert.deepEqual(await violations(stack), []);
  });
});

/** The path ids a violation message names. */
const pathIds = (message: string): string[] =>
  [...message.matchAll(/Privilege escalation "([a-z0-9-]+)"/g)].map((m) => m[1]);

const unknown = fc.constantFrom(UNKNOWN_STRING, UNKNOWN_ARRAY, UNKNOWN_OBJECT);
/** A well-formed statement over the actions of several escalation paths. */
const plausibleStatement: fc.Arbitrary<Stmt> = fc.record(
  {
    Effect: fc.constantFrom("Allow", "Allow", "Allow", "Deny"),
    Action: fc.oneof(
      fc.constantFrom(
        "iam:PassRole",
        "ec2:RunInstances",
        "ec2:Run*",
        "lambda:CreateFunction",
        "lambda:InvokeFunction",
        "cloudformation:CreateStack",
        "cloudformation:CreateChangeSet",
        "cloudformation:ExecuteChangeSet",
        "ssm:StartSession",
      ),
      fc.subarray(["iam:PassRole", "ec2:RunInstances", "lambda:*", "cloudformation:Create*"], {
        minLength: 1,
      }),
    ),
    Resource: fc.constantFrom("*", "*", `arn:aws:iam::${ACCOUNT}:role/x`),
    Condition: fc.constant({ Bool: { "aws:MultiFactorAuthPresent": "true" } }),
  },
  { requiredKeys: ["Effect", "Action", "Resource"] },
);

describe("privilege escalation split across resources, property-based", () => {
  it("reports every path of a document split across a role's resources exactly once", async () => {
    const part = fc.record({
      statements: fc.array(plausibleStatement, { minLength: 1, maxLength: 3 }),
      as: fc.constantFrom("inline", "rolePolicy", "attachment", "managedPolicyArns"),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(part, { minLength: 2, maxLength: 4 }), async (parts) => {
        // All statements in one role policy: what iam-no-privilege-escalation finds.
        const whole = await runResourcePolicy(
          iamNoPrivilegeEscalation,
          rolePolicy("whole", ...parts.flatMap((p) => p.statements)),
        );
        const expectedPaths = new Set(messages(whole).flatMap(pathIds));
        // The same statements split across the role's inline policies, role policies and
        // attached managed policies.
        const arnOf = (i: number) => `arn:aws:iam::${ACCOUNT}:policy/part-${i}`;
        const split: FakeResource[] = [
          roleWith([], {
            name: "deploy-role",
            inlinePolicies: parts.flatMap((p, i) =>
              p.as === "inline" ? [{ name: `part-${i}`, policy: doc(...p.statements) }] : [],
            ),
            managedPolicyArns: parts.flatMap((p, i) =>
              p.as === "managedPolicyArns" ? [arnOf(i)] : [],
            ),
          }),
        ];
        parts.forEach((p, i) => {
          if (p.as === "rolePolicy") split.push(rolePolicy(`part-${i}`, ...p.statements));
          if (p.as === "attachment" || p.as === "managedPolicyArns")
            split.push(managedPolicy(`part-${i}`, ...p.statements));
          if (p.as === "attachment")
            split.push(
              resource(T.rolePolicyAttachment, `part-${i}-attach`, {
                role: "deploy-role",
                policyArn: arnOf(i),
              }),
            );
        });
        const combined = (await violations(split)).flatMap((v) => pathIds(v.message));
        const alone = (
          await runPolicyOnResources(iamNoPrivilegeEscalation, split)
        ).violations.flatMap((v) => pathIds(v.message));
        // Nothing is reported twice, nothing beyond the whole document, nothing is lost.
        assert.equal(new Set(combined).size, combined.length);
        assert.deepEqual(
          combined.filter((id) => alone.includes(id) || !expectedPaths.has(id)),
          [],
        );
        for (const id of expectedPaths) assert.ok(combined.includes(id) || alone.includes(id), id);
      }),
      { numRuns: 500 },
    );
  });

  const odd = fc.oneof(unknown, fc.anything({ maxDepth: 2 }));
  /** Mostly plausible values, sometimes anything. */
  const mostly = <T>(plausible: fc.Arbitrary<T>) =>
    fc.oneof({ arbitrary: plausible, weight: 4 }, { arbitrary: odd, weight: 1 });
  const names = ["a", "b"];
  const name = mostly(fc.constantFrom(...names));
  const document = mostly(
    fc
      .tuple(fc.array(mostly(plausibleStatement), { maxLength: 3 }), fc.boolean())
      .map(([st, json]) =>
        json ? JSON.stringify(doc(...(st as Stmt[]))) : doc(...(st as Stmt[])),
      ),
  );
  const arn = mostly(fc.constantFrom(...names.map((n) => `arn:aws:iam::${ACCOUNT}:policy/${n}`)));
  const list = <T>(a: fc.Arbitrary<T>) => fc.oneof(fc.array(a, { maxLength: 2 }), a);
  const types = fc.constantFrom(
    T.role,
    T.user,
    T.group,
    T.rolePolicy,
    T.userPolicy,
    T.groupPolicy,
    T.policy,
    T.rolePolicyAttachment,
    T.rolePolicyAttachmentsExclusive,
    T.policyAttachment,
    T.userPolicyAttachment,
    T.groupPolicyAttachment,
  );
  const fake = fc.record({
    type: types,
    name: fc.constantFrom(...names),
    // Every property on every resource; odd values (undefined among them) stand in for absent ones.
    props: fc.record({
      name,
      arn,
      path: mostly(fc.constantFrom("/", "/app/")),
      role: name,
      user: name,
      group: name,
      roleName: name,
      roles: list(name),
      users: list(name),
      groups: list(name),
      policy: document,
      policyArn: arn,
      policyArns: list(arn),
      managedPolicyArns: list(arn),
      inlinePolicies: mostly(fc.array(fc.record({ name, policy: document }), { maxLength: 2 })),
    }),
    deps: fc.array(fc.tuple(types, fc.constantFrom(...names)), { maxLength: 3 }),
    prop: fc.constantFrom("role", "user", "group", "roles", "policyArn", "managedPolicyArns"),
    withProperty: fc.boolean(),
  });
  const stack = fc
    .uniqueArray(fake, { maxLength: 10, selector: (f) => `${f.type}::${f.name}` })
    .map((fakes) =>
      fakes.map((f) => {
        const urns = f.deps.map(([t, n]) => urnOf(t, n));
        return resource(f.type, f.name, f.props as Record<string, unknown>, {
          dependencies: urns,
          ...(f.withProperty ? { propertyDependencies: { [f.prop]: urns } } : {}),
        });
      }),
    );
  const PRINCIPALS: readonly string[] = [T.role, T.user, T.group];

  it("never throws on odd input, and reports only on principals what no resource completes alone", async () => {
    await fc.assert(
      fc.asyncProperty(stack, async (resources) => {
        const byUrn = new Map(resources.map((r) => [r.urn, r]));
        const granting = grantingResourcesByPrincipal(stackArgs(resources).resources);
        for (const v of (await runStackPolicy(policy, resources)).violations) {
          const principal = byUrn.get(v.urn ?? "");
          assert.ok(principal && PRINCIPALS.includes(principal.type), v.urn);
          const [path] = pathIds(v.message);
          assert.match(
            v.message,
            /^Privilege escalation "[a-z0-9-]+" \([^)]+\) across the policies of /,
          );
          for (const g of granting.get(v.urn ?? "") ?? []) {
            const grantingFake = byUrn.get(g.resource.urn);
            assert.ok(grantingFake, g.resource.urn);
            const alone = await runResourcePolicy(iamNoPrivilegeEscalation, grantingFake);
            assert.ok(!messages(alone).flatMap(pathIds).includes(path), g.resource.urn);
          }
        }
      }),
      { numRuns: 600 },
    );
  });
});
