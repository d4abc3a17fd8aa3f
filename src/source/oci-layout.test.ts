/**
 * OCI layouts holding several images: the three real busybox images (amd64, arm64, arm/v7) copied
 * into one layout by skopeo, then wrapped in a nested multi-platform index; selection by tag and
 * platform, partial exports, and blobs that do not match their digests.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sharedFixtures } from '../../test/helpers/paths.js';
import { bosunError, readAll } from './testing/assertions.js';
import { openImageSource, type SourceOptions } from './index.js';
import { skopeoConfig } from './testing/oracle.js';

const images = path.join(sharedFixtures, 'images');
const arches = ['amd64', 'arm64', 'armv7'] as const;
type Arch = (typeof arches)[number];

let scratch: string;
let flat: string;
let nested: string;
/** diff_ids of each busybox, as skopeo reads the original archives. */
const expected = {} as Record<Arch, string[]>;
const manifestDigest = {} as Record<Arch, string>;

function sha256(buf: Buffer): string {
  return `sha256:${createHash('sha256').update(buf).digest('hex')}`;
}

before(async () => {
  scratch = mkdtempSync(path.join(tmpdir(), 'bosun-oci-test-'));
  flat = path.join(scratch, 'flat');
  for (const arch of arches) {
    const archive = path.join(images, `snyk-containerd-busybox-${arch}.tar`);
    execFileSync('skopeo', ['copy', '-q', `docker-archive:${archive}`, `oci:${flat}:${arch}`]);
    expected[arch] = (await skopeoConfig(`docker-archive:${archive}`)).rootfs!.diff_ids;
  }
  // skopeo writes tagged manifests without platforms; the nested index carries them, as registries do.
  const index = JSON.parse(readFileSync(path.join(flat, 'index.json'), 'utf8')) as {
    manifests: { digest: string; annotations: Record<string, string> }[];
  };
  const platforms: Record<Arch, object> = {
    amd64: { os: 'linux', architecture: 'amd64' },
    arm64: { os: 'linux', architecture: 'arm64', variant: 'v8' },
    armv7: { os: 'linux', architecture: 'arm', variant: 'v7' },
  };
  const children = index.manifests.map((m) => {
    const arch = m.annotations['org.opencontainers.image.ref.name'] as Arch;
    manifestDigest[arch] = m.digest;
    const { annotations: _drop, ...descriptor } = m;
    return { ...descriptor, platform: platforms[arch] };
  });
  const multi = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: children,
    }),
  );
  writeFileSync(path.join(flat, 'blobs/sha256', sha256(multi).slice(7)), multi);

  nested = path.join(scratch, 'nested');
  mkdirSync(nested);
  symlinkSync(path.join(flat, 'blobs'), path.join(nested, 'blobs'));
  writeFileSync(path.join(nested, 'oci-layout'), readFileSync(path.join(flat, 'oci-layout')));
  writeFileSync(
    path.join(nested, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [
        {
          mediaType: 'application/vnd.oci.image.index.v1+json',
          digest: sha256(multi),
          size: multi.length,
          annotations: { 'org.opencontainers.image.ref.name': 'busybox:multi' },
        },
      ],
    }),
  );
});
after(() => rmSync(scratch, { recursive: true, force: true }));

async function diffIdsOf(target: string, opts: SourceOptions = {}) {
  const source = await openImageSource(target, { ...opts, input: true });
  try {
    return { diffIds: (await source.layers()).map((l) => l.diffId), source };
  } finally {
    await source.close();
  }
}

describe('OCI layout with one tagged manifest per platform (platforms read from the configs)', () => {
  it('defaults to the host platform, linux/amd64', async () => {
    const { diffIds, source } = await diffIdsOf(flat);
    assert.deepEqual(diffIds, expected.amd64);
    assert.equal(source.kind, 'oci-layout');
    assert.equal(source.manifestDigest, manifestDigest.amd64);
    assert.deepEqual(source.platform, { os: 'linux', architecture: 'amd64' });
  });

  for (const [platform, arch] of [
    ['linux/arm64', 'arm64'],
    ['linux/arm64/v8', 'arm64'],
    ['linux/arm/v7', 'armv7'],
    ['linux/arm', 'armv7'],
    ['linux/amd64', 'amd64'],
  ] as const) {
    it(`--platform ${platform} selects the ${arch} image`, async () => {
      assert.deepEqual((await diffIdsOf(flat, { platform })).diffIds, expected[arch]);
    });
  }

  it('selects by tag with PATH:TAG', async () => {
    const { diffIds, source } = await diffIdsOf(`${flat}:arm64`);
    assert.deepEqual(diffIds, expected.arm64);
    assert.equal(source.name, `${flat}:arm64`);
    assert.deepEqual(source.repoTags, ['arm64']);
  });

  it('lists the available platforms when none matches', async () => {
    await assert.rejects(
      diffIdsOf(flat, { platform: 'linux/s390x' }),
      bosunError('notFound', 'linux/s390x', 'linux/amd64', 'linux/arm64', 'linux/arm/v7'),
    );
  });

  it('refuses a tag whose image is for another platform', async () => {
    await assert.rejects(
      diffIdsOf(`${flat}:armv7`, { platform: 'linux/amd64' }),
      bosunError('notFound', 'linux/arm/v7'),
    );
  });
});

describe('OCI layout whose index.json points to a multi-platform index', () => {
  it('defaults to linux/amd64 and reports the chosen manifest', async () => {
    const { diffIds, source } = await diffIdsOf(nested);
    assert.deepEqual(diffIds, expected.amd64);
    assert.equal(source.manifestDigest, manifestDigest.amd64);
    assert.deepEqual(source.repoTags, ['busybox:multi']);
  });

  it('selects by --platform and by tag together', async () => {
    assert.deepEqual(
      (await diffIdsOf(`${nested}:multi`, { platform: 'linux/arm/v7' })).diffIds,
      expected.armv7,
    );
    assert.deepEqual(
      (await diffIdsOf(`${nested}:busybox:multi`, { platform: 'linux/arm64' })).diffIds,
      expected.arm64,
    );
  });

  it('lists the tags when none matches', async () => {
    await assert.rejects(diffIdsOf(`${nested}:nope`), bosunError('notFound', '"nope"', 'busybox:multi'));
  });

  it('reads the same layout as an OCI archive (a tar of it)', async () => {
    const archive = path.join(scratch, 'nested.tar');
    execFileSync('tar', ['-C', nested, '-chf', archive, '.']);
    const { diffIds, source } = await diffIdsOf(archive, { platform: 'linux/arm64' });
    assert.equal(source.kind, 'oci-archive');
    assert.deepEqual(diffIds, expected.arm64);
  });
});

describe('partial and corrupt layouts', () => {
  /** Extracts a fixture archive with tar(1) into a fresh directory: a layout to tamper with. */
  function layoutFrom(fixture: string): string {
    const dir = mkdtempSync(path.join(scratch, 'layout-'));
    execFileSync('tar', ['-C', dir, '-xf', path.join(images, fixture)]);
    execFileSync('chmod', ['-R', 'u+w', dir]);
    return dir;
  }

  it('chooses the one platform a containerd export holds, and says so for another', async () => {
    // containerd exports the full multi-platform index but only the arm64 blobs.
    const dir = layoutFrom('snyk-containerd-busybox-arm64.tar');
    unlinkSync(path.join(dir, 'manifest.json'));
    const oracle = await skopeoConfig(
      `docker-archive:${path.join(images, 'snyk-containerd-busybox-arm64.tar')}`,
    );
    const { diffIds, source } = await diffIdsOf(dir);
    assert.equal(source.kind, 'oci-layout');
    assert.deepEqual(diffIds, oracle.rootfs!.diff_ids);
    await assert.rejects(diffIdsOf(dir, { platform: 'linux/amd64' }), bosunError('notFound', 'linux/arm64'));
  });

  it('fails the layer stream with badInput naming the blob when its bytes do not match the digest', async () => {
    const dir = layoutFrom('snyk-oci-busybox-1.31.1.tar');
    const source = await openImageSource(dir, { input: true });
    try {
      const [layer] = await source.layers();
      const blob = `blobs/sha256/${layer!.digest!.slice('sha256:'.length)}`;
      const bytes = readFileSync(path.join(dir, blob));
      const at = bytes.length - 100;
      bytes[at] = bytes[at]! ^ 0xff;
      writeFileSync(path.join(dir, blob), bytes);
      await assert.rejects(readAll(await layer!.open()), bosunError('badInput', blob, dir));
    } finally {
      await source.close();
    }
  });

  it('rejects a config that does not match its digest, and a missing layer blob', async () => {
    const dir = layoutFrom('stereoscope-valid-oci.tar');
    const manifest = JSON.parse(
      readFileSync(
        path.join(dir, 'blobs/sha256/c1ed04a3da941a5dd09b58b16c37f065557863d382ef97995ddac885a8452ebb'),
        'utf8',
      ),
    );
    const configFile = path.join(dir, 'blobs/sha256', manifest.config.digest.slice(7));
    const config = readFileSync(configFile);
    writeFileSync(configFile, Buffer.concat([config, Buffer.from(' ')]));
    await assert.rejects(
      openImageSource(dir, { input: true }),
      bosunError('badInput', 'does not match', dir),
    );
    writeFileSync(configFile, config);
    unlinkSync(path.join(dir, 'blobs/sha256', manifest.layers[0].digest.slice(7)));
    await assert.rejects(openImageSource(dir, { input: true }), bosunError('badInput', 'missing', dir));
  });
});
