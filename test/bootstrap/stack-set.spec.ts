// The bootstrap stack: one service-managed StackSet in the management (or delegated admin)
// account, deployed automatically to the platform's OUs, with its stack instances in one region.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Organization } from "../../model/config/schema";
import { platformNames } from "../../model/naming";
import { readBootstrapTemplate } from "../../components/bootstrap/template-file";
import {
  exampleOrganization,
  exampleRun,
  ofType,
  programOutputs,
  runCli,
  RecordedResource,
  runStack,
  runStackOk,
  StackRun,
} from "../helpers";

const ORG = exampleOrganization();
const P = platformNames(ORG.prefix);
const STACK_SET = "aws:cloudformation/stackSet:StackSet";
const INSTANCE = "aws:cloudformation/stackSetInstance:StackSetInstance";
type Dict = Record<string, unknown>;

const only = (run: StackRun, type: string): RecordedResource => {
  const found = ofType(run, type);
  assert.equal(found.length, 1, `${type}: ${found.length}`);
  return found[0];
};
const bootstrapOf = (o: Organization) =>
  o.platform!.bootstrap as unknown as {
    callAs?: string;
    accounts?: string[];
    organizationalUnits: string[];
  };

/** The example with `count` production accounts (one region each, alternating two regions). */
const withProdAccounts = (count: number) => (o: Organization) => {
  const prod = o.environments.find((e) => e.name === "prod") as unknown as Dict;
  prod["accounts"] = Array.from({ length: count }, (_, i) => ({
    id: String(600000000000 + i),
    name: `p${i}`,
    regions: [i % 2 === 0 ? "us-east-1" : "eu-west-1"],
  }));
};

describe("bootstrap stack: the StackSet", () => {
  let run: StackRun;
  before(async () => {
    run = await exampleRun("bootstrap");
  });

  it("is service-managed, deployed automatically, and drops the role from an account that leaves the OUs", () => {
    const s = only(run, STACK_SET).inputs;
    assert.equal(s["name"], P.stackSet);
    assert.equal(s["permissionModel"], "SERVICE_MANAGED");
    assert.deepEqual(s["autoDeployment"], { enabled: true, retainStacksOnAccountRemoval: false });
    assert.deepEqual(s["capabilities"], ["CAPABILITY_NAMED_IAM"]);
    assert.deepEqual(s["managedExecution"], { active: true });
    assert.equal(s["callAs"], "SELF");
  });

  it("lives in the management account configured in organization.platform.bootstrap", () => {
    const s = only(run, STACK_SET);
    assert.equal(String(s.outputs["arn"]).split(":")[4], "999999999999");
    assert.equal(String(s.outputs["arn"]).split(":")[3], "us-east-1");
  });

  it("deploys the committed template with the organization's prefix, tools account and organization id", () => {
    const s = only(run, STACK_SET).inputs;
    assert.equal(s["templateBody"], readBootstrapTemplate());
    assert.deepEqual(s["parameters"], {
      Prefix: ORG.prefix,
      ToolsAccount: ORG.tools.account,
      OrganizationId: ORG.id,
    });
  });

  it("operation preferences suit 500+ accounts: percentages within the documented 0-100, soft failure tolerance", () => {
    for (const r of [only(run, STACK_SET), only(run, INSTANCE)]) {
      const o = r.inputs["operationPreferences"] as Dict;
      assert.equal(o["maxConcurrentPercentage"], 100);
      assert.ok(
        Number(o["failureTolerancePercentage"]) > 0 &&
          Number(o["failureTolerancePercentage"]) <= 100,
      );
      assert.equal(
        o["maxConcurrentCount"],
        undefined,
        "a count would not scale with the organization",
      );
    }
    assert.equal(
      (only(run, INSTANCE).inputs["operationPreferences"] as Dict)["concurrencyMode"],
      "SOFT_FAILURE_TOLERANCE",
    );
  });

  it("targets the organizational units (every account in them, NONE)", () => {
    const i = only(run, INSTANCE).inputs;
    assert.equal(i["stackSetName"], P.stackSet);
    assert.equal(i["callAs"], "SELF");
    assert.deepEqual(i["deploymentTargets"], {
      organizationalUnitIds: ["ou-ab12-workloads"],
      accountFilterType: "NONE",
    });
  });

  it("returns the StackSet's name and ARN and the role the platform pipeline assumes", async () => {
    const out = await programOutputs("bootstrap");
    assert.equal(out["stackSetName"], P.stackSet);
    assert.match(
      String(out["stackSetArn"]),
      /^arn:aws:cloudformation:us-east-1:999999999999:stackset\/acme-platform-bootstrap:/,
    );
    assert.equal(out["bootstrapRoleName"], P.bootstrapRole);
    assert.equal(out["deployerRoleName"], P.deployerRole);
  });
});

describe("bootstrap stack: stack instances in one region (IAM names are global)", () => {
  it("one stack instance region per account, even when the workload accounts use two regions", async () => {
    // The template names its role and policy; IAM is global, so a second region's stack instance
    // in the same account would fail on a name that already exists.
    const run = await runStackOk("bootstrap", { editOrganization: withProdAccounts(4) });
    const instances = ofType(run, INSTANCE);
    assert.equal(instances.length, 1);
    assert.equal(instances[0].inputs["stackSetInstanceRegion"], "us-east-1");
  });

  it("the instance region is organization.platform.bootstrap.region when set", async () => {
    const run = await runStackOk("bootstrap", {
      editOrganization: (o) => {
        (bootstrapOf(o) as Dict)["region"] = "eu-west-1";
      },
      config: { "aws:region": "eu-west-1" },
    });
    assert.equal(only(run, INSTANCE).inputs["stackSetInstanceRegion"], "eu-west-1");
  });
});

describe("bootstrap stack: accounts outside the OUs and a delegated administrator", () => {
  it("listed accounts are added to the OUs' accounts with accountFilterType UNION", async () => {
    const run = await runStackOk("bootstrap", {
      editOrganization: (o) => {
        bootstrapOf(o).accounts = ["777777777777"];
      },
    });
    assert.deepEqual(only(run, INSTANCE).inputs["deploymentTargets"], {
      organizationalUnitIds: ["ou-ab12-workloads"],
      accounts: ["777777777777"],
      accountFilterType: "UNION",
    });
  });

  it("callAs DELEGATED_ADMIN is passed to the StackSet and its instances", async () => {
    const run = await runStackOk("bootstrap", {
      editOrganization: (o) => {
        bootstrapOf(o).callAs = "DELEGATED_ADMIN";
      },
    });
    assert.equal(only(run, STACK_SET).inputs["callAs"], "DELEGATED_ADMIN");
    assert.equal(only(run, INSTANCE).inputs["callAs"], "DELEGATED_ADMIN");
  });
});

describe("bootstrap stack: scale", () => {
  it("is the same at 3 and 500 accounts: the template, its parameters and the targets name no account", async () => {
    const small = await exampleRun("bootstrap");
    const large = await runStackOk("bootstrap", { editOrganization: withProdAccounts(500) });
    for (const type of [STACK_SET, INSTANCE])
      assert.deepEqual(only(large, type).inputs, only(small, type).inputs, type);
    // TemplateBody: at most 51,200 bytes (https://docs.aws.amazon.com/sdk-for-kotlin/api/latest/cloudformation/aws.sdk.kotlin.services.cloudformation.model/-update-stack-set-request/-builder/template-body.html).
    const body = String(only(large, STACK_SET).inputs["templateBody"]);
    assert.ok(Buffer.byteLength(body) <= 51_200, `TemplateBody ${Buffer.byteLength(body)} bytes`);
  });
});

describe("bootstrap stack: bad config", () => {
  it("organization.id is required: the role's trust is narrowed with aws:PrincipalOrgID", async () => {
    const run = await runStack("bootstrap", {
      editOrganization: (o) => {
        delete (o as Dict)["id"];
      },
    });
    assert.ok(run.error, "expected a config error");
    assert.match(String(run.error), /organization\.id: is not set but organization\.platform is/);
    assert.equal(ofType(run, STACK_SET).length, 0);
  });

  it("a bootstrap stack without organization.platform.bootstrap is refused", async () => {
    const run = await runStack("bootstrap", {
      editOrganization: (o) => {
        delete (o.platform as Dict)["bootstrap"];
      },
    });
    assert.match(String(run.error), /organization\.platform\.bootstrap is not set/);
  });

  it("the stack file pins the management account", async () => {
    const run = await runStack("bootstrap", {
      config: { "aws:allowedAccountIds": '["111111111111"]' },
    });
    assert.match(String(run.error), /aws:allowedAccountIds.*999999999999/);
  });
});

describe("bootstrap stack: the policy pack", function () {
  this.timeout(60_000);
  it("npm run plan -- --stack bootstrap passes the pack with no mandatory finding", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bootstrap-plan-"));
    const run = await runCli([
      "plan",
      "--stack",
      "bootstrap",
      "--json",
      path.join(dir, "plan.json"),
    ]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /Plan: 1 stack\(s\), \d+ resources; 0 mandatory and 0 advisory/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
