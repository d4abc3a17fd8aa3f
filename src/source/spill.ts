import { createWriteStream, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** A temporary copy of a stream that cannot be read at random (a gzipped archive, a daemon export). */
export interface SpilledFile {
  path: string;
  /** Removes the copy; safe to call twice. */
  remove(): Promise<void>;
}

// Removed at exit too, so that a process that ends without close() (process.exit(), an uncaught
// error) leaves nothing behind. A signal's default action skips 'exit'; the CLI's handler must exit.
const live = new Set<string>();
process.once('exit', () => {
  for (const dir of live) rmSync(dir, { recursive: true, force: true });
});

/** The stream was longer than the copy may be. */
export class SpillLimitError extends Error {
  constructor(readonly maxBytes: number) {
    super(`more than ${maxBytes} bytes`);
  }
}

/**
 * Writes `source` (a stream, or a function that opens one) to a new file in a private directory under `tmpDir` (default: the OS temp dir).
 * Only archives that cannot be seek()ed pay this one sequential copy; on any error, and when the
 * stream passes `maxBytes`, the copy is removed.
 */
export async function spillToTempFile(
  source: Readable | (() => Promise<AsyncIterable<Buffer>>),
  tmpDir = tmpdir(),
  maxBytes = Infinity,
): Promise<SpilledFile> {
  const dir = await mkdtemp(path.join(tmpDir, 'bosun-image-'));
  live.add(dir);
  const remove = async () => {
    live.delete(dir);
    await rm(dir, { recursive: true, force: true });
  };
  const file = path.join(dir, 'image.tar');
  try {
    // A factory is called only now, so that a stream already flowing is read from its first byte.
    const input = typeof source === 'function' ? await source() : source;
    let written = 0;
    const limit = async function* (chunks: AsyncIterable<Buffer>) {
      for await (const chunk of chunks) {
        written += chunk.length;
        if (written > maxBytes) throw new SpillLimitError(maxBytes);
        yield chunk;
      }
    };
    await pipeline(input, limit, createWriteStream(file, { mode: 0o600 }));
  } catch (err) {
    await remove();
    throw err;
  }
  return { path: file, remove };
}
