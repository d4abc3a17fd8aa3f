/**
 * Every image archive in the shared fixtures, read through openImageSource and compared with
 * skopeo's reading of the same file; each layer's uncompressed sha256 must equal its diffId.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { sharedFixtures } from '../../test/helpers/paths.js';
import type { ImageConfig, ImageSource } from '../core/image.js';
import { bosunError } from './testing/assertions.js';
import { openImageSource } from './index.js';
import { skopeoConfig, uncompressedDigest } from './testing/oracle.js';

const images = path.join(sharedFixtures, 'images');
const fixture = (name: string) => path.join(images, name);

/** Archives skopeo reads, with the transport it reads them as and the kind bosun must report. */
const dockerArchives = [
  'dive-test-docker-image.tar',
  'dive-test-kaniko-image.tar',
  'ggcr-hello-world-v25.tar',
  'ggcr-overwritten_file.tar',
  'ggcr-whiteout_dir.tar',
  'ggcr-whiteout_image.tar',
  'scalibr-basic.tar',
  'scalibr-multiple-files.tar',
  'scalibr-overwrite-file.tar',
  'scalibr-single-file.tar',
  'scalibr-symlink-attack.tar',
  'scalibr-symlink-basic.tar',
  'scalibr-symlink-cycle.tar',
  'scalibr-symlink-dangling.tar',
  'scalibr-symlink-depth-exceeded.tar',
  'scalibr-two-files.tar',
  'snyk-containerd-busybox-amd64.tar',
  'snyk-containerd-busybox-arm64.tar',
  'snyk-containerd-busybox-armv7.tar',
  'snyk-skopeo-busybox.tar',
];
const ociArchives = [
  'dive-test-oci-estargz-image.tar',
  'dive-test-oci-gzip-image.tar',
  'dive-test-oci-uncompressed-image.tar',
  'dive-test-oci-zstd-image.tar',
  'snyk-oci-busybox-1.31.1.tar',
  'stereoscope-valid-oci.tar',
];
/** Tars that are not images: broken manifests, an empty tar, and dive's tars that hold only a README. */
const notImages = [
  'ggcr-no_manifest.tar',
  'ggcr-null_manifest.tar',
  'scalibr-empty.tar',
  'dive-test-gzip-image.tar',
  'dive-test-zstd-image.tar',
  'dive-test-estargz-image.tar',
  'dive-test-uncompressed-image.tar',
];

let scratch: string;
before(() => {
  scratch = mkdtempSync(path.join(tmpdir(), 'bosun-archives-test-'));
});
after(() => rmSync(scratch, { recursive: true, force: true }));

/** Asserts that `source` holds what skopeo read from the same image. */
async function assertMatchesOracle(source: ImageSource, oracle: ImageConfig): Promise<void> {
  const layers = await source.layers();
  const diffIds = oracle.rootfs?.diff_ids ?? [];
  assert.ok(diffIds.length > 0, 'the oracle lists layers');
  assert.deepEqual(
    layers.map((l) => l.diffId),
    diffIds,
  );
  const config = await source.config();
  assert.equal(config.os, oracle.os);
  assert.equal(config.architecture, oracle.architecture);
  assert.equal(source.platform?.architecture, oracle.architecture);
  const createdBy = (oracle.history ?? []).filter((h) => !h.empty_layer).map((h) => h.created_by);
  assert.deepEqual(
    layers.map((l) => l.createdBy),
    diffIds.map((_, i) => createdBy[i]),
  );
  // All layers at once, as the walker reads them with bounded concurrency.
  const digests = await Promise.all(layers.map(async (l) => uncompressedDigest(await l.open())));
  assert.deepEqual(digests, diffIds, 'each uncompressed layer hashes to its diffId');
  // open() gives a fresh stream each time.
  const first = layers[0]!;
  assert.equal(await uncompressedDigest(await first.open()), first.diffId);
}

describe('docker-archive fixtures agree with skopeo', () => {
  for (const name of dockerArchives) {
    it(name, async () => {
      const oracle = await skopeoConfig(`docker-archive:${fixture(name)}`);
      const source = await openImageSource(fixture(name), { input: true });
      try {
        assert.equal(source.kind, 'docker-archive');
        await assertMatchesOracle(source, oracle);
      } finally {
        await source.close();
      }
    });
  }

  it('selects an image of a multi-image archive by PATH:TAG (ggcr-test_link.tar)', async () => {
    const file = fixture('ggcr-test_link.tar');
    await assert.rejects(
      openImageSource(file, { input: true }),
      bosunError('usage', 'test_image_1', 'test_image_3'),
    );
    for (const tag of ['bazel/v1/tarball:test_image_1', 'bazel/v1/tarball:test_image_3']) {
      const oracle = await skopeoConfig(`docker-archive:${file}:${tag}`);
      const source = await openImageSource(`${file}:${tag}`, { input: true });
      try {
        assert.deepEqual(source.repoTags, [tag]);
        await assertMatchesOracle(source, oracle);
      } finally {
        await source.close();
      }
    }
    // A short tag matches the last component; an unknown one lists what there is.
    const short = await openImageSource(`${file}:test_image_3`, { input: true });
    assert.equal((await short.layers()).length, 2);
    await short.close();
    await assert.rejects(
      openImageSource(`${file}:nope`, { input: true }),
      bosunError('notFound', 'test_image_1'),
    );
  });

  it('reads a gzipped docker save (alpine-3.10.docker.tar.gz) through a temp copy removed on close()', async () => {
    const plain = path.join(scratch, 'alpine.tar');
    writeFileSync(plain, gunzipSync(readFileSync(fixture('alpine-3.10.docker.tar.gz'))));
    const oracle = await skopeoConfig(`docker-archive:${plain}`);
    const tmpDir = mkdtempSync(path.join(scratch, 'tmp-'));
    const source = await openImageSource(fixture('alpine-3.10.docker.tar.gz'), { input: true, tmpDir });
    assert.equal(readdirSync(tmpDir).length, 1, 'the spilled copy exists while open');
    await assertMatchesOracle(source, oracle);
    assert.deepEqual(source.repoTags, ['alpine:3.10']);
    await source.close();
    await source.close(); // closing twice is harmless
    assert.deepEqual(readdirSync(tmpDir), []);
  });
});

describe('temp copies', () => {
  it('are removed when the process exits without close()', () => {
    const tmpDir = mkdtempSync(path.join(scratch, 'tmp-'));
    const script = `
      const { openImageSource } = await import(${JSON.stringify(new URL('./index.ts', import.meta.url).href)});
      await openImageSource(${JSON.stringify(fixture('alpine-3.10.docker.tar.gz'))}, { input: true, tmpDir: ${JSON.stringify(tmpDir)} });
      console.log((await import('node:fs')).readdirSync(${JSON.stringify(tmpDir)}).length);
      process.exit(0);`;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
    });
    assert.equal(out.trim(), '1', 'the copy existed while the source was open');
    assert.deepEqual(readdirSync(tmpDir), []);
  });
});

describe('OCI archive fixtures agree with skopeo', () => {
  for (const name of ociArchives) {
    it(name, async () => {
      const oracle = await skopeoConfig(`oci-archive:${fixture(name)}`);
      const source = await openImageSource(fixture(name), { input: true });
      try {
        assert.equal(source.kind, 'oci-archive');
        assert.match(source.manifestDigest ?? '', /^sha256:[a-f0-9]{64}$/);
        await assertMatchesOracle(source, oracle);
        for (const layer of await source.layers()) assert.match(layer.digest ?? '', /^sha256:/);
      } finally {
        await source.close();
      }
    });
  }
});

describe('inputs that are not images', () => {
  for (const name of notImages) {
    it(`${name} is badInput naming the file (skopeo rejects it too)`, async () => {
      assert.throws(() =>
        execFileSync('skopeo', ['inspect', '--config', `docker-archive:${fixture(name)}`], { stdio: 'pipe' }),
      );
      await assert.rejects(
        openImageSource(fixture(name), { input: true }),
        bosunError('badInput', fixture(name)),
      );
    });
  }

  it('a missing file is notFound naming the path', async () => {
    const missing = path.join(scratch, 'no-such-image.tar');
    await assert.rejects(openImageSource(missing, { input: true }), bosunError('notFound', missing));
  });

  it('a file that is not a tar is badInput', async () => {
    const file = path.join(scratch, 'notes.txt');
    writeFileSync(file, 'x'.repeat(2000));
    await assert.rejects(openImageSource(file, { input: true }), bosunError('badInput', file));
  });

  it('a truncated archive is badInput', async () => {
    const file = path.join(scratch, 'truncated.tar');
    copyFileSync(fixture('dive-test-docker-image.tar'), file);
    truncateSync(file, 700_000); // in the middle of a layer
    await assert.rejects(openImageSource(file, { input: true }), bosunError('badInput', file, 'truncated'));
  });

  it('a truncated gzipped archive is badInput and leaves no temp file', async () => {
    const file = path.join(scratch, 'truncated.tar.gz');
    copyFileSync(fixture('alpine-3.10.docker.tar.gz'), file);
    truncateSync(file, 1_000_000);
    const tmpDir = mkdtempSync(path.join(scratch, 'tmp-'));
    await assert.rejects(openImageSource(file, { input: true, tmpDir }), bosunError('badInput', file));
    assert.deepEqual(readdirSync(tmpDir), []);
  });

  it('a gzipped archive that expands past the limit is refused as a bomb and leaves no temp file', async () => {
    // 64 MiB of zeros in a tar entry compress to about 64 KiB: far past a 16 MiB limit.
    const file = path.join(scratch, 'bomb.tar.gz');
    const content = mkdtempSync(path.join(scratch, 'bomb-'));
    writeFileSync(path.join(content, 'zeros'), '');
    truncateSync(path.join(content, 'zeros'), 64 << 20);
    execFileSync('tar', ['-czf', file, '-C', content, 'zeros']);
    const tmpDir = mkdtempSync(path.join(scratch, 'tmp-'));
    await assert.rejects(
      openImageSource(file, { input: true, tmpDir, maxArchiveBytes: 16 << 20 }),
      bosunError('badInput', file, 'decompression bomb'),
    );
    assert.deepEqual(readdirSync(tmpDir), []);
    // Under the default limit (100 times its size, at least 1 GiB) it is read to its end: it is
    // no image, which is a different complaint.
    await assert.rejects(
      openImageSource(file, { input: true, tmpDir }),
      bosunError('badInput', file, 'not an image archive'),
    );
    assert.deepEqual(readdirSync(tmpDir), []);
  });
});
