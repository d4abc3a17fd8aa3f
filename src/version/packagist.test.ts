import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeComposerVersion, packagistComparator, phpVersionCompare } from './packagist.js';
import { InvalidVersionError } from './types.js';
import {
  assertAgrees,
  assertCases,
  hasTool,
  loadCases,
  randomPairs,
  runOracle,
  type Gen,
} from '../../test/version-oracle/harness.js';

const packagist = packagistComparator('Packagist');
const cases = loadCases(new URL('./testdata/packagist-versions.txt', import.meta.url));

function composerVersion(g: Gen): string {
  let v =
    (g.chance(0.3) ? 'v' : '') + g.repeat(1, 4, () => g.pick(['0', '1', '2', '10', '01', '99999']), '.');
  if (g.chance(0.5)) {
    v +=
      g.pick(['', '-', '.', '_']) +
      g.pick(['alpha', 'a', 'beta', 'b', 'RC', 'rc', 'patch', 'pl', 'p', 'stable', 'BETA']);
    v += g.pick(['', '1', '2', '10', '.1', '-2', '.1.2']);
  }
  if (g.chance(0.2)) v += g.pick(['-dev', '.dev', 'dev']);
  if (g.chance(0.1))
    v = g.pick(['1.x-dev', '2.1.x-dev', '1.*-dev', '2010-01-02', '2010.01.02.5', '20100102']);
  return v;
}

describe('Packagist comparator (Composer)', () => {
  it(`orders ${cases.length} hand-picked pairs both ways round`, () => {
    assertCases(packagist, cases);
  });

  it('normalises as composer/semver does', () => {
    const want: Record<string, string> = {
      '1.0.0': '1.0.0.0',
      'v1.2': '1.2.0.0',
      '1.2.3.4': '1.2.3.4',
      '1.0.0-beta.2': '1.0.0.0-beta2',
      '1.0.0RC1dev': '1.0.0.0-RC1-dev',
      '1.0.0-pl3': '1.0.0.0-patch3',
      '1.0.0-stable': '1.0.0.0',
      '1.0-dev': '1.0.0.0-dev',
      '1.x-dev': '1.9999999.9999999.9999999-dev',
      '2.1.*-dev': '2.1.9999999.9999999-dev',
      '2010-01-02': '2010.01.02',
      '2010.01.02.5-beta': '2010.01.02.5-beta',
      '1.0.0+foo.bar': '1.0.0.0',
      ' 1.0.0 ': '1.0.0.0',
    };
    for (const [raw, normal] of Object.entries(want))
      assert.equal(normalizeComposerVersion('Packagist', raw), normal, raw);
  });

  it('rejects branches and what Composer cannot normalise, naming the ecosystem', () => {
    for (const v of [
      '',
      'dev-main',
      'dev-master',
      'master',
      'latest',
      '1.0.0-foo',
      '1.0.0.0.0',
      '1.0.0 1',
      'feature-dev',
    ]) {
      assert.equal(packagist.isValid?.(v), false, v);
      assert.throws(
        () => packagist.compare(v, '1.0.0'),
        (e: unknown) =>
          e instanceof InvalidVersionError && e.kind === 'badInput' && e.message.includes('Packagist'),
      );
    }
  });

  // PHP's version_compare() is not Composer's order on raw strings, but it is on normalised ones
  // (that is what composer/semver's Comparator does): send it our normalised forms.
  const raw = [...cases.map((c) => [c.a, c.b] as const), ...randomPairs(8807, 4000, composerVersion)];
  const norm = (v: string) => normalizeComposerVersion('Packagist', v);
  const pairs = raw.map(([a, b]) => [norm(a), norm(b)] as const);
  it(
    `agrees with PHP's version_compare() on ${pairs.length} normalised pairs`,
    { skip: !hasTool('php', ['-v']) && 'php is not installed' },
    async () => {
      const expected = await runOracle(
        'php',
        [new URL('../../test/version-oracle/version-compare.php', import.meta.url).pathname],
        pairs,
      );
      assertAgrees({ ecosystem: 'php', compare: phpVersionCompare }, pairs, expected);
      assertAgrees(packagist, raw, expected);
    },
  );
});
