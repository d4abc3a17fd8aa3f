import { BosunError } from '../../core/errors.js';
import type { Platform } from '../../core/image.js';
import type { Descriptor } from './manifest.js';

/** The platform pulled from a manifest list when `--platform` is not given, as Trivy does. */
export const DEFAULT_PLATFORM = 'linux/amd64';

/** Parses `os/arch[/variant]` (the `--platform` flag); a usage error names the flag. */
export function parsePlatform(value: string): Platform {
  const parts = value.split('/');
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => p === '')) {
    throw new BosunError('usage', `--platform "${value}" is not of the form os/arch[/variant]`, {
      subject: '--platform',
    });
  }
  const [os, architecture, variant] = parts as [string, string, string?];
  return normalizePlatform({ os, architecture, ...(variant ? { variant } : {}) });
}

export function formatPlatform(p: Platform): string {
  return [p.os, p.architecture, p.variant].filter(Boolean).join('/');
}

/**
 * Spells a platform the canonical way (containerd's platforms.Normalize), so that `aarch64`,
 * `arm64/v8` and `arm64` are one platform and a bare `arm` means `arm/v7`.
 */
export function normalizePlatform(p: Platform): Platform {
  const os = p.os.toLowerCase() === 'macos' ? 'darwin' : p.os.toLowerCase();
  let architecture = p.architecture.toLowerCase();
  let variant = p.variant?.toLowerCase();
  switch (architecture) {
    case 'x86_64':
    case 'x86-64':
      architecture = 'amd64';
      break;
    case 'i386':
      architecture = '386';
      break;
    case 'aarch64':
      architecture = 'arm64';
      break;
    case 'armhf':
      architecture = 'arm';
      variant = 'v7';
      break;
    case 'armel':
      architecture = 'arm';
      variant = 'v6';
      break;
  }
  if (architecture === 'arm64' && (variant === '8' || variant === 'v8')) variant = undefined;
  if (architecture === 'arm') variant = variant === undefined ? 'v7' : variant.replace(/^(\d)$/, 'v$1');
  return { os, architecture, ...(variant ? { variant } : {}) };
}

function samePlatform(a: Platform, b: Platform): boolean {
  return a.os === b.os && a.architecture === b.architecture && a.variant === b.variant;
}

/**
 * Picks the manifest for `wanted` from a manifest list or OCI index. Entries without a platform
 * or for `unknown/unknown` (BuildKit's attestations) are never chosen.
 */
export function selectPlatform(manifests: Descriptor[], wanted: Platform, subject: string): Descriptor {
  const target = normalizePlatform(wanted);
  const candidates = manifests.filter(
    (m): m is Descriptor & { platform: Platform } => m.platform !== undefined && m.platform.os !== 'unknown',
  );
  const match = candidates.find((m) => samePlatform(normalizePlatform(m.platform), target));
  if (match) return match;
  const available = [...new Set(candidates.map((m) => formatPlatform(m.platform)))].join(', ') || 'none';
  throw new BosunError(
    'notFound',
    `${subject} has no image for platform ${formatPlatform(target)}; available platforms: ${available} ` +
      '(choose one with --platform)',
    { subject },
  );
}
