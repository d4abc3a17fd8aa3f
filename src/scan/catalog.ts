import { qualifyOsPackages } from '../analyzer/pkg/qualify.js';
import { finishSecretScan, secretMasker } from '../analyzer/secret/index.js';
import { analyzers as defaultAnalyzers } from '../analyzer/registry.js';
import type { Analyzer } from '../analyzer/types.js';
import { applyLayers, type Artifact } from '../applier/index.js';
import type { ImageConfig, ImageSource, LayerRef } from '../core/image.js';
import { LayerCache } from '../cache/layer-cache.js';
import { REPORT_SCHEMA_VERSION, type LayerInfo, type Report } from '../core/report.js';
import { walkImage, type LayerAnalysis, type WalkOptions } from '../layer/index.js';
import { imageConfigResults } from '../misconfig/image-config.js';
import { openImageSource, openRootfsSource, type SourceOptions } from '../source/index.js';
import { dropInstalledDuplicates } from './dedupe.js';
import { resultsFromArtifact } from './results.js';

export type TargetKind = 'image' | 'rootfs' | 'fs';

export interface CatalogOptions extends SourceOptions {
  /** For images: TARGET is a path to an archive or OCI layout, not a reference. */
  input?: boolean;
  analyzers?: readonly Analyzer[];
  walk?: WalkOptions;
  /** Reuse and store per-layer results here; directory layers (rootfs, fs) are never cached. */
  layerCache?: LayerCache;
}

export interface Catalog {
  report: Report;
  artifact: Artifact;
  config: ImageConfig;
}

/** Opens the target, reads every layer once, and returns what is in it: packages, secrets, misconfigurations. */
export async function catalogTarget(
  kind: TargetKind,
  target: string,
  options: CatalogOptions = {},
): Promise<Catalog> {
  const source = kind === 'image' ? await openImageSource(target, options) : await openRootfsSource(target);
  try {
    return await catalogSource(source, kind, options);
  } finally {
    await source.close();
  }
}

export async function catalogSource(
  source: ImageSource,
  kind: TargetKind,
  options: CatalogOptions = {},
): Promise<Catalog> {
  const [config, layerRefs] = await Promise.all([source.config(), source.layers()]);
  const analyzers = options.analyzers ?? defaultAnalyzers;
  // A RUN line's build arguments can hold a token: the report shows history lines masked.
  const mask = secretMasker(analyzers);
  const layers: LayerInfo[] = layerRefs.map((l) => ({
    diffId: l.diffId,
    ...(l.digest ? { digest: l.digest } : {}),
    ...(l.createdBy ? { createdBy: mask(l.createdBy) } : {}),
  }));
  const mergedLayers = await mergeLayers(source, layerRefs, layers, analyzers, options);
  // Secrets also hide in the image config (ENV, history); the secret scan's skips become a notice.
  const { artifact, notices } = finishSecretScan(
    mergedLayers,
    kind === 'image' ? config : undefined,
    analyzers,
  );
  const report: Report = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    createdAt: new Date().toISOString(),
    artifact: {
      name: source.name,
      type: kind === 'image' ? 'container_image' : kind === 'rootfs' ? 'rootfs' : 'filesystem',
      ...(source.manifestDigest ? { digest: source.manifestDigest } : {}),
      ...(artifact.os ? { os: artifact.os } : {}),
      ...(kind === 'image' ? { layers } : {}),
    },
    results: [
      ...resultsFromArtifact(artifact, source.name),
      ...(kind === 'image' ? imageConfigResults(config, analyzers) : []),
    ],
    errors: artifact.errors,
    ...(notices.length ? { notices } : {}),
  };
  return { report, artifact, config };
}

/**
 * The image's layers merged into one artifact. OS packages get their release ecosystem (Debian:12)
 * and purl distro once the OS is known; a lockfile's entries that are installed beside it are
 * listed once. With a cache, an image scanned before is one read; otherwise only the layers the
 * cache does not have are walked.
 */
async function mergeLayers(
  source: ImageSource,
  layerRefs: readonly LayerRef[],
  layers: readonly LayerInfo[],
  analyzers: readonly Analyzer[],
  options: CatalogOptions,
): Promise<Artifact> {
  const cache = options.layerCache;
  // Directory layers (rootfs, fs) are never cached: their content has no digest.
  const keys = layerRefs.map((l) =>
    cache && l.directory === undefined ? LayerCache.key(l.diffId, analyzers) : undefined,
  );
  const artifactKey =
    cache && keys.every((k) => k !== undefined)
      ? LayerCache.artifactKey(keys as string[], layers)
      : undefined;
  const cached = artifactKey === undefined ? undefined : await cache?.getArtifact(artifactKey);
  if (cached) return cached;
  const merged = applyLayers(await walkWithCache(source, layerRefs, keys, analyzers, options), layers);
  const packages = dropInstalledDuplicates(qualifyOsPackages(merged.packages, merged.os));
  const artifact: Artifact = { ...merged, packages };
  if (artifactKey !== undefined) await cache?.putArtifact(artifactKey, artifact);
  return artifact;
}

/** Walks only the layers the cache does not have (those without a key are always walked), and stores what it walked. */
async function walkWithCache(
  source: ImageSource,
  layerRefs: readonly LayerRef[],
  keys: readonly (string | undefined)[],
  analyzers: readonly Analyzer[],
  options: CatalogOptions,
): Promise<LayerAnalysis[]> {
  const cache = options.layerCache;
  if (!cache) return walkImage(source, analyzers, options.walk);
  const results = await Promise.all(keys.map((key) => (key ? cache.get(key) : undefined)));
  const missing = layerRefs.flatMap((layer, index) => (results[index] ? [] : [{ layer, index }]));
  if (missing.length) {
    const partial: ImageSource = {
      name: source.name,
      kind: source.kind,
      config: () => source.config(),
      layers: async () => missing.map((m) => m.layer),
      close: async () => {},
    };
    const walked = await walkImage(partial, analyzers, options.walk);
    for (const [i, analysis] of walked.entries()) {
      const { index } = missing[i]!;
      results[index] = { ...analysis, index };
      const key = keys[index];
      if (key) await cache.put(key, results[index]);
    }
  }
  return results.map((r, index) => ({ ...r!, index }));
}
