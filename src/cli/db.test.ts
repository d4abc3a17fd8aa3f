import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import Database from 'better-sqlite3';
import path from 'node:path';
import { runBosun, type CliRun } from '../../test/helpers/cli.js';
import { sharedFixtures } from '../../test/helpers/paths.js';
import { manifestCounts, OsvServer } from '../vulndb/testing/osv-server.js';
import { main } from './main.js';

const fixture = path.join(sharedFixtures, 'osv');
const expected = manifestCounts(readFileSync(path.join(fixture, 'MANIFEST.tsv'), 'utf8'));

type Run = CliRun;

const bosun = (args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> => runBosun(args, { env });

/** The same CLI in this process, for error paths that need no fresh process. */
async function bosunHere(args: string[]): Promise<Run> {
  const out = process.stdout.write;
  const err = process.stderr.write;
  let stdout = '';
  let stderr = '';
  process.stdout.write = ((c: string) => ((stdout += c), true)) as typeof process.stdout.write;
  process.stderr.write = ((c: string) => ((stderr += c), true)) as typeof process.stderr.write;
  // main() reports process.exitCode, which the test runner sets when another test fails.
  const exitCode = process.exitCode;
  process.exitCode = undefined;
  try {
    const code = await main(args);
    return { code, stdout, stderr };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
    process.exitCode = exitCode;
  }
}

describe('bosun db (CLI)', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'bosun-db-cli-'));
  const cacheDir = path.join(work, 'cache');
  after(() => rmSync(work, { recursive: true, force: true }));

  test('db status without a database is a database error (exit 6)', async () => {
    const run = await bosunHere(['db', 'status', '--cache-dir', path.join(work, 'empty')]);
    assert.equal(run.code, 6);
    assert.match(run.stderr, /no vulnerability database at .*bosun\.db; run `bosun db update`/);
  });

  test('db import of the mirror; status counts equal the fixture MANIFEST per ecosystem', async () => {
    const run = await bosun(['db', 'import', fixture, '--cache-dir', cacheDir]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^PyPI: full, 2655 records$/m);
    const status = await bosun(['db', 'status', '--format', 'json', '--cache-dir', cacheDir]);
    assert.equal(status.code, 0, status.stderr);
    const json = JSON.parse(status.stdout) as {
      schemaVersion: number;
      records: number;
      stale: boolean;
      sources: { ecosystem: string; records: number }[];
    };
    assert.deepEqual(Object.fromEntries(json.sources.map((s) => [s.ecosystem, s.records])), expected);
    assert.equal(json.records, 10975);
    assert.equal(json.stale, false);
    assert.equal(status.stderr, '', 'a fresh database draws no warning');
    // BOSUN_CACHE_DIR locates the database like --cache-dir.
    const table = await bosun(['db', 'status'], { BOSUN_CACHE_DIR: cacheDir });
    assert.match(table.stdout, new RegExp(`^database: ${path.join(cacheDir, 'db', 'bosun.db')}$`, 'm'));
    assert.match(table.stdout, /^Go\s+4291\s/m);
  });

  test('db search by CVE alias finds the distro records that name it', async () => {
    const run = await bosun(['db', 'search', 'CVE-2023-38545', '--format', 'json', '--cache-dir', cacheDir]);
    assert.equal(run.code, 0, run.stderr);
    const ids = (JSON.parse(run.stdout) as { advisory: { id: string } }[]).map((f) => f.advisory.id).sort();
    assert.deepEqual(ids, ['ALPINE-CVE-2023-38545', 'DEBIAN-CVE-2023-38545', 'UBUNTU-CVE-2023-38545']);
    const table = await bosunHere(['db', 'search', 'GHSA-35jh-r3h4-6jhm', '--cache-dir', cacheDir]);
    assert.match(table.stdout, /^GHSA-35jh-r3h4-6jhm {2}\w+ \(ghsa\)$/m);
    assert.match(table.stdout, /^ {2}npm \S+$/m);
    assert.match(table.stdout, /^ {4}ECOSYSTEM: introduced /m);
  });

  test('db search --package --version keeps only advisories affecting that version (dpkg order)', async () => {
    const search = (version: string) =>
      bosunHere([
        'db',
        'search',
        '--package',
        'curl',
        '--ecosystem',
        'Debian:12',
        '--version',
        version,
        '--format',
        'json',
        '--cache-dir',
        cacheDir,
      ]);
    // The fixture's Debian records are fixed at or below bookworm's current curl.
    const current = await search('7.88.1-10+deb12u15');
    assert.deepEqual([current.code, JSON.parse(current.stdout)], [0, []]);
    const old = await search('7.88.1-10');
    assert.equal(old.code, 0, old.stderr);
    const found = JSON.parse(old.stdout) as {
      advisory: { id: string };
      evaluation: { status: string; fixed: string[] };
    }[];
    assert.ok(found.length > 10, `${found.length} advisories`);
    assert.ok(found.every((f) => f.evaluation.status === 'fixed' && f.evaluation.fixed.length === 1));
    const all = await bosunHere([
      'db',
      'search',
      '--package',
      'curl',
      '--ecosystem',
      'Debian',
      '--format',
      'json',
      '--cache-dir',
      cacheDir,
    ]);
    assert.ok(
      (JSON.parse(all.stdout) as unknown[]).length > found.length,
      'without --version: every curl advisory',
    );
    const table = await bosunHere([
      'db',
      'search',
      '--package',
      'curl',
      '--ecosystem',
      'Debian:12',
      '--version',
      '7.88.1-10',
      '--cache-dir',
      cacheDir,
    ]);
    assert.match(table.stdout, /^ {2}=> affected, fixed in 7\.88\.1-10\+deb12u\d+$/m);
    const invalid = await search('not a version!');
    assert.equal(invalid.code, 4);
    assert.match(invalid.stderr, /--version "not a version!" cannot be compared in Debian:12/);
  });

  test('db search with no match says so; bad flags are usage errors', async () => {
    const none = await bosunHere(['db', 'search', 'CVE-1999-0000', '--cache-dir', cacheDir]);
    assert.deepEqual([none.code, none.stdout], [0, 'no advisories found\n']);
    const both = await bosunHere(['db', 'search', '--package', 'curl', '--cache-dir', cacheDir]);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /--package needs --ecosystem/);
    const traversal = await bosunHere([
      'db',
      'update',
      '--repository',
      fixture,
      '--ecosystems',
      '../etc',
      '--cache-dir',
      cacheDir,
    ]);
    assert.equal(traversal.code, 2);
    assert.match(traversal.stderr, /--ecosystems: invalid ecosystem "\.\.\/etc"/);
    const format = await bosunHere(['db', 'status', '--format', 'xml', '--cache-dir', cacheDir]);
    assert.equal(format.code, 2);
  });

  test('db status warns about a database older than 7 days, and still answers', async () => {
    const db = new Database(path.join(cacheDir, 'db', 'bosun.db'));
    db.prepare('UPDATE sources SET last_update = ?').run(
      new Date(Date.now() - 10 * 86_400_000).toISOString(),
    );
    db.close();
    const run = await bosunHere(['db', 'status', '--format', 'json', '--cache-dir', cacheDir]);
    assert.equal(run.code, 0);
    assert.match(run.stderr, /was last updated 10 days ago; run `bosun db update`/);
    const json = JSON.parse(run.stdout) as { stale: boolean; ageDays: number };
    assert.equal(json.stale, true);
    assert.equal(Math.floor(json.ageDays), 10);
  });
});

describe('bosun db update (CLI) against a real HTTP server', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'bosun-db-update-cli-'));
  const cacheDir = path.join(work, 'cache');
  const server = new OsvServer(fixture);
  before(() => server.start());
  after(async () => {
    await server.stop();
    rmSync(work, { recursive: true, force: true });
  });

  test('a server error midway exits 6 and the previous database still answers with the old data', async () => {
    const first = await bosun([
      'db',
      'update',
      '--repository',
      server.url,
      '--ecosystems',
      'npm,Ubuntu',
      '--cache-dir',
      cacheDir,
    ]);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.stdout, 'npm: full, 63 records\nUbuntu: full, 20 records\n');
    assert.equal(first.stderr, '', 'no progress output when stderr is not a terminal');

    const overlay = path.join(work, 'overlay');
    mkdirSync(path.join(overlay, 'Ubuntu'), { recursive: true });
    const id = 'UBUNTU-CVE-2023-38545';
    const record = JSON.parse(readFileSync(path.join(fixture, 'Ubuntu', `${id}.json`), 'utf8')) as Record<
      string,
      unknown
    >;
    writeFileSync(
      path.join(overlay, 'Ubuntu', `${id}.json`),
      JSON.stringify({ ...record, modified: '2026-12-01T00:00:00Z', summary: 'new' }),
    );
    writeFileSync(
      path.join(overlay, 'Ubuntu', 'modified_id.csv'),
      `2026-12-01T00:00:00Z,${id}\n${readFileSync(path.join(fixture, 'Ubuntu', 'modified_id.csv'), 'utf8')}`,
    );
    server.overlays = [overlay];
    server.failing.add(`/Ubuntu/${id}.json`);
    // npm first succeeds (unchanged), then Ubuntu fails: the whole update is discarded.
    const failed = await bosun([
      'db',
      'update',
      '--repository',
      server.url,
      '--ecosystems',
      'npm,Ubuntu',
      '--cache-dir',
      cacheDir,
    ]);
    assert.equal(failed.code, 6, failed.stderr);
    assert.match(failed.stderr, new RegExp(`${server.url}/Ubuntu/${id}.json failed: HTTP 500`));

    const search = await bosun(['db', 'search', id, '--format', 'json', '--cache-dir', cacheDir]);
    assert.equal(search.code, 0, search.stderr);
    const [found] = JSON.parse(search.stdout) as {
      advisory: { id: string; summary?: string; modified: string };
    }[];
    assert.equal(found?.advisory.modified, record.modified);

    server.failing.clear();
    const retry = await bosun([
      'db',
      'update',
      '--repository',
      server.url,
      '--ecosystems',
      'Ubuntu',
      '--cache-dir',
      cacheDir,
    ]);
    assert.deepEqual([retry.code, retry.stdout], [0, 'Ubuntu: incremental, 1 records\n']);
  });

  test('BOSUN_DB_REPOSITORY names the repository; an unreachable one is a network error', async () => {
    const run = await bosun(
      ['db', 'update', '--ecosystems', 'npm', '--cache-dir', path.join(work, 'other')],
      {
        BOSUN_DB_REPOSITORY: 'http://127.0.0.1:9',
      },
    );
    assert.equal(run.code, 5, run.stderr);
    assert.match(run.stderr, /cannot reach http:\/\/127\.0\.0\.1:9\/npm\/all\.zip/);
  });
});
