// Generates organizations of a given size from the example one, through the real config model
// (the same schema and checks `pulumi up` runs), and writes them as a project directory the plan
// CLI can read: Pulumi.yaml with the organization, one stack file per account.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { stringify } from "yaml";
import { organizationProblems } from "../model/config";
import type { Organization } from "../model/config/schema";
import type { DeclaredQuotas } from "../model/quotas";
import { exampleOrganization, PROJECT_DIR } from "../test/helpers";

export interface Size {
  /** Applications, cycling through the example's three (Pulumi, Pulumi with filters, CloudFormation). */
  readonly applications: number;
  /**
   * Only the example applications whose `deploy.mechanism` (Pulumi when absent) is listed are
   * cycled through; all three when omitted. `["pulumi"]` leaves out the CloudFormation one, whose
   * pipeline takes two actions per target and so fewer accounts in 50 stages.
   */
  readonly mechanisms?: readonly ("pulumi" | "cloudformation")[];
  /** Accounts in prod (first in us-east-1, then alternating eu-west-1). */
  readonly prodAccounts: number;
  /** Extra accounts in dev (ungated, so not limited by alarm-rule waves). */
  readonly devAccounts?: number;
  /** Raised quotas the tools account declares (organization.tools.quotas). */
  readonly quotas?: DeclaredQuotas;
}

const account = (base: number, i: number) => String(base + i).padStart(12, "0");

/** The example organization grown to `size`, validated; throws with every problem otherwise. */
export function generateOrganization(size: Size): Organization {
  const org = exampleOrganization() as unknown as Record<string, unknown>;
  const environments = org["environments"] as Record<string, unknown>[];
  const prod = environments.find((e) => e["name"] === "prod")!;
  prod["accounts"] = Array.from({ length: size.prodAccounts }, (_, i) => ({
    id: account(400_000_000_000, i),
    name: `prod-${i}`,
    ...(i % 2 === 1 ? { regions: ["eu-west-1"] } : {}),
  }));
  const dev = environments.find((e) => e["name"] === "dev")!;
  const devAccounts = 1 + (size.devAccounts ?? 0);
  dev["accounts"] = Array.from({ length: devAccounts }, (_, i) => ({
    id: i === 0 ? "222222222222" : account(200_000_000_000, i),
    name: i === 0 ? "dev" : `dev-${i}`,
  }));
  if (size.quotas) (org["tools"] as Record<string, unknown>)["quotas"] = { ...size.quotas };
  const mechanismOf = (app: Record<string, unknown>) =>
    String((app["deploy"] as Record<string, unknown> | undefined)?.["mechanism"] ?? "pulumi");
  const templates = (org["applications"] as Record<string, unknown>[]).filter(
    (app) => size.mechanisms === undefined || size.mechanisms.some((m) => m === mechanismOf(app)),
  );
  if (templates.length === 0)
    throw new Error(`the example has no application deployed by ${size.mechanisms?.join(" or ")}`);
  org["applications"] = Array.from({ length: size.applications }, (_, i) => {
    const app = JSON.parse(JSON.stringify(templates[i % templates.length])) as Record<
      string,
      unknown
    >;
    const name = `app-${String(i).padStart(3, "0")}`;
    app["name"] = name;
    const source = app["source"] as Record<string, unknown>;
    source["repository"] = `acme/${name}`;
    for (const s of (app["secrets"] as Record<string, unknown>[] | undefined) ?? []) {
      s["ref"] = String(s["ref"]).replace("orders-api", name);
    }
    return app;
  });
  const problems = organizationProblems(org);
  if (problems.length > 0)
    throw new Error(
      `generated organization ${JSON.stringify(size)} is invalid:\n${problems.map((p) => `  - ${p.path}: ${p.message}`).join("\n")}`,
    );
  return org as unknown as Organization;
}

/** The stacks of an organization: tools, then one per workload account. */
export function stacksOf(org: Organization): { name: string; config: Record<string, unknown> }[] {
  const stacks: { name: string; config: Record<string, unknown> }[] = [
    {
      name: "tools",
      config: {
        "cicd-platform:role": "tools",
        "aws:region": org.tools.region,
        "aws:allowedAccountIds": [org.tools.account],
      },
    },
  ];
  for (const env of org.environments) {
    for (const a of env.accounts) {
      const region = a.regions?.[0] ?? env.regions[0] ?? org.tools.region;
      stacks.push({
        name: env.accounts.length === 1 ? env.name : `${env.name}-${a.name}`,
        config: {
          "cicd-platform:role": "workload",
          "cicd-platform:environment": env.name,
          ...(env.accounts.length > 1 ? { "cicd-platform:account": a.id } : {}),
          "aws:region": region,
          "aws:allowedAccountIds": [a.id],
        },
      });
    }
  }
  return stacks;
}

/**
 * Writes a project directory for `org` (program: this repository's) and returns its path;
 * `nodeargs` goes to Pulumi.yaml's runtime.options, as a forker sets the heap of a large stack.
 */
export function writeProject(
  org: Organization,
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-org-")),
  nodeargs?: string,
): string {
  const project = {
    name: "cicd-platform",
    runtime: { name: "nodejs", options: { typescript: true, ...(nodeargs ? { nodeargs } : {}) } },
    main: path.join(PROJECT_DIR, "index.ts"),
    config: { organization: { value: org } },
  };
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), stringify(project));
  for (const s of stacksOf(org))
    fs.writeFileSync(path.join(dir, `Pulumi.${s.name}.yaml`), stringify({ config: s.config }));
  return dir;
}
