/**
 * The Docker Engine API source against a real one: Podman's compatible service on a private
 * socket, with vfs storage in a temp dir, holding an image loaded from a shared fixture.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { sharedFixtures } from '../../test/helpers/paths.js';
import { bosunError } from './testing/assertions.js';
import { openImageSource } from './index.js';
import { skopeoConfig, uncompressedDigest } from './testing/oracle.js';

const fixture = path.join(sharedFixtures, 'images', 'snyk-containerd-busybox-arm64.tar');
const podmanMissing = (() => {
  try {
    execFileSync('podman', ['--version'], { stdio: 'ignore' });
    return false;
  } catch {
    return 'podman is not installed (apt-get install podman): the daemon source is not tested';
  }
})();

let scratch: string;
let service: ChildProcess | undefined;
let dockerHost: string;

function podman(...args: string[]): string[] {
  const root = path.join(scratch, 'storage');
  return [
    '--storage-driver=vfs',
    '--root',
    root,
    '--runroot',
    path.join(scratch, 'run'),
    '--tmpdir',
    path.join(scratch, 'tmp'),
    ...args,
  ];
}

before(async () => {
  if (podmanMissing) return;
  scratch = mkdtempSync(path.join(tmpdir(), 'bosun-daemon-test-'));
  execFileSync('podman', podman('load', '-q', '-i', fixture), { stdio: 'pipe' });
  const socket = path.join(scratch, 'docker.sock');
  dockerHost = `unix://${socket}`;
  service = spawn('podman', podman('system', 'service', '--time=0', dockerHost), { stdio: 'ignore' });
  for (let i = 0; i < 100 && !existsSync(socket); i++) await sleep(100);
  assert.ok(existsSync(socket), 'podman system service created its socket');
});

after(async () => {
  if (service?.pid !== undefined) {
    const exited = new Promise((resolve) => service!.once('exit', resolve));
    service.kill('SIGTERM');
    await exited;
  }
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('Docker Engine API source (podman system service)', { skip: podmanMissing }, () => {
  it('exports the image, matches skopeo on the loaded archive, and removes its temp copy on close()', async () => {
    const oracle = await skopeoConfig(`docker-archive:${fixture}`);
    const tmpDir = mkdtempSync(path.join(scratch, 'spill-'));
    const source = await openImageSource('busybox:latest', { imageSrc: ['daemon'], dockerHost, tmpDir });
    try {
      assert.equal(source.kind, 'daemon');
      assert.equal(source.name, 'busybox:latest');
      assert.ok(
        source.repoTags?.some((t) => t.endsWith('busybox:latest')),
        String(source.repoTags),
      );
      assert.deepEqual(source.platform, { os: 'linux', architecture: 'arm64' });
      const layers = await source.layers();
      assert.deepEqual(
        layers.map((l) => l.diffId),
        oracle.rootfs!.diff_ids,
      );
      for (const layer of layers) assert.equal(await uncompressedDigest(await layer.open()), layer.diffId);
      assert.equal(readdirSync(tmpDir).length, 1, 'the export is spilled while open');
    } finally {
      await source.close();
    }
    assert.deepEqual(readdirSync(tmpDir), []);
  });

  it('refuses a --platform the daemon image is not for', async () => {
    await assert.rejects(
      openImageSource('busybox:latest', { imageSrc: ['daemon'], dockerHost, platform: 'linux/amd64' }),
      bosunError('notFound', 'linux/arm64'),
    );
  });

  it('an unknown image is notFound naming it', async () => {
    await assert.rejects(
      openImageSource('no-such-image:1', { imageSrc: ['daemon'], dockerHost }),
      bosunError('notFound', 'no-such-image:1'),
    );
  });

  it('an absent socket is a network error naming it', async () => {
    const host = `unix://${path.join(scratch, 'absent.sock')}`;
    await assert.rejects(
      openImageSource('busybox:latest', { imageSrc: ['daemon'], dockerHost: host }),
      bosunError('network', host),
    );
  });

  it('only unix sockets are supported', async () => {
    await assert.rejects(
      openImageSource('busybox:latest', { imageSrc: ['daemon'], dockerHost: 'tcp://127.0.0.1:2375' }),
      bosunError('usage', 'tcp://127.0.0.1:2375'),
    );
  });
});
