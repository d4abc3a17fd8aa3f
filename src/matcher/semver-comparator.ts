import parseSemver from 'semver/functions/parse.js';
import type { SemVer } from 'semver';
import { memoizeParse } from '../version/types.js';
import type { Comparator } from './evaluate.js';

/**
 * The comparator for OSV `SEMVER` ranges, whatever the ecosystem: the spec says these use
 * SemVer 2.0 precedence. A leading "v" (Go) is accepted.
 */
export const semverComparator: Comparator = {
  compare(a: string, b: string) {
    return parse(a).compare(parse(b));
  },
};

const parse = memoizeParse((version: string): SemVer => {
  const parsed = parseSemver(version.startsWith('v') ? version.slice(1) : version);
  if (!parsed) throw new Error(`not a SemVer 2.0 version: ${version}`);
  return parsed;
});
