// What every tools document is made of: the statement and document types, the scope of the
// organization they are built from, and the trust of a role an AWS service assumes.

/** One IAM statement. */
export interface Statement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Principal?: "*" | Record<string, string | string[]>;
  Action: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

/** An IAM policy document. */
export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: Statement[];
}

/** What every tools document needs to know about the organization. */
export interface ToolsScope {
  /** AWS partition of the tools account. */
  readonly partition: string;
  /** Naming prefix. */
  readonly prefix: string;
  /** The tools account id. */
  readonly toolsAccount: string;
  /** AWS Organizations id; when absent, documents list target accounts instead. */
  readonly orgId?: string;
  /** Every environment with its account ids (used for account lists only without orgId). */
  readonly environments: readonly { readonly name: string; readonly accounts: readonly string[] }[];
}

/** Wraps statements into a document. */
export function doc(...statements: Statement[]): PolicyDocument {
  return { Version: "2012-10-17", Statement: statements };
}

/** The root principal of an account. */
export const root = (partition: string, account: string) => `arn:${partition}:iam::${account}:root`;

/** Trust policy of a role assumed by an AWS service of the tools account. */
export function serviceTrust(scope: ToolsScope, service: string): PolicyDocument {
  return doc({
    Effect: "Allow",
    Principal: { Service: service },
    Action: "sts:AssumeRole",
    Condition: { StringEquals: { "aws:SourceAccount": scope.toolsAccount } },
  });
}
