// Debian policy §5.6.12 ordering, as dpkg's lib/dpkg/version.c implements it:
// [epoch:]upstream[-revision]; letters sort before non-letters and `~` before everything, even
// the end of the string. Written here (no dpkg subprocess) because matching compares millions.
import {
  compareDigits,
  InvalidVersionError,
  sign,
  type Ordering,
  type VersionComparator,
  parsedComparator,
} from './types.js';

interface DpkgVersion {
  epoch: string;
  upstream: string;
  revision: string;
}

const INT_MAX = 2147483647;
const UPSTREAM_CHARS = /^[0-9A-Za-z.+~:-]*$/;
const REVISION_CHARS = /^[0-9A-Za-z.+~]*$/;

export function parseDpkgVersion(ecosystem: string, v: string): DpkgVersion {
  const fail = (reason: string): never => {
    throw new InvalidVersionError(ecosystem, v, reason);
  };
  // dpkg ignores surrounding whitespace, not whitespace inside
  const trimmed = v.trim();
  if (trimmed === '') fail('version string is empty');
  if (/\s/.test(trimmed)) fail('version string has embedded spaces');
  let rest = trimmed;
  let epoch = '0';
  const colon = trimmed.indexOf(':');
  if (colon >= 0) {
    epoch = trimmed.slice(0, colon);
    rest = trimmed.slice(colon + 1);
    if (!/^\d+$/.test(epoch)) fail('epoch in version is not a number');
    if (Number(epoch) > INT_MAX) fail('epoch in version is too big');
    if (rest === '') fail('nothing after colon in version number');
  }
  let upstream = rest;
  let revision = '';
  const hyphen = rest.lastIndexOf('-');
  if (hyphen >= 0) {
    upstream = rest.slice(0, hyphen);
    revision = rest.slice(hyphen + 1);
    if (revision === '') fail('revision number is empty');
  }
  if (upstream === '') fail('version number is empty');
  if (!/^\d/.test(upstream)) fail('version number does not start with digit');
  if (!UPSTREAM_CHARS.test(upstream)) fail('invalid character in version number');
  if (!REVISION_CHARS.test(revision)) fail('invalid character in revision number');
  return { epoch, upstream, revision };
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** Weight of a non-digit character: `~` lowest, then end of string, letters, then the rest. */
function order(s: string, i: number): number {
  if (i >= s.length) return 0;
  const c = s.charCodeAt(i);
  if (isDigit(c)) return 0;
  if (isLetter(c)) return c;
  if (c === 126) return -1;
  return c + 256;
}

/** dpkg's verrevcmp: alternating non-digit runs (by weight) and digit runs (by value). */
export function verrevcmp(a: string, b: string): Ordering {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while ((i < a.length && !isDigit(a.charCodeAt(i))) || (j < b.length && !isDigit(b.charCodeAt(j)))) {
      const d = order(a, i) - order(b, j);
      if (d !== 0) return sign(d);
      i++;
      j++;
    }
    const si = i;
    const sj = j;
    while (i < a.length && isDigit(a.charCodeAt(i))) i++;
    while (j < b.length && isDigit(b.charCodeAt(j))) j++;
    const d = compareDigits(a.slice(si, i), b.slice(sj, j));
    if (d !== 0) return d;
  }
  return 0;
}

export function dpkgComparator(ecosystem: string): VersionComparator {
  return parsedComparator(
    ecosystem,
    (v: string) => parseDpkgVersion(ecosystem, v),
    (x, y) =>
      compareDigits(x.epoch, y.epoch) ||
      verrevcmp(x.upstream, y.upstream) ||
      verrevcmp(x.revision, y.revision),
  );
}
