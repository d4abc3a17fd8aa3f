// The fixture images, checked with the real tools (skopeo, umoci, GNU tar) against the facts the
// build script records in manifest.json, so tests built on those facts rest on verified ground.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import {
  fixtureImages,
  fixtureSkipReason,
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

/** Blob paths of the layers of an OCI layout's tagged image, in layer order. */
function ociLayerBlobs(layout: string, tag: string): string[] {
  const index = JSON.parse(readFileSync(path.join(layout, 'index.json'), 'utf8')) as {
    manifests: { digest: string; annotations?: Record<string, string> }[];
  };
  const entry = index.manifests.find((m) => m.annotations?.['org.opencontainers.image.ref.name'] === tag);
  assert.ok(entry, `tag ${tag} in ${layout}`);
  const blob = (digest: string) => path.join(layout, 'blobs', ...digest.split(':'));
  const manifest = JSON.parse(readFileSync(blob(entry.digest), 'utf8')) as { layers: { digest: string }[] };
  return manifest.layers.map((l) => blob(l.digest));
}
const blobEntries = new Map<string, Promise<string[]>>();
/** Member names of each layer of an OCI layout's tagged image, in layer order, via GNU tar. */
function ociLayerEntries(layout: string, tag: string): Promise<string[][]> {
  const list = (blob: string) => tool('tar', ['-tf', blob]).then((out) => out.split('\n'));
  return Promise.all(
    ociLayerBlobs(layout, tag).map(
      (blob) => blobEntries.get(blob) ?? blobEntries.set(blob, list(blob)).get(blob)!,
    ),
  );
}
/** One file of one (0-based) layer of an OCI layout's tagged image, via GNU tar. */
async function ociLayerFile(layout: string, tag: string, layer: number, file: string): Promise<Buffer> {
  const blob = ociLayerBlobs(layout, tag)[layer];
  assert.ok(blob, `layer ${layer} of ${layout}`);
  return (await run('tar', ['-xOf', blob, file], { maxBuffer, encoding: 'buffer' })).stdout;
}
function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
function hasGo(): boolean {
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => existsSync(path.join(dir, 'go')));
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

test('the skip reason names the missing tools', { skip: process.getuid?.() !== 0 && 'not root' }, () => {
  const saved = process.env.PATH;
  try {
    process.env.PATH = '/nonexistent';
    // sbin is always searched (debootstrap lives there); the rest are missing from this PATH.
    assert.match(
      fixtureSkipReason() ?? '',
      /need buildah, skopeo, umoci, jq, tar, openssl, npm \(installed by \.ci\/install\)/,
    );
  } finally {
    process.env.PATH = saved;
  }
  // On CI .ci/install provides every tool, so nothing may be skipped there.
  if (process.env.CI) assert.equal(fixtureSkipReason(), undefined);
});

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
  describe('multi', () => {
    test('config and manifest: three layers on the shared base, in both exports', async () => {
      const m = images.images.multi;
      const docker = await inspect(`docker-archive:${m.dockerArchive}`, 'config');
      assert.equal(docker.rootfs?.diff_ids.length, m.layerCount);
      const oci = await inspect(`oci:${m.ociLayout}:${m.ociTag}`, 'config');
      assert.deepEqual(oci.rootfs?.diff_ids, docker.rootfs?.diff_ids);
      const debian = await inspect(`docker-archive:${images.images.debian.dockerArchive}`, 'config');
      assert.equal(docker.rootfs?.diff_ids[0], debian.rootfs?.diff_ids[0]);
    });

    test('every recorded package file is in layer 2, at the version dpkg recorded', async () => {
      const m = images.images.multi;
      const layers = await ociLayerEntries(m.ociLayout, m.ociTag);
      const added = new Set(layers[1]);
      const status = (await ociLayerFile(m.ociLayout, m.ociTag, 1, 'var/lib/dpkg/status')).toString();
      for (const deb of m.debs) {
        assert.ok(deb.files.length > 0, `${deb.name} has files to read`);
        for (const file of deb.files) assert.ok(added.has(file.slice(1)), `${deb.name}: ${file}`);
        assert.match(
          status,
          new RegExp(`^Package: ${deb.name}\\n(?:.+\\n)*?Version: ${escapeRegExp(deb.version)}$`, 'm'),
        );
      }
      const kinds = m.debs.flatMap((d) => d.files);
      for (const re of [/\.jar$/, /\.gemspec$/, /-info/, /nodejs\/.+\/package\.json$/]) {
        assert.ok(
          kinds.some((f) => re.test(f)),
          `some file matches ${re}`,
        );
      }
      assert.ok(added.has(m.goBinary.slice(1)) && added.has(m.rustBinary.slice(1)));
    });

    test(
      'the Go binary carries build info (go version -m)',
      { skip: !hasGo() && !process.env.CI && 'go missing' },
      async () => {
        const m = images.images.multi;
        const dir = mkdtempSync(path.join(tmpdir(), 'bosun-fzf-'));
        try {
          const binary = path.join(dir, 'fzf');
          // go version -m reads only files with an execute bit.
          writeFileSync(binary, await ociLayerFile(m.ociLayout, m.ociTag, 1, m.goBinary.slice(1)), {
            mode: 0o755,
          });
          assert.match(await tool('go', ['version', '-m', binary]), /path\s+github\.com\/junegunn\/fzf/);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      },
    );

    test('the npm project: lockfile and an installed package.json for every lock entry', async () => {
      const m = images.images.multi;
      const count = Object.keys(m.npm.packages).length;
      assert.ok(count >= 100 && count <= 300, `${count} npm packages`);
      for (const [name, version] of Object.entries(m.npm.direct)) {
        assert.equal(m.npm.packages[`node_modules/${name}`], version, name);
      }
      const layers = await ociLayerEntries(m.ociLayout, m.ociTag);
      const files = new Set(layers[2]);
      const dir = m.npm.dir.slice(1);
      assert.ok(files.has(m.npm.lockfile.slice(1)));
      for (const entry of Object.keys(m.npm.packages))
        assert.ok(files.has(`${dir}/${entry}/package.json`), entry);
      const lodashJson = await ociLayerFile(
        m.ociLayout,
        m.ociTag,
        2,
        `${dir}/node_modules/lodash/package.json`,
      );
      const lodash = JSON.parse(lodashJson.toString()) as { version: string };
      assert.equal(lodash.version, m.npm.direct.lodash);
    });
  });
});
