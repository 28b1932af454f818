// Outputs the way AWS (through the Pulumi AWS provider) computes them: ids, ARNs with the right
// partition, account and region, auto-names, endpoints. In preview mode only what the provider
// knows before creating (auto-names, region, tagsAll) is returned, so ARNs and ids stay unknown,
// exactly as `pulumi preview` shows them for new resources.
import { createHash } from "crypto";
import { partitionOf } from "../../model/naming";
import { runtime } from "@pulumi/pulumi";

/** Pulumi's wire sentinel for a value not known until the resource exists. */
const UNKNOWN_OUTPUT: string = runtime.unknownValue;

/** Where a resource lives and what it was given. */
export interface ResourceContext {
  readonly type: string;
  /** Pulumi logical name. */
  readonly name: string;
  readonly urn: string;
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly account: string;
  readonly region: string;
  /** Provider default tags, merged into tagsAll. */
  readonly defaultTags?: Readonly<Record<string, string>>;
}

export interface ComputedResource {
  /** Physical id; undefined in preview (unknown until created). */
  readonly id: string | undefined;
  /** Inputs plus computed outputs. */
  readonly state: Record<string, unknown>;
}

/** Deterministic hex derived from the URN: stands in for AWS's random suffixes and ids. */
export function stableHex(seed: string, length: number): string {
  let out = "";
  let i = 0;
  while (out.length < length) out += createHash("sha256").update(`${seed}#${i++}`).digest("hex");
  return out.slice(0, length);
}

function stableUuid(seed: string): string {
  const h = stableHex(seed, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The property the AWS provider fills with `<logical name>-<7 hex>` when it is not given. */
const AUTONAMED: Readonly<Record<string, { prop: string; lower?: boolean; max?: number }>> = {
  "aws:iam/role:Role": { prop: "name", max: 64 },
  "aws:iam/policy:Policy": { prop: "name", max: 128 },
  "aws:iam/user:User": { prop: "name", max: 64 },
  "aws:iam/group:Group": { prop: "name", max: 128 },
  "aws:iam/rolePolicy:RolePolicy": { prop: "name", max: 128 },
  "aws:s3/bucket:Bucket": { prop: "bucket", lower: true, max: 63 },
  "aws:s3/bucketV2:BucketV2": { prop: "bucket", lower: true, max: 63 },
  "aws:sns/topic:Topic": { prop: "name", max: 256 },
  "aws:sqs/queue:Queue": { prop: "name", max: 80 },
  "aws:codebuild/project:Project": { prop: "name", max: 255 },
  "aws:codepipeline/pipeline:Pipeline": { prop: "name", max: 100 },
  "aws:cloudwatch/metricAlarm:MetricAlarm": { prop: "name", max: 255 },
  "aws:cloudwatch/eventRule:EventRule": { prop: "name", max: 64 },
  "aws:cloudwatch/logGroup:LogGroup": { prop: "name", max: 512 },
  "aws:cloudtrail/trail:Trail": { prop: "name", max: 128 },
  "aws:secretsmanager/secret:Secret": { prop: "name", max: 512 },
  "aws:ssm/parameter:Parameter": { prop: "name", max: 2048 },
  "aws:lambda/function:Function": { prop: "name", max: 64 },
  "aws:ecr/repository:Repository": { prop: "name", lower: true, max: 256 },
  "aws:codestarconnections/connection:Connection": { prop: "name", max: 32 },
  "aws:codeconnections/connection:Connection": { prop: "name", max: 32 },
};

/** The physical name the provider picks when the program gives none. */
export function autoName(ctx: ResourceContext): Record<string, string> {
  const rule = AUTONAMED[ctx.type];
  if (!rule || typeof ctx.inputs[rule.prop] === "string" || ctx.inputs["namePrefix"] !== undefined)
    return rule && typeof ctx.inputs["namePrefix"] === "string"
      ? { [rule.prop]: `${ctx.inputs["namePrefix"]}${stableHex(ctx.urn, 26)}` }
      : {};
  let base = rule.lower ? ctx.name.toLowerCase() : ctx.name;
  const max = rule.max ?? 255;
  if (base.length + 8 > max) base = base.slice(0, max - 8);
  return { [rule.prop]: `${base}-${stableHex(ctx.urn, 7)}` };
}

const str = (v: unknown): string => (typeof v === "string" ? v : "");

type Computer = (c: {
  ctx: ResourceContext;
  p: string;
  acct: string;
  region: string;
  name: string;
  inputs: Readonly<Record<string, unknown>>;
}) => { id: string; outputs: Record<string, unknown> };

/** Id and computed outputs per resource type the blueprint (and the policy pack's fixtures) use. */
export const COMPUTED: Readonly<Record<string, Computer>> = {
  "aws:iam/role:Role": ({ p, acct, name, inputs, ctx }) => ({
    id: name,
    outputs: {
      arn: `arn:${p}:iam::${acct}:role${str(inputs["path"]) || "/"}${name}`,
      uniqueId: `AROA${stableHex(ctx.urn, 17).toUpperCase()}`,
      createDate: "2026-01-01T00:00:00Z",
      path: str(inputs["path"]) || "/",
      maxSessionDuration: inputs["maxSessionDuration"] ?? 3600,
    },
  }),
  "aws:iam/policy:Policy": ({ p, acct, name, inputs, ctx }) => {
    const arn = `arn:${p}:iam::${acct}:policy${str(inputs["path"]) || "/"}${name}`;
    return {
      id: arn,
      outputs: { arn, policyId: `ANPA${stableHex(ctx.urn, 17).toUpperCase()}`, attachmentCount: 0 },
    };
  },
  "aws:iam/rolePolicy:RolePolicy": ({ name, inputs }) => ({
    id: `${str(inputs["role"])}:${name}`,
    outputs: {},
  }),
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": ({ inputs, ctx }) => ({
    id: `${str(inputs["role"])}-${stableHex(ctx.urn, 20)}`,
    outputs: {},
  }),
  "aws:iam/user:User": ({ p, acct, name, inputs, ctx }) => ({
    id: name,
    outputs: {
      arn: `arn:${p}:iam::${acct}:user${str(inputs["path"]) || "/"}${name}`,
      uniqueId: `AIDA${stableHex(ctx.urn, 17).toUpperCase()}`,
    },
  }),
  "aws:iam/group:Group": ({ p, acct, name, inputs, ctx }) => ({
    id: name,
    outputs: {
      arn: `arn:${p}:iam::${acct}:group${str(inputs["path"]) || "/"}${name}`,
      uniqueId: `AGPA${stableHex(ctx.urn, 17).toUpperCase()}`,
    },
  }),
  "aws:kms/key:Key": ({ p, acct, region, ctx, inputs }) => {
    const keyId = stableUuid(ctx.urn);
    return {
      id: keyId,
      outputs: {
        keyId,
        arn: `arn:${p}:kms:${region}:${acct}:key/${keyId}`,
        keyUsage: inputs["keyUsage"] ?? "ENCRYPT_DECRYPT",
        customerMasterKeySpec: inputs["customerMasterKeySpec"] ?? "SYMMETRIC_DEFAULT",
        isEnabled: inputs["isEnabled"] ?? true,
      },
    };
  },
  "aws:kms/alias:Alias": ({ p, acct, region, name, inputs }) => ({
    id: name,
    outputs: { arn: `arn:${p}:kms:${region}:${acct}:${name}`, targetKeyArn: inputs["targetKeyId"] },
  }),
  "aws:kms/keyPolicy:KeyPolicy": ({ inputs }) => ({ id: str(inputs["keyId"]), outputs: {} }),
  "aws:s3/bucket:Bucket": ({ p, region, inputs }) => {
    const bucket = str(inputs["bucket"]);
    return {
      id: bucket,
      outputs: {
        arn: `arn:${p}:s3:::${bucket}`,
        bucketDomainName: `${bucket}.s3.amazonaws.com`,
        bucketRegionalDomainName: `${bucket}.s3.${region}.amazonaws.com`,
        hostedZoneId: "Z3AQBSTGFYJSTF",
      },
    };
  },
  "aws:s3/bucketVersioning:BucketVersioning": bucketChild,
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration":
    bucketChild,
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": bucketChild,
  "aws:s3/bucketOwnershipControls:BucketOwnershipControls": bucketChild,
  "aws:s3/bucketPolicy:BucketPolicy": bucketChild,
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": bucketChild,
  "aws:s3/bucketLogging:BucketLogging": bucketChild,
  "aws:codestarconnections/connection:Connection": ({ p, acct, region, ctx }) => {
    const arn = `arn:${p}:codestar-connections:${region}:${acct}:connection/${stableUuid(ctx.urn)}`;
    return { id: arn, outputs: { arn, connectionStatus: "PENDING", ownerAccountId: acct } };
  },
  "aws:codeconnections/connection:Connection": ({ p, acct, region, ctx }) => {
    const arn = `arn:${p}:codeconnections:${region}:${acct}:connection/${stableUuid(ctx.urn)}`;
    return { id: arn, outputs: { arn, connectionStatus: "PENDING", ownerAccountId: acct } };
  },
  "aws:codepipeline/pipeline:Pipeline": ({ p, acct, region, name }) => ({
    id: name,
    outputs: { arn: `arn:${p}:codepipeline:${region}:${acct}:${name}` },
  }),
  "aws:codebuild/project:Project": ({ p, acct, region, name }) => {
    const arn = `arn:${p}:codebuild:${region}:${acct}:project/${name}`;
    return { id: arn, outputs: { arn, badgeUrl: "" } };
  },
  "aws:sns/topic:Topic": ({ p, acct, region, name }) => {
    const arn = `arn:${p}:sns:${region}:${acct}:${name}`;
    return { id: arn, outputs: { arn, owner: acct } };
  },
  "aws:sns/topicPolicy:TopicPolicy": ({ acct, inputs }) => ({
    id: str(inputs["arn"]),
    outputs: { owner: acct },
  }),
  "aws:sns/topicSubscription:TopicSubscription": ({ inputs, ctx }) => {
    const arn = `${str(inputs["topic"])}:${stableUuid(ctx.urn)}`;
    return {
      id: arn,
      outputs: {
        arn,
        pendingConfirmation: inputs["protocol"] === "email" || inputs["protocol"] === "https",
        confirmationWasAuthenticated: false,
      },
    };
  },
  "aws:codestarnotifications/notificationRule:NotificationRule": ({ p, acct, region, ctx }) => {
    const arn = `arn:${p}:codestar-notifications:${region}:${acct}:notificationrule/${stableHex(ctx.urn, 40)}`;
    return { id: arn, outputs: { arn, status: "ENABLED" } };
  },
  "aws:cloudwatch/metricAlarm:MetricAlarm": ({ p, acct, region, name }) => ({
    id: name,
    outputs: { arn: `arn:${p}:cloudwatch:${region}:${acct}:alarm:${name}` },
  }),
  "aws:cloudwatch/compositeAlarm:CompositeAlarm": ({ p, acct, region, inputs }) => {
    const name = str(inputs["alarmName"]);
    return { id: name, outputs: { arn: `arn:${p}:cloudwatch:${region}:${acct}:alarm:${name}` } };
  },
  "aws:cloudwatch/eventRule:EventRule": ({ p, acct, region, name, inputs }) => {
    const bus = str(inputs["eventBusName"]);
    const path = bus && bus !== "default" ? `${bus}/${name}` : name;
    return {
      id: path,
      outputs: {
        arn: `arn:${p}:events:${region}:${acct}:rule/${path}`,
        eventBusName: bus || "default",
      },
    };
  },
  "aws:cloudwatch/eventTarget:EventTarget": ({ inputs, ctx }) => {
    const targetId = str(inputs["targetId"]) || `terraform-${stableHex(ctx.urn, 20)}`;
    return { id: `${str(inputs["rule"])}-${targetId}`, outputs: { targetId } };
  },
  "aws:cloudwatch/logGroup:LogGroup": ({ p, acct, region, name }) => ({
    id: name,
    outputs: { arn: `arn:${p}:logs:${region}:${acct}:log-group:${name}` },
  }),
  "aws:cloudtrail/trail:Trail": ({ p, acct, region, name }) => {
    const arn = `arn:${p}:cloudtrail:${region}:${acct}:trail/${name}`;
    return { id: arn, outputs: { arn, homeRegion: region } };
  },
  "aws:secretsmanager/secret:Secret": ({ p, acct, region, name, ctx }) => {
    const arn = `arn:${p}:secretsmanager:${region}:${acct}:secret:${name}-${stableHex(ctx.urn, 6)}`;
    return { id: arn, outputs: { arn } };
  },
  "aws:ssm/parameter:Parameter": ({ p, acct, region, name }) => ({
    id: name,
    outputs: {
      arn: `arn:${p}:ssm:${region}:${acct}:parameter/${name.replace(/^\//, "")}`,
      version: 1,
    },
  }),
  // The example application's table and HTTP API (examples/orders-api).
  "aws:dynamodb/table:Table": ({ p, acct, region, name }) => ({
    id: name,
    outputs: { arn: `arn:${p}:dynamodb:${region}:${acct}:table/${name}` },
  }),
  "aws:apigatewayv2/api:Api": ({ p, acct, region, ctx }) => {
    const id = stableHex(ctx.urn, 10);
    return {
      id,
      outputs: {
        arn: `arn:${p}:apigateway:${region}::/apis/${id}`,
        apiEndpoint: `https://${id}.execute-api.${region}.amazonaws.com`,
        executionArn: `arn:${p}:execute-api:${region}:${acct}:${id}`,
      },
    };
  },
  "aws:apigatewayv2/stage:Stage": ({ p, acct, region, name, inputs }) => {
    const api = str(inputs["apiId"]);
    const path = name === "$default" ? "" : name;
    return {
      id: name,
      outputs: {
        arn: `arn:${p}:apigateway:${region}::/apis/${api}/stages/${name}`,
        executionArn: `arn:${p}:execute-api:${region}:${acct}:${api}/${name}`,
        invokeUrl: `https://${api}.execute-api.${region}.amazonaws.com/${path}`,
      },
    };
  },
  "aws:lambda/function:Function": ({ p, acct, region, name }) => {
    const arn = `arn:${p}:lambda:${region}:${acct}:function:${name}`;
    return {
      id: name,
      outputs: {
        arn,
        qualifiedArn: `${arn}:$LATEST`,
        invokeArn: `arn:${p}:apigateway:${region}:lambda:path/2015-03-31/functions/${arn}/invocations`,
        version: "$LATEST",
      },
    };
  },
  "aws:lambda/permission:Permission": ({ inputs, ctx }) => ({
    id: str(inputs["statementId"]) || `terraform-${stableHex(ctx.urn, 20)}`,
    outputs: {},
  }),
  "aws:sqs/queue:Queue": ({ p, acct, region, name }) => {
    const url = `https://sqs.${region}.amazonaws.com/${acct}/${name}`;
    return { id: url, outputs: { arn: `arn:${p}:sqs:${region}:${acct}:${name}`, url } };
  },
  "aws:cloudformation/stackSet:StackSet": ({ p, acct, region, name, ctx }) => {
    const stackSetId = `${name}:${stableUuid(ctx.urn)}`;
    return {
      id: name,
      outputs: {
        arn: `arn:${p}:cloudformation:${region}:${acct}:stackset/${stackSetId}`,
        stackSetId,
      },
    };
  },
  "aws:ecr/repository:Repository": ({ p, acct, region, name }) => ({
    id: name,
    outputs: {
      arn: `arn:${p}:ecr:${region}:${acct}:repository/${name}`,
      registryId: acct,
      repositoryUrl: `${acct}.dkr.ecr.${region}.amazonaws.com/${name}`,
    },
  }),
};

function bucketChild({ inputs }: { inputs: Readonly<Record<string, unknown>> }) {
  return { id: str(inputs["bucket"]), outputs: {} };
}

/** The property that carries the physical name used in ARNs, per type (when not `name`). */
const NAME_PROP: Readonly<Record<string, string>> = {
  "aws:s3/bucket:Bucket": "bucket",
  "aws:s3/bucketV2:BucketV2": "bucket",
  "aws:kms/alias:Alias": "name",
};

/** Types whose outputs the engine computes. Anything else gets a generic id only. */
export function isModelledType(type: string): boolean {
  return type in COMPUTED;
}

/**
 * Computes a resource's state. `preview` returns what `pulumi preview` knows for a new resource:
 * inputs, auto-names, region and tagsAll, with every computed attribute (ARN, endpoints ...)
 * unknown and no id.
 */
export function computeResource(ctx: ResourceContext, preview: boolean): ComputedResource {
  const named = { ...ctx.inputs, ...autoName(ctx) };
  const tagsAll = {
    ...(ctx.defaultTags ?? {}),
    ...((ctx.inputs["tags"] as Record<string, string> | undefined) ?? {}),
  };
  const base: Record<string, unknown> = { ...named, region: ctx.region };
  if (ctx.inputs["tags"] !== undefined || ctx.defaultTags) base["tagsAll"] = tagsAll;
  const computer = COMPUTED[ctx.type];
  if (!computer)
    return { id: preview ? undefined : `${ctx.name}-${stableHex(ctx.urn, 8)}`, state: base };
  const name = str(named[NAME_PROP[ctx.type] ?? "name"]);
  const { id, outputs } = computer({
    ctx,
    p: partitionOf(ctx.region),
    acct: ctx.account,
    region: ctx.region,
    name,
    inputs: named,
  });
  if (!preview) return { id, state: { ...base, ...outputs } };
  // A preview knows the inputs; every attribute the provider computes is shown as unknown.
  const unknowns = Object.fromEntries(
    Object.keys(outputs)
      .filter((k) => !(k in base))
      .map((k) => [k, UNKNOWN_OUTPUT]),
  );
  return { id: undefined, state: { ...base, ...unknowns } };
}
