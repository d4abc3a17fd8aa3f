import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ImageSource } from '../core/image.js';
import type { LayerAnalysis } from '../layer/types.js';
import { catalogSource } from '../scan/catalog.js';
import { openImageSource } from '../source/index.js';
import { sharedFixtures } from '../../test/helpers/paths.js';
import { LayerCache } from './layer-cache.js';

const dir = mkdtempSync(path.join(tmpdir(), 'bosun-layer-cache-test-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

const analysis: LayerAnalysis = {
  diffId: 'sha256:abc',
  index: 0,
  files: [
    { path: 'etc/os-release', analyzer: 'os', output: { os: { family: 'alpine', version: '3.10.4' } } },
  ],
  whiteouts: ['tmp/x'],
  opaqueDirs: [],
  stats: { fileCount: 3, whiteoutCount: 1, uncompressedSize: 1024 },
  errors: [],
};

test('keys change with the layer, the analyzers and their versions', () => {
  const a = [{ name: 'dpkg', version: 1 }] as never[];
  const b = [{ name: 'dpkg', version: 2 }] as never[];
  assert.equal(LayerCache.key('sha256:1', a), LayerCache.key('sha256:1', a));
  assert.notEqual(LayerCache.key('sha256:1', a), LayerCache.key('sha256:2', a));
  assert.notEqual(LayerCache.key('sha256:1', a), LayerCache.key('sha256:1', b));
  assert.notEqual(LayerCache.key('sha256:1', a), LayerCache.key('sha256:1', a, { secretRules: 'x' }));
});

test("an image's artifact key changes with its layers' keys, their order and their history lines", () => {
  const layers = [{ diffId: 'sha256:1' }, { diffId: 'sha256:2', createdBy: 'RUN make' }];
  const key = LayerCache.artifactKey(['k1', 'k2'], layers);
  assert.equal(LayerCache.artifactKey(['k1', 'k2'], layers), key);
  assert.notEqual(LayerCache.artifactKey(['k2', 'k1'], layers), key);
  assert.notEqual(LayerCache.artifactKey(['k1', 'k3'], layers), key);
  assert.notEqual(
    LayerCache.artifactKey(['k1', 'k2'], [layers[0]!, { ...layers[1]!, createdBy: 'RUN x' }]),
    key,
  );
});

test('a stored entry reads back; a corrupt one is a miss, not a failure', async () => {
  const cache = new LayerCache(path.join(dir, 'roundtrip'));
  await cache.put('k1', analysis);
  assert.deepEqual(await cache.get('k1'), analysis);
  assert.equal(await cache.get('missing'), undefined);
  writeFileSync(path.join(cache.dir, 'k2.json.gz'), 'not gzip');
  assert.equal(await cache.get('k2'), undefined);
  assert.deepEqual(
    readdirSync(cache.dir).filter((f) => f.endsWith('.tmp')),
    [],
    'no temp files left',
  );
});

test('several processes writing the same entries at once leave whole entries only', async () => {
  const cacheDir = path.join(dir, 'concurrent');
  const script = `
    import { LayerCache } from ${JSON.stringify(path.resolve('src/cache/layer-cache.ts'))};
    const cache = new LayerCache(${JSON.stringify(cacheDir)});
    const analysis = ${JSON.stringify({ ...analysis, files: Array.from({ length: 2000 }, (_, i) => ({ path: `f${i}`, analyzer: 'x', output: {} })) })};
    for (let i = 0; i < 30; i++) { await cache.put('shared-' + (i % 5), analysis); await cache.get('shared-' + ((i + 1) % 5)); }
  `;
  await Promise.all(
    Array.from(
      { length: 4 },
      () =>
        new Promise<void>((resolve, reject) => {
          const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
            stdio: ['ignore', 'ignore', 'pipe'],
          });
          let stderr = '';
          child.stderr.on('data', (d) => (stderr += d));
          child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(stderr))));
        }),
    ),
  );
  const cache = new LayerCache(cacheDir);
  for (let i = 0; i < 5; i++) assert.equal((await cache.get(`shared-${i}`))?.files.length, 2000);
  assert.deepEqual(
    readdirSync(cache.dir).filter((f) => f.endsWith('.tmp')),
    [],
  );
});

test('a second catalog of the same image reads no layer', async () => {
  const layerCache = new LayerCache(path.join(dir, 'catalog'));
  const { opened, counting } = countingSource();
  const first = await counting();
  const cold = await catalogSource(first, 'image', { layerCache });
  await first.close();
  const layerCount = (await (await counting()).layers()).length;
  assert.equal(opened.length, layerCount, 'the cold scan reads every layer once');
  opened.length = 0;
  const second = await counting();
  const warm = await catalogSource(second, 'image', { layerCache });
  await second.close();
  assert.equal(opened.length, 0, 'the warm scan reads none');
  assert.deepEqual(warm.report.results, cold.report.results);
});

test('a second scan reads the merged artifact alone; an image that shares the layers reads their entries', async () => {
  const layerCache = new LayerCache(path.join(dir, 'artifact'));
  const { opened, counting } = countingSource();
  const cold = await catalogSource(await counting(), 'image', { layerCache });
  const entries = readdirSync(layerCache.dir);
  const artifactEntries = entries.filter((f) => f.startsWith('artifact-'));
  assert.equal(artifactEntries.length, 1, 'one merged artifact is stored');
  assert.equal(entries.length, opened.length + 1, 'besides one entry per layer');

  // With the layer entries gone, the same image is still one read and the same catalog.
  for (const f of entries) if (!f.startsWith('artifact-')) rmSync(path.join(layerCache.dir, f));
  opened.length = 0;
  const warm = await catalogSource(await counting(), 'image', { layerCache });
  assert.equal(opened.length, 0, 'no layer is read');
  assert.deepEqual(warm.report.results, cold.report.results);
  assert.deepEqual(warm.artifact.packages, cold.artifact.packages);

  // Another image on the same layers (other history lines) cannot use that artifact: its layers
  // are walked again here, since their entries were removed, and their packages name the new lines.
  const other = await catalogSource(await counting('RUN other'), 'image', { layerCache });
  assert.ok(opened.length > 0, 'the layers are read');
  assert.equal(readdirSync(layerCache.dir).filter((f) => f.startsWith('artifact-')).length, 2);
  const otherLayers = other.report.artifact.layers ?? [];
  assert.ok(otherLayers.length > 0 && otherLayers.every((l) => l.createdBy === 'RUN other'));
  assert.equal(other.artifact.packages.length, cold.artifact.packages.length);
});

/** The dive test image, counting the layers a catalog opens; `createdBy` replaces every history line. */
function countingSource(): { opened: string[]; counting: (createdBy?: string) => Promise<ImageSource> } {
  const archive = path.join(sharedFixtures, 'images', 'dive-test-docker-image.tar');
  const opened: string[] = [];
  const counting = async (createdBy?: string): Promise<ImageSource> => {
    const source = await openImageSource(archive, { input: true });
    const layers = await source.layers();
    return {
      name: source.name,
      kind: source.kind,
      config: () => source.config(),
      close: () => source.close(),
      layers: async () =>
        layers.map((l) => ({
          ...l,
          ...(createdBy ? { createdBy } : {}),
          open: () => (opened.push(l.diffId), l.open()),
        })),
    };
  };
  return { opened, counting };
}
