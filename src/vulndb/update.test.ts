import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BosunError } from '../core/errors.js';
import { sharedFixtures } from '../../test/helpers/paths.js';
import { DEFAULT_ECOSYSTEMS, dbPath, openVulnDb, updateDb } from './index.js';
import { acquireUpdateLock } from './lock.js';
import { manifestCounts, OsvServer } from './testing/osv-server.js';

const fixture = path.join(sharedFixtures, 'osv');
const expected = manifestCounts(readFileSync(path.join(fixture, 'MANIFEST.tsv'), 'utf8'));
const quickHttp = { attempts: 2, backoffMs: 10 };

function expectDbError(pattern: RegExp) {
  return (err: unknown) => err instanceof BosunError && err.kind === 'database' && pattern.test(err.message);
}

/** A PyPI overlay: one record changed, one new, one withdrawn; modified_id.csv to match. */
function writeOverlay(dir: string): void {
  const pypi = path.join(dir, 'PyPI');
  mkdirSync(pypi, { recursive: true });
  const read = (id: string) =>
    JSON.parse(readFileSync(path.join(fixture, 'PyPI', `${id}.json`), 'utf8')) as Record<string, unknown>;
  const changed: Record<string, unknown> = {
    ...read('PYSEC-2024-104'),
    modified: '2026-12-01T00:00:00Z',
    summary: 'changed by the test',
  };
  const added = {
    id: 'PYSEC-2099-1',
    modified: '2026-12-01T00:00:01Z',
    aliases: ['CVE-2099-0001'],
    summary: 'a new record',
    affected: [
      {
        package: { ecosystem: 'PyPI', name: 'bosun-test-pkg' },
        ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.0' }] }],
      },
    ],
  };
  const withdrawn: Record<string, unknown> = {
    ...read('PYSEC-2024-103'),
    modified: '2026-12-01T00:00:02Z',
    withdrawn: '2026-12-01T00:00:02Z',
  };
  for (const r of [changed, added, withdrawn] as Record<string, unknown>[])
    writeFileSync(path.join(pypi, `${r.id as string}.json`), JSON.stringify(r));
  const old = readFileSync(path.join(fixture, 'PyPI', 'modified_id.csv'), 'utf8')
    .split('\n')
    .filter((l) => l && !/,(PYSEC-2024-104|PYSEC-2024-103)$/.test(l));
  const fresh = [
    `${withdrawn.modified},PYSEC-2024-103`,
    `${added.modified},PYSEC-2099-1`,
    `${changed.modified},PYSEC-2024-104`,
  ];
  writeFileSync(path.join(pypi, 'modified_id.csv'), `${[...fresh, ...old].join('\n')}\n`);
}

describe('db update against a real HTTP server', () => {
  const server = new OsvServer(fixture);
  const work = mkdtempSync(path.join(tmpdir(), 'bosun-vulndb-'));
  const cacheDir = path.join(work, 'cache');

  before(() => server.start());
  after(async () => {
    await server.stop();
    rmSync(work, { recursive: true, force: true });
  });

  test('first update downloads each all.zip once and imports every record', async () => {
    const ecosystems = ['NuGet', 'PyPI', 'Ubuntu', 'npm'];
    const results = await updateDb({ cacheDir, repository: server.url, ecosystems, http: quickHttp });
    const requests = server.take();
    assert.deepEqual(
      requests.sort(),
      ecosystems.map((e) => `/${e}/all.zip`).sort(),
      'each all.zip once, nothing else',
    );
    const want = Object.fromEntries(ecosystems.map((e) => [e, expected[e]]));
    assert.deepEqual(Object.fromEntries(results.map((r) => [r.ecosystem, r.imported])), want);
    assert.ok(results.every((r) => r.mode === 'full' && r.skipped.length === 0));
    const db = openVulnDb({ cacheDir });
    const status = db.status();
    db.close();
    assert.deepEqual(Object.fromEntries(status.sources.map((s) => [s.ecosystem, s.records])), want);
    assert.ok(status.sources.every((s) => s.url === server.url && s.lastModified));
  });

  test('without --ecosystems: ecosystems.txt when published, else the default OSV list (absent ones skipped)', async () => {
    const repo = path.join(work, 'small-repo');
    mkdirSync(path.join(repo, 'NuGet'), { recursive: true });
    writeFileSync(path.join(repo, 'NuGet', 'all.zip'), readFileSync(path.join(fixture, 'NuGet', 'all.zip')));
    const small = await new OsvServer(repo).start();
    try {
      const byDefault = await updateDb({
        cacheDir: path.join(work, 'small'),
        repository: small.url,
        http: quickHttp,
      });
      assert.deepEqual(
        byDefault.filter((r) => r.mode !== 'absent').map((r) => [r.ecosystem, r.imported]),
        [['NuGet', 5]],
      );
      assert.deepEqual(
        byDefault.map((r) => r.ecosystem),
        DEFAULT_ECOSYSTEMS,
      );
      writeFileSync(path.join(repo, 'ecosystems.txt'), 'NuGet\nNoSuchEcosystem\n');
      small.take();
      const listed = await updateDb({
        cacheDir: path.join(work, 'small2'),
        repository: small.url,
        http: quickHttp,
      });
      assert.deepEqual(
        listed.map((r) => [r.ecosystem, r.mode]),
        [
          ['NuGet', 'full'],
          ['NoSuchEcosystem', 'absent'],
        ],
      );
      assert.deepEqual(small.take(), ['/ecosystems.txt', '/NuGet/all.zip', '/NoSuchEcosystem/all.zip']);
    } finally {
      await small.stop();
    }
  });

  test('a second update with nothing new reads only the modified_id.csv files', async () => {
    const results = await updateDb({
      cacheDir,
      repository: server.url,
      ecosystems: ['PyPI', 'Ubuntu', 'npm'],
      http: quickHttp,
    });
    assert.deepEqual(
      results.map((r) => r.mode),
      ['unchanged', 'unchanged', 'unchanged'],
    );
    assert.deepEqual(server.take().sort(), [
      '/PyPI/modified_id.csv',
      '/Ubuntu/modified_id.csv',
      '/npm/modified_id.csv',
    ]);
  });

  test('incremental update fetches exactly the changed records; readers keep their open database', async () => {
    const reader = openVulnDb({ cacheDir });
    const overlay = path.join(work, 'overlay');
    writeOverlay(overlay);
    server.overlays = [overlay];
    const results = await updateDb({
      cacheDir,
      repository: server.url,
      ecosystems: ['PyPI', 'npm'],
      http: quickHttp,
    });
    assert.deepEqual(
      results.map((r) => [r.ecosystem, r.mode, r.imported]),
      [
        ['PyPI', 'incremental', 3],
        ['npm', 'unchanged', 0],
      ],
    );
    assert.deepEqual(server.take().sort(), [
      '/PyPI/PYSEC-2024-103.json',
      '/PyPI/PYSEC-2024-104.json',
      '/PyPI/PYSEC-2099-1.json',
      '/PyPI/modified_id.csv',
      '/npm/modified_id.csv',
    ]);
    // The reader opened before the swap still sees the old data.
    assert.equal(reader.byId('PYSEC-2099-1').length, 0);
    assert.equal(
      reader.advisoriesFor('PyPI', 'vyper').some((a) => a.id === 'PYSEC-2024-103'),
      true,
    );
    reader.close();

    const db = openVulnDb({ cacheDir });
    assert.equal(db.byId('PYSEC-2024-104')[0]?.summary, 'changed by the test');
    assert.deepEqual(
      db.byId('CVE-2099-0001').map((a) => a.id),
      ['PYSEC-2099-1'],
    );
    assert.deepEqual(
      db.advisoriesFor('PyPI', 'Bosun_Test.Pkg').map((a) => a.id),
      ['PYSEC-2099-1'],
      'PEP 503 name lookup',
    );
    assert.equal(
      db.advisoriesFor('PyPI', 'vyper').some((a) => a.id === 'PYSEC-2024-103'),
      false,
      'withdrawn: never matched',
    );
    assert.ok(db.byId('PYSEC-2024-103')[0]?.withdrawn, 'withdrawn: kept for look-ups');
    const pypi = db.status().sources.find((s) => s.ecosystem === 'PyPI');
    assert.deepEqual([pypi?.records, pypi?.lastModified], [expected.PyPI! + 1, '2026-12-01T00:00:02Z']);
    db.close();
  });

  test('a 500 on one record fails the update (after retries) and leaves the previous database answering', async () => {
    const overlay2 = path.join(work, 'overlay2');
    mkdirSync(path.join(overlay2, 'npm'), { recursive: true });
    const record = JSON.parse(
      readFileSync(path.join(fixture, 'npm', 'GHSA-35jh-r3h4-6jhm.json'), 'utf8'),
    ) as Record<string, unknown>;
    const updates: Record<string, unknown>[] = [
      { ...record, modified: '2026-12-02T00:00:00Z', summary: 'should never be seen' },
      { ...record, id: 'GHSA-xxxx-xxxx-xxxx', modified: '2026-12-02T00:00:01Z' },
    ];
    for (const r of updates)
      writeFileSync(path.join(overlay2, 'npm', `${r.id as string}.json`), JSON.stringify(r));
    const csv = readFileSync(path.join(fixture, 'npm', 'modified_id.csv'), 'utf8');
    writeFileSync(
      path.join(overlay2, 'npm', 'modified_id.csv'),
      `2026-12-02T00:00:01Z,GHSA-xxxx-xxxx-xxxx\n2026-12-02T00:00:00Z,GHSA-35jh-r3h4-6jhm\n${csv}`,
    );
    server.overlays = [overlay2];
    server.failing.add('/npm/GHSA-xxxx-xxxx-xxxx.json');
    const before = readFileSync(dbPath(cacheDir));
    await assert.rejects(
      updateDb({ cacheDir, repository: server.url, ecosystems: ['npm'], http: quickHttp }),
      expectDbError(/GHSA-xxxx-xxxx-xxxx\.json failed: HTTP 500/),
    );
    assert.equal(
      server.take().filter((r) => r === '/npm/GHSA-xxxx-xxxx-xxxx.json').length,
      2,
      'retried once',
    );
    assert.ok(readFileSync(dbPath(cacheDir)).equals(before), 'database file untouched');
    const db = openVulnDb({ cacheDir });
    assert.notEqual(db.byId('GHSA-35jh-r3h4-6jhm')[0]?.summary, 'should never be seen');
    db.close();
    assert.deepEqual(
      readdirSync(path.dirname(dbPath(cacheDir))).sort(),
      ['bosun.db'],
      'no temporary copy or lock left behind',
    );
    server.failing.clear();
    server.overlays = [];
  });

  test('a corrupt all.zip is rejected naming its URL, and no database is created', async () => {
    const bad = path.join(work, 'bad-repo');
    mkdirSync(path.join(bad, 'NuGet'), { recursive: true });
    const zip = readFileSync(path.join(fixture, 'NuGet', 'all.zip'));
    writeFileSync(path.join(bad, 'NuGet', 'all.zip'), zip.subarray(0, zip.length - 100));
    const badServer = await new OsvServer(bad).start();
    const fresh = path.join(work, 'fresh');
    try {
      await assert.rejects(
        updateDb({ cacheDir: fresh, repository: badServer.url, ecosystems: ['NuGet'], http: quickHttp }),
        expectDbError(new RegExp(`corrupt zip archive ${badServer.url}/NuGet/all.zip`)),
      );
    } finally {
      await badServer.stop();
    }
    assert.equal(existsSync(dbPath(fresh)), false);
  });

  test('when more than max(50, 20%) records changed, the update takes all.zip instead', async () => {
    const overlay3 = path.join(work, 'overlay3');
    mkdirSync(path.join(overlay3, 'npm'), { recursive: true });
    const ids = readFileSync(path.join(fixture, 'npm', 'modified_id.csv'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split(',')[1]!);
    assert.ok(ids.length > 51);
    const touched = ids
      .slice(0, 51)
      .map((id, i) => `2026-12-03T00:00:${String(59 - i).padStart(2, '0')}Z,${id}`);
    writeFileSync(
      path.join(overlay3, 'npm', 'modified_id.csv'),
      `${[...touched, ...ids.slice(51).map((id) => `2020-01-01T00:00:00Z,${id}`)].join('\n')}\n`,
    );
    server.overlays = [overlay3];
    server.take();
    const results = await updateDb({
      cacheDir,
      repository: server.url,
      ecosystems: ['npm'],
      http: quickHttp,
    });
    assert.deepEqual(
      results.map((r) => [r.mode, r.imported]),
      [['full', expected.npm]],
    );
    assert.deepEqual(server.take(), ['/npm/modified_id.csv', '/npm/all.zip'], 'no record fetched one by one');
    server.overlays = [];
  });

  test('switching repository re-imports the ecosystem whole (the other csv says nothing about us)', async () => {
    const results = await updateDb({ cacheDir, repository: fixture, ecosystems: ['npm'] });
    assert.deepEqual(
      results.map((r) => [r.mode, r.imported]),
      [['full', expected.npm]],
    );
    const db = openVulnDb({ cacheDir });
    assert.equal(db.status().sources.find((s) => s.ecosystem === 'npm')?.url, fixture);
    db.close();
  });

  test('records failing the basic checks are counted as skipped, the rest imported', async () => {
    const repo = path.join(work, 'dir-repo');
    mkdirSync(path.join(repo, 'npm'), { recursive: true });
    const yazl = (await import('yazl')).default;
    const zip = new yazl.ZipFile();
    zip.addBuffer(
      readFileSync(path.join(fixture, 'npm', 'GHSA-35jh-r3h4-6jhm.json')),
      'GHSA-35jh-r3h4-6jhm.json',
    );
    zip.addBuffer(Buffer.from('{"id": "BAD-1", "modified": "yesterday"}'), 'BAD-1.json');
    zip.addBuffer(
      Buffer.from(
        '{"id": "BAD-2", "modified": "2024-01-01T00:00:00Z", "affected": [{"package": {"ecosystem": "npm", "name": "x"}, "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": 0}]}]}]}',
      ),
      'BAD-2.json',
    );
    zip.addBuffer(Buffer.from('not json'), 'BAD-3.json');
    zip.end();
    await new Promise<void>((resolve, reject) => {
      const chunks: Buffer[] = [];
      zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
      zip.outputStream.on(
        'end',
        () => (writeFileSync(path.join(repo, 'npm', 'all.zip'), Buffer.concat(chunks)), resolve()),
      );
      zip.outputStream.on('error', reject);
    });
    const results = await updateDb({ cacheDir: path.join(work, 'skips'), repository: repo });
    assert.equal(results.length, 1);
    assert.equal(results[0]!.imported, 1);
    assert.deepEqual(
      results[0]!.skipped.map((s) => s.reason.replace(/:.*$/, '')),
      ['BAD-1', 'BAD-2', 'invalid JSON'],
    );
  });
});

describe('update lock', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'bosun-lock-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('a lock held by a running process makes a second update fail clearly', async () => {
    const holder = spawn('sleep', ['30']);
    try {
      writeFileSync(path.join(dir, 'update.lock'), `${holder.pid}\n`);
      await assert.rejects(
        acquireUpdateLock(dir, { timeoutMs: 300 }),
        expectDbError(new RegExp(`pid ${holder.pid}`)),
      );
    } finally {
      holder.kill();
    }
  });

  test('a stale lock (its process is gone) is taken over', async () => {
    const gone = spawn('true');
    await new Promise((resolve) => gone.on('exit', resolve));
    writeFileSync(path.join(dir, 'update.lock'), `${gone.pid}\n`);
    const lock = await acquireUpdateLock(dir, { timeoutMs: 0 });
    assert.equal(readFileSync(path.join(dir, 'update.lock'), 'utf8').trim(), String(process.pid));
    lock.release();
    assert.equal(existsSync(path.join(dir, 'update.lock')), false);
  });

  test('a waiting update proceeds once the holder releases', async () => {
    const first = await acquireUpdateLock(dir, { timeoutMs: 0 });
    let waitedFor: number | undefined;
    const second = acquireUpdateLock(dir, { timeoutMs: 5000, onWait: (pid) => (waitedFor = pid) });
    setTimeout(() => first.release(), 200);
    (await second).release();
    assert.equal(waitedFor, process.pid);
  });
});
