import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pep440Comparator } from './pep440.js';
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

const pypi = pep440Comparator('PyPI');
const cases = loadCases(new URL('./testdata/pep440-versions.txt', import.meta.url));
const python = 'python3';
const noPackaging =
  !hasTool(python, ['-c', 'import pip._vendor.packaging.version']) &&
  `${python} with pip's vendored packaging is not available`;

/** Every spelling PEP 440 normalises, plus some it does not accept. */
function pyVersion(g: Gen): string {
  let v = g.chance(0.1) ? g.pick(['v', 'V', ' ']) : '';
  if (g.chance(0.15)) v += g.pick(['0', '1', '2', '01']) + '!';
  v += g.repeat(1, 4, () => g.pick(['0', '1', '2', '10', '01', '00']), '.');
  if (g.chance(0.4)) {
    v +=
      g.pick(['', '.', '-', '_']) +
      g.pick(['a', 'b', 'c', 'rc', 'alpha', 'beta', 'pre', 'preview', 'A', 'RC']) +
      g.pick(['', '0', '1', '2', '01']);
  }
  if (g.chance(0.3))
    v +=
      g.pick(['.post', '-post', 'post', '.rev', '.r', '-', '_post', '.POST']) + g.pick(['', '0', '1', '2']);
  if (g.chance(0.3)) v += g.pick(['.dev', 'dev', '-dev', '_dev']) + g.pick(['', '0', '1', '2']);
  if (g.chance(0.2))
    v += '+' + g.repeat(1, 3, () => g.pick(['abc', '1', '01', 'ubuntu', 'Z', 'a1']), g.pick(['.', '-', '_']));
  if (g.chance(0.05)) v += g.pick([' ', 'x', '..', '+']);
  return v;
}

describe('PEP 440 comparator (PyPI)', () => {
  it(`orders ${cases.length} hand-picked pairs both ways round`, () => {
    assertCases(pypi, cases);
  });

  it('rejects what PEP 440 does not accept, naming the ecosystem', () => {
    for (const v of ['', 'abc', '1.0+', '1.0+a..b', '1..0', '1.0.x', 'latest', '1.0a1b1']) {
      assert.equal(pypi.isValid?.(v), false, v);
      assert.throws(
        () => pypi.compare(v, '1.0'),
        (e: unknown) =>
          e instanceof InvalidVersionError && e.kind === 'badInput' && e.message.includes('PyPI'),
      );
    }
  });

  const pairs = [...cases.map((c) => [c.a, c.b] as const), ...randomPairs(5501, 5000, pyVersion)];
  it(
    `agrees with pip's packaging.version on ${pairs.length} pairs, and on which are invalid`,
    { skip: noPackaging },
    async () => {
      const expected = await runOracle(
        python,
        [new URL('../../test/version-oracle/pep440.py', import.meta.url).pathname],
        pairs,
      );
      assertAgrees(pypi, pairs, expected);
    },
  );
});
