import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { analyzers } from '../registry.js';

it('the OS analyzer and one analyzer per OS package folder are registered', () => {
  const names = analyzers.map((a) => a.name);
  const folders = readdirSync(fileURLToPath(new URL('.', import.meta.url)), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  assert.deepEqual(folders, ['apk', 'dpkg', 'rpm']);
  for (const name of ['os', ...folders]) assert.ok(names.includes(name), `${name} is not in the registry`);
  assert.equal(new Set(names).size, names.length, 'analyzer names are unique');
});
