// X-Ray in the workload accounts: traces encrypted with a rotating key of the account in every
// region, usable only through X-Ray there; the platform's sampling rule from config, with its
// defaults; X-Ray off where config says so; bad sampling settings refused with their path.
import { strict as assert } from "assert";
import { ConfigError } from "../../model/config";
import { Organization } from "../../model/config/schema";
import { xrayNames } from "../../model/naming";
import { DEFAULT_SAMPLING } from "../../components/workload/xray";
import { parsePolicy, resourcePolicyAllows } from "../../plan/report/iam-eval";
import { createdResources, ofType, runStack, runStackOk } from "../helpers";

const ENCRYPTION = "aws:xray/encryptionConfig:EncryptionConfig";
const SAMPLING = "aws:xray/samplingRule:SamplingRule";
const env = (o: Organization, name: string) => o.environments.find((e) => e.name === name)!;

describe("X-Ray traces are encrypted with the account's key", () => {
  it("every region of the account, with a rotating key of that region", async () => {
    const run = await runStackOk("prod", {
      editOrganization: (o) => {
        env(o, "prod").accounts[0]!.regions = ["us-east-1", "us-west-2"];
      },
    });
    const configs = ofType(run, ENCRYPTION);
    assert.deepEqual(configs.map((c) => c.region).sort(), ["us-east-1", "us-west-2"]);
    for (const c of configs) {
      assert.equal(c.inputs["type"], "KMS");
      const key = ofType(run, "aws:kms/key:Key").find(
        (k) => k.outputs["arn"] === c.inputs["keyId"],
      );
      assert.ok(key, "the key is the stack's");
      assert.equal(key.region, c.region);
      assert.equal(key.inputs["enableKeyRotation"], true);
    }
    const aliases = ofType(run, "aws:kms/alias:Alias").filter(
      (a) => a.inputs["name"] === xrayNames("acme", "prod").keyAlias,
    );
    assert.equal(aliases.length, 2);
  });

  it("the key admits principals of this account through X-Ray of its region only", async () => {
    const run = await runStackOk("prod-eu");
    const [c] = ofType(run, ENCRYPTION);
    const key = ofType(run, "aws:kms/key:Key").find(
      (k) => k.outputs["arn"] === c!.inputs["keyId"],
    )!;
    const doc = parsePolicy(key.inputs["policy"]);
    const keyArn = String(key.outputs["arn"]);
    const role = (account: string) => ({
      arn: `arn:aws:iam::${account}:role/app/orders`,
      account,
    });
    const use = (account: string, via: string, action = "kms:GenerateDataKey") =>
      resourcePolicyAllows(doc, role(account) as never, {
        action,
        resource: keyArn,
        context: { "kms:ViaService": via, "kms:CallerAccount": account },
      });
    assert.equal(use("555555555555", "xray.eu-west-1.amazonaws.com"), true);
    assert.equal(use("555555555555", "xray.eu-west-1.amazonaws.com", "kms:Decrypt"), true);
    assert.equal(use("555555555555", "xray.us-east-1.amazonaws.com"), false);
    assert.equal(use("555555555555", "s3.eu-west-1.amazonaws.com"), false);
    assert.equal(use("999999999999", "xray.eu-west-1.amazonaws.com"), false);
    // Outside X-Ray the account may administer the key, never use it.
    const direct = (action: string) =>
      resourcePolicyAllows(doc, role("555555555555") as never, {
        action,
        resource: keyArn,
        context: {},
      });
    assert.equal(direct("kms:Decrypt"), false);
    assert.equal(direct("kms:EnableKeyRotation"), true);
  });
});

describe("the sampling rule", () => {
  it("uses X-Ray's default rate at priority 9000 unless config says otherwise", async () => {
    const run = await runStackOk("dev");
    const [rule] = ofType(run, SAMPLING);
    assert.equal(rule?.inputs["ruleName"], xrayNames("acme", "dev").samplingRule);
    assert.equal(rule?.inputs["fixedRate"], DEFAULT_SAMPLING.fixedRate);
    assert.equal(rule?.inputs["reservoirSize"], 1);
    assert.equal(rule?.inputs["priority"], 9000);
    assert.equal(rule?.inputs["serviceName"], "*");
    assert.equal(rule?.inputs["urlPath"], "*");
    assert.equal(rule?.inputs["version"], 1);
  });

  it("takes the organization's values, then the environment's, key by key", async () => {
    const run = await runStackOk("dev", {
      editOrganization: (o) => {
        o.observability = { xray: { sampling: { fixedRate: 0.1, priority: 5000 } } };
        env(o, "dev").observability = {
          xray: { sampling: { fixedRate: 0.5, serviceName: "orders-api" } },
        };
      },
    });
    const [rule] = ofType(run, SAMPLING);
    assert.equal(rule?.inputs["fixedRate"], 0.5);
    assert.equal(rule?.inputs["priority"], 5000);
    assert.equal(rule?.inputs["serviceName"], "orders-api");
    assert.equal(rule?.inputs["reservoirSize"], 1);
  });

  it("an environment may turn X-Ray off", async () => {
    const run = await runStackOk("staging", {
      editOrganization: (o) => {
        env(o, "staging").observability = { xray: { enabled: false } };
      },
    });
    assert.equal(ofType(run, SAMPLING).length, 0);
    assert.equal(ofType(run, ENCRYPTION).length, 0);
  });
});

describe("bad X-Ray settings", () => {
  it("refuses a rate that is not a share, and an unknown key, each at its path", async () => {
    const run = await runStack("dev", {
      editOrganization: (o) => {
        env(o, "dev").observability = {
          xray: { sampling: { fixedRate: 1.5, rate: 2 } as never },
        };
      },
    });
    assert.ok(run.error instanceof ConfigError, String(run.error));
    assert.deepEqual(createdResources(run), []);
    const problems = run.error.problems.map((p) => `${p.path}: ${p.message}`);
    assert.ok(
      problems.includes(
        "organization.environments[0].observability.xray.sampling.fixedRate: fixedRate is a share from 0 to 1, such as 0.05",
      ),
      problems.join("\n"),
    );
    assert.ok(
      problems.some(
        (p) =>
          p.startsWith("organization.environments[0].observability.xray.sampling") &&
          p.includes("rate"),
      ),
      problems.join("\n"),
    );
  });

  it("refuses a priority outside 1 to 9999", async () => {
    const run = await runStack("dev", {
      editOrganization: (o) => {
        o.observability = { xray: { sampling: { priority: 0 } } };
      },
    });
    assert.ok(run.error instanceof ConfigError, String(run.error));
    assert.deepEqual(
      run.error.problems.map((p) => p.path),
      ["organization.observability.xray.sampling.priority"],
    );
  });
});
