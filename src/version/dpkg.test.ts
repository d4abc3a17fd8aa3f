import { describe, it, before, after } from 'node:test';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
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

const libdpkgMissing =
  !hasTool('gcc') || !hasTool('pkg-config', ['--exists', 'libdpkg'])
    ? 'gcc or libdpkg-dev is not installed'
    : false;

/** Breaks a version the ways advisories and status files get broken. */
function corrupt(g: Gen, v: string): string {
  return g.pick([` ${v}x`, `${v} 1`, `${v}_1`, `${v}-`, `:${v}`, `a${v}`, `${v}!`, `x:${v}`, `${v}-1_2`]);
}

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

  // the dpkg binary costs a process or two per pair: the hand cases and a random sample
  const cliPairs = [...cases.map((c) => [c.a, c.b] as const), ...randomPairs(1201, 100, debianVersion)];
  it(
    `agrees with dpkg --compare-versions on ${cliPairs.length} pairs`,
    { skip: !hasTool('dpkg') && 'dpkg is not installed' },
    async () => {
      assert.deepEqual(
        cliPairs.flat().filter((v) => !debian.isValid?.(v)),
        [],
        'the generator must only make valid versions here',
      );
      const expected = await runOracle(
        'bash',
        [new URL('../../test/version-oracle/dpkg.sh', import.meta.url).pathname],
        cliPairs,
      );
      assertAgrees(debian, cliPairs, expected);
    },
  );

  // dpkg's own library, the code behind --compare-versions, in one process: thousands of pairs,
  // some of them malformed on purpose
  const libPairs = randomPairs(1202, 6000, (g) =>
    g.chance(0.04) ? corrupt(g, debianVersion(g)) : debianVersion(g),
  );
  describe('against libdpkg', { skip: libdpkgMissing }, () => {
    let dir = '';
    before(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'bosun-dpkg-oracle-'));
      const src = new URL('../../test/version-oracle/dpkg-vercmp.c', import.meta.url).pathname;
      const flags = spawnSync('pkg-config', ['--cflags', '--libs', '--static', 'libdpkg'], {
        encoding: 'utf8',
      })
        .stdout.trim()
        .split(/\s+/);
      const r = spawnSync('gcc', ['-O2', '-o', path.join(dir, 'dpkg-vercmp'), src, ...flags], {
        encoding: 'utf8',
      });
      assert.equal(r.status, 0, r.stderr);
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it(`agrees with libdpkg's parseversion + dpkg_version_compare on ${libPairs.length} pairs, and on which are invalid`, async () => {
      const expected = await runOracle(path.join(dir, 'dpkg-vercmp'), [], libPairs);
      assert.ok(
        expected.filter((e) => e === 'invalid').length > 100,
        'the corrupted versions reach the oracle',
      );
      assertAgrees(debian, libPairs, expected);
    });
  });
});
