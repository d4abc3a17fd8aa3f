// RubyGems' Gem::Version (rubygems 3.x): "-" means ".pre.", the version splits into runs of
// digits and of letters, trailing zeros are dropped from the release part and from the
// prerelease part, then segments compare one by one (a missing one is 0; letters < numbers).
import {
  compareDigits,
  InvalidVersionError,
  type Ordering,
  type VersionComparator,
  parsedComparator,
} from './types.js';
import { compareStrings } from '../core/order.js';

// Gem::Version::VERSION_PATTERN, anchored (RubyGems strips surrounding whitespace)
const PATTERN = /^[0-9]+(?:\.[0-9a-zA-Z]+)*(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

type Segment = string; // digits or letters
const isNumber = (s: Segment) => s.charCodeAt(0) <= 57;

export function canonicalSegments(ecosystem: string, v: string): Segment[] {
  const trimmed = v.trim();
  if (!PATTERN.test(trimmed)) throw new InvalidVersionError(ecosystem, v, 'malformed version number string');
  const segments = trimmed.replace(/-/g, '.pre.').match(/[0-9]+|[a-z]+/gi) ?? [];
  const firstString = segments.findIndex((s) => !isNumber(s));
  const release = firstString === -1 ? segments : segments.slice(0, firstString);
  const prerelease = firstString === -1 ? [] : segments.slice(firstString);
  const dropZeros = (xs: Segment[]) => {
    let end = xs.length;
    while (end > 0 && /^0+$/.test(xs[end - 1] as string)) end--;
    return xs.slice(0, end);
  };
  return [...dropZeros(release), ...dropZeros(prerelease)];
}

function compareSegments(a: readonly Segment[], b: readonly Segment[]): Ordering {
  for (let i = 0; i < a.length || i < b.length; i++) {
    const x = a[i] ?? '0';
    const y = b[i] ?? '0';
    const xn = isNumber(x);
    const yn = isNumber(y);
    if (xn !== yn) return xn ? 1 : -1;
    const r = xn ? compareDigits(x, y) : compareStrings(x, y);
    if (r !== 0) return r;
  }
  return 0;
}

export function rubyGemsComparator(ecosystem: string): VersionComparator {
  return parsedComparator(ecosystem, (v: string) => canonicalSegments(ecosystem, v), compareSegments);
}
