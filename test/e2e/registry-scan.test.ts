// A user's scan of an image in a registry, through the CLI: token auth, TLS with a private CA,
// and the same findings as scanning the archive the image was pushed from.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runBosun } from '../helpers/cli.js';
import { sharedFixtures } from '../helpers/paths.js';
import { startRegistry, type TestRegistry } from '../helpers/registry.js';
import type { Report } from '../../src/core/report.js';

const work = mkdtempSync(path.join(tmpdir(), 'bosun-e2e-registry-'));
const cacheDir = path.join(work, 'cache');
const archive = path.join(sharedFixtures, 'images/alpine-3.10.docker.tar.gz');
const registries: TestRegistry[] = [];

before(async () => {
  const imported = await runBosun([
    'db',
    'import',
    path.join(sharedFixtures, 'osv', 'Alpine'),
    '--cache-dir',
    cacheDir,
  ]);
  assert.equal(imported.code, 0, imported.stderr);
});
after(async () => {
  await Promise.all(registries.map((r) => r.stop()));
  rmSync(work, { recursive: true, force: true });
});

async function registry(mode: 'token' | 'tls'): Promise<TestRegistry> {
  const r = await startRegistry(mode);
  registries.push(r);
  await r.push(`docker-archive:${archive}`, 'library/alpine:3.10');
  return r;
}

function packages(report: Report): string[] {
  return report.results.flatMap((r) => (r.packages ?? []).map((p) => `${p.name}@${p.version}`)).sort();
}

test('bosun image REF pulls through token auth and finds what the archive scan finds', async () => {
  const r = await registry('token');
  const fromArchive = await runBosun([
    'image',
    '--input',
    archive,
    '--cache-dir',
    cacheDir,
    '--offline',
    '--format',
    'json',
  ]);
  const pulled = await runBosun(
    [
      'image',
      `${r.host}/library/alpine:3.10`,
      '--image-src',
      'registry',
      '--insecure',
      '--cache-dir',
      cacheDir,
      '--offline',
      '--format',
      'json',
    ],
    { env: { BOSUN_USERNAME: r.credentials!.username, BOSUN_PASSWORD: r.credentials!.password } },
  );
  assert.equal(pulled.code, 0, pulled.stderr);
  const a = JSON.parse(fromArchive.stdout) as Report;
  const b = JSON.parse(pulled.stdout) as Report;
  assert.equal(packages(b).length, 14);
  assert.deepEqual(packages(b), packages(a));
  assert.match(b.artifact.digest ?? '', /^sha256:[0-9a-f]{64}$/);
  assert.deepEqual(
    b.artifact.layers?.map((l) => l.diffId),
    a.artifact.layers?.map((l) => l.diffId),
  );

  const refused = await runBosun([
    'image',
    `${r.host}/library/alpine:3.10`,
    '--image-src',
    'registry',
    '--insecure',
    '--cache-dir',
    cacheDir,
    '--offline',
    '--username',
    'nobody',
    '--password',
    'wrong',
  ]);
  assert.equal(refused.code, 5, refused.stderr);
  assert.match(refused.stderr, new RegExp(r.host.replace('.', '\\.')));
});

test('TLS with a private CA: refused without --ca-file, accepted with it', async () => {
  const r = await registry('tls');
  const untrusted = await runBosun([
    'sbom',
    `${r.host}/library/alpine:3.10`,
    '--image-src',
    'registry',
    '--format',
    'json',
  ]);
  assert.equal(untrusted.code, 5);
  const trusted = await runBosun([
    'sbom',
    `${r.host}/library/alpine:3.10`,
    '--image-src',
    'registry',
    '--ca-file',
    r.caFile!,
    '--format',
    'json',
  ]);
  assert.equal(trusted.code, 0, trusted.stderr);
  assert.equal(packages(JSON.parse(trusted.stdout) as Report).length, 14);
  const missing = await runBosun([
    'sbom',
    `${r.host}/library/alpine:no-such-tag`,
    '--image-src',
    'registry',
    '--ca-file',
    r.caFile!,
  ]);
  assert.equal(missing.code, 3);
});
