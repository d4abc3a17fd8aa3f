// Alpine (and Wolfi/Chainguard) package versions, ordered as apk-tools' src/version.c does:
// digit{.digit}...{letter}{_suffix{number}}...{-r#}. Suffixes _alpha _beta _pre _rc sort before
// the bare version, _cvs _svn _git _hg _p after it. Versions apk would call invalid (apk then
// falls back to a string sort) are rejected instead.
import {
  compareDigits,
  InvalidVersionError,
  type Ordering,
  type VersionComparator,
  parsedComparator,
} from './types.js';
import { compareStrings } from '../core/order.js';

// Token kinds in apk's order: a version ending earlier than another is newer unless the other
// continues with a pre-release suffix.
const enum Kind {
  InitialDigit,
  Digit,
  Letter,
  Suffix,
  SuffixNumber,
  Revision,
  End,
}

const SUFFIXES: Record<string, number> = {
  alpha: -4,
  beta: -3,
  pre: -2,
  rc: -1,
  cvs: 1,
  svn: 2,
  git: 3,
  hg: 4,
  p: 5,
};

interface Token {
  kind: Kind;
  text: string;
  suffix?: number;
}

export function tokenizeApkVersion(ecosystem: string, v: string): Token[] {
  // typed as a whole so that TypeScript narrows after fail(...) statements
  const fail: (reason: string) => never = (reason) => {
    throw new InvalidVersionError(ecosystem, v, reason);
  };
  const first = /^\d+/.exec(v);
  if (!first) fail('version does not start with a digit');
  const tokens: Token[] = [{ kind: Kind.InitialDigit, text: first[0] }];
  let i = first[0].length;
  let last = Kind.InitialDigit;
  const digitsAt = (at: number): string => /^\d*/.exec(v.slice(at))?.[0] ?? '';
  while (i < v.length) {
    const c = v[i] as string;
    let token: Token;
    if (c >= 'a' && c <= 'z') {
      if (last > Kind.Digit) fail(`letter "${c}" after a suffix or letter`);
      token = { kind: Kind.Letter, text: c };
      i++;
    } else if (c === '.' || (c >= '0' && c <= '9')) {
      if (c === '.' && last > Kind.Digit) fail('"." after a letter or suffix');
      if (c === '.') i++;
      const kind =
        last <= Kind.Digit ? Kind.Digit : last === Kind.Suffix ? Kind.SuffixNumber : fail('misplaced digits');
      const text = digitsAt(i);
      if (text === '') fail('"." not followed by digits');
      token = { kind, text };
      i += text.length;
    } else if (c === '_') {
      if (last > Kind.SuffixNumber) fail('"_" after the revision');
      const name = /^[a-z]*/.exec(v.slice(i + 1))?.[0] ?? '';
      const suffix = SUFFIXES[name];
      if (suffix === undefined) fail(`unknown suffix "_${name}"`);
      token = { kind: Kind.Suffix, text: name, suffix };
      i += 1 + name.length;
    } else if (c === '-') {
      if (last >= Kind.Revision || v[i + 1] !== 'r') fail('"-" not followed by "r" and the revision');
      const text = digitsAt(i + 2);
      if (text === '') fail('revision "-r" without a number');
      token = { kind: Kind.Revision, text };
      i += 2 + text.length;
    } else {
      fail(`unexpected character "${c}"`);
    }
    tokens.push(token);
    last = token.kind;
  }
  return tokens;
}

function compareTokens(a: Token, b: Token): Ordering {
  switch (a.kind) {
    case Kind.Digit:
      // a leading zero makes apk compare the digits as text (Gentoo's rule): 1.05 < 1.1
      if (a.text.startsWith('0') || b.text.startsWith('0')) return compareStrings(a.text, b.text);
      return compareDigits(a.text, b.text);
    case Kind.Suffix:
      return Math.sign((a.suffix ?? 0) - (b.suffix ?? 0)) as Ordering;
    case Kind.Letter:
      return compareStrings(a.text, b.text);
    default:
      return compareDigits(a.text, b.text);
  }
}

const isPreRelease = (t: Token | undefined) => t?.kind === Kind.Suffix && (t.suffix ?? 0) < 0;

export function apkComparator(ecosystem: string): VersionComparator {
  return parsedComparator(
    ecosystem,
    (v: string) => tokenizeApkVersion(ecosystem, v),
    (x, y) => {
      let i = 0;
      for (; i < x.length && i < y.length && x[i]?.kind === y[i]?.kind; i++) {
        const r = compareTokens(x[i] as Token, y[i] as Token);
        if (r !== 0) return r;
      }
      const ta = x[i];
      const tb = y[i];
      if (ta === undefined && tb === undefined) return 0;
      if (isPreRelease(ta)) return -1;
      if (isPreRelease(tb)) return 1;
      // the token kind that comes later in a version is the older one (End is last of all)
      const ka = ta?.kind ?? Kind.End;
      const kb = tb?.kind ?? Kind.End;
      return ka > kb ? -1 : ka < kb ? 1 : 0;
    },
  );
}
