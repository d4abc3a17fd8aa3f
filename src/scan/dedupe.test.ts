import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Package } from '../core/package.js';
import { dropInstalledDuplicates } from './dedupe.js';

function npm(name: string, version: string, path: string, origin: 'installed' | 'declared'): Package {
  return {
    id: `npm:${name}@${version}:${path}`,
    name,
    version,
    type: 'npm',
    ecosystem: 'npm',
    purl: '',
    origin,
    locations: [{ path }],
  };
}

test('a lockfile entry installed under the lockfile’s directory is listed once, as installed', () => {
  const kept = dropInstalledDuplicates([
    npm('lodash', '4.17.20', 'srv/app/package-lock.json', 'declared'),
    npm('lodash', '4.17.20', 'srv/app/node_modules/lodash/package.json', 'installed'),
    npm('ms', '2.1.3', 'srv/app/package-lock.json', 'declared'),
    npm('lodash', '4.17.20', 'srv/other/package-lock.json', 'declared'),
    npm('lodash', '4.17.21', 'srv/app/package-lock.json', 'declared'),
  ]);
  assert.deepEqual(
    kept.map((p) => p.id),
    [
      'npm:lodash@4.17.20:srv/app/node_modules/lodash/package.json',
      'npm:ms@2.1.3:srv/app/package-lock.json',
      'npm:lodash@4.17.20:srv/other/package-lock.json',
      'npm:lodash@4.17.21:srv/app/package-lock.json',
    ],
    'not installed, installed elsewhere, or another version: kept',
  );
});
