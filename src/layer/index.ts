import type { Analyzer } from '../analyzer/types.js';
import type { ImageSource, LayerRef } from '../core/image.js';
import { walkDirectoryLayer } from './dir-layer.js';
import { walkTarLayer } from './tar-layer.js';
import type { LayerAnalysis, WalkOptions } from './types.js';

export type { LayerAnalysis, LayerFile, LayerStats, WalkOptions } from './types.js';

/** Reads one layer (a tar blob, or a directory for rootfs sources) and runs the analyzers on it. */
export function walkLayer(
  layer: LayerRef,
  index: number,
  analyzers: readonly Analyzer[],
  opts?: WalkOptions,
): Promise<LayerAnalysis> {
  if (layer.directory !== undefined) {
    return walkDirectoryLayer({ ...layer, directory: layer.directory }, index, analyzers, opts);
  }
  return walkTarLayer(layer, index, analyzers, opts);
}

const DEFAULT_CONCURRENCY = 2;

/**
 * Walks every layer of an image, a few at a time, and returns the results in layer order. On the
 * first failure the other layers are aborted (their temp files removed) before it is thrown.
 */
export async function walkImage(
  source: ImageSource,
  analyzers: readonly Analyzer[],
  opts: WalkOptions = {},
): Promise<LayerAnalysis[]> {
  return walkLayers(await source.layers(), analyzers, opts);
}

/** walkImage for layers already listed. */
export async function walkLayers(
  layers: readonly LayerRef[],
  analyzers: readonly Analyzer[],
  opts: WalkOptions = {},
): Promise<LayerAnalysis[]> {
  const results: LayerAnalysis[] = new Array(layers.length);
  const abort = new AbortController();
  const onOuterAbort = () => abort.abort(opts.signal?.reason);
  opts.signal?.addEventListener('abort', onOuterAbort, { once: true });
  const layerOpts: WalkOptions = { ...opts, signal: abort.signal };
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (next < layers.length && !failure) {
      const index = next++;
      try {
        results[index] = await walkLayer(layers[index]!, index, analyzers, layerOpts);
        opts.onLayer?.(results[index], layers.length);
      } catch (error) {
        failure ??= { error };
        abort.abort();
      }
    }
  };
  const workers = Math.max(1, Math.min(opts.concurrency ?? DEFAULT_CONCURRENCY, layers.length));
  try {
    await Promise.all(Array.from({ length: workers }, worker));
  } finally {
    opts.signal?.removeEventListener('abort', onOuterAbort);
  }
  if (failure) throw failure.error;
  return results;
}
