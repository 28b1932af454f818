// The keyword prefilter of the secret rules, as gitleaks does it: one pass over a value finds
// every rule keyword it contains (an Aho-Corasick automaton over the lower-cased keywords, ASCII
// case folded in the table), so a value costs one scan however many rules there are, and a
// rule's regex runs only on values that hold one of its keywords.

/** A matcher for a fixed list of lower-case ASCII keywords. */
export class KeywordMatcher {
  private readonly table: Int32Array;
  /** Per state, the indexes of the keywords that end there (including through fail links). */
  private readonly outputs: (readonly number[] | undefined)[];

  constructor(keywords: readonly string[]) {
    const goto: Map<number, number>[] = [new Map()];
    const out: number[][] = [[]];
    keywords.forEach((k, index) => {
      let state = 0;
      for (let i = 0; i < k.length; i++) {
        const c = k.charCodeAt(i) & 0x7f;
        let next = goto[state]!.get(c);
        if (next === undefined) {
          next = goto.length;
          goto.push(new Map());
          out.push([]);
          goto[state]!.set(c, next);
        }
        state = next;
      }
      out[state]!.push(index);
    });
    const table = new Int32Array(goto.length * 128);
    const fail = new Int32Array(goto.length);
    const queue: number[] = [];
    for (let c = 0; c < 128; c++) {
      const next = goto[0]!.get(c);
      if (next !== undefined) {
        table[c] = next;
        queue.push(next);
      }
    }
    for (let q = 0; q < queue.length; q++) {
      const state = queue[q]!;
      out[state]!.push(...out[fail[state]!]!);
      for (let c = 0; c < 128; c++) {
        const next = goto[state]!.get(c);
        if (next !== undefined) {
          fail[next] = table[fail[state]! * 128 + c]!;
          table[state * 128 + c] = next;
          queue.push(next);
        } else {
          table[state * 128 + c] = table[fail[state]! * 128 + c]!;
        }
      }
    }
    // Case folding: an upper-case letter goes where its lower-case letter goes.
    for (let s = 0; s < goto.length; s++)
      for (let c = 65; c <= 90; c++) table[s * 128 + c] = table[s * 128 + c + 32]!;
    this.table = table;
    this.outputs = out.map((o) => (o.length > 0 ? [...new Set(o)] : undefined));
  }

  /** Calls `found` with the index of every keyword in `text` (case-insensitive, maybe repeated). */
  scan(text: string, found: (index: number) => void): void {
    const table = this.table;
    const outputs = this.outputs;
    let state = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      state = c < 128 ? table[state * 128 + c]! : 0;
      const o = outputs[state];
      if (o !== undefined) for (const k of o) found(k);
    }
  }
}
