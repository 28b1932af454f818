// IAM-style wildcard matching: `*` matches any run of characters (colons included), `?` exactly one,
// and comparison is case-insensitive, as IAM does for action names.

const cache = new Map<string, RegExp>();

/** A cached, anchored, case-insensitive regular expression for an IAM wildcard pattern. */
export function wildcardRegExp(pattern: string): RegExp {
  let re = cache.get(pattern);
  if (!re) {
    const body = pattern
      .replace(/\*+/g, "*")
      .split("")
      .map((ch) => (ch === "*" ? ".*" : ch === "?" ? "." : ch.replace(/[.+^${}()|[\]\\]/g, "\\$&")))
      .join("");
    re = new RegExp(`^${body}$`, "is");
    if (cache.size > 10_000) cache.clear();
    cache.set(pattern, re);
  }
  return re;
}

/** True when `pattern` (which may hold wildcards) matches the concrete `value`. */
export function wildcardMatches(pattern: string, value: string): boolean {
  return wildcardRegExp(pattern).test(value);
}
