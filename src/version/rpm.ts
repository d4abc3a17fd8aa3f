// RPM ordering for Red Hat and its rebuilds, SUSE, Mageia and others: epoch:version-release
// compared segment by segment with rpm's rpmvercmp (lib/rpmvercmp.c) and EVR split as rpm 4.18's
// rpm.vercmp() does it (lib/rpmver.c): a missing epoch is 0, a missing release sorts before any.
import {
  compareDigits,
  InvalidVersionError,
  type Ordering,
  type VersionComparator,
  parsedComparator,
} from './types.js';
import { compareStrings } from '../core/order.js';

interface Evr {
  epoch: string;
  version: string;
  /** undefined when there is no "-": then it sorts before any release, even an empty one. */
  release: string | undefined;
}

export function parseEvr(ecosystem: string, v: string): Evr {
  const fail = (reason: string): never => {
    throw new InvalidVersionError(ecosystem, v, reason);
  };
  if (v === '') fail('version string is empty');
  if (/\s/.test(v)) fail('version string has embedded spaces');
  // rpm takes an epoch only from a (possibly empty) run of digits followed by ':'
  const m = /^(\d*):/.exec(v);
  const epoch = m ? m[1] || '0' : '0';
  const rest = m ? v.slice(m[0].length) : v;
  const hyphen = rest.lastIndexOf('-');
  const version = hyphen >= 0 ? rest.slice(0, hyphen) : rest;
  const release = hyphen >= 0 ? rest.slice(hyphen + 1) : undefined;
  if (!/[0-9A-Za-z]/.test(version)) fail('version part has no letters or digits');
  if (hyphen >= 0 && release === '') fail('release after "-" is empty');
  return { epoch, version, release };
}

const isAlnum = (c: string) => /[0-9A-Za-z]/.test(c);
const isDigit = (c: string) => c >= '0' && c <= '9';
const isAlpha = (c: string) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');

/** rpmvercmp: alternating digit and letter segments; `~` sorts before all, `^` after the end only. */
export function rpmvercmp(a: string, b: string): Ordering {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  for (;;) {
    while (i < a.length && !isAlnum(a[i] as string) && a[i] !== '~' && a[i] !== '^') i++;
    while (j < b.length && !isAlnum(b[j] as string) && b[j] !== '~' && b[j] !== '^') j++;
    const x = a[i];
    const y = b[j];
    if (x === undefined && y === undefined) return 0;
    if (x === '~' || y === '~') {
      if (x !== '~') return 1;
      if (y !== '~') return -1;
      i++;
      j++;
      continue;
    }
    if (x === '^' || y === '^') {
      if (x === undefined) return -1;
      if (y === undefined) return 1;
      if (x !== '^') return 1;
      if (y !== '^') return -1;
      i++;
      j++;
      continue;
    }
    if (x === undefined || y === undefined) break;
    const numeric = isDigit(x);
    const inSegment = numeric ? isDigit : isAlpha;
    let p = i;
    let q = j;
    while (p < a.length && inSegment(a[p] as string)) p++;
    while (q < b.length && inSegment(b[q] as string)) q++;
    // a numeric segment is newer than an alphabetic one
    if (q === j) return numeric ? 1 : -1;
    const r = numeric
      ? compareDigits(a.slice(i, p), b.slice(j, q))
      : compareStrings(a.slice(i, p), b.slice(j, q));
    if (r !== 0) return r;
    i = p;
    j = q;
  }
  // whichever version still has characters left wins
  return i >= a.length ? (j >= b.length ? 0 : -1) : 1;
}

function compareRelease(a: string | undefined, b: string | undefined): Ordering {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? -1 : 1;
  return rpmvercmp(a, b);
}

export function rpmComparator(ecosystem: string): VersionComparator {
  return parsedComparator(
    ecosystem,
    (v: string) => parseEvr(ecosystem, v),
    (x, y) =>
      rpmvercmp(x.epoch, y.epoch) || rpmvercmp(x.version, y.version) || compareRelease(x.release, y.release),
  );
}
