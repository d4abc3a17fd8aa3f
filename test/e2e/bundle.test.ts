// The CLI that bin/bosun.js runs is a bundle (scripts/bundle-cli.mjs). These tests bundle the
// current source and check that the bundle behaves as the source does in the commands that load
// code on first use: the image source and analyzers, matching, the CycloneDX and SPDX writers,
// dockerfile-ast and YAML, CEL policies (a chunk of their own), and a usage error.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { runBosun, type CliRun } from '../helpers/cli.js';
import { repoRoot, sharedFixtures } from '../helpers/paths.js';

// Inside the repository (under .cache/, which git ignores), so that the bundle finds node_modules
// as dist/bundle/ does.
mkdirSync(path.join(repoRoot, '.cache'), { recursive: true });
const work = mkdtempSync(path.join(repoRoot, '.cache', 'bundle-test-'));
const bundleDir = path.join(work, 'bundle');
const entry = path.join(bundleDir, 'bosun.js');
const cacheDirs = { source: path.join(work, 'cache-source'), bundle: path.join(work, 'cache-bundle') };

before(async () => {
  execFileSync(process.execPath, [path.join(repoRoot, 'scripts/bundle-cli.mjs'), bundleDir], {
    stdio: 'pipe',
  });
  const run = await runBosun([
    'db',
    'import',
    path.join(sharedFixtures, 'osv'),
    '--cache-dir',
    cacheDirs.source,
  ]);
  assert.equal(run.code, 0, run.stderr);
  cpSync(cacheDirs.source, cacheDirs.bundle, { recursive: true });
});
after(() => rmSync(work, { recursive: true, force: true }));

/** Runs the same command from source and from the bundle, each with its own cache if `cache`. */
async function both(args: string[], cache = true): Promise<{ source: CliRun; bundle: CliRun }> {
  const withCache = (dir: string) => (cache ? [...args, '--cache-dir', dir] : args);
  const [source, bundle] = await Promise.all([
    runBosun(withCache(cacheDirs.source)),
    runBosun(withCache(cacheDirs.bundle), { entry }),
  ]);
  assert.equal(bundle.code, source.code, `exit codes differ; bundle stderr: ${bundle.stderr}`);
  return { source, bundle };
}

/** A JSON document without the fields that differ from run to run. */
function stable(text: string, volatile: string[]): unknown {
  return JSON.parse(text, (key, value: unknown) => (volatile.includes(key) ? undefined : value));
}

test('the bundle is one entry plus chunks for the code loaded with import()', () => {
  const files = readdirSync(bundleDir);
  assert.ok(existsSync(entry));
  assert.ok(
    files.some((f) => f.startsWith('registry-')),
    `no registry chunk in ${files.join(' ')}`,
  );
  assert.ok(
    files.some((f) => f.startsWith('cel-policy-')),
    `no CEL chunk in ${files.join(' ')}`,
  );
});

test('an image scan: the same JSON report from source and bundle', async () => {
  const image = path.join(sharedFixtures, 'images/alpine-3.10.docker.tar.gz');
  const { source, bundle } = await both(['image', '--input', image, '--offline', '--format', 'json']);
  assert.equal(source.code, 0, source.stderr);
  const report = stable(bundle.stdout, ['createdAt']) as { results: { packages?: unknown[] }[] };
  assert.equal(report.results[0]?.packages?.length, 14);
  assert.deepEqual(report, stable(source.stdout, ['createdAt']));
});

test('a project scan to CycloneDX with its findings: the same document', async () => {
  const projects = path.join(repoRoot, 'test/e2e/projects');
  const { source, bundle } = await both(['fs', projects, '--offline', '--format', 'cyclonedx']);
  const doc = stable(bundle.stdout, ['serialNumber', 'timestamp']) as {
    components: unknown[];
    vulnerabilities: unknown[];
  };
  assert.equal(doc.components.length, 11);
  assert.equal(doc.vulnerabilities.length, 19);
  assert.deepEqual(doc, stable(source.stdout, ['serialNumber', 'timestamp']));
});

test('an SPDX SBOM of an image: the same document', async () => {
  const image = path.join(sharedFixtures, 'images/alpine-3.10.docker.tar.gz');
  const { source, bundle } = await both(['sbom', '--input', image, '--format', 'spdx-json'], false);
  const volatile = ['created', 'documentNamespace'];
  const doc = stable(bundle.stdout, volatile) as { packages: unknown[] };
  assert.ok(doc.packages.length > 14);
  assert.deepEqual(doc, stable(source.stdout, volatile));
});

test('config with a CEL policy: the same report; a bad flag: the same usage error', async () => {
  const deploy = path.join(repoRoot, 'src/misconfig/testdata/k8s');
  const policy = path.join(repoRoot, 'src/misconfig/testdata/policies/good');
  const { source, bundle } = await both(['config', deploy, '--policy', policy, '--format', 'json'], false);
  assert.equal(source.code, 0, source.stderr);
  assert.match(bundle.stdout, /POLICY-namespaces-labelled/);
  assert.deepEqual(stable(bundle.stdout, ['createdAt']), stable(source.stdout, ['createdAt']));
  const bad = await both(['image', '--no-such-flag'], false);
  assert.equal(bad.bundle.code, 2);
  assert.equal(bad.bundle.stderr, bad.source.stderr);
});
