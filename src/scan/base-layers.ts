import type { ImageConfig } from '../core/image.js';

const CMD_OR_ENTRYPOINT = /(^|\s|#\(nop\)\s*)(CMD|ENTRYPOINT)\b/;

/**
 * The diffIds of the layers that came from the base image. A Dockerfile build leaves the base
 * image's history first, ending with its own CMD or ENTRYPOINT (an empty layer); the image's own
 * steps follow. So the base is every layer before the last CMD/ENTRYPOINT entry that is followed
 * by at least one more layer. An image with no such marker has no known base.
 */
export function baseLayerDiffIds(config: ImageConfig): Set<string> {
  const history = config.history ?? [];
  let layersSeen = 0;
  let baseCount = 0;
  history.forEach((entry, i) => {
    if (!entry.empty_layer) {
      layersSeen++;
      return;
    }
    if (!CMD_OR_ENTRYPOINT.test(entry.created_by ?? '')) return;
    if (history.slice(i + 1).some((later) => !later.empty_layer)) baseCount = layersSeen;
  });
  return new Set((config.rootfs?.diff_ids ?? []).slice(0, baseCount));
}
