import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BosunError } from '../core/errors.js';
import {
  formatPlatform,
  hostPlatform,
  normalizePlatform,
  parsePlatform,
  platformMatches,
} from './platform.js';

describe('parsePlatform', () => {
  it('parses os/arch and os/arch/variant', () => {
    assert.deepEqual(parsePlatform('linux/amd64'), { os: 'linux', architecture: 'amd64' });
    assert.deepEqual(parsePlatform('linux/arm64/v8'), { os: 'linux', architecture: 'arm64', variant: 'v8' });
    assert.deepEqual(parsePlatform(' Linux/ARM/v7 '), { os: 'linux', architecture: 'arm', variant: 'v7' });
  });

  for (const bad of ['', 'linux', 'linux/', '/amd64', 'linux/arm/v7/x', 'linux/am d64', 'linux//v7']) {
    it(`rejects ${JSON.stringify(bad)} as a usage error naming the flag`, () => {
      assert.throws(
        () => parsePlatform(bad),
        (err: unknown) =>
          err instanceof BosunError && err.kind === 'usage' && err.message.includes('--platform'),
      );
    });
  }

  it('round-trips through formatPlatform', () => {
    for (const text of ['linux/amd64', 'linux/arm/v7', 'windows/amd64']) {
      assert.equal(formatPlatform(parsePlatform(text)), text);
    }
  });
});

describe('platformMatches', () => {
  const p = parsePlatform;
  it('treats arm64 as arm64/v8 and arm as arm/v7, as containerd does', () => {
    assert.ok(platformMatches(p('linux/arm64/v8'), p('linux/arm64')));
    assert.ok(platformMatches(p('linux/arm64'), p('linux/arm64/v8')));
    assert.ok(platformMatches(p('linux/arm/v7'), p('linux/arm')));
    assert.ok(!platformMatches(p('linux/arm/v6'), p('linux/arm')));
  });

  it('ignores the variant only when none was asked for', () => {
    assert.ok(platformMatches(p('linux/arm'), p('linux/arm/v6')));
    assert.ok(!platformMatches(p('linux/arm/v7'), p('linux/arm/v6')));
  });

  it('maps uname-style names and bare-number variants', () => {
    assert.deepEqual(normalizePlatform({ os: 'linux', architecture: 'x86_64' }), {
      os: 'linux',
      architecture: 'amd64',
    });
    assert.ok(platformMatches(p('linux/aarch64'), p('linux/arm64')));
    assert.ok(platformMatches(p('linux/arm/7'), p('linux/arm/v7')));
  });

  it('never matches another os or architecture', () => {
    assert.ok(!platformMatches(p('linux/amd64'), p('linux/arm64')));
    assert.ok(!platformMatches(p('linux/amd64'), p('windows/amd64')));
  });

  it('knows the host platform in GOARCH terms', () => {
    const expected: Record<string, string> = { x64: 'amd64', arm64: 'arm64' };
    assert.equal(hostPlatform().architecture, expected[process.arch] ?? hostPlatform().architecture);
    assert.equal(hostPlatform().os, 'linux');
  });
});
