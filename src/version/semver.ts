// Semantic Versioning 2.0 ecosystems (npm, crates.io, SwiftURL, Hex, Pub) through the `semver`
// package, which is npm's own implementation. A leading "v" is accepted everywhere (registries
// and lockfiles are not consistent about it), and so are "1" and "1.0" (= 1.0.0, 1.0.0). Build metadata is ignored, as SemVer says, except
// for Pub, whose pub_semver orders 1.0.0 < 1.0.0+1 < 1.0.0+2 (Flutter apps' build numbers).
// Only the parser (the package's index loads ranges and every helper: slow to start up).
import parseSemver from 'semver/functions/parse.js';
import type { SemVer } from 'semver';
import { InvalidVersionError, type Ordering, type VersionComparator, parsedComparator } from './types.js';

export function semverComparator(ecosystem: string, opts: { orderBuild?: boolean } = {}): VersionComparator {
  return parsedComparator(
    ecosystem,
    (v: string): SemVer => {
      // semver.parse trims whitespace; an advisory or lockfile with spaces is malformed
      // advisories write "1.0" for 1.0.0 (GHSA does for npm); pad such plain versions as Go does
      const padded = /^v?\d+(\.\d+)?$/.test(v) ? v + (v.includes('.') ? '.0' : '.0.0') : v;
      const parsed = /\s/.test(v) ? null : parseSemver(padded);
      if (parsed === null)
        throw new InvalidVersionError(ecosystem, v, 'not a semantic version (MAJOR.MINOR.PATCH)');
      return parsed;
    },
    (x, y) => (x.compare(y) || (opts.orderBuild ? x.compareBuild(y) : 0)) as Ordering,
  );
}

/** Dart's pub_semver: SemVer, but build numbers order (1.0.0 < 1.0.0+1 < 1.0.0+2). */
export function pubComparator(ecosystem: string): VersionComparator {
  return semverComparator(ecosystem, { orderBuild: true });
}
