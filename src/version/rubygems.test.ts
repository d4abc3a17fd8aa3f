import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rubyGemsComparator } from './rubygems.js';
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

const gems = rubyGemsComparator('RubyGems');
const cases = loadCases(new URL('./testdata/rubygems-versions.txt', import.meta.url));

function gemVersion(g: Gen): string {
  const seg = () =>
    g.pick(['0', '1', '2', '10', '01', '00', 'a', 'b', 'pre', 'rc', 'beta', 'A', 'a1', '1a', 'rc2', '0a']);
  let v = g.pick(['0', '1', '2', '10', '01']) + g.repeat(0, 4, () => '.' + seg());
  if (g.chance(0.3)) v += '-' + g.repeat(1, 3, () => g.pick(['1', 'rc', 'beta-2', 'x', '0']), '.');
  if (g.chance(0.05)) v = g.pick([' ', '', 'v', '.']) + v + g.pick([' ', '', '..', '_']);
  return v;
}

describe('RubyGems comparator (Gem::Version)', () => {
  it(`orders ${cases.length} hand-picked pairs both ways round`, () => {
    assertCases(gems, cases);
  });

  it('rejects malformed versions, naming the ecosystem', () => {
    for (const v of ['', ' ', 'a', 'v1.0', '1..0', '1.0.', '1.0_1', '1.0-', '1.0+1', '1 0']) {
      assert.equal(gems.isValid?.(v), false, JSON.stringify(v));
      assert.throws(
        () => gems.compare(v, '1.0'),
        (e: unknown) =>
          e instanceof InvalidVersionError && e.kind === 'badInput' && e.message.includes('RubyGems'),
      );
    }
  });

  const pairs = [...cases.map((c) => [c.a, c.b] as const), ...randomPairs(7703, 5000, gemVersion)];
  it(
    `agrees with Ruby's Gem::Version on ${pairs.length} pairs, and on which are invalid`,
    { skip: !hasTool('ruby') && 'ruby is not installed' },
    async () => {
      const expected = await runOracle(
        'ruby',
        [new URL('../../test/version-oracle/gem-version.rb', import.meta.url).pathname],
        pairs,
      );
      assertAgrees(gems, pairs, expected);
    },
  );
});
