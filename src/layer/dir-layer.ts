import { lstatSync, readdirSync, type Stats } from 'node:fs';
import path from 'node:path';
import type { Analyzer, FileInfo } from '../analyzer/types.js';
import { BosunError, errorMessage } from '../core/errors.js';
import type { LayerRef } from '../core/image.js';
import { runAnalyzers, wantingAnalyzers, type LayerContext } from './analyze.js';
import { diskContent } from './content.js';
import type { LayerAnalysis, WalkOptions } from './types.js';

/**
 * Walks a root filesystem directory as one pseudo-layer. Symbolic links are recorded, never
 * followed, so link loops cannot trap the walk. The tree walk uses synchronous calls: one
 * promise per directory entry would cost more than the lstat itself.
 */
export async function walkDirectoryLayer(
  layer: LayerRef & { directory: string },
  index: number,
  analyzers: readonly Analyzer[],
  opts: WalkOptions = {},
): Promise<LayerAnalysis> {
  const root = layer.directory;
  const ctx: LayerContext = { layer: { diffId: layer.diffId, index }, info: { diffId: layer.diffId } };
  const analysis: LayerAnalysis = {
    diffId: layer.diffId,
    index,
    files: [],
    whiteouts: [],
    opaqueDirs: [],
    stats: { fileCount: 0, whiteoutCount: 0, uncompressedSize: 0 },
    errors: [],
  };
  try {
    if (!lstatSync(root).isDirectory())
      throw new BosunError('badInput', `${root} is not a directory`, { subject: root });
  } catch (err) {
    if (err instanceof BosunError) throw err;
    throw new BosunError('notFound', `cannot read directory ${root}: ${errorMessage(err)}`, {
      subject: root,
      cause: err,
    });
  }

  const dirs = [''];
  while (dirs.length > 0) {
    opts.signal?.throwIfAborted();
    const dir = dirs.pop()!;
    let names: string[];
    try {
      names = readdirSync(path.join(root, dir)).sort();
    } catch (err) {
      analysis.errors.push({ path: dir, layer: ctx.info, message: errorMessage(err) });
      continue;
    }
    for (const name of names) {
      const rel = dir === '' ? name : `${dir}/${name}`;
      const abs = path.join(root, rel);
      let stats: Stats;
      try {
        stats = lstatSync(abs);
      } catch (err) {
        analysis.errors.push({ path: rel, layer: ctx.info, message: errorMessage(err) });
        continue;
      }
      analysis.stats.fileCount++;
      if (stats.isDirectory()) {
        dirs.push(rel);
        continue;
      }
      if (!stats.isFile()) continue;
      analysis.stats.uncompressedSize += stats.size;
      if (analyzers.length === 0) continue;
      const info: FileInfo = {
        path: rel,
        type: 'file',
        size: stats.size,
        mode: stats.mode & 0o7777,
        uid: stats.uid,
        gid: stats.gid,
      };
      const wanting = wantingAnalyzers(analyzers, info, ctx, analysis.errors);
      if (wanting.length > 0) await runAnalyzers(wanting, info, diskContent(abs, stats.size), ctx, analysis);
    }
  }
  return analysis;
}
