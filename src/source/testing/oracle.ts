/**
 * Test-only helpers: skopeo as the independent oracle for what an archive holds, and the digest
 * of a layer's uncompressed bytes (which must equal its diffId) computed with zlib / fzstd.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { createGunzip } from 'node:zlib';
import { Decompress } from 'fzstd';
import type { ImageConfig } from '../../core/image.js';

const run = promisify(execFile);

/** `skopeo inspect --config TRANSPORT:PATH` — skopeo's own reading of the image config. */
export async function skopeoConfig(imageRef: string): Promise<ImageConfig> {
  const { stdout } = await run('skopeo', ['inspect', '--config', imageRef], { maxBuffer: 64 << 20 });
  return JSON.parse(stdout) as ImageConfig;
}

/** sha256 of a layer blob after removing gzip or zstd compression, as `sha256:<hex>`. */
export async function uncompressedDigest(stored: Readable): Promise<string> {
  const hash = createHash('sha256');
  const chunks = stored[Symbol.asyncIterator]();
  const first = await chunks.next();
  if (first.done) return `sha256:${hash.digest('hex')}`;
  const head = first.value as Buffer;
  async function* all(): AsyncGenerator<Buffer> {
    yield head;
    for (let c = await chunks.next(); !c.done; c = await chunks.next()) yield c.value as Buffer;
  }
  if (head[0] === 0x1f && head[1] === 0x8b) {
    const gunzip = createGunzip();
    const feeding = (async () => {
      for await (const c of all()) if (!gunzip.write(c)) await new Promise((r) => gunzip.once('drain', r));
      gunzip.end();
    })();
    for await (const c of gunzip) hash.update(c as Buffer);
    await feeding;
  } else if (head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) {
    const zstd = new Decompress((data) => hash.update(data));
    for await (const c of all()) zstd.push(c);
    zstd.push(new Uint8Array(0), true);
  } else {
    for await (const c of all()) hash.update(c);
  }
  return `sha256:${hash.digest('hex')}`;
}
