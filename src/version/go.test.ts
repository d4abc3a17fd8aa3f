import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { goComparator } from './go.js';
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

const go = goComparator('Go');
const cases = loadCases(new URL('./testdata/go-versions.txt', import.meta.url));
// Debian's golang-golang-x-mod-dev puts x/mod under /usr/share/gocode (GOPATH mode, no network)
const xmod = '/usr/share/gocode/src/golang.org/x/mod/semver';
const oracleMissing = !hasTool('go', ['version'])
  ? 'go is not installed'
  : !existsSync(xmod)
    ? `${xmod} is missing (apt install golang-golang-x-mod-dev)`
    : false;

function goVersion(g: Gen): string {
  const num = () => g.pick(['0', '1', '2', '9', '10', '123']);
  const id = () =>
    g.pick([
      '0',
      '1',
      '2',
      '10',
      'alpha',
      'beta',
      'rc',
      'a-b',
      '-',
      'pre',
      '20191109021931',
      'daa7c04131f5',
      'A',
    ]);
  let v = (g.chance(0.5) ? 'v' : '') + num();
  if (g.chance(0.95)) v += '.' + num();
  if (g.chance(0.95)) v += '.' + num();
  if (g.chance(0.5)) v += '-' + g.repeat(1, 4, id, '.');
  if (g.chance(0.2)) v += '+' + g.pick(['incompatible', 'build.1', '01']);
  // a few spellings x/mod/semver refuses: leading zeros, empty identifiers
  if (g.chance(0.08)) v = v.replace(/\d+/, '01');
  if (g.chance(0.05)) v += g.pick(['-', '.', '+', '-a..b']);
  return v;
}

describe('Go comparator', () => {
  it(`orders ${cases.length} hand-picked pairs both ways round`, () => {
    assertCases(go, cases);
  });

  it('rejects what neither x/mod/semver nor the toolchain accepts', () => {
    for (const v of [
      '',
      'latest',
      'v1.2-pre',
      'v01.2.3',
      'v1.2.3-01',
      'v1.2.3-',
      'v1.2.3+',
      'go1.21.3.4',
      '1.21rc',
      ' v1.0.0',
      'vv1.0.0',
      'go1.21-rc1',
    ]) {
      assert.equal(go.isValid?.(v), false, v);
      assert.throws(
        () => go.compare(v, 'v1.0.0'),
        (e: unknown) => e instanceof InvalidVersionError && e.kind === 'badInput' && e.message.includes('Go'),
      );
    }
  });

  describe('against golang.org/x/mod/semver', { skip: oracleMissing }, () => {
    let dir = '';
    before(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'bosun-go-oracle-'));
      const src = new URL('../../test/version-oracle/gosemver.go', import.meta.url).pathname;
      const r = spawnSync('go', ['build', '-o', path.join(dir, 'gosemver'), src], {
        env: { ...process.env, GO111MODULE: 'off', GOPATH: '/usr/share/gocode', GOFLAGS: '' },
        encoding: 'utf8',
      });
      assert.equal(r.status, 0, r.stderr);
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    // toolchain spellings (go1.21rc1) are ours, not x/mod's: only module versions go to the oracle
    const modulePairs = cases.filter((c) => !/go|rc\d/.test(c.a + c.b)).map((c) => [c.a, c.b] as const);
    const pairs = [...modulePairs, ...randomPairs(4409, 4000, goVersion)];
    it(`agrees with semver.Compare on ${pairs.length} pairs, and on which are invalid`, async () => {
      const expected = await runOracle(path.join(dir, 'gosemver'), [], pairs);
      assertAgrees(go, pairs, expected);
    });
  });
});
