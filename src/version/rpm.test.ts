import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rpmComparator } from './rpm.js';
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

const redHat = rpmComparator('Red Hat');
const cases = loadCases(new URL('./testdata/rpm-versions.txt', import.meta.url));

/** Versions mixing rpm's subtle parts: ~ and ^, separators, letters vs digits, epochs, releases. */
function rpmVersion(g: Gen): string {
  const piece = () =>
    g.pick(['0', '1', '2', '10', '01', '9', 'a', 'b', 'rc', 'A', '.', '.', '_', '+', '~', '^', 'el9', 'git']);
  const version = String(g.int(12)) + g.repeat(0, 5, piece);
  const epoch = g.chance(0.2) ? `${g.pick(['', '0', '1', '2', '01'])}:` : '';
  const release = g.chance(0.6)
    ? '-' + g.repeat(1, 4, () => g.pick(['0', '1', '2', '10', 'el9', '_', '.', '~', '^', 'fc', 'a']))
    : '';
  return epoch + version.replace(/-/g, '.') + release;
}

describe('rpm comparator (Red Hat, SUSE, Rocky, Alma, Mageia, …)', () => {
  it(`orders ${cases.length} hand-picked pairs both ways round`, () => {
    assertCases(redHat, cases);
  });

  it('rejects empty or spaced versions and empty parts', () => {
    for (const v of ['', '1.0 1', '1:', '1.0-', '-1', '...', '~']) {
      assert.equal(redHat.isValid?.(v), false, v);
      assert.throws(
        () => redHat.compare('1.0', v),
        (e: unknown) =>
          e instanceof InvalidVersionError && e.kind === 'badInput' && e.message.includes('Red Hat'),
      );
    }
  });

  const pairs = [...cases.map((c) => [c.a, c.b] as const), ...randomPairs(2203, 4000, rpmVersion)];
  it(
    `agrees with rpm.vercmp() on ${pairs.length} pairs`,
    { skip: !hasTool('rpm') && 'rpm is not installed' },
    async () => {
      assert.deepEqual(
        pairs.flat().filter((v) => !redHat.isValid?.(v)),
        [],
        'the generator must only make valid versions',
      );
      const script = new URL('../../test/version-oracle/rpm-vercmp.lua', import.meta.url).pathname;
      const expected = await runOracle('rpm', ['--eval', `%{lua: dofile(${JSON.stringify(script)})}`], pairs);
      assertAgrees(redHat, pairs, expected);
    },
  );
});
