import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as bosun from './index.js';

test('the library exports compareVersions, and it agrees with dpkg', () => {
  const pairs: [string, string][] = [
    ['1.0-1', '1.0-1+deb12u1'],
    ['2:1.0', '1:9.9'],
    ['1.0~rc1', '1.0'],
  ];
  for (const [a, b] of pairs) {
    const lt = (() => {
      try {
        execFileSync('dpkg', ['--compare-versions', a, 'lt', b]);
        return true;
      } catch {
        return false;
      }
    })();
    assert.equal(bosun.compareVersions('Debian:12', a, b), lt ? -1 : 1, `${a} vs ${b}`);
  }
  assert.equal(bosun.compareVersions('PyPI', '1.0rc1', '1.0'), -1);
  assert.throws(() => bosun.compareVersions('npm', 'not a version', '1.0.0'), bosun.InvalidVersionError);
});

test('the scan entry points are exported', () => {
  for (const name of [
    'openImageSource',
    'catalogTarget',
    'addVulnerabilities',
    'openVulnDb',
    'reportWriter',
    'applyFilters',
  ]) {
    assert.equal(typeof (bosun as Record<string, unknown>)[name], 'function', name);
  }
});
