import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AnalyzerOutput } from '../analyzer/types.js';
import type { Package } from '../core/package.js';
import type { SecretFinding } from '../core/report.js';
import { walkLayer } from '../layer/index.js';
import type { LayerAnalysis } from '../layer/types.js';
import { bufferLayer, echoAnalyzer, makeTar } from '../layer/testing.js';
import { applyLayers } from './index.js';

function layer(
  index: number,
  files: Record<string, AnalyzerOutput>,
  extra: Partial<Pick<LayerAnalysis, 'whiteouts' | 'opaqueDirs' | 'errors'>> = {},
  analyzer = 'test',
): LayerAnalysis {
  return {
    diffId: `sha256:${index}`,
    index,
    files: Object.entries(files).map(([path, output]) => ({ path, analyzer, output })),
    whiteouts: extra.whiteouts ?? [],
    opaqueDirs: extra.opaqueDirs ?? [],
    stats: { fileCount: 0, whiteoutCount: 0, uncompressedSize: 0 },
    errors: extra.errors ?? [],
  };
}

function pkg(name: string, version: string, path: string, type = 'dpkg'): Package {
  return {
    id: `${type}:${name}@${version}`,
    name,
    version,
    type,
    ecosystem: 'Debian:12',
    purl: '',
    locations: [{ path }],
  };
}

function secret(path: string, ruleId = 'aws-access-key'): SecretFinding {
  return { ruleId, category: 'AWS', title: 'AWS key', severity: 'CRITICAL', path, match: '****' };
}

const misconfig = (path: string) => ({
  misconfigurations: [{ id: path, title: path, severity: 'LOW' as const, message: path, path }],
});

const surviving = (layers: LayerAnalysis[]) =>
  applyLayers(layers)
    .misconfigurations.map((m) => m.id)
    .sort();

test('a later layer replaces the same path', () => {
  const result = applyLayers([
    layer(0, { 'etc/os-release': { os: { family: 'debian', version: '11' } } }),
    layer(1, { 'etc/os-release': { os: { family: 'debian', version: '12' } } }),
  ]);
  assert.deepEqual(result.os, { family: 'debian', version: '12' });
});

test('an empty output from a later layer still hides the lower layer', () => {
  assert.deepEqual(surviving([layer(0, { a: misconfig('a') }), layer(1, { a: {} })]), []);
});

test('a whiteout deletes the path and everything under it in lower layers only', () => {
  const layers = [
    layer(0, { 'app/x': misconfig('app/x'), 'app/sub/y': misconfig('app/sub/y'), apple: misconfig('apple') }),
    layer(1, { 'app/z': misconfig('app/z') }, { whiteouts: ['app'] }),
  ];
  assert.deepEqual(surviving(layers), ['app/z', 'apple']);
});

test('an opaque directory empties lower layers under it, not the same layer', () => {
  const layers = [
    layer(0, { 'var/cache/a': misconfig('var/cache/a'), 'var/cachex': misconfig('var/cachex') }),
    layer(1, { 'var/cache/b': misconfig('var/cache/b') }, { opaqueDirs: ['var/cache'] }),
  ];
  assert.deepEqual(surviving(layers), ['var/cache/b', 'var/cachex']);
  assert.deepEqual(surviving([layer(0, { a: misconfig('a') }), layer(1, {}, { opaqueDirs: [''] })]), []);
});

test('a package in a rewritten database keeps the layer that introduced it', () => {
  const status = 'var/lib/dpkg/status';
  const layers = [
    layer(0, { [status]: { packages: [pkg('base-files', '12.4', status), pkg('libc6', '2.36-9', status)] } }),
    layer(1, { 'etc/hostname': {} }),
    layer(2, {
      [status]: {
        packages: [
          pkg('base-files', '12.4', status),
          pkg('libc6', '2.36-9', status),
          pkg('curl', '7.88', status),
        ],
      },
    }),
    layer(3, {
      [status]: {
        packages: [
          pkg('base-files', '12.4', status),
          pkg('libc6', '2.36-9+deb12u4', status),
          pkg('curl', '7.88', status),
        ],
      },
    }),
  ];
  const byName = Object.fromEntries(
    applyLayers(layers).packages.map((p) => [p.name, p.locations.map((l) => l.layerDiffId)]),
  );
  assert.deepEqual(byName, {
    'base-files': ['sha256:0'],
    curl: ['sha256:2'],
    libc6: ['sha256:3'], // upgraded in layer 3
  });
});

test('a package database deleted and re-created starts its history again', () => {
  const status = 'var/lib/dpkg/status';
  const layers = [
    layer(0, { [status]: { packages: [pkg('bash', '5.2', status)] } }),
    layer(1, {}, { whiteouts: ['var/lib/dpkg'] }),
    layer(2, { [status]: { packages: [pkg('bash', '5.2', status)] } }),
  ];
  assert.deepEqual(applyLayers(layers).packages[0]!.locations[0]!.layerDiffId, 'sha256:2');
});

test('language packages whose files an OS package owns are linked to it', () => {
  const metadata = 'usr/lib/python3/dist-packages/requests-2.28.1.dist-info/METADATA';
  const layers = [
    layer(0, {
      'var/lib/dpkg/status': { packages: [pkg('python3-requests', '2.28.1+dfsg-1', 'var/lib/dpkg/status')] },
      'var/lib/dpkg/info/python3-requests.list': {
        ownedFiles: [{ ownerType: 'dpkg', ownerName: 'python3-requests', files: [`/${metadata}`] }],
      },
      [metadata]: { packages: [pkg('requests', '2.28.1', metadata, 'python')] },
      'app/requirements.txt': { packages: [pkg('flask', '3.0', 'app/requirements.txt', 'python')] },
    }),
  ];
  const byName = Object.fromEntries(applyLayers(layers).packages.map((p) => [p.name, p.ownerId]));
  assert.deepEqual(byName, {
    'python3-requests': undefined,
    requests: 'dpkg:python3-requests@2.28.1+dfsg-1',
    flask: undefined,
  });
});

test('secrets are kept from all layers, marked where a later layer deleted or replaced them', () => {
  const layers = [
    layer(0, {
      'root/.aws/credentials': { secrets: [secret('root/.aws/credentials')] },
      'app/.env': { secrets: [secret('app/.env')] },
    }),
    layer(1, { 'app/.env': {} }),
    layer(2, {}, { whiteouts: ['root/.aws'] }),
    layer(3, { 'srv/key': { secrets: [secret('srv/key')] } }),
  ];
  const result = applyLayers(layers, [
    { diffId: 'sha256:0', createdBy: 'COPY . /' },
    { diffId: 'sha256:1' },
    { diffId: 'sha256:2' },
    { diffId: 'sha256:3' },
  ]);
  assert.deepEqual(
    result.secrets.map((s) => [s.path, s.layer?.diffId, s.removedInLayer?.diffId]),
    [
      ['root/.aws/credentials', 'sha256:0', 'sha256:2'],
      ['app/.env', 'sha256:0', 'sha256:1'],
      ['srv/key', 'sha256:3', undefined],
    ],
  );
  assert.equal(result.secrets[0]!.layer?.createdBy, 'COPY . /');
});

test('errors from layers and from outputs are all kept', () => {
  const layers = [
    layer(0, { a: { errors: [{ path: 'a', message: 'corrupt' }] } }, { errors: [{ message: 'escape' }] }),
    layer(1, {}, { errors: [{ message: 'later' }] }),
  ];
  assert.deepEqual(
    applyLayers(layers).errors.map((e) => e.message),
    ['escape', 'later', 'corrupt'],
  );
});

test('through the walker: only a basename starting with .wh. deletes', async () => {
  const echo = echoAnalyzer(/./);
  const lower = await makeTar([
    { name: 'etc/passwd', content: 'root' },
    { name: 'etc/b', content: 'b' },
    { name: 'x/y', content: 'y' },
    { name: 'x.wh.y/z', content: 'z' },
  ]);
  const upper = await makeTar([
    { name: 'etc/.wh.passwd' },
    { name: 'etc/a.wh.b', content: 'not a whiteout' },
    { name: 'x.wh.y/w', content: 'w' },
  ]);
  const layers = [
    await walkLayer(bufferLayer(lower), 0, [echo]),
    await walkLayer(bufferLayer(upper), 1, [echo]),
  ];
  assert.deepEqual(
    applyLayers(layers)
      .misconfigurations.map((m) => m.path)
      .sort(),
    ['etc/a.wh.b', 'etc/b', 'x.wh.y/w', 'x.wh.y/z', 'x/y'],
  );
});

test('the OS comes from the most trusted release file, not the latest layer', () => {
  const debian = { family: 'debian', version: '12', ecosystem: 'Debian:12' };
  const fromDebianVersion = { family: 'debian', version: '12.4' };
  const artifact = applyLayers([
    layer(0, { 'usr/lib/os-release': { os: debian } }),
    layer(1, { 'etc/debian_version': { os: fromDebianVersion } }),
  ]);
  assert.deepEqual(artifact.os, debian);
  const deleted = applyLayers([
    layer(0, { 'usr/lib/os-release': { os: debian }, 'etc/debian_version': { os: fromDebianVersion } }),
    layer(1, {}, { whiteouts: ['usr/lib/os-release'] }),
  ]);
  assert.deepEqual(deleted.os, fromDebianVersion, 'a deleted os-release no longer counts');
});
