// PyPI: PEP 440 through @renovatebot/pep440, which agrees with pip's own `packaging` on every pair
// of pep440.test.ts (normalised spellings, epochs, pre/post/dev releases, local versions). Like
// packaging, surrounding whitespace is ignored.
import { compare, valid } from '@renovatebot/pep440';
import { InvalidVersionError, sign, validator, type VersionComparator } from './types.js';

export function pep440Comparator(ecosystem: string): VersionComparator {
  const parse = (v: string): string => {
    const trimmed = v.trim();
    if (valid(trimmed) === null) throw new InvalidVersionError(ecosystem, v, 'not a PEP 440 version');
    return trimmed;
  };
  return {
    ecosystem,
    compare: (a, b) => sign(compare(parse(a), parse(b))),
    isValid: validator(parse),
  };
}
