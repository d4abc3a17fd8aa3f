import { closeSync, createReadStream, openSync, unlinkSync, writeSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { FileContent } from '../analyzer/types.js';
import type { ContentSink } from './tar-reader.js';

/**
 * Content already in memory, as the chunks it arrived in. They are joined only when an analyzer
 * asks for the whole buffer; streaming and range reads use them as they are, so an analyzer that
 * looks at an ELF file's headers never copies the file.
 */
export function memoryContent(data: Buffer | readonly Buffer[]): FileContent {
  let chunks = Buffer.isBuffer(data) ? [data] : [...data];
  const size = chunks.reduce((n, c) => n + c.length, 0);
  const joined = (): Buffer => {
    if (chunks.length !== 1) chunks = [Buffer.concat(chunks, size)];
    return chunks[0]!;
  };
  return {
    size,
    buffer: () => Promise.resolve(joined()),
    stream: () => Readable.from(chunks, { objectMode: false }),
    read: (offset, length) => Promise.resolve(chunkRange(chunks, offset, length)),
  };
}

/** Bytes [offset, offset + length) of the chunks' concatenation, clipped; a slice when inside one chunk. */
function chunkRange(chunks: readonly Buffer[], offset: number, length: number): Buffer {
  const parts: Buffer[] = [];
  let start = Math.max(0, offset);
  let left = Math.max(0, length);
  let at = 0;
  for (const chunk of chunks) {
    if (left === 0) break;
    if (start < at + chunk.length) {
      const part = chunk.subarray(start - at, Math.min(chunk.length, start - at + left));
      parts.push(part);
      start += part.length;
      left -= part.length;
    }
    at += chunk.length;
  }
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
}

/** Content read from a file on disk on demand (directory layers, spilled entries). */
export function diskContent(file: string, size: number): FileContent {
  return {
    size,
    buffer: () => readFile(file),
    stream: () => createReadStream(file),
    read: async (offset, length) => {
      const want = Math.max(0, Math.min(length, size - offset));
      const out = Buffer.allocUnsafe(want);
      const handle = await open(file, 'r');
      try {
        let got = 0;
        while (got < want) {
          const { bytesRead } = await handle.read(out, got, want - got, offset + got);
          if (bytesRead === 0) break;
          got += bytesRead;
        }
        return out.subarray(0, got);
      } finally {
        await handle.close();
      }
    },
  };
}

/** A tar entry's content as it arrives; `content()` once the sink has ended. */
export interface CollectingSink extends ContentSink {
  content(): FileContent;
  /** Frees what the content holds (removes the spill file). */
  release(): void;
}

/** Keeps the input chunks: slices, not copies (the decompressor never reuses handed-out bytes). */
export function memorySink(): CollectingSink {
  let chunks: Buffer[] = [];
  return {
    write: (chunk) => void chunks.push(chunk),
    end: () => {},
    content: () => memoryContent(chunks),
    release: () => (chunks = []),
  };
}

/**
 * Writes the content to `dir/<n>`. Writes are synchronous: they go to the page cache, and a
 * promise per chunk would cost more than the write itself.
 */
export function spillSink(dir: string, name: string, size: number): CollectingSink {
  const file = path.join(dir, name);
  let fd: number | undefined = openSync(file, 'w', 0o600);
  const close = () => {
    if (fd !== undefined) closeSync(fd);
    fd = undefined;
  };
  return {
    write: (chunk) => {
      let off = 0;
      while (off < chunk.length) off += writeSync(fd!, chunk, off);
    },
    end: close,
    content: () => diskContent(file, size),
    release: () => {
      close();
      unlinkSync(file);
    },
  };
}
