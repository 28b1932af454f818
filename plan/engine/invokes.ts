// Answers to the provider functions (invokes) the blueprint calls, computed the way the AWS
// provider answers them for the account and region of the calling provider.
import { partitionOf } from "../../model/naming";

export interface InvokeContext {
  readonly account: string;
  readonly region: string;
}

type Answer = (inputs: Record<string, unknown>, ctx: InvokeContext) => Record<string, unknown>;

interface StatementArgs {
  sid?: string;
  effect?: string;
  actions?: string[];
  notActions?: string[];
  resources?: string[];
  notResources?: string[];
  principals?: { type: string; identifiers: string[] }[];
  notPrincipals?: { type: string; identifiers: string[] }[];
  conditions?: { test: string; variable: string; values: string[] }[];
}

const one = (values: string[]): string | string[] => (values.length === 1 ? values[0] : values);

function principalBlock(list: { type: string; identifiers: string[] }[]): unknown {
  if (list.length === 1 && list[0].type === "*") return "*";
  const out: Record<string, string | string[]> = {};
  for (const p of list) out[p.type] = one([...(p.identifiers ?? [])].sort());
  return out;
}

/** Renders `aws.iam.getPolicyDocument` arguments as the provider does (single values unwrapped). */
export function renderPolicyDocument(inputs: Record<string, unknown>): string {
  const statements = ((inputs["statements"] as StatementArgs[] | undefined) ?? []).map((s) => {
    const out: Record<string, unknown> = {};
    if (s.sid) out["Sid"] = s.sid;
    out["Effect"] = s.effect ?? "Allow";
    if (s.actions?.length) out["Action"] = one(s.actions);
    if (s.notActions?.length) out["NotAction"] = one(s.notActions);
    if (s.resources?.length) out["Resource"] = one(s.resources);
    if (s.notResources?.length) out["NotResource"] = one(s.notResources);
    if (s.principals?.length) out["Principal"] = principalBlock(s.principals);
    if (s.notPrincipals?.length) out["NotPrincipal"] = principalBlock(s.notPrincipals);
    if (s.conditions?.length) {
      const cond: Record<string, Record<string, string | string[]>> = {};
      for (const c of s.conditions) (cond[c.test] ??= {})[c.variable] = one(c.values);
      out["Condition"] = cond;
    }
    return out;
  });
  return JSON.stringify({ Version: inputs["version"] ?? "2012-10-17", Statement: statements });
}

export const INVOKES: Readonly<Record<string, Answer>> = {
  "aws:index/getCallerIdentity:getCallerIdentity": (_i, { account }) => ({
    id: account,
    accountId: account,
    arn: `arn:aws:sts::${account}:assumed-role/platform-deployer/pulumi`,
    userId: "AROAEXAMPLEOFFLINEPLAN:pulumi",
  }),
  "aws:index/getRegion:getRegion": (_i, { region }) => ({
    id: region,
    name: region,
    region,
    description: region,
    endpoint: `ec2.${region}.amazonaws.com`,
  }),
  "aws:index/getPartition:getPartition": (_i, { region }) => {
    const partition = partitionOf(region);
    return {
      id: partition,
      partition,
      dnsSuffix: partition === "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com",
      reverseDnsPrefix: partition === "aws-cn" ? "cn.com.amazonaws" : "com.amazonaws",
    };
  },
  // Lookups of an application's own load balancer (codedeploy-ecs). The offline plan cannot see
  // it: it answers with an ARN of the right account, region and shape, whose ids are zeros. A real
  // preview reads the load balancer, and fails when it does not exist yet.
  "aws:lb/getLoadBalancer:getLoadBalancer": (inputs, { account, region }) => {
    const name = String(inputs["name"] ?? "unnamed");
    const arn = `arn:${partitionOf(region)}:elasticloadbalancing:${region}:${account}:loadbalancer/app/${name}/0000000000000000`;
    return { id: arn, arn, name, loadBalancerType: "application" };
  },
  "aws:lb/getListener:getListener": (inputs) => {
    const lb = String(inputs["loadBalancerArn"] ?? "");
    const port = Number(inputs["port"] ?? 0);
    const arn = `${lb.replace(":loadbalancer/", ":listener/")}/${port.toString(16).padStart(16, "0")}`;
    return { id: arn, arn, loadBalancerArn: lb, port };
  },
  "aws:iam/getPolicyDocument:getPolicyDocument": (inputs) => {
    const json = renderPolicyDocument(inputs);
    return { id: String(json.length), json, minifiedJson: json };
  },
};

/** Answers an invoke or throws a clear error naming the function to add here. */
export function answerInvoke(
  token: string,
  inputs: Record<string, unknown>,
  ctx: InvokeContext,
): Record<string, unknown> {
  const answer = INVOKES[token];
  if (!answer)
    throw new Error(
      `the offline engine has no answer for the provider function ${token}; add one to plan/engine/invokes.ts`,
    );
  return answer(inputs, ctx);
}
