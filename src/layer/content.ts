import { closeSync, createReadStream, openSync, unlinkSync, writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { FileContent } from '../analyzer/types.js';
import type { ContentSink } from './tar-reader.js';

/** Content already in memory. */
export function memoryContent(data: Buffer): FileContent {
  return {
    size: data.length,
    buffer: () => Promise.resolve(data),
    stream: () => Readable.from([data], { objectMode: false }),
  };
}

/** Content read from a file on disk on demand (directory layers, spilled entries). */
export function diskContent(file: string, size: number): FileContent {
  return {
    size,
    buffer: () => readFile(file),
    stream: () => createReadStream(file),
  };
}

/** A tar entry's content as it arrives; `content()` once the sink has ended. */
export interface CollectingSink extends ContentSink {
  content(): FileContent;
  /** Frees what the content holds (removes the spill file). */
  release(): void;
}

/** Keeps the input chunks (slices, not copies) and joins them once at the end. */
export function memorySink(size: number): CollectingSink {
  const chunks: Buffer[] = [];
  let data: Buffer | undefined;
  return {
    write: (chunk) => void chunks.push(chunk),
    end: () => {
      data = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
      chunks.length = 0;
    },
    content: () => memoryContent(data ?? Buffer.alloc(0)),
    release: () => (data = undefined),
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
