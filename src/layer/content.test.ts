import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { diskContent, memoryContent } from './content.js';

const data = randomBytes(10_000);
/** The same bytes in uneven chunks, as a decompressor hands them over. */
const chunks = [0, 1, 700, 701, 4096, 9000, 9999, 10_000].flatMap((end, i, ends) =>
  i === 0 ? [] : [data.subarray(ends[i - 1], end)],
);
const dir = mkdtempSync(path.join(tmpdir(), 'bosun-content-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const file = path.join(dir, 'data');
writeFileSync(file, data);

const ranges: [number, number][] = [
  [0, 0],
  [0, 1],
  [0, 700],
  [650, 100], // across a chunk boundary
  [700, 1],
  [1, 9998], // across every boundary
  [9990, 100], // past the end: clipped
  [10_000, 5],
  [20_000, 5],
];

for (const [name, content] of [
  ['memory, chunked', () => memoryContent(chunks)],
  ['memory, one buffer', () => memoryContent(data)],
  ['disk', () => diskContent(file, data.length)],
] as const) {
  describe(`${name} content`, () => {
    it('reads any range as the same bytes as the whole file has there', async () => {
      const c = content();
      for (const [offset, length] of ranges)
        assert.deepEqual(
          await c.read!(offset, length),
          data.subarray(offset, offset + length),
          `${offset}+${length}`,
        );
    });
    it('buffers and streams the whole file, before and after range reads', async () => {
      const c = content();
      assert.equal(c.size, data.length);
      const streamed = async () => {
        const parts: Buffer[] = [];
        for await (const part of c.stream()) parts.push(part as Buffer);
        return Buffer.concat(parts);
      };
      assert.deepEqual(await streamed(), data);
      assert.deepEqual(await c.buffer(), data);
      assert.deepEqual(await c.read!(650, 100), data.subarray(650, 750));
      assert.deepEqual(await streamed(), data);
    });
  });
}
