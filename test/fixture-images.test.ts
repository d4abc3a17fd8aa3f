// The fixture images, checked with the real tools (skopeo, umoci, GNU tar) against the facts the
// build script records in manifest.json, so tests built on those facts rest on verified ground.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import {
  fixtureImages,
  fixtureTestOptions,
  runScript,
  type FixtureImages,
} from './helpers/fixture-images.js';

const run = promisify(execFile);
const maxBuffer = 64 * 1024 * 1024;

async function tool(cmd: string, args: string[]): Promise<string> {
  return (await run(cmd, args, { maxBuffer })).stdout;
}
/** skopeo's view of an image: its manifest, or its config as stored (docker-only fields kept). */
async function inspect(ref: string, what: 'manifest' | 'config'): Promise<ImageJson> {
  const args = what === 'config' ? ['inspect', '--config', '--raw', ref] : ['inspect', '--raw', ref];
  return JSON.parse(await tool('skopeo', args)) as ImageJson;
}
interface ImageJson {
  rootfs?: { diff_ids: string[] };
  history?: { created_by?: string; empty_layer?: boolean }[];
  config?: {
    User?: string;
    Env?: string[];
    ExposedPorts?: Record<string, object>;
    Labels?: Record<string, string>;
    Healthcheck?: { Test: string[] };
    Cmd?: string[];
  };
  layers?: { digest: string; mediaType: string }[];
}

/** Member names of each layer of an OCI layout's tagged image, in layer order, via GNU tar. */
async function ociLayerEntries(layout: string, tag: string): Promise<string[][]> {
  const index = JSON.parse(readFileSync(path.join(layout, 'index.json'), 'utf8')) as {
    manifests: { digest: string; annotations?: Record<string, string> }[];
  };
  const entry = index.manifests.find((m) => m.annotations?.['org.opencontainers.image.ref.name'] === tag);
  assert.ok(entry, `tag ${tag} in ${layout}`);
  const blob = (digest: string) => path.join(layout, 'blobs', ...digest.split(':'));
  const manifest = JSON.parse(readFileSync(blob(entry.digest), 'utf8')) as { layers: { digest: string }[] };
  return Promise.all(
    manifest.layers.map(async (l) => (await tool('tar', ['-tf', blob(l.digest)])).split('\n')),
  );
}

/** Layer tar paths inside a docker-archive, in layer order. */
async function dockerArchiveLayers(archive: string): Promise<string[]> {
  const manifest = JSON.parse(await tool('tar', ['-xOf', archive, 'manifest.json'])) as {
    Layers: string[];
  }[];
  return manifest[0]?.Layers ?? [];
}
/** Member names of one layer of a docker-archive, via GNU tar. */
async function dockerLayerEntries(archive: string, layer: string): Promise<string[]> {
  const script = 'set -o pipefail; tar -xOf "$1" "$2" | tar -t';
  return (await tool('bash', ['-c', script, '_', archive, layer])).split('\n');
}
/** One file's content from one layer of a docker-archive, via GNU tar. */
async function dockerLayerFile(archive: string, layer: string, file: string): Promise<string> {
  const script = 'set -o pipefail; tar -xOf "$1" "$2" | tar -xO "$3"';
  return tool('bash', ['-c', script, '_', archive, layer, file]);
}

const options = fixtureTestOptions();

describe('fixture images', options, () => {
  let images: FixtureImages;
  before(async () => {
    images = await fixtureImages();
  }, options);

  test('a second run of the script is served from the cache', async () => {
    const started = Date.now();
    assert.equal(await runScript(), images.dir);
    assert.ok(Date.now() - started < 5000, `cached run took ${Date.now() - started} ms`);
    assert.ok(images.buildSeconds.debian! > 0);
  });

  describe('debian', () => {
    test('docker-archive config: layers, history, user, env, ports, labels, healthcheck', async () => {
      const d = images.images.debian;
      const config = await inspect(`docker-archive:${d.dockerArchive}`, 'config');
      assert.equal(config.rootfs?.diff_ids.length, d.layerCount);
      assert.ok(d.layerCount >= 4);
      // One non-empty history entry per layer, each saying what made it.
      const layerHistory = (config.history ?? []).filter((h) => !h.empty_layer);
      assert.equal(layerHistory.length, d.layerCount);
      assert.match(layerHistory[2]?.created_by ?? '', new RegExp(`dpkg --purge ${d.purged.name}`));
      assert.match(layerHistory[3]?.created_by ?? '', new RegExp(`rm -rf ${d.opaque.dir}`));
      assert.equal(config.config?.User, d.config.user);
      for (const [k, v] of Object.entries(d.config.env))
        assert.ok(config.config?.Env?.includes(`${k}=${v}`), k);
      assert.deepEqual(Object.keys(config.config?.ExposedPorts ?? {}), d.config.exposedPorts);
      for (const [k, v] of Object.entries(d.config.labels)) assert.equal(config.config?.Labels?.[k], v);
      assert.deepEqual(config.config?.Healthcheck?.Test, d.config.healthcheck);
      assert.deepEqual(config.config?.Cmd, d.config.cmd);
    });

    test('the three exports hold the same layers', async () => {
      const d = images.images.debian;
      const diffIds = async (ref: string) => (await inspect(ref, 'config')).rootfs?.diff_ids;
      const docker = await diffIds(`docker-archive:${d.dockerArchive}`);
      assert.deepEqual(await diffIds(`oci-archive:${d.ociArchive}`), docker);
      assert.deepEqual(await diffIds(`oci:${d.ociLayout}:${d.ociTag}`), docker);
      const raw = await inspect(`oci:${d.ociLayout}:${d.ociTag}`, 'manifest');
      assert.equal(raw.layers?.length, d.layerCount);
    });

    test('umoci stat reads the OCI layout history', async () => {
      const d = images.images.debian;
      const stat = JSON.parse(
        await tool('umoci', ['stat', '--json', '--image', `${d.ociLayout}:${d.ociTag}`]),
      ) as {
        history: { created_by?: string; empty_layer?: boolean; comment?: string }[];
      };
      assert.equal(stat.history.filter((h) => !h.empty_layer).length, d.layerCount);
      assert.ok(stat.history.some((h) => h.comment === 'opaque directory layer'));
    });

    test('layer tars: the opaque dir, the purge and deletions as whiteouts, the opaque marker', async () => {
      const d = images.images.debian;
      const layers = await ociLayerEntries(d.ociLayout, d.ociTag);
      assert.equal(layers.length, d.layerCount);
      const opaqueDir = d.opaque.dir.slice(1);
      for (const name of d.opaque.before) assert.ok(layers[1]?.includes(`${opaqueDir}/${name}`), name);
      assert.ok(layers[1]?.includes(`usr/bin/${d.purged.name}`));

      const removal = layers[d.purged.layer - 1] ?? [];
      assert.ok(removal.includes(`usr/bin/.wh.${d.purged.name}`), 'purged binary whited out');
      for (const p of d.deletedPaths) {
        const wh = `${path.posix.dirname(p).slice(1)}/.wh.${path.posix.basename(p)}`;
        assert.ok(removal.includes(wh), `whiteout ${wh}`);
      }

      const opaque = layers[d.opaque.layer - 1] ?? [];
      assert.ok(opaque.includes(`${opaqueDir}/.wh..wh..opq`), 'opaque marker');
      for (const name of d.opaque.after) assert.ok(opaque.includes(`${opaqueDir}/${name}`), name);
      // The first layer is the whole Debian rootfs, with the dpkg database the scanner reads.
      assert.ok(layers[0]?.includes('./var/lib/dpkg/status') || layers[0]?.includes('var/lib/dpkg/status'));
    });

    test('recorded facts are consistent', () => {
      const d = images.images.debian;
      assert.equal(d.os.codename, 'bookworm');
      assert.ok(d.purged.version.length > 0);
      for (const { name, version } of d.installed) assert.equal(d.packages[name], version, name);
      assert.ok(Object.keys(d.packages).length > 80, 'minbase plus the added packages');
    });
  });

  describe('secrets', () => {
    test('config: the password in ENV, root user, port 22; the base layer shared with debian', async () => {
      const s = images.images.secrets;
      const config = await inspect(`docker-archive:${s.dockerArchive}`, 'config');
      assert.equal(config.rootfs?.diff_ids.length, s.layerCount);
      for (const [k, v] of Object.entries(s.config.env))
        assert.ok(config.config?.Env?.includes(`${k}=${v}`), k);
      assert.equal(config.config?.User, s.config.user);
      assert.deepEqual(Object.keys(config.config?.ExposedPorts ?? {}), s.config.exposedPorts);
      const debian = await inspect(`docker-archive:${images.images.debian.dockerArchive}`, 'config');
      assert.equal(config.rootfs?.diff_ids[0], debian.rootfs?.diff_ids[0]);
    });

    test('each planted secret is in its layer at its line; the removed key is whited out', async () => {
      const s = images.images.secrets;
      const layers = await dockerArchiveLayers(s.dockerArchive);
      assert.equal(layers.length, s.layerCount);
      assert.equal(s.planted.length, 4);
      for (const secret of s.planted) {
        const layer = layers[secret.layer - 1]!;
        const text = await dockerLayerFile(s.dockerArchive, layer, secret.path.slice(1));
        assert.ok(
          text.split('\n')[secret.line - 1]?.includes(secret.value),
          `${secret.kind} at ${secret.path}`,
        );
        if (secret.sha256) assert.equal(createHash('sha256').update(text).digest('hex'), secret.sha256);
        if (secret.removedInLayer) {
          const entries = await dockerLayerEntries(s.dockerArchive, layers[secret.removedInLayer - 1]!);
          const wh = `${path.posix.dirname(secret.path).slice(1)}/.wh.${path.posix.basename(secret.path)}`;
          assert.ok(entries.includes(wh), `whiteout ${wh}`);
        }
      }
      assert.ok(
        !s.planted.some((p) => p.value === 'AKIAIOSFODNN7EXAMPLE'),
        'not the allow-listed example key',
      );
    });
  });
});
