// PyPI: PEP 440 parsed by @renovatebot/pep440, which agrees with pip's own `packaging` on every
// pair of pep440.test.ts (normalised spellings, epochs, pre/post/dev releases, local versions).
// Like packaging, surrounding whitespace is ignored. Versions are ordered by packaging's sort key
// (`_cmpkey`), built once per version here: the library's compare() parses both versions again
// on every call, and matching compares the same versions thousands of times.
import { parse as libraryParse } from '@renovatebot/pep440';
import { InvalidVersionError, type Ordering, type VersionComparator, parsedComparator } from './types.js';

/** What the library's parse() returns (its typings describe explain()'s result instead). */
interface Parsed {
  epoch: number;
  release: number[];
  /** [letter, number], or null when absent */
  pre: readonly [string, number] | null;
  post: readonly [string, number] | null;
  dev: readonly [string, number] | null;
  /** split at . _ -: numbers, and words in lower case */
  local: (string | number)[] | null;
}
const parsePep440 = libraryParse as unknown as (v: string) => Parsed | null;

/** A sort key: numbers, strings, ±Infinity for absent parts, and tuples of those. */
type Key = number | string | readonly Key[];

export function pep440Comparator(ecosystem: string): VersionComparator {
  return parsedComparator(
    ecosystem,
    (v: string): Key => {
      const parsed = parsePep440(v.trim());
      if (parsed === null) throw new InvalidVersionError(ecosystem, v, 'not a PEP 440 version');
      return sortKey(parsed);
    },
    compareKeys,
  );
}

/** packaging.version._cmpkey: trailing zeros dropped; absent parts sort where PEP 440 says. */
function sortKey({ epoch, release, pre, post, dev, local }: Parsed): Key {
  let end = release.length;
  while (end > 0 && release[end - 1] === 0) end--;
  return [
    epoch,
    release.slice(0, end),
    // a dev release without pre or post sorts before 1.0a0: 1.0.dev0 < 1.0a0 < 1.0
    pre ?? (!post && dev ? -Infinity : Infinity),
    post ?? -Infinity,
    dev ?? Infinity,
    // local segments: words before numbers, words lexically, numbers by value
    local ? local.map((part): Key => (typeof part === 'number' ? [part, ''] : [-Infinity, part])) : -Infinity,
  ];
}

/** Python's tuple ordering, a bare value counting as a 1-tuple against a tuple. */
function compareKeys(a: Key, b: Key): Ordering {
  if (a === b) return 0;
  if (Array.isArray(a) || Array.isArray(b)) {
    const x: readonly Key[] = Array.isArray(a) ? a : [a];
    const y: readonly Key[] = Array.isArray(b) ? b : [b];
    for (let i = 0; i < x.length && i < y.length; i++) {
      const r = compareKeys(x[i] as Key, y[i] as Key);
      if (r !== 0) return r;
    }
    return x.length === y.length ? 0 : x.length < y.length ? -1 : 1;
  }
  // ±Infinity stand for absent parts and also face strings (a pre-release letter)
  if (a === -Infinity || b === Infinity) return -1;
  if (a === Infinity || b === -Infinity) return 1;
  return a < b ? -1 : 1;
}
