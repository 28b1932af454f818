import { strict as assert } from "assert";
import { ConfigError, validateOrganization, validateStackConfig } from "../../model/config";
import { Organization } from "../../model/config/schema";
import { createdResources, exampleOrganization, runStack, stackConfig } from "../helpers";

/** Validates an edited copy of the example organization and returns the messages. */
function problemsOf(edit: (org: Organization) => void): string[] {
  const org = exampleOrganization();
  edit(org);
  try {
    validateOrganization(org);
  } catch (e) {
    assert.ok(e instanceof ConfigError, `expected ConfigError, got ${e}`);
    return e.problems.map((p) => `${p.path}: ${p.message}`);
  }
  return [];
}

describe("organization config", () => {
  it("accepts the example organization with its defaults resolved", () => {
    const org = validateOrganization(exampleOrganization());
    assert.equal(org.prefix, "acme");
    assert.deepEqual(org.promotionOrder, ["dev", "staging", "prod"]);
    assert.equal(org.applications.length, 3);
    assert.deepEqual(
      org.environments.find((e) => e.name === "prod")?.accounts.map((a) => a.id),
      ["444444444444", "555555555555"],
    );
    const billing = org.applications.find((a) => a.name === "billing-worker");
    assert.equal(billing?.deploy.mechanism, "cloudformation");
    assert.equal(billing?.executionMode, "QUEUED");
    const web = org.applications.find((a) => a.name === "web-frontend");
    assert.deepEqual(web?.deploy, {
      mechanism: "pulumi",
      workingDirectory: "infra",
      stackName: "{env}",
    });
  });

  it("accepts every example stack file", () => {
    for (const stack of ["tools", "dev", "staging", "prod", "prod-eu"]) {
      const c = stackConfig(stack);
      const ctx = validateStackConfig(c.project, c.stack, c.config, c.secretKeys);
      assert.equal(ctx.role, stack === "tools" ? "tools" : "workload");
    }
  });
});

describe("bad config: each problem has its path and fix", () => {
  const cases: [string, (org: Organization) => void, string[]][] = [
    [
      "a short account id",
      (o) => (o.environments[2].accounts[1].id = "12345"),
      ['organization.environments[2].accounts[1].id: "12345" is not a 12-digit AWS account id'],
    ],
    [
      "an account id YAML read as a number",
      (o) => ((o.environments[0].accounts[0] as { id: unknown }).id = 12345678901),
      [
        'organization.environments[0].accounts[0].id: 12345678901 is a number; quote the account id ("012345678901") so YAML keeps its leading zeros',
      ],
    ],
    [
      "an account in two environments",
      (o) => (o.environments[1].accounts[0].id = "222222222222"),
      [
        "organization.environments[1].accounts[0].id: account 222222222222 is already used by environment 'dev' (organization.environments[0].accounts[0].id); each account belongs to one environment: give environment 'staging' its own account",
      ],
    ],
    [
      "the tools account reused as a workload account",
      (o) => (o.environments[0].accounts[0].id = "111111111111"),
      [
        "organization.environments[0].accounts[0].id: account 111111111111 is already used by the tools account (organization.tools.account); each account belongs to one environment: give environment 'dev' its own account",
      ],
    ],
    [
      "an unknown environment in the promotion order",
      (o) => (o.promotionOrder = ["dev", "staging", "prd"]),
      [
        "organization.promotionOrder[2]: 'prd' is not a defined environment; use one of dev, staging, prod",
        "organization.environments[2].name: environment 'prod' is not in promotionOrder, so nothing deploys to it; add it to promotionOrder or remove it",
      ],
    ],
    [
      "an unknown environment in an application's promotion",
      (o) => (o.applications[0].environments = ["dev", "qa"]),
      [
        "organization.applications[0].environments[1]: 'qa' is not a defined environment; use one of dev, staging, prod",
      ],
    ],
    [
      "an application promoting out of order",
      (o) => (o.applications[0].environments = ["prod", "dev"]),
      [
        "organization.applications[0].environments[1]: 'dev' is out of promotion order; list environments in the order of promotionOrder (dev -> staging -> prod)",
      ],
    ],
    [
      "a misspelt region",
      (o) => (o.environments[1].regions = ["us-east-7"]),
      [
        'organization.environments[1].regions[0]: "us-east-7" is not an AWS region name; use a code such as "us-east-1" or "eu-west-1"',
      ],
    ],
    [
      "a region in another partition",
      (o) => (o.environments[0].regions = ["cn-north-1"]),
      [
        "organization.environments[0].regions[0]: region cn-north-1 is in partition aws-cn but the tools account is in aws (us-east-1); roles cannot be assumed across partitions: use a region of aws",
      ],
    ],
    [
      "an application name with capitals",
      (o) => (o.applications[1].name = "Web_Frontend"),
      [
        'organization.applications[1].name: "Web_Frontend" is not a valid application name; use 2-64 lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen',
      ],
    ],
    [
      "an application name too long for IAM role names once the prefix is added",
      (o) => (o.applications[0].name = "orders-api-" + "x".repeat(41)),
      [
        // The longest role is the pull-request pipeline's.
        `organization.applications[0].name: the derived IAM role name 'acme-orders-api-${"x".repeat(41)}-pr-pipeline' is 69 characters; AWS allows 64: shorten the name or the prefix by 5`,
        `organization.applications[0].name: the derived EventBridge rule name 'acme-orders-api-${"x".repeat(41)}-pr-failed' is 67 characters; AWS allows 64: shorten the name or the prefix by 3`,
      ],
    ],
    [
      "a long prefix that pushes the EventBridge rule name past 64 characters",
      (o) => {
        o.prefix = "acmeplatform";
        o.applications[2].name = "billing-" + "w".repeat(37);
      },
      [
        // The longest role and rule are the pull-request pipeline's.
        `organization.applications[2].name: the derived IAM role name 'acmeplatform-billing-${"w".repeat(37)}-pr-pipeline' is 70 characters; AWS allows 64: shorten the name or the prefix by 6`,
        `organization.applications[2].name: the derived EventBridge rule name 'acmeplatform-billing-${"w".repeat(37)}-pr-failed' is 68 characters; AWS allows 64: shorten the name or the prefix by 4`,
      ],
    ],
    [
      "prod without a manual approval",
      (o) => (o.environments[2].requiresApproval = false),
      [
        "organization.environments[2].requiresApproval: production environment 'prod' would deploy without a manual approval; set requiresApproval: true, or waive it with approvalWaiver.reason",
      ],
    ],
    [
      "a GitHub token in a plain build variable",
      (o) =>
        (o.applications[0].build.environment = {
          GH: "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8",
        }),
      [
        "organization.applications[0].build.environment.GH: looks like a GitHub token; never put secrets in plain config: store it with `pulumi config set --secret` or in Secrets Manager / SSM and reference it (applications[].secrets[].ref)",
      ],
    ],
    [
      "a high-entropy password under a secret-like name",
      (o) => (o.applications[2].build.environment = { DB_PASSWORD: "Zx9#kLq2!vR7mTp4" }),
      [
        "organization.applications[2].build.environment.DB_PASSWORD: looks like a high-entropy value under the secret-like name 'DB_PASSWORD'; never put secrets in plain config: store it with `pulumi config set --secret` or in Secrets Manager / SSM and reference it (applications[].secrets[].ref)",
      ],
    ],
    [
      "a secret reference that is not an ARN",
      (o) => (o.applications[0].secrets[0].ref = "snyk-token"),
      [
        "organization.applications[0].secrets[0].ref: 'snyk-token' is not a Secrets Manager secret ARN; give the full ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>), optionally with :<json-key>",
      ],
    ],
    [
      "an unknown key (a typo)",
      (o) => ((o.environments[0] as Record<string, unknown>)["acounts"] = []),
      ['organization.environments[0]: unknown key "acounts"; remove it or check the spelling'],
    ],
  ];

  for (const [what, edit, expected] of cases) {
    it(`reports ${what}`, () => {
      assert.deepEqual(problemsOf(edit), expected);
    });
  }

  it("collects every problem at once", () => {
    const problems = problemsOf((o) => {
      o.environments[2].accounts[1].id = "12345";
      o.environments[1].accounts[0].id = "222222222222";
      o.promotionOrder = ["dev", "staging", "prd", "prod"];
      o.environments[2].requiresApproval = false;
    });
    assert.equal(problems.length, 4, problems.join("\n"));
    try {
      const org = exampleOrganization();
      org.environments[2].accounts[1].id = "12345";
      org.environments[1].accounts[0].id = "222222222222";
      validateOrganization(org);
      assert.fail("expected ConfigError");
    } catch (e) {
      assert.match((e as Error).message, /^2 problems in config:\n {2}- organization\./);
    }
  });
});

describe("bad stack settings", () => {
  const settingsProblems = (stack: string, overrides: Record<string, string | undefined>) => {
    const c = stackConfig(stack);
    const config = { ...c.config };
    for (const [k, v] of Object.entries(overrides)) {
      if (v === undefined) delete config[k];
      else config[k] = v;
    }
    try {
      validateStackConfig(c.project, stack, config);
    } catch (e) {
      assert.ok(e instanceof ConfigError);
      return e.problems.map((p) => `${p.path}: ${p.message}`);
    }
    return [];
  };

  it("refuses a stack without a role", () => {
    assert.deepEqual(settingsProblems("dev", { "cicd-platform:role": undefined }), [
      'cicd-platform:role: is not set; set it to "tools", "workload" or "bootstrap" in the stack file (Pulumi.dev.yaml)',
    ]);
  });

  it("refuses an unknown role", () => {
    assert.deepEqual(settingsProblems("dev", { "cicd-platform:role": "builder" }), [
      'cicd-platform:role: "builder" is not a stack role; use "tools", "workload" or "bootstrap" (Pulumi.dev.yaml)',
    ]);
  });

  it("refuses an account the environment does not list", () => {
    assert.deepEqual(
      settingsProblems("prod", {
        "cicd-platform:account": "999999999999",
        "aws:allowedAccountIds": '["999999999999"]',
      }),
      [
        "cicd-platform:account: 999999999999 is not an account of environment 'prod' (444444444444, 555555555555); the blueprint refuses to deploy an account the organization config does not list",
      ],
    );
  });

  it("requires the account when the environment has several", () => {
    assert.deepEqual(settingsProblems("prod", { "cicd-platform:account": undefined }), [
      "cicd-platform:account: is not set; environment 'prod' has 2 accounts (444444444444, 555555555555): set the one this stack deploys in Pulumi.prod.yaml",
    ]);
  });

  it("refuses credentials pinned to another account", () => {
    assert.deepEqual(settingsProblems("dev", { "aws:allowedAccountIds": '["333333333333"]' }), [
      'aws:allowedAccountIds: is ["333333333333"] but this stack deploys account 222222222222; set it to ["222222222222"]',
    ]);
  });

  it("refuses a region the account does not deploy to", () => {
    assert.deepEqual(settingsProblems("prod-eu", { "aws:region": "us-east-1" }), [
      "aws:region: is us-east-1 but account 555555555555 of 'prod' deploys to eu-west-1; set aws:region to one of them",
    ]);
  });

  it("refuses a misspelt platform key", () => {
    assert.deepEqual(settingsProblems("dev", { "cicd-platform:enviroment": "dev" }), [
      "cicd-platform:enviroment: unknown config key; the blueprint reads cicd-platform:organization, cicd-platform:role, cicd-platform:environment, cicd-platform:account: check the spelling",
    ]);
  });
});

describe("bad config creates nothing", () => {
  it("registers no resource when the organization is invalid", async () => {
    const run = await runStack("tools", {
      editOrganization: (o) => (o.environments[0].accounts[0].id = "12"),
    });
    assert.ok(run.error instanceof ConfigError);
    assert.deepEqual(createdResources(run), []);
  });

  it("registers no resource for an unknown role", async () => {
    const run = await runStack("dev", { config: { "cicd-platform:role": "nope" } });
    assert.ok(run.error instanceof ConfigError);
    assert.deepEqual(createdResources(run), []);
  });
});
