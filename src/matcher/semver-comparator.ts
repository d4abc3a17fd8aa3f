import semver from 'semver';
import { memoizeParse } from '../version/types.js';
import type { Comparator } from './evaluate.js';

/**
 * The comparator for OSV `SEMVER` ranges, whatever the ecosystem: the spec says these use
 * SemVer 2.0 precedence. A leading "v" (Go) is accepted.
 */
export const semverComparator: Comparator = {
  compare(a: string, b: string) {
    return semver.compare(parse(a), parse(b));
  },
};

const parse = memoizeParse((version: string): semver.SemVer => {
  const parsed = semver.parse(version.startsWith('v') ? version.slice(1) : version);
  if (!parsed) throw new Error(`not a SemVer 2.0 version: ${version}`);
  return parsed;
});
