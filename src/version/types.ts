import { BosunError } from '../core/errors.js';
import { compareStrings } from '../core/order.js';

export type Ordering = -1 | 0 | 1;

/** Orders the versions of one ecosystem family (Debian and Ubuntu share dpkg's, for example). */
export interface VersionComparator {
  /** The OSV ecosystem names (without release suffix) this comparator serves, e.g. "Debian". */
  ecosystem: string;
  /** Throws InvalidVersionError when either version cannot be parsed. */
  compare(a: string, b: string): Ordering;
  isValid?(v: string): boolean;
}

/** A version the ecosystem's own tool would reject; never ordered silently. */
export class InvalidVersionError extends BosunError {
  readonly ecosystem: string;
  readonly version: string;

  constructor(ecosystem: string, version: string, reason: string) {
    super('badInput', `invalid ${ecosystem} version ${JSON.stringify(version)}: ${reason}`, {
      subject: version,
    });
    this.name = 'InvalidVersionError';
    this.ecosystem = ecosystem;
    this.version = version;
  }
}

export function sign(n: number): Ordering {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}

/** Compares two runs of ASCII digits by value, whatever their length (no overflow). */
export function compareDigits(a: string, b: string): Ordering {
  let i = 0;
  let j = 0;
  while (a.charCodeAt(i) === 48) i++;
  while (b.charCodeAt(j) === 48) j++;
  const la = a.length - i;
  const lb = b.length - j;
  if (la !== lb) return la < lb ? -1 : 1;
  for (; i < a.length; i++, j++) {
    const d = a.charCodeAt(i) - b.charCodeAt(j);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

/**
 * Remembers a parser's results: matching compares the installed version with every event of
 * every advisory, and sorting a range's events parses each event version several times.
 * Failures are not kept (they throw again). Parsed values are shared: comparators never mutate
 * them. Bounded: the whole cache is dropped when full.
 */
export function memoizeParse<T>(parse: (v: string) => T, limit = 8192): (v: string) => T {
  const cache = new Map<string, T>();
  return (v) => {
    let parsed = cache.get(v);
    if (parsed === undefined) {
      parsed = parse(v);
      if (cache.size >= limit) cache.clear();
      cache.set(v, parsed);
    }
    return parsed;
  };
}

/**
 * A comparator from its ecosystem's parser (throwing InvalidVersionError) and the order of parsed
 * versions; parses are remembered (memoizeParse) and isValid() is whether the parser accepts.
 */
export function parsedComparator<T>(
  ecosystem: string,
  parse: (v: string) => T,
  order: (x: T, y: T) => Ordering,
): VersionComparator {
  const parsed = memoizeParse(parse);
  return { ecosystem, compare: (a, b) => order(parsed(a), parsed(b)), isValid: validator(parsed) };
}

/** Builds isValid() from a parser that throws InvalidVersionError. */
function validator(parse: (v: string) => unknown): (v: string) => boolean {
  return (v) => {
    try {
      parse(v);
      return true;
    } catch (err) {
      if (err instanceof InvalidVersionError) return false;
      throw err;
    }
  };
}

/**
 * SemVer §11 prerelease order, shared by Go and NuGet: no prerelease beats any; identifiers one
 * by one, numbers by value and below words; a longer list wins a tie.
 */
export function comparePrerelease(
  a: readonly string[],
  b: readonly string[],
  compareWords: (x: string, y: string) => Ordering = compareStrings,
): Ordering {
  if (a.length === 0 || b.length === 0) return a.length === b.length ? 0 : a.length === 0 ? 1 : -1;
  for (let i = 0; i < a.length && i < b.length; i++) {
    const x = a[i] as string;
    const y = b[i] as string;
    const xn = /^\d+$/.test(x);
    const yn = /^\d+$/.test(y);
    const r = xn && yn ? compareDigits(x, y) : xn ? -1 : yn ? 1 : compareWords(x, y);
    if (r !== 0) return r;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}
