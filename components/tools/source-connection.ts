// The source connections of the tools account: one CodeConnections connection per Git provider
// the applications use (GitHub, GitLab, Bitbucket), unless an application names an existing
// connection ARN. A new connection is PENDING until a person approves it in the AWS console
// (Developer Tools > Settings > Connections); pipelines fail at Source until then.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Application } from "../../model/config/schema";
import { toolsNames } from "../../model/naming";

/** Git providers CodeConnections serves, with the provider type it expects. */
export const CONNECTION_PROVIDER_TYPES = {
  github: "GitHub",
  gitlab: "GitLab",
  bitbucket: "Bitbucket",
} as const;
export type ConnectionProvider = keyof typeof CONNECTION_PROVIDER_TYPES;

export interface SourceConnectionsArgs {
  /** Naming prefix. */
  readonly prefix: string;
  /** The tools account id (part of the names). */
  readonly toolsAccount: string;
  /** The applications; each provider used without a connectionArn gets one connection. */
  readonly applications: readonly Application[];
}

/** Connections by provider, and the connection ARN each application uses. */
export class SourceConnections extends pulumi.ComponentResource {
  /** New connections by provider (PENDING until approved in the console). */
  readonly created: ReadonlyMap<ConnectionProvider, aws.codeconnections.Connection>;

  constructor(name: string, args: SourceConnectionsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:tools:SourceConnections", name, {}, opts);
    const names = toolsNames(args.prefix, args.toolsAccount);
    const created = new Map<ConnectionProvider, aws.codeconnections.Connection>();
    for (const app of args.applications) {
      const provider = app.source.provider;
      if (provider === "codecommit" || app.source.connectionArn || created.has(provider)) continue;
      created.set(
        provider,
        new aws.codeconnections.Connection(
          `${name}-${provider}`,
          { name: names.connection(provider), providerType: CONNECTION_PROVIDER_TYPES[provider] },
          { parent: this },
        ),
      );
    }
    this.created = created;
    this.registerOutputs({
      connections: Object.fromEntries([...created].map(([p, c]) => [p, c.arn])),
    });
  }

  /** The connection ARN an application's Source action uses; undefined for CodeCommit. */
  arnFor(app: Application): pulumi.Output<string> | undefined {
    if (app.source.provider === "codecommit") return undefined;
    if (app.source.connectionArn) return pulumi.output(app.source.connectionArn);
    return this.created.get(app.source.provider)?.arn;
  }
}
