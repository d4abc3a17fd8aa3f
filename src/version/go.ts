// Go module versions, as golang.org/x/mod/semver orders them: SemVer 2.0 with an optional "v"
// (OSV writes none, go.mod always one), the shorthands v1 and v1.2 (= v1.0.0, v1.2.0), build
// metadata such as +incompatible ignored, and pseudo-versions ordered as the prereleases they
// are. Go toolchain versions (go1.21.3, go1.21rc1, 1.20beta1), which the "stdlib" package of Go
// binaries reports, are mapped onto the SemVer form that OSV's stdlib ranges use (1.21.0-rc.1).
import {
  compareDigits,
  comparePrerelease,
  InvalidVersionError,
  type VersionComparator,
  parsedComparator,
} from './types.js';

interface GoVersion {
  core: [string, string, string];
  prerelease: string[];
}

const NUM = '(0|[1-9]\\d*)';
const IDENT = '[0-9A-Za-z-]+';
const SEMVER = new RegExp(
  `^v?${NUM}(?:\\.${NUM}(?:\\.${NUM}(?:-(${IDENT}(?:\\.${IDENT})*))?(?:\\+${IDENT}(?:\\.${IDENT})*)?)?)?$`,
);
const TOOLCHAIN =
  /^(?:go)?(0|[1-9]\d*)(?:\.(0|[1-9]\d*))?(?:\.(0|[1-9]\d*))?(?:(alpha|beta|rc)(0|[1-9]\d*))?$/;

export function parseGoVersion(ecosystem: string, v: string): GoVersion {
  const m = SEMVER.exec(v);
  if (m) {
    const [, major, minor, patch, pre] = m;
    const prerelease = pre === undefined ? [] : pre.split('.');
    // x/mod/semver: numeric prerelease identifiers may not have leading zeros
    if (prerelease.some((id) => /^0\d+$/.test(id)))
      throw new InvalidVersionError(ecosystem, v, 'leading zero in a prerelease number');
    return { core: [major as string, minor ?? '0', patch ?? '0'], prerelease };
  }
  const t = TOOLCHAIN.exec(v);
  if (t) {
    const [, major, minor, patch, kind, n] = t;
    return {
      core: [major as string, minor ?? '0', patch ?? '0'],
      prerelease: kind === undefined ? [] : [kind, n as string],
    };
  }
  throw new InvalidVersionError(ecosystem, v, 'not a Go module or toolchain version');
}

export function goComparator(ecosystem: string): VersionComparator {
  return parsedComparator(
    ecosystem,
    (v: string) => parseGoVersion(ecosystem, v),
    (x, y) => {
      for (let i = 0; i < 3; i++) {
        const r = compareDigits(x.core[i] as string, y.core[i] as string);
        if (r !== 0) return r;
      }
      return comparePrerelease(x.prerelease, y.prerelease);
    },
  );
}
