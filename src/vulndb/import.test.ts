import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BosunError } from '../core/errors.js';
import { sharedFixtures } from '../../test/helpers/paths.js';
import { importPath, openVulnDb } from './index.js';

const fixture = path.join(sharedFixtures, 'osv');
const work = mkdtempSync(path.join(tmpdir(), 'bosun-import-'));
after(() => rmSync(work, { recursive: true, force: true }));

function counts(cacheDir: string): Record<string, number> {
  const db = openVulnDb({ cacheDir });
  try {
    return Object.fromEntries(db.status().sources.map((s) => [s.ecosystem, s.records]));
  } finally {
    db.close();
  }
}

test('a directory of JSON records is read recursively, each filed under its first ecosystem', async () => {
  const cacheDir = path.join(work, 'dir');
  const results = await importPath(path.join(fixture, 'npm'), { cacheDir });
  assert.deepEqual(
    results.map((r) => [r.imported, r.skipped.length]),
    [[63, 0]],
  );
  // Importing twice replaces records by id: no duplicates.
  await importPath(path.join(fixture, 'Ubuntu'), { cacheDir });
  await importPath(path.join(fixture, 'npm'), { cacheDir });
  assert.deepEqual(counts(cacheDir), { Ubuntu: 20, npm: 63 });
  const db = openVulnDb({ cacheDir });
  const [advisory] = db.byId('GHSA-35jh-r3h4-6jhm');
  assert.ok(advisory);
  assert.deepEqual(
    db.raw('GHSA-35jh-r3h4-6jhm'),
    JSON.parse(readFileSync(path.join(fixture, 'npm', 'GHSA-35jh-r3h4-6jhm.json'), 'utf8')),
  );
  db.close();
});

test('a zip of records named all.zip is filed under its directory', async () => {
  const cacheDir = path.join(work, 'zip');
  const results = await importPath(path.join(fixture, 'crates.io', 'all.zip'), { cacheDir });
  assert.deepEqual(
    results.map((r) => [r.ecosystem, r.imported]),
    [['crates.io', 1206]],
  );
  assert.deepEqual(counts(cacheDir), { 'crates.io': 1206 });
});

test('a corrupt zip is a database error naming the file; a missing path is not-found', async () => {
  const bad = path.join(work, 'bad.zip');
  writeFileSync(bad, Buffer.from('PK\x03\x04 this is not really a zip'));
  await assert.rejects(
    importPath(bad, { cacheDir: path.join(work, 'bad') }),
    (err: unknown) => err instanceof BosunError && err.kind === 'database' && err.message.includes(bad),
  );
  await assert.rejects(
    importPath(path.join(work, 'nope'), { cacheDir: path.join(work, 'bad') }),
    (err: unknown) => err instanceof BosunError && err.kind === 'notFound',
  );
});
