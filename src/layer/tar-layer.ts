import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { Analyzer, FileInfo } from '../analyzer/types.js';
import { BosunError, errorMessage, isBosunError } from '../core/errors.js';
import type { LayerRef } from '../core/image.js';
import { runAnalyzers, wantingAnalyzers, type LayerContext } from './analyze.js';
import { memorySink, spillSink, type CollectingSink } from './content.js';
import { decompress } from './decompress.js';
import { classifyWhiteout, normalizeLayerPath } from './paths.js';
import { TarFormatError, TarReader, type TarHeader } from './tar-reader.js';
import type { LayerAnalysis, WalkOptions } from './types.js';

const DEFAULT_MEMORY_LIMIT = 8 << 20;

interface PendingFile {
  info: FileInfo;
  analyzers: readonly Analyzer[];
  sink: CollectingSink;
}

/** Reads one layer blob in a single streaming pass. */
export async function walkTarLayer(
  layer: LayerRef,
  index: number,
  analyzers: readonly Analyzer[],
  opts: WalkOptions = {},
): Promise<LayerAnalysis> {
  const ctx: LayerContext = {
    layer: { diffId: layer.diffId, index },
    info: { diffId: layer.diffId, digest: layer.digest, createdBy: layer.createdBy },
  };
  const analysis: LayerAnalysis = {
    diffId: layer.diffId,
    index,
    files: [],
    whiteouts: [],
    opaqueDirs: [],
    stats: { fileCount: 0, whiteoutCount: 0, uncompressedSize: 0, compressedSize: 0 },
    errors: [],
  };
  const memoryLimit = opts.memoryLimit ?? DEFAULT_MEMORY_LIMIT;
  const pending: PendingFile[] = [];
  let spillDir: string | undefined;
  let spillCount = 0;

  const onEntry = (header: TarHeader): CollectingSink | undefined => {
    const entryPath = normalizeLayerPath(header.name);
    if (entryPath === undefined) {
      analysis.errors.push({
        path: header.name,
        layer: ctx.info,
        message: 'entry path escapes the image root',
      });
      return undefined;
    }
    if (entryPath === '') return undefined; // the root directory itself
    const whiteout = classifyWhiteout(entryPath);
    if (whiteout) {
      analysis.stats.whiteoutCount++;
      if (whiteout.kind === 'delete') analysis.whiteouts.push(whiteout.path);
      else if (whiteout.kind === 'opaque') analysis.opaqueDirs.push(whiteout.dir);
      return undefined;
    }
    let linkTarget: string | undefined;
    if (header.type === 'hardlink') {
      linkTarget = normalizeLayerPath(header.linkname);
      if (!linkTarget) {
        analysis.errors.push({
          path: entryPath,
          layer: ctx.info,
          message: 'hard link target escapes the image root',
        });
        return undefined;
      }
    } else if (header.type === 'symlink') {
      linkTarget = header.linkname;
    }
    analysis.stats.fileCount++;
    // Only regular files have content to offer; links and directories are counted, not analysed.
    if (header.type !== 'file' || analyzers.length === 0) return undefined;
    const info: FileInfo = {
      path: entryPath,
      type: header.type,
      size: header.size,
      mode: header.mode,
      uid: header.uid,
      gid: header.gid,
      linkTarget,
    };
    const wanting = wantingAnalyzers(analyzers, info, ctx, analysis.errors);
    if (wanting.length === 0) return undefined;
    let sink: CollectingSink;
    if (header.size > memoryLimit) {
      spillDir ??= mkdtempSync(path.join(opts.tmpDir ?? tmpdir(), 'bosun-'));
      sink = spillSink(spillDir, String(spillCount++), header.size);
    } else {
      sink = memorySink();
    }
    pending.push({ info, analyzers: wanting, sink });
    return sink;
  };

  let raw: Readable | undefined;
  const onAbort = () => raw?.destroy(new BosunError('internal', 'layer walk aborted'));
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    opts.signal?.throwIfAborted();
    raw = await layer.open();
    const { chunks } = await decompress(raw, (n) => (analysis.stats.compressedSize! += n));
    const reader = new TarReader(onEntry);
    for await (const chunk of chunks) {
      reader.push(chunk);
      // Files whose last byte arrived in this chunk (the current one stays pending, still open).
      const open = reader.currentSink !== undefined && pending.at(-1)?.sink === reader.currentSink;
      const ready = open ? pending.length - 1 : pending.length;
      if (ready > 0) await analyzePending(pending.splice(0, ready), analysis, ctx);
    }
    reader.end();
    await analyzePending(pending.splice(0), analysis, ctx);
    analysis.stats.uncompressedSize = reader.offset;
    return analysis;
  } catch (err) {
    throw layerError(err, layer);
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    raw?.destroy();
    for (const file of pending) file.sink.release();
    if (spillDir) rmSync(spillDir, { recursive: true, force: true });
  }
}

async function analyzePending(
  files: PendingFile[],
  analysis: LayerAnalysis,
  ctx: LayerContext,
): Promise<void> {
  for (const file of files) {
    try {
      await runAnalyzers(file.analyzers, file.info, file.sink.content(), ctx, analysis);
    } finally {
      file.sink.release();
    }
  }
}

/** Corrupt compression or tar framing is bad input; anything else that is not ours is a bug. */
function layerError(err: unknown, layer: LayerRef): unknown {
  if (isBosunError(err)) return err;
  const name = layer.digest ?? layer.diffId;
  const corrupt = err instanceof TarFormatError || isZlibError(err) || errorMessage(err).startsWith('zstd');
  return new BosunError(corrupt ? 'badInput' : 'internal', `layer ${name}: ${errorMessage(err)}`, {
    subject: name,
    cause: err,
  });
}

function isZlibError(err: unknown): boolean {
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && code.startsWith('Z_');
}
