// The walker and the applier on the real Debian fixture image (4 layers: debootstrap, apt install,
// purge with whiteouts, opaque directory), with the real OS and dpkg analyzers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { osAnalyzer } from '../analyzer/os/index.js';
import { dpkgAnalyzer } from '../analyzer/pkg/dpkg/index.js';
import { walkImage } from '../layer/index.js';
import { openImageSource } from '../source/index.js';
import { fixtureImages, fixtureTestOptions } from '../../test/helpers/fixture-images.js';
import { applyLayers } from './index.js';

test(
  'Debian fixture: surviving packages, their introducing layers, the purge and the OS',
  fixtureTestOptions(),
  async () => {
    const { images } = await fixtureImages();
    const debian = images.debian;
    const source = await openImageSource(`${debian.ociLayout}:${debian.ociTag}`, { input: true });
    try {
      const layers = await source.layers();
      const analyses = await walkImage(source, [osAnalyzer, dpkgAnalyzer]);
      assert.equal(analyses.length, debian.layerCount);
      assert.deepEqual(
        analyses.map((a) => a.diffId),
        layers.map((l) => l.diffId),
      );
      assert.ok(analyses[2]!.whiteouts.length > 0, 'layer 3 deletes files');
      assert.deepEqual(analyses[3]!.opaqueDirs, [debian.opaque.dir.replace(/^\//, '')]);

      const artifact = applyLayers(analyses, layers);
      assert.equal(artifact.os?.family, debian.os.id);
      assert.equal(artifact.os?.version, debian.os.versionId);

      const dpkg = artifact.packages.filter((p) => p.type === 'dpkg');
      const found = Object.fromEntries(dpkg.map((p) => [p.name, p.version]));
      const expected = { ...debian.packages };
      delete expected[debian.purged.name];
      assert.deepEqual(found, expected);

      // Oracle: the base layer's own dpkg status, read out of its blob by GNU tar.
      const base = new Set(
        execFileSync(
          'tar',
          ['-xzOf', layerBlob(debian.ociLayout, layers[0]!.digest!), '--wildcards', '*var/lib/dpkg/status'],
          {
            encoding: 'utf8',
            maxBuffer: 1 << 26,
          },
        )
          .split('\n')
          .filter((line) => line.startsWith('Package: '))
          .map((line) => line.slice('Package: '.length)),
      );
      assert.ok(debian.installed.every((p) => !base.has(p.name)));
      const wrongLayer = dpkg.filter((p) => {
        const want = base.has(p.name) ? layers[0]!.diffId : layers[1]!.diffId;
        return p.locations.some((l) => l.layerDiffId !== want);
      });
      assert.deepEqual(
        wrongLayer.map((p) => p.name),
        [],
      );
      assert.deepEqual(artifact.errors, []);
    } finally {
      await source.close();
    }
  },
);

function layerBlob(layout: string, digest: string): string {
  return path.join(layout, 'blobs', ...digest.split(':'));
}
