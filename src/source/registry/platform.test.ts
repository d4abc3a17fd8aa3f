import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatPlatform, parsePlatform, selectPlatform } from './platform.js';
import { MediaType, parseManifest, type Descriptor } from './manifest.js';
import { isBosunError } from '../../core/errors.js';

const entry = (platform: Descriptor['platform'], n: number): Descriptor => ({
  mediaType: MediaType.ociManifest,
  digest: `sha256:${String(n).repeat(64)}`,
  size: 100,
  ...(platform ? { platform } : {}),
});

const index = [
  entry({ os: 'linux', architecture: 'amd64' }, 1),
  entry({ os: 'linux', architecture: 'arm', variant: 'v6' }, 2),
  entry({ os: 'linux', architecture: 'arm', variant: 'v7' }, 3),
  entry({ os: 'linux', architecture: 'arm64', variant: 'v8' }, 4),
  entry({ os: 'unknown', architecture: 'unknown' }, 5),
  entry({ os: 'windows', architecture: 'amd64' }, 6),
];

for (const [flag, digit] of [
  ['linux/amd64', 1],
  ['linux/x86_64', 1],
  ['linux/arm/v6', 2],
  ['linux/arm', 3],
  ['linux/arm/7', 3],
  ['linux/armhf', 3],
  ['linux/arm64', 4],
  ['linux/aarch64', 4],
  ['Linux/ARM64/v8', 4],
  ['windows/amd64', 6],
] as const) {
  test(`--platform ${flag} selects entry ${digit}`, () => {
    assert.equal(
      selectPlatform(index, parsePlatform(flag), 'img').digest,
      `sha256:${String(digit).repeat(64)}`,
    );
  });
}

test('no match lists the platforms there are, not attestations', () => {
  assert.throws(
    () => selectPlatform(index, parsePlatform('linux/riscv64'), 'img:1'),
    (e: unknown) =>
      isBosunError(e) &&
      e.kind === 'notFound' &&
      e.message ===
        'img:1 has no image for platform linux/riscv64; available platforms: linux/amd64, linux/arm/v6, ' +
          'linux/arm/v7, linux/arm64/v8, windows/amd64 (choose one with --platform)',
  );
});

for (const bad of ['linux', 'linux/', '/amd64', 'linux/arm/v7/x', '']) {
  test(`--platform "${bad}" is a usage error`, () => {
    assert.throws(
      () => parsePlatform(bad),
      (e: unknown) => isBosunError(e) && e.kind === 'usage' && e.subject === '--platform',
    );
  });
}

test('formatPlatform', () => {
  assert.equal(formatPlatform({ os: 'linux', architecture: 'arm', variant: 'v7' }), 'linux/arm/v7');
  assert.equal(formatPlatform({ os: 'linux', architecture: 'amd64' }), 'linux/amd64');
});

const json = (v: unknown): Buffer => Buffer.from(JSON.stringify(v));
const config = { mediaType: MediaType.ociConfig, digest: 'sha256:' + 'c'.repeat(64), size: 2 };

test('parseManifest takes the media type from the body, else from Content-Type', () => {
  const body = { schemaVersion: 2, config, layers: [] };
  assert.equal(
    parseManifest(json({ ...body, mediaType: MediaType.ociManifest }), undefined, 's').kind,
    'image',
  );
  assert.equal(parseManifest(json(body), `${MediaType.dockerManifest}; charset=utf-8`, 's').kind, 'image');
  const list = parseManifest(json({ schemaVersion: 2, manifests: index }), MediaType.dockerManifestList, 's');
  assert.equal(list.kind === 'index' && list.manifests.length, index.length);
});

for (const [what, body, contentType, message] of [
  ['not JSON', Buffer.from('{'), MediaType.ociManifest, /not valid JSON/],
  [
    'schema 1',
    json({ schemaVersion: 1 }),
    'application/vnd.docker.distribution.manifest.v1+prettyjws',
    /unsupported manifest media type/,
  ],
  ['no media type', json({ schemaVersion: 2 }), undefined, /unsupported manifest media type \(none\)/],
  ['layers missing', json({ schemaVersion: 2, config }), MediaType.ociManifest, /malformed "layers"/],
  [
    'a bad descriptor',
    json({ schemaVersion: 2, config, layers: [{ digest: 1 }] }),
    MediaType.ociManifest,
    /malformed "layers"/,
  ],
  [
    'an artifact, not an image',
    json({
      schemaVersion: 2,
      config: { ...config, mediaType: 'application/vnd.cncf.helm.config.v1+json' },
      layers: [],
    }),
    MediaType.ociManifest,
    /not a container image: its config has media type application\/vnd\.cncf\.helm\.config\.v1\+json/,
  ],
] as const) {
  test(`parseManifest: ${what} is badInput`, () => {
    assert.throws(
      () => parseManifest(body, contentType, 'reg/repo'),
      (e: unknown) => isBosunError(e) && e.kind === 'badInput' && message.test(e.message),
    );
  });
}
