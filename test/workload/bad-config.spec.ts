// Bad environment config: every problem is reported with its config path and the fix, and a
// stack with a bad config creates nothing.
import { strict as assert } from "assert";
import { ConfigError } from "../../model/config";
import { createdResources, runStack, RunStackOptions } from "../helpers";

/** Runs a stack that must fail validation; returns its problems as "path: message". */
async function problemsOf(stack: string, options: RunStackOptions): Promise<string[]> {
  const run = await runStack(stack, options);
  assert.ok(run.error instanceof ConfigError, `expected a ConfigError, got ${String(run.error)}`);
  assert.deepEqual(createdResources(run), [], "a bad config creates nothing");
  return run.error.problems.map((p) => `${p.path}: ${p.message}`);
}

const setServices = (env: string, services: string[]) => ({
  editOrganization: (o: { environments: { name: string; allowedServices?: string[] }[] }) => {
    const e = o.environments.find((x) => x.name === env);
    if (e) e.allowedServices = services;
  },
});

describe("bad environment config", () => {
  it("refuses iam, organizations and sts in allowedServices, each at its path", async () => {
    const problems = await problemsOf(
      "dev",
      setServices("dev", ["lambda", "iam", "organizations", "sts"]),
    );
    assert.deepEqual(problems, [
      'organization.environments[0].allowedServices[1]: \'iam\' is never allowed: IAM is granted separately and only under the permissions boundary; remove it and list the service prefixes the applications use (for example "lambda", "dynamodb")',
      'organization.environments[0].allowedServices[2]: \'organizations\' is never allowed: a workload deploy role must never manage the AWS organization; remove it and list the service prefixes the applications use (for example "lambda", "dynamodb")',
      'organization.environments[0].allowedServices[3]: \'sts\' is never allowed: a workload deploy role must not assume other roles or mint credentials; remove it and list the service prefixes the applications use (for example "lambda", "dynamodb")',
    ]);
  });

  it('refuses "*" (also from another stack: the organization config is shared)', async () => {
    const problems = await problemsOf("tools", setServices("prod", ["*"]));
    assert.ok(
      problems.includes(
        'organization.environments[2].allowedServices[0]: \'*\' is never allowed: grants every action of every service: the deploy role would be an administrator; remove it and list the service prefixes the applications use (for example "lambda", "dynamodb")',
      ),
      problems.join("\n"),
    );
  });

  it("refuses an empty or duplicated service list", async () => {
    assert.deepEqual(await problemsOf("staging", setServices("staging", ["lambda", "lambda"])), [
      "organization.environments[1].allowedServices[1]: 'lambda' is listed twice; list it once",
    ]);
    const empty = await problemsOf("staging", setServices("staging", []));
    assert.equal(empty.length, 1);
    assert.match(
      empty[0],
      /^organization\.environments\[1\]\.allowedServices: is empty, so deployments could create nothing; /,
    );
  });

  it("refuses a service list whose permissions boundary would outgrow IAM's limit", async () => {
    const many = Array.from({ length: 300 }, (_, k) => `service${k}`);
    const problems = await problemsOf("dev", setServices("dev", many));
    assert.equal(problems.length, 1);
    assert.match(
      problems[0],
      /^organization\.environments\[0\]\.allowedServices: the permissions boundary for these 300 services would be \d+ characters; IAM allows 6144 in a managed policy: list fewer services/,
    );
  });

  it("refuses an environment whose alarms would notify nobody", async () => {
    const problems = await problemsOf("staging", {
      editOrganization: (o) => {
        o.notifications.subscribers = [];
      },
    });
    assert.deepEqual(problems, [
      "organization.environments[0].notifications.subscribers: environment 'dev' has no alarm subscribers, so its deployment-health alarms would notify nobody; add one here or in organization.notifications.subscribers",
      "organization.environments[1].notifications.subscribers: environment 'staging' has no alarm subscribers, so its deployment-health alarms would notify nobody; add one here or in organization.notifications.subscribers",
    ]);
  });

  it("refuses to deploy an account the organization does not list for the environment", async () => {
    const problems = await problemsOf("prod", {
      config: {
        "cicd-platform:account": "999999999999",
        "aws:allowedAccountIds": '["999999999999"]',
      },
    });
    assert.deepEqual(problems, [
      "cicd-platform:account: 999999999999 is not an account of environment 'prod' (444444444444, 555555555555); the blueprint refuses to deploy an account the organization config does not list",
    ]);
  });

  it("requires the account when an environment has several", async () => {
    const problems = await problemsOf("prod", { config: { "cicd-platform:account": undefined } });
    assert.deepEqual(problems, [
      "cicd-platform:account: is not set; environment 'prod' has 2 accounts (444444444444, 555555555555): set the one this stack deploys in Pulumi.prod.yaml",
    ]);
  });

  it("refuses a region the account does not deploy to", async () => {
    const problems = await problemsOf("prod-eu", { config: { "aws:region": "us-east-1" } });
    assert.deepEqual(problems, [
      "aws:region: is us-east-1 but account 555555555555 of 'prod' deploys to eu-west-1; set aws:region to one of them",
    ]);
  });
});
