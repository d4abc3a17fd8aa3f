import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dpkgComparator } from './dpkg.js';
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

const debian = dpkgComparator('Debian');
const cases = loadCases(new URL('./testdata/dpkg-versions.txt', import.meta.url));

/** Versions built from the pieces that make dpkg's order subtle: epochs, ~, +, letters, zeros. */
function debianVersion(g: Gen): string {
  const piece = () =>
    g.pick([
      '0',
      '1',
      '2',
      '9',
      '10',
      '01',
      '00',
      'a',
      'b',
      'z',
      'A',
      'Z',
      'dfsg',
      '~',
      '~~',
      '+',
      '.',
      '-',
      ':',
    ]);
  const upstream = String(g.int(12)) + g.repeat(0, 5, piece);
  const epoch = g.chance(0.2) ? `${g.pick(['0', '1', '2', '10', '01'])}:` : '';
  const revision = g.chance(0.6)
    ? '-' +
      g.repeat(1, 4, () => g.pick(['0', '1', '2', '10', 'a', 'ubuntu', 'deb12u', 'b', '~', '+', '.', '~bpo']))
    : '';
  const v = epoch + upstream.replace(/-$/, '-0') + revision;
  // dpkg only allows ':' in the upstream part when an epoch is given
  return epoch === '' ? v.replace(/:/g, '.') : v;
}

describe('dpkg comparator (Debian, Ubuntu)', () => {
  it(`orders ${cases.length} hand-picked pairs both ways round`, () => {
    assertCases(debian, cases);
  });

  it('rejects versions dpkg rejects, naming the ecosystem and version', () => {
    for (const v of [
      '',
      '1.0 1',
      'a:1.0',
      '1:',
      '1.0-',
      ':1.0',
      '-1',
      'abc',
      '1.0_1',
      '1.0-1_2',
      '99999999999:1.0',
    ]) {
      assert.equal(debian.isValid?.(v), false, v);
      assert.throws(
        () => debian.compare(v, '1.0'),
        (e: unknown) =>
          e instanceof InvalidVersionError &&
          e.kind === 'badInput' &&
          e.message.includes('Debian') &&
          e.message.includes(JSON.stringify(v)),
      );
    }
  });

  const pairs = [...cases.map((c) => [c.a, c.b] as const), ...randomPairs(1201, 800, debianVersion)];
  it(
    `agrees with dpkg --compare-versions on ${pairs.length} pairs`,
    { skip: !hasTool('dpkg') && 'dpkg is not installed' },
    async () => {
      const invalid = pairs.flat().filter((v) => !debian.isValid?.(v));
      assert.deepEqual(invalid, [], 'the generator must only make valid versions');
      const expected = await runOracle(
        'bash',
        [new URL('../../test/version-oracle/dpkg.sh', import.meta.url).pathname],
        pairs,
      );
      assertAgrees(debian, pairs, expected);
    },
  );
});
