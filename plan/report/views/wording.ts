// How the views order and word what they print: unique sorted lists, sorting by a text key,
// counted nouns and comma-separated lists.

export const uniqueSorted = (items: Iterable<string>): string[] =>
  [...new Set(items)].sort((a, b) => a.localeCompare(b));
export const byText =
  <T>(key: (t: T) => string) =>
  (a: T, b: T): number =>
    key(a).localeCompare(key(b));
export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export const list = (items: readonly string[]) => items.join(", ");
