// Packagist (Composer): versions are first normalised as composer/semver's
// VersionParser::normalize() does (v1.2-beta.3 -> 1.2.0.0-beta3, 1.x-dev -> 1.9999999.9999999.9999999-dev,
// dates -> 2023.01.02), then ordered by PHP's version_compare(), which is what Composer's
// Comparator calls. Branch names (dev-main) have no order and are rejected.
import {
  compareDigits,
  InvalidVersionError,
  sign,
  type Ordering,
  type VersionComparator,
  parsedComparator,
} from './types.js';

const MODIFIER = '[._-]?(?:(stable|beta|b|RC|alpha|a|patch|pl|p)((?:[.-]?\\d+)*)?)?([.-]?dev)?';
// composer's patterns use possessive quantifiers; (?!\d) gives the same answers here
const CLASSICAL = new RegExp(`^v?(\\d{1,5})(?!\\d)(\\.\\d+)?(\\.\\d+)?(\\.\\d+)?${MODIFIER}$`, 'i');
const DATE = new RegExp(`^v?(\\d{4}(?:[.:-]?\\d{2}){1,6}(?:[.:-]?\\d{1,3}){0,2})${MODIFIER}$`, 'i');
const NUMERIC_BRANCH = /^v?(\d+)(\.(?:\d+|[xX*]))?(\.(?:\d+|[xX*]))?(\.(?:\d+|[xX*]))?$/i;

function expandStability(s: string): string {
  const lower = s.toLowerCase();
  return (
    ({ a: 'alpha', b: 'beta', p: 'patch', pl: 'patch', rc: 'RC' } as Record<string, string>)[lower] ?? lower
  );
}

export function normalizeComposerVersion(ecosystem: string, raw: string): string {
  const fail = (reason: string): never => {
    throw new InvalidVersionError(ecosystem, raw, reason);
  };
  let v = raw.trim();
  v = v.replace(/@(?:stable|RC|beta|alpha|dev)$/i, '');
  if (/^dev-/i.test(v) || ['master', 'trunk', 'default'].includes(v))
    fail('a branch name has no version order');
  const build = /^([^,\s+]+)\+\S+$/.exec(v);
  if (build) v = build[1] as string;
  let m = CLASSICAL.exec(v);
  let version: string | undefined;
  let index = 0;
  if (m) {
    version = `${m[1]}${m[2] || '.0'}${m[3] || '.0'}${m[4] || '.0'}`;
    index = 5;
  } else if ((m = DATE.exec(v))) {
    version = (m[1] as string).replace(/\D/g, '.');
    index = 2;
  }
  if (m && version !== undefined) {
    const stability = m[index];
    if (stability) {
      if (stability === 'stable') return version;
      version += `-${expandStability(stability)}${(m[index + 1] ?? '').replace(/^[.-]+/, '')}`;
    }
    if (m[index + 2]) version += '-dev';
    return version;
  }
  const branch = /^(.*?)[.-]?dev$/i.exec(v);
  const numeric = branch ? NUMERIC_BRANCH.exec((branch[1] as string).trim()) : null;
  if (numeric) {
    const parts = [1, 2, 3, 4].map((i) => numeric[i] ?? '.x').join('');
    return `${parts.replace(/[*X]/g, 'x').replace(/x/g, '9999999')}-dev`;
  }
  return fail('not a Composer version');
}

// PHP's version_compare(), ext/standard/versioning.c
const SPECIAL_FORMS: [string, number][] = [
  ['dev', 0],
  ['alpha', 1],
  ['a', 1],
  ['beta', 2],
  ['b', 2],
  ['RC', 3],
  ['rc', 3],
  ['#', 4],
  ['pl', 5],
  ['p', 5],
];

function specialForm(s: string): number {
  return SPECIAL_FORMS.find(([name]) => s.startsWith(name))?.[1] ?? -1;
}

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
const isDigitCode = (c: number) => c >= 48 && c <= 57;
const isAlnumCode = (c: number) => isDigitCode(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const DOT = 46;

/** version_compare's canonical form: "-", "_", "+" and other symbols become ".", and a dot separates digits from letters. */
export function canonicalizePhpVersion(v: string): string {
  if (v === '') return '';
  const out: number[] = [v.charCodeAt(0)];
  for (let i = 1; i < v.length; i++) {
    const c = v.charCodeAt(i);
    const prev = v.charCodeAt(i - 1);
    const changesKind = c !== DOT && prev !== DOT && isDigitCode(prev) !== isDigitCode(c);
    const special = c === 45 || c === 95 || c === 43; // - _ +
    if (special || changesKind || !isAlnumCode(c)) {
      if (out[out.length - 1] !== DOT) out.push(DOT);
      if (!special && changesKind) out.push(c);
    } else out.push(c);
  }
  return String.fromCharCode(...out);
}

export function phpVersionCompare(a: string, b: string): Ordering {
  if (a === '' || b === '') return a === b ? 0 : a === '' ? -1 : 1;
  const x = (a.startsWith('#') ? a : canonicalizePhpVersion(a)).split('.');
  const y = (b.startsWith('#') ? b : canonicalizePhpVersion(b)).split('.');
  let i = 0;
  for (; i < x.length && i < y.length; i++) {
    const p = x[i] as string;
    const q = y[i] as string;
    if (p === '' || q === '') break;
    let r: Ordering;
    if (isDigit(p[0]) && isDigit(q[0]))
      r = compareDigits(/^\d*/.exec(p)?.[0] ?? '', /^\d*/.exec(q)?.[0] ?? '');
    else if (!isDigit(p[0]) && !isDigit(q[0])) r = sign(specialForm(p) - specialForm(q));
    else
      r = isDigit(p[0])
        ? sign(specialForm('#N#') - specialForm(q))
        : sign(specialForm(p) - specialForm('#N#'));
    if (r !== 0) return r;
  }
  // one version has parts left: a number makes it newer, a word is weighed against a number
  if (i < x.length && i >= y.length)
    return isDigit(x[i]?.[0]) ? 1 : phpVersionCompare(x.slice(i).join('.'), '#N#');
  if (i < y.length && i >= x.length)
    return isDigit(y[i]?.[0]) ? -1 : phpVersionCompare('#N#', y.slice(i).join('.'));
  return 0;
}

export function packagistComparator(ecosystem: string): VersionComparator {
  return parsedComparator(
    ecosystem,
    (v: string) => normalizeComposerVersion(ecosystem, v),
    phpVersionCompare,
  );
}
