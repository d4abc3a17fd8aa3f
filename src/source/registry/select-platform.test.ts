import { test } from 'node:test';
import assert from 'node:assert/strict';
import { selectPlatform } from './select-platform.js';
import { parsePlatform } from '../platform.js';
import { MediaType, type Descriptor } from './manifest.js';
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
  ['linux/arm/v7', 3],
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
