// Test helpers shared by the walker's and the applier's tests: layers from bytes or files.
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import tar from 'tar-stream';
import type { Analyzer, AnalyzerOutput, FileInfo } from '../analyzer/types.js';
import type { LayerRef } from '../core/image.js';

export interface TestEntry {
  name: string;
  type?: 'file' | 'directory' | 'symlink' | 'link';
  content?: string | Buffer;
  linkname?: string;
}

/** Packs entries into an uncompressed tar with tar-stream (an independent tar writer). */
export async function makeTar(entries: TestEntry[]): Promise<Buffer> {
  const pack = tar.pack();
  for (const e of entries) {
    const content = Buffer.from(e.content ?? '');
    const header = { name: e.name, type: e.type ?? 'file', linkname: e.linkname, size: content.length };
    pack.entry({ ...header, mode: 0o644 }, content);
  }
  pack.finalize();
  const parts: Buffer[] = [];
  for await (const part of pack) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

export function bufferLayer(data: Buffer, diffId = 'sha256:test', digest?: string): LayerRef {
  // Small chunks so that entries straddle chunk boundaries.
  return {
    diffId,
    digest,
    open: async () => Readable.from(chunked(data, 1000), { objectMode: false }),
  };
}

export function fileLayer(file: string, diffId = `file:${file}`): LayerRef {
  return { diffId, open: async () => createReadStream(file) };
}

function* chunked(data: Buffer, size: number): Generator<Buffer> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

/** An analyzer that wants paths matching `pattern` and reports their content as a misconfiguration. */
export function echoAnalyzer(pattern: RegExp, name = 'echo'): Analyzer & { seen: FileInfo[] } {
  const seen: FileInfo[] = [];
  return {
    name,
    version: 1,
    seen,
    required: (p) => pattern.test(p),
    async analyze({ info, content }): Promise<AnalyzerOutput> {
      seen.push(info);
      const text = (await content.buffer()).toString('utf8');
      const streamed = Buffer.concat(await content.stream().toArray()).toString('utf8');
      if (streamed !== text) throw new Error('stream() and buffer() disagree');
      return {
        misconfigurations: [{ id: 'echo', title: text, severity: 'LOW', message: text, path: info.path }],
      };
    },
  };
}
