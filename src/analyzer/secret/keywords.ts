/** ASCII lower-casing of a byte; other bytes are themselves. */
const LOWER = new Uint8Array(256).map((_, b) => (b >= 0x41 && b <= 0x5a ? b + 0x20 : b));

/**
 * Finds which keyword groups (one per rule) occur in a buffer, case-insensitively, in one pass
 * over its bytes: each position's two-byte prefix indexes the keywords starting with it, so the
 * common case (no keyword starts here) costs two loads and a table read. Most files contain no
 * keyword at all and are never decoded to a string.
 */
export class KeywordFilter {
  private readonly keywords: Uint8Array[] = [];
  /** Per keyword: the groups it belongs to. */
  private readonly groupsOf: number[][] = [];
  /** Bigram → first keyword index starting with it, -1 for none; `next` chains the rest. */
  private readonly first = new Int32Array(1 << 16).fill(-1);
  /** Bit set of raw byte bigrams (every case variant) that start a keyword: 8 KiB, stays in L1. */
  private readonly present = new Uint8Array(1 << 13);
  private readonly next: number[] = [];
  private readonly alwaysOn: number[] = [];
  private readonly singleByte: { byte: number; keyword: number }[] = [];

  constructor(groups: readonly (readonly string[])[]) {
    const byText = new Map<string, number>();
    for (const [group, keywords] of groups.entries()) {
      if (keywords.length === 0) this.alwaysOn.push(group);
      for (const raw of keywords) {
        const text = raw.toLowerCase();
        if (text.length === 0) {
          this.alwaysOn.push(group);
          continue;
        }
        let index = byText.get(text);
        if (index === undefined) {
          index = this.keywords.length;
          byText.set(text, index);
          const bytes = Uint8Array.from(Buffer.from(text, 'utf8'), (b) => LOWER[b]!);
          this.keywords.push(bytes);
          this.groupsOf.push([]);
          if (bytes.length === 1) {
            this.singleByte.push({ byte: bytes[0]!, keyword: index });
            this.next.push(-1);
          } else {
            const bigram = (bytes[0]! << 8) | bytes[1]!;
            this.next.push(this.first[bigram]!);
            this.first[bigram] = index;
            for (const a of caseVariants(bytes[0]!))
              for (const b of caseVariants(bytes[1]!)) this.present[((a << 8) | b) >> 3]! |= 1 << (b & 7);
          }
        }
        this.groupsOf[index]!.push(group);
      }
    }
  }

  /** The groups with a keyword in the buffer, plus those without keywords. */
  matchingGroups(buffer: Uint8Array): Set<number> {
    const found = new Uint8Array(this.keywords.length);
    const { first, next, keywords } = this;
    const n = buffer.length;
    const present = this.present;
    let prev = n > 0 ? buffer[0]! : 0;
    for (let i = 0; i + 1 < n; i++) {
      const cur = buffer[i + 1]!;
      const raw = (prev << 8) | cur;
      prev = cur;
      if ((present[raw >> 3]! & (1 << (cur & 7))) === 0) continue;
      let k = first[(LOWER[raw >> 8]! << 8) | LOWER[cur]!]!;
      for (; k >= 0; k = next[k]!) {
        if (found[k]) continue;
        const word = keywords[k]!;
        if (i + word.length > n) continue;
        let j = 2;
        while (j < word.length && LOWER[buffer[i + j]!] === word[j]) j++;
        if (j === word.length) found[k] = 1;
      }
    }
    for (const { byte, keyword } of this.singleByte) {
      if (buffer.includes(byte) || (byte >= 0x61 && byte <= 0x7a && buffer.includes(byte - 0x20)))
        found[keyword] = 1;
    }
    const groups = new Set(this.alwaysOn);
    for (let k = 0; k < found.length; k++) if (found[k]) for (const g of this.groupsOf[k]!) groups.add(g);
    return groups;
  }
}

function caseVariants(lower: number): number[] {
  return lower >= 0x61 && lower <= 0x7a ? [lower, lower - 0x20] : [lower];
}
