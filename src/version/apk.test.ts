import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { apkComparator } from './apk.js';
import { InvalidVersionError } from './types.js';
import { assertCases, loadCases, randomPairs, type Gen } from '../../test/version-oracle/harness.js';

const alpine = apkComparator('Alpine');
const cases = loadCases(new URL('./testdata/apk-versions.txt', import.meta.url));

function apkVersion(g: Gen): string {
  let v = g.repeat(1, 4, () => g.pick(['0', '1', '2', '10', '01', '00', '9']), '.');
  if (g.chance(0.3)) v += g.pick(['a', 'b', 'z']);
  v += g.repeat(
    0,
    2,
    () =>
      '_' +
      g.pick(['alpha', 'beta', 'pre', 'rc', 'cvs', 'svn', 'git', 'hg', 'p']) +
      g.pick(['', '1', '2', '10']),
  );
  if (g.chance(0.5)) v += `-r${g.pick(['0', '1', '2', '10'])}`;
  return v;
}

describe('apk comparator (Alpine, Wolfi, Chainguard)', () => {
  it(`orders ${cases.length} hand-picked pairs both ways round`, () => {
    assertCases(alpine, cases);
  });

  it('rejects versions apk calls invalid', () => {
    for (const v of [
      '',
      'a1',
      '1.0_foo',
      '1.0-1',
      '1.0-r',
      '1.0bc',
      '1.0a.1',
      '1.0_alpha.1',
      '1.0-r1-r2',
      '1.0-r1_p1',
      '1..0',
      '1.0.',
      '1.0 ',
      '1.0A',
      'v1.0',
    ]) {
      assert.equal(alpine.isValid?.(v), false, v);
      assert.throws(
        () => alpine.compare(v, '1.0'),
        (e: unknown) =>
          e instanceof InvalidVersionError && e.kind === 'badInput' && e.message.includes('Alpine'),
      );
    }
  });

  // No apk binary to compare with: check that the order is a total order on 3000 random pairs.
  it('is antisymmetric and transitive on 3000 generated pairs', () => {
    const pairs = randomPairs(3301, 3000, apkVersion);
    for (const [a, b] of pairs)
      assert.equal(alpine.compare(a, b), -alpine.compare(b, a) || 0, `${a} vs ${b}`);
    const sorted = [...new Set(pairs.flat())].sort((a, b) => alpine.compare(a, b));
    for (let i = 0; i + 1 < sorted.length; i++) {
      for (let j = i + 1; j < Math.min(sorted.length, i + 25); j++) {
        assert.notEqual(
          alpine.compare(sorted[i] as string, sorted[j] as string),
          1,
          `${sorted[i]} vs ${sorted[j]}`,
        );
      }
    }
  });
});
