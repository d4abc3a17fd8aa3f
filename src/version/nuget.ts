// NuGet versions as NuGet.Versioning's VersionComparer.Default orders them: up to four numeric
// parts (1.2.3.4; missing ones are 0), then SemVer 2 release labels compared one by one (numbers
// by value and below words, words case-insensitively, a longer list wins a tie); a release beats
// any prerelease and build metadata (+...) is ignored.
import {
  compareDigits,
  comparePrerelease,
  InvalidVersionError,
  type VersionComparator,
  parsedComparator,
} from './types.js';
import { compareStrings } from '../core/order.js';

interface NuGetVersion {
  parts: string[];
  labels: string[];
}

const LABEL = '[0-9A-Za-z-]+';
const PATTERN = new RegExp(
  `^(\\d+(?:\\.\\d+){0,3})(?:-(${LABEL}(?:\\.${LABEL})*))?(?:\\+${LABEL}(?:\\.${LABEL})*)?$`,
);
const INT32_MAX = '2147483647';

export function parseNuGetVersion(ecosystem: string, v: string): NuGetVersion {
  const m = PATTERN.exec(v);
  if (!m)
    throw new InvalidVersionError(
      ecosystem,
      v,
      'not a NuGet version (1 to 4 numbers, optional -label and +metadata)',
    );
  const parts = (m[1] as string).split('.');
  // NuGet reads each part as an Int32
  if (parts.some((p) => compareDigits(p, INT32_MAX) > 0))
    throw new InvalidVersionError(ecosystem, v, 'a number is larger than 2147483647');
  while (parts.length < 4) parts.push('0');
  return { parts, labels: m[2] === undefined ? [] : m[2].split('.') };
}

const ignoringCase = (a: string, b: string) => compareStrings(a.toUpperCase(), b.toUpperCase());

export function nuGetComparator(ecosystem: string): VersionComparator {
  return parsedComparator(
    ecosystem,
    (v: string) => parseNuGetVersion(ecosystem, v),
    (x, y) => {
      for (let i = 0; i < 4; i++) {
        const r = compareDigits(x.parts[i] as string, y.parts[i] as string);
        if (r !== 0) return r;
      }
      return comparePrerelease(x.labels, y.labels, ignoringCase);
    },
  );
}
