/** ASCII lower-casing of a byte; other bytes are themselves. */
const LOWER = new Uint8Array(256).map((_, b) => (b >= 0x41 && b <= 0x5a ? b + 0x20 : b));

/**
 * Finds which keyword groups (one per rule) occur in a buffer, case-insensitively, in one pass
 * over its bytes with an Aho–Corasick automaton: one table read per byte, whatever the number of
 * keywords. Most files contain no keyword at all and are never decoded to a string.
 *
 * The automaton is a full transition table over byte classes (each byte that occurs in a
 * keyword, upper-case letters folded onto lower-case, is a class; every other byte is class 0),
 * with the states that end a keyword numbered last, so the loop needs one comparison to know
 * that nothing ends at a byte.
 */
export class KeywordFilter {
  /** Marks (in `found`, by keyword index) the keywords that occur in a buffer. */
  private readonly scan: (buffer: Uint8Array, found: Uint8Array) => void;
  private readonly keywordCount: number;
  /** Per keyword: the groups it belongs to. */
  private readonly groupsOf: number[][] = [];
  private readonly alwaysOn: number[] = [];

  constructor(groups: readonly (readonly string[])[]) {
    const keywords: Uint8Array[] = [];
    const byText = new Map<string, number>();
    for (const [group, list] of groups.entries()) {
      if (list.length === 0) this.alwaysOn.push(group);
      for (const raw of list) {
        const text = raw.toLowerCase();
        if (text.length === 0) {
          this.alwaysOn.push(group);
          continue;
        }
        let index = byText.get(text);
        if (index === undefined) {
          index = keywords.length;
          byText.set(text, index);
          keywords.push(Uint8Array.from(Buffer.from(text, 'utf8'), (b) => LOWER[b]!));
          this.groupsOf.push([]);
        }
        this.groupsOf[index]!.push(group);
      }
    }
    this.keywordCount = keywords.length;
    this.scan = automaton(keywords);
  }

  /** The groups with a keyword in the buffer, plus those without keywords. */
  matchingGroups(buffer: Uint8Array): Set<number> {
    const found = new Uint8Array(this.keywordCount);
    this.scan(buffer, found);
    const groups = new Set(this.alwaysOn);
    for (let k = 0; k < found.length; k++) if (found[k]) for (const g of this.groupsOf[k]!) groups.add(g);
    return groups;
  }
}

/**
 * The scanning function of the keywords' automaton. Its tables are captured by the closure
 * rather than read from an object or passed in: V8 then compiles the byte loop with them as
 * constants, about 1.5 times faster here.
 */
function automaton(keywords: readonly Uint8Array[]): (buffer: Uint8Array, found: Uint8Array) => void {
  const classOf = new Uint8Array(256);
  let classes = 1;
  for (const word of keywords) for (const b of word) if (classOf[b] === 0) classOf[b] = classes++;
  for (let b = 0x41; b <= 0x5a; b++) classOf[b] = classOf[b + 0x20]!;

  const trie = buildTrie(keywords, classOf, classes);
  // Renumbered: states that end no keyword first (breadth-first, so the busy shallow states sit
  // together), then those that do; pre-multiplied by the class count.
  const ends = (s: number) => trie.out[s]!.length > 0;
  const order = [...trie.bfs.filter((s) => !ends(s)), ...trie.bfs.filter(ends)];
  const number = new Int32Array(order.length);
  for (const [i, s] of order.entries()) number[s] = i * classes;
  // 16-bit entries when they fit: half the cache footprint, and each byte's step waits on a load.
  const size = order.length * classes;
  const delta = size <= 0x10000 ? new Uint16Array(size) : new Int32Array(size);
  for (const [i, s] of order.entries())
    for (let c = 0; c < classes; c++) delta[i * classes + c] = number[trie.next[s * classes + c]!]!;
  const firstOutput = order.findIndex(ends) * classes;
  const outputs = order.filter(ends).map((s) => trie.out[s]!);

  if (outputs.length === 0) return () => {};
  return (buffer, found) => {
    let state = 0;
    for (let i = 0, n = buffer.length; i < n; i++) {
      state = delta[state + classOf[buffer[i]!]!]!;
      if (state >= firstOutput) for (const k of outputs[(state - firstOutput) / classes]!) found[k] = 1;
    }
  };
}

interface Trie {
  /** Full transition table: `next[state * classes + class]`. */
  next: Int32Array;
  /** Per state: the keywords that end there (its own and its suffixes'). */
  out: number[][];
  /** The states in breadth-first order (the root first). */
  bfs: number[];
}

/** The keywords' trie completed into an Aho–Corasick automaton (failure links folded in). */
function buildTrie(keywords: readonly Uint8Array[], classOf: Uint8Array, classes: number): Trie {
  const goto: Int32Array[] = [new Int32Array(classes).fill(-1)];
  const out: number[][] = [[]];
  for (const [k, word] of keywords.entries()) {
    let s = 0;
    for (const b of word) {
      const c = classOf[b]!;
      if (goto[s]![c]! < 0) {
        goto[s]![c] = goto.length;
        goto.push(new Int32Array(classes).fill(-1));
        out.push([]);
      }
      s = goto[s]![c]!;
    }
    out[s]!.push(k);
  }
  const next = new Int32Array(goto.length * classes);
  const fail = new Int32Array(goto.length);
  const bfs = [0];
  for (let c = 0; c < classes; c++) {
    const t = goto[0]![c]!;
    next[c] = t < 0 ? 0 : t;
    if (t > 0) bfs.push(t);
  }
  for (let q = 1; q < bfs.length; q++) {
    const s = bfs[q]!;
    out[s]!.push(...out[fail[s]!]!);
    for (let c = 0; c < classes; c++) {
      const t = goto[s]![c]!;
      if (t < 0) {
        next[s * classes + c] = next[fail[s]! * classes + c]!;
      } else {
        fail[t] = next[fail[s]! * classes + c]!;
        next[s * classes + c] = t;
        bfs.push(t);
      }
    }
  }
  return { next, out, bfs };
}
