import { analyzers as defaultAnalyzers } from '../analyzer/registry.js';
import type { Analyzer } from '../analyzer/types.js';
import { applyLayers, type Artifact } from '../applier/index.js';
import type { ImageSource } from '../core/image.js';
import { REPORT_SCHEMA_VERSION, type LayerInfo, type Report } from '../core/report.js';
import { walkImage, type WalkOptions } from '../layer/index.js';
import { openImageSource, openRootfsSource, type SourceOptions } from '../source/index.js';
import { resultsFromArtifact } from './results.js';

export type TargetKind = 'image' | 'rootfs' | 'fs';

export interface CatalogOptions extends SourceOptions {
  /** For images: TARGET is a path to an archive or OCI layout, not a reference. */
  input?: boolean;
  analyzers?: readonly Analyzer[];
  walk?: WalkOptions;
}

export interface Catalog {
  report: Report;
  artifact: Artifact;
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
  const layerRefs = await source.layers();
  const layers: LayerInfo[] = layerRefs.map((l) => ({
    diffId: l.diffId,
    ...(l.digest ? { digest: l.digest } : {}),
    ...(l.createdBy ? { createdBy: l.createdBy } : {}),
  }));
  const analyses = await walkImage(source, options.analyzers ?? defaultAnalyzers, options.walk);
  const artifact = applyLayers(analyses, layers);
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
    results: resultsFromArtifact(artifact, source.name),
    errors: artifact.errors,
  };
  return { report, artifact };
}
