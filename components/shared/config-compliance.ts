// AWS Config in one account, tools or workload: unless the organization already records there
// (Control Tower, a central team), a recorder in every region of the account running as the
// service-linked role and recording only what the rules evaluate, a delivery channel to one
// encrypted, TLS-only bucket in the home region, and the recorder turned on; then the platform's
// AWS managed rules in every region (account-level rules in the home region only), and an
// EventBridge rule per region that sends every NON_COMPLIANT evaluation to the topic the account
// already notifies through. With account aggregation, each region also authorizes the tools
// account's aggregator.
//
// Individual aws.cfg.Rule resources rather than a conformance pack: each rule shows in the plan
// and depends on the recorder it needs; a pack deploys its rules through a CloudFormation stack
// under another service-linked role (AWSServiceRoleForConfigConforms) and can only be read as a
// template (https://docs.aws.amazon.com/config/latest/developerguide/conformance-packs.html).
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AccountConfigSettings, managedRule, recordedTypes, rulesIn } from "../../model/compliance";
import {
  configBucketPolicy,
  configKeyPolicy,
  configServiceLinkedRoleArn,
  NON_COMPLIANT_PATTERN,
} from "../../model/iam/workload";
import { complianceNames } from "../../model/naming";
import { SecureBucket } from "../tools/secure-bucket";

export interface ConfigComplianceArgs {
  /** AWS partition of the account. Required. */
  readonly partition: string;
  /** Naming prefix of the organization. Required. */
  readonly prefix: string;
  /** The account. Required. */
  readonly account: string;
  /** The account's regions, home region first. Required. */
  readonly regions: readonly string[];
  /** Provider of each region. Required. */
  readonly providerFor: (region: string) => aws.Provider;
  /** The account's settings (model/compliance.ts); `enabled` must be true. Required. */
  readonly settings: AccountConfigSettings;
  /** The topic of each region that hears about NON_COMPLIANT evaluations. Required. */
  readonly topicArnFor: (region: string) => pulumi.Input<string>;
  /** Resources the event rule's target waits for (the topic policy that admits it). Default: none. */
  readonly topicReady?: (region: string) => pulumi.Resource[];
  /** The tools account's aggregator to authorize (account aggregation). Default: none. */
  readonly aggregator?: { readonly account: string; readonly region: string };
  /** Protect the delivery bucket from deletion. Default: true. */
  readonly protect?: boolean;
}

/** Checks the arguments; returns every problem, each naming the argument and the fix. */
export function configComplianceProblems(args: ConfigComplianceArgs): string[] {
  const problems: string[] = [];
  if (!args.settings.enabled)
    problems.push("settings.enabled is false; create ConfigCompliance only where Config is on");
  if (args.regions.length === 0) problems.push("regions is empty; give the account's home region");
  if (args.settings.rules.length === 0)
    problems.push("settings.rules is empty; give at least one rule or turn Config off");
  for (const r of args.settings.rules)
    if (!managedRule(r.identifier))
      problems.push(`rule ${r.identifier} is not in model/compliance.ts; add it there first`);
  return problems;
}

/** AWS Config recorder (unless one exists), rules and non-compliance notifications of one account. */
export class ConfigCompliance extends pulumi.ComponentResource {
  /** The Config rules' names by region. */
  readonly ruleNames: Record<string, string[]>;
  /** The delivery bucket, when the platform records. */
  readonly bucket?: pulumi.Output<string>;

  constructor(name: string, args: ConfigComplianceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:shared:ConfigCompliance", name, {}, opts);
    const problems = configComplianceProblems(args);
    if (problems.length > 0)
      throw new pulumi.ResourceError(`${name}: ${problems.join("; ")}`, this);
    const protect = args.protect ?? true;
    const n = complianceNames(args.prefix, args.account);
    const inputs = { partition: args.partition, account: args.account };
    const [home] = args.regions;
    const s = args.settings;
    const inRegion = (region: string) => ({ parent: this, provider: args.providerFor(region) });

    // The recorder and where it delivers, unless the organization records here already.
    const recorderReady = new Map<string, pulumi.Resource[]>();
    if (!s.existingRecorder) {
      const slr = s.serviceLinkedRoleExists
        ? undefined
        : new aws.iam.ServiceLinkedRole(
            `${name}-slr`,
            {
              awsServiceName: "config.amazonaws.com",
              description: "AWS Config records the platform's resources",
            },
            inRegion(home),
          );
      const key = new aws.kms.Key(
        `${name}-key`,
        {
          description: "AWS Config snapshots and history",
          enableKeyRotation: true,
          deletionWindowInDays: 30,
          policy: JSON.stringify(configKeyPolicy(inputs)),
        },
        { ...inRegion(home), protect, retainOnDelete: protect },
      );
      new aws.kms.Alias(
        `${name}-key-alias`,
        { name: n.configKeyAlias, targetKeyId: key.keyId },
        inRegion(home),
      );
      const bucket = new SecureBucket(
        `${name}-bucket`,
        {
          bucketName: n.configBucket,
          kmsKeyArn: key.arn,
          policy: (arn) => configBucketPolicy(inputs, arn),
          expirationDays: 365,
          noncurrentDays: 30,
          protect,
        },
        { parent: this, providers: [args.providerFor(home)] },
      );
      this.bucket = bucket.bucket;
      for (const region of args.regions) {
        const isHome = region === home;
        const recorder = new aws.cfg.Recorder(
          `${name}-recorder-${region}`,
          {
            name: n.recorder,
            roleArn: configServiceLinkedRoleArn(inputs),
            recordingGroup: {
              allSupported: false,
              includeGlobalResourceTypes: false,
              resourceTypes: recordedTypes(s.rules, isHome),
            },
            recordingMode: { recordingFrequency: s.recordingFrequency },
          },
          { ...inRegion(region), dependsOn: slr ? [slr] : [] },
        );
        const channel = new aws.cfg.DeliveryChannel(
          `${name}-channel-${region}`,
          {
            name: n.recorder,
            s3BucketName: bucket.bucket,
            s3KmsKeyArn: key.arn,
          },
          { ...inRegion(region), dependsOn: [recorder, bucket.policy] },
        );
        const status = new aws.cfg.RecorderStatus(
          `${name}-recording-${region}`,
          { name: recorder.name, isEnabled: true },
          { ...inRegion(region), dependsOn: [channel] },
        );
        recorderReady.set(region, [status]);
      }
    }

    // The rules, and where their non-compliance goes, in every region.
    this.ruleNames = {};
    for (const region of args.regions) {
      const isHome = region === home;
      const rules = rulesIn(s.rules, isHome);
      this.ruleNames[region] = rules.map((r) => n.configRule(r.identifier));
      for (const r of rules)
        new aws.cfg.Rule(
          `${name}-${region}-${r.identifier.toLowerCase().replace(/_/g, "-")}`,
          {
            name: n.configRule(r.identifier),
            description: r.why,
            source: { owner: "AWS", sourceIdentifier: r.identifier },
            ...(r.resourceTypes.length > 0 && r.trigger === "change"
              ? { scope: { complianceResourceTypes: [...r.resourceTypes] } }
              : {}),
            ...(r.inputParameters ? { inputParameters: JSON.stringify(r.inputParameters) } : {}),
          },
          { ...inRegion(region), dependsOn: recorderReady.get(region) ?? [] },
        );
      const rule = new aws.cloudwatch.EventRule(
        `${name}-noncompliant-${region}`,
        {
          name: n.nonCompliantRule,
          description: `A Config rule of account ${args.account} (${region}) found a NON_COMPLIANT resource`,
          eventPattern: JSON.stringify(NON_COMPLIANT_PATTERN),
        },
        inRegion(region),
      );
      new aws.cloudwatch.EventTarget(
        `${name}-noncompliant-${region}-topic`,
        { rule: rule.name, arn: args.topicArnFor(region) },
        { ...inRegion(region), dependsOn: args.topicReady?.(region) ?? [] },
      );
      if (args.aggregator)
        new aws.cfg.AggregateAuthorization(
          `${name}-aggregation-${region}`,
          {
            accountId: args.aggregator.account,
            authorizedAwsRegion: args.aggregator.region,
          },
          inRegion(region),
        );
    }
    this.registerOutputs({ ruleNames: this.ruleNames });
  }
}
