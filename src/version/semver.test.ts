import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pubComparator, semverComparator } from './semver.js';
import { InvalidVersionError } from './types.js';
import { assertCases, loadCases } from '../../test/version-oracle/harness.js';

// npm's `semver` package is itself the reference for npm; these cases pin the SemVer rules every
// ecosystem of this family shares (crates.io's cargo follows the same precedence).
const cases = loadCases(new URL('./testdata/semver-versions.txt', import.meta.url));

describe('semver comparators (npm, crates.io, SwiftURL, Hex, Pub)', () => {
  for (const ecosystem of ['npm', 'crates.io', 'SwiftURL', 'Hex']) {
    it(`${ecosystem}: orders ${cases.length} hand-picked pairs both ways round`, () => {
      assertCases(semverComparator(ecosystem), cases);
    });
  }

  it('rejects what is not SemVer, naming the ecosystem', () => {
    const crates = semverComparator('crates.io');
    for (const v of [
      '',
      '1.2.',
      '.1',
      '01.2.3',
      '1.02.3',
      '1.2.3-01',
      '1.2.3-',
      '1.2.3+',
      '1.2.3.4',
      'a.b.c',
      ' 1.2.3',
      '1.2.3 ',
      '1.2.3-a..b',
      '=1.2.3',
      '99999999999999999.0.0',
    ]) {
      assert.equal(crates.isValid?.(v), false, v);
      assert.throws(
        () => crates.compare(v, '1.0.0'),
        (e: unknown) =>
          e instanceof InvalidVersionError &&
          e.kind === 'badInput' &&
          e.message.includes('crates.io') &&
          e.message.includes(JSON.stringify(v)),
      );
    }
  });

  it('reads the shorthands 1 and 1.0 that advisories use as 1.0.0', () => {
    const npm = semverComparator('npm');
    assert.equal(npm.compare('1.0', '1.0.0'), 0);
    assert.equal(npm.compare('2', 'v2.0.0'), 0);
    assert.equal(npm.compare('1.0', '1.0.1-rc.1'), -1);
    assert.equal(npm.isValid?.('1.0-rc.1'), false);
  });

  it('Pub orders build numbers after the bare version, as pub_semver does', () => {
    const pub = pubComparator('Pub');
    assert.equal(pub.compare('1.0.0', '1.0.0+1'), -1);
    assert.equal(pub.compare('1.0.0+2', '1.0.0+10'), -1);
    assert.equal(pub.compare('1.0.0+1', '1.0.1'), -1);
    assert.equal(pub.compare('1.0.0-dev+5', '1.0.0'), -1);
    assert.equal(pub.compare('1.0.0+1', '1.0.0+1'), 0);
  });
});
