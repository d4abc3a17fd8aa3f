import { BosunError } from '../../core/errors.js';
import type { Platform } from '../../core/image.js';
import { formatPlatform, normalizePlatform, platformMatches } from '../platform.js';
import type { Descriptor } from './manifest.js';

/** The platform pulled from a manifest list when `--platform` is not given, as Trivy does. */
export const DEFAULT_PLATFORM = 'linux/amd64';

/**
 * Picks the manifest for `wanted` from a manifest list or OCI index. An entry with exactly the
 * wanted platform (default variants filled in: `linux/arm` is arm/v7) wins over a looser match,
 * as in containerd. Entries without a platform or for `unknown/unknown` (BuildKit's attestations)
 * are never chosen.
 */
export function selectPlatform(manifests: Descriptor[], wanted: Platform, subject: string): Descriptor {
  const candidates = manifests.filter(
    (m): m is Descriptor & { platform: Platform } => m.platform !== undefined && m.platform.os !== 'unknown',
  );
  const target = formatPlatform(normalizePlatform(wanted));
  const match =
    candidates.find((m) => formatPlatform(normalizePlatform(m.platform)) === target) ??
    candidates.find((m) => platformMatches(wanted, m.platform));
  if (match) return match;
  const available = [...new Set(candidates.map((m) => formatPlatform(m.platform)))].join(', ') || 'none';
  throw new BosunError(
    'notFound',
    `${subject} has no image for platform ${formatPlatform(wanted)}; available platforms: ${available} ` +
      '(choose one with --platform)',
    { subject },
  );
}
