import { BosunError } from '../core/errors.js';
import type { ImageConfig, LayerRef } from '../core/image.js';
import { verifyStream } from './digest.js';
import type { ImageFiles } from './image-files.js';

/** A layer as a manifest lists it: where its bytes are and, when known, their digest. */
export interface StoredLayer {
  file: string;
  /** Verified on every open(). */
  digest?: string;
  mediaType?: string;
  size?: number;
}

/** Checks a config's shape enough to rely on rootfs.diff_ids. */
export function parseConfig(value: unknown, label: string, name: string): ImageConfig {
  const config = value as ImageConfig | null;
  const diffIds = config?.rootfs?.diff_ids;
  if (
    typeof config !== 'object' ||
    config === null ||
    !Array.isArray(diffIds) ||
    !diffIds.every((d) => typeof d === 'string')
  ) {
    throw new BosunError('badInput', `${label}: ${name} is not an image config (no rootfs.diff_ids)`, {
      subject: label,
    });
  }
  return config;
}

/**
 * Pairs the stored layers with the config's diff_ids and history. History entries marked
 * empty_layer (ENV, CMD, …) made no layer, so the others map onto the layers in order.
 */
export async function buildLayerRefs(
  files: ImageFiles,
  config: ImageConfig,
  stored: StoredLayer[],
  label: string,
): Promise<LayerRef[]> {
  const diffIds = config.rootfs?.diff_ids ?? [];
  if (diffIds.length !== stored.length) {
    throw new BosunError(
      'badInput',
      `${label}: the manifest lists ${stored.length} layers but the config has ${diffIds.length} diff_ids`,
      { subject: label },
    );
  }
  const createdBy = (config.history ?? []).filter((h) => !h.empty_layer).map((h) => h.created_by);
  return Promise.all(
    stored.map(async (layer, i): Promise<LayerRef> => {
      if (!(await files.has(layer.file))) {
        throw new BosunError('badInput', `${label}: layer ${layer.file} is referenced but missing`, {
          subject: label,
        });
      }
      const size = layer.size ?? (await files.size(layer.file));
      const open = async () => {
        const stream = await files.open(layer.file);
        return layer.digest ? verifyStream(stream, layer.digest, label, `layer blob ${layer.file}`) : stream;
      };
      return {
        diffId: diffIds[i]!,
        ...(layer.digest ? { digest: layer.digest } : {}),
        ...(layer.mediaType ? { mediaType: layer.mediaType } : {}),
        size,
        ...(createdBy[i] ? { createdBy: createdBy[i] } : {}),
        open,
      };
    }),
  );
}
