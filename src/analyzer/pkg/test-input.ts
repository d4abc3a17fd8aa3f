// Test helper for the OS and OS-package analyzers: run one analyzer on bytes as the walker would.
import type { Readable } from 'node:stream';
import { memoryContent } from '../../layer/content.js';
import type { Analyzer, AnalyzerOutput, FileInfo } from '../types.js';

export const TEST_LAYER = { diffId: 'sha256:test-layer', index: 0 };

/** Checks required() like the walker, then analyzes `bytes` as the file at `path`. */
export async function runAnalyzer(
  analyzer: Analyzer,
  path: string,
  bytes: Buffer | string,
): Promise<AnalyzerOutput | undefined> {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes);
  const info: FileInfo = { path, type: 'file', size: buf.length, mode: 0o644 };
  if (!analyzer.required(path, info)) throw new Error(`${analyzer.name} does not want ${path}`);
  const content = memoryContent(buf);
  return analyzer.analyze({ info, content, layer: TEST_LAYER });
}

/**
 * Reads the named files out of the layers of a `docker save` archive (optionally gzipped), as
 * streams: the outer tar, then each layer.tar inside it. Later layers win.
 */
export async function readFromDockerArchive(
  archive: string,
  wanted: readonly string[],
): Promise<Map<string, Buffer>> {
  const { createReadStream } = await import('node:fs');
  const { createGunzip } = await import('node:zlib');
  const tar = await import('tar-stream');
  const found = new Map<string, Buffer>();
  const collect = async (entry: AsyncIterable<unknown>): Promise<Buffer> => {
    const chunks: Buffer[] = [];
    for await (const c of entry) chunks.push(c as Buffer);
    return Buffer.concat(chunks);
  };
  const outer = tar.extract();
  let input: Readable = createReadStream(archive);
  if (archive.endsWith('.gz')) input = input.pipe(createGunzip());
  input.pipe(outer);
  for await (const entry of outer) {
    if (!entry.header.name.endsWith('layer.tar')) {
      entry.resume();
      continue;
    }
    const inner = tar.extract();
    entry.pipe(inner);
    for await (const file of inner) {
      const name = file.header.name.replace(/^\.?\//, '');
      if (wanted.includes(name) && file.header.type === 'file') found.set(name, await collect(file));
      else file.resume();
    }
  }
  return found;
}
