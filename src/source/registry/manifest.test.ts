import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MediaType, parseManifest } from './manifest.js';
import { isBosunError } from '../../core/errors.js';

const index = [
  {
    mediaType: MediaType.ociManifest,
    digest: 'sha256:' + 'a'.repeat(64),
    size: 1,
    platform: { os: 'linux', architecture: 'amd64' },
  },
  { mediaType: MediaType.ociManifest, digest: 'sha256:' + 'b'.repeat(64), size: 1 },
];
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
