// The shape of a detection case: a small stack written from one public fact (a scanner rule, a
// false-positive test, an AWS documentation page) with the finding the pack is expected to give.

/** The families of the corpus. */
export const FAMILIES = [
  "secrets",
  "public-access",
  "iam-grammar-and-wildcards",
  "escalation",
  "baseline",
] as const;

export type CaseFamily = (typeof FAMILIES)[number];

/** What the pack should report: a finding of `policy`, or nothing from any policy. */
export type Expectation =
  { readonly violation: true; readonly policy: string } | { readonly violation: false };

/** One resource of a case, as the stack export records it (Pulumi's input names). */
export interface CaseResource {
  /** The `@pulumi/aws` type token, e.g. `aws:s3/bucketPolicy:BucketPolicy`. */
  readonly type: string;
  /** The logical name (unique within the case). */
  readonly name: string;
  /** The resource's inputs; the export records them as its outputs too. */
  readonly inputs: Record<string, unknown>;
  /** Outputs AWS computes (an ARN), recorded besides the inputs. */
  readonly outputs?: Record<string, unknown>;
  /**
   * Property dependencies: input name → logical names of the resources it was built from (the
   * resource's dependencies are their union).
   */
  readonly links?: Readonly<Record<string, readonly string[]>>;
}

export interface DetectionCase {
  readonly id: string;
  readonly family: CaseFamily;
  readonly expect: Expectation;
  /** The public fact the case is built from (a rule id, a test, a documentation page). */
  readonly source: string;
  /** What the case shows, in a few words. */
  readonly title?: string;
  readonly resources: readonly CaseResource[];
}
