// X-Ray in one region of a workload account: traces encrypted with a customer key of the account
// (rotating, usable only through X-Ray here), and the platform's sampling rule from config.
// X-Ray has one encryption configuration per account and region; removing this resource leaves
// the configuration as it was (the provider's note), so turning X-Ray off here keeps the key.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { xrayKeyPolicy } from "../../model/iam/workload";
import { xrayNames } from "../../model/naming";

/** The sampling rule's settings; model/config/schema.ts documents each. */
export interface SamplingSettings {
  readonly fixedRate: number;
  readonly reservoirSize: number;
  readonly priority: number;
  readonly serviceName: string;
  readonly urlPath: string;
}

/**
 * The defaults of the platform's sampling rule: X-Ray's own default rule, one request a second
 * and 5% beyond (https://docs.aws.amazon.com/xray/latest/devguide/xray-console-sampling.html),
 * at priority 9000 so rules the applications add (lower numbers) come first.
 */
export const DEFAULT_SAMPLING: SamplingSettings = {
  fixedRate: 0.05,
  reservoirSize: 1,
  priority: 9000,
  serviceName: "*",
  urlPath: "*",
};

export interface XRayArgs {
  /** AWS partition. Required. */
  readonly partition: string;
  /** Naming prefix. Required. */
  readonly prefix: string;
  /** Environment name. Required. */
  readonly environment: string;
  /** The workload account. Required. */
  readonly account: string;
  /** Region of this configuration. Required. */
  readonly region: string;
  /** Provider of that region. Required. */
  readonly provider: aws.Provider;
  /** The sampling rule. Default: DEFAULT_SAMPLING. */
  readonly sampling?: Partial<SamplingSettings>;
}

/** The sampling settings with the defaults filled in. */
export function samplingSettings(sampling?: Partial<SamplingSettings>): SamplingSettings {
  return { ...DEFAULT_SAMPLING, ...(sampling ?? {}) };
}

/** Checks the arguments; returns every problem, each naming the argument and the fix. */
export function xrayProblems(args: XRayArgs): string[] {
  const s = samplingSettings(args.sampling);
  const problems: string[] = [];
  if (!(s.fixedRate >= 0 && s.fixedRate <= 1))
    problems.push(`sampling.fixedRate ${s.fixedRate} is not a share; use a value from 0 to 1`);
  if (!Number.isInteger(s.priority) || s.priority < 1 || s.priority > 9999)
    problems.push(`sampling.priority ${s.priority} is not 1 to 9999`);
  if (!Number.isInteger(s.reservoirSize) || s.reservoirSize < 0)
    problems.push(`sampling.reservoirSize ${s.reservoirSize} is not a whole number of requests`);
  return problems;
}

/** X-Ray encryption and sampling in one region of a workload account. */
export class XRay extends pulumi.ComponentResource {
  /** ARN of the trace encryption key. */
  readonly keyArn: pulumi.Output<string>;

  constructor(name: string, args: XRayArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:workload:XRay", name, {}, opts);
    const problems = xrayProblems(args);
    if (problems.length > 0)
      throw new pulumi.ResourceError(`${name}: ${problems.join("; ")}`, this);
    const s = samplingSettings(args.sampling);
    const n = xrayNames(args.prefix, args.environment);
    const child = { parent: this, provider: args.provider };
    const key = new aws.kms.Key(
      `${name}-key`,
      {
        description: `Encrypts the ${args.environment} traces in ${args.region}`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        policy: JSON.stringify(xrayKeyPolicy(args.partition, args.account, args.region)),
      },
      child,
    );
    new aws.kms.Alias(`${name}-key-alias`, { name: n.keyAlias, targetKeyId: key.keyId }, child);
    new aws.xray.EncryptionConfig(`${name}-encryption`, { type: "KMS", keyId: key.arn }, child);
    new aws.xray.SamplingRule(
      `${name}-sampling`,
      {
        ruleName: n.samplingRule,
        priority: s.priority,
        version: 1,
        reservoirSize: s.reservoirSize,
        fixedRate: s.fixedRate,
        urlPath: s.urlPath,
        host: "*",
        httpMethod: "*",
        serviceType: "*",
        serviceName: s.serviceName,
        resourceArn: "*",
      },
      child,
    );
    this.keyArn = key.arn;
    this.registerOutputs({ keyArn: this.keyArn });
  }
}
