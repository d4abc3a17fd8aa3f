/** openImageSource: what a path is, told by content; references tried in each place, errors reported together. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sharedFixtures } from '../../test/helpers/paths.js';
import { BosunError } from '../core/errors.js';
import { bosunError } from './testing/assertions.js';
import { openImageSource } from './index.js';
import { skopeoConfig } from './testing/oracle.js';

const images = path.join(sharedFixtures, 'images');
let scratch: string;
before(() => {
  scratch = mkdtempSync(path.join(tmpdir(), 'bosun-source-index-test-'));
});
after(() => rmSync(scratch, { recursive: true, force: true }));

async function kindAndDiffIds(target: string) {
  const source = await openImageSource(target, { input: true });
  try {
    return { kind: source.kind, diffIds: (await source.layers()).map((l) => l.diffId) };
  } finally {
    await source.close();
  }
}

describe('openImageSource with input: detection by content, not by name', () => {
  it('an OCI archive named like JSON is still an OCI archive', async () => {
    const file = path.join(scratch, 'image.json');
    copyFileSync(path.join(images, 'stereoscope-valid-oci.tar'), file);
    const oracle = await skopeoConfig(`oci-archive:${path.join(images, 'stereoscope-valid-oci.tar')}`);
    assert.deepEqual(await kindAndDiffIds(file), { kind: 'oci-archive', diffIds: oracle.rootfs!.diff_ids });
  });

  it('an extracted docker save directory is a docker-archive', async () => {
    const dir = path.join(scratch, 'extracted');
    mkdirSync(dir);
    execFileSync('tar', ['-C', dir, '-xf', path.join(images, 'scalibr-basic.tar')]);
    const oracle = await skopeoConfig(`docker-archive:${path.join(images, 'scalibr-basic.tar')}`);
    assert.deepEqual(await kindAndDiffIds(dir), { kind: 'docker-archive', diffIds: oracle.rootfs!.diff_ids });
  });

  it('a zstd-compressed archive is decompressed once to a temp copy; a truncated one is badInput', async () => {
    const file = path.join(scratch, 'image.tar.zst');
    execFileSync('zstd', ['-q', '-f', path.join(images, 'scalibr-basic.tar'), '-o', file]);
    const oracle = await skopeoConfig(`docker-archive:${path.join(images, 'scalibr-basic.tar')}`);
    assert.deepEqual(await kindAndDiffIds(file), {
      kind: 'docker-archive',
      diffIds: oracle.rootfs!.diff_ids,
    });
    truncateSync(file, statSync(file).size - 100);
    const tmpDir = mkdtempSync(path.join(scratch, 'tmp-'));
    await assert.rejects(
      openImageSource(file, { input: true, tmpDir }),
      bosunError('badInput', file, 'zstd'),
    );
    assert.deepEqual(readdirSync(tmpDir), []);
  });

  it('a tag on a root filesystem directory is a usage error', async () => {
    const dir = path.join(scratch, 'rootfs');
    mkdirSync(dir);
    await assert.rejects(openImageSource(`${dir}:latest`, { input: true }), bosunError('usage', dir));
  });

  it('a bad --platform is a usage error naming the flag', async () => {
    await assert.rejects(
      openImageSource(path.join(images, 'scalibr-basic.tar'), { input: true, platform: 'amd64' }),
      bosunError('usage', '--platform'),
    );
  });
});

describe('openImageSource with a reference', () => {
  it('reports the failure of every place it looked, the definite one deciding the kind', async () => {
    const host = `unix://${path.join(scratch, 'absent.sock')}`;
    await assert.rejects(
      openImageSource('Not//A/Reference', { dockerHost: host }),
      bosunError('usage', 'daemon: cannot reach', host, 'registry: '),
    );
  });

  it('refuses an empty or unknown list of places to look', async () => {
    await assert.rejects(openImageSource('alpine', { imageSrc: [] }), bosunError('usage', '--image-src'));
    const podman = ['podman'] as unknown as ('daemon' | 'registry')[];
    await assert.rejects(openImageSource('alpine', { imageSrc: podman }), bosunError('usage', 'podman'));
  });

  it('with one place to look, gives that error as it is', async () => {
    const host = `unix://${path.join(scratch, 'absent.sock')}`;
    await assert.rejects(
      openImageSource('alpine:3.19', { dockerHost: host, imageSrc: ['daemon'] }),
      (err: unknown) =>
        err instanceof BosunError && err.kind === 'network' && !err.message.includes('registry'),
    );
  });
});
