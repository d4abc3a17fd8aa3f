import { BosunError } from '../core/errors.js';
import type { Platform } from '../core/image.js';

// Names that tools and uname use for the same architecture as OCI's GOARCH-style names.
const archAliases: Record<string, string> = {
  x86_64: 'amd64',
  'x86-64': 'amd64',
  aarch64: 'arm64',
  i386: '386',
  i686: '386',
};

/** Parses `os/arch[/variant]` (as given to `--platform`), e.g. `linux/arm64/v8`, `linux/arm/v7`. */
export function parsePlatform(text: string, flag = '--platform'): Platform {
  const parts = text.trim().toLowerCase().split('/');
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => !/^[a-z0-9_.-]+$/.test(p))) {
    throw new BosunError(
      'usage',
      `${flag}: "${text}" is not a platform; expected os/arch[/variant], e.g. linux/arm64`,
      {
        subject: flag,
      },
    );
  }
  const [os, architecture, variant] = parts as [string, string, string | undefined];
  return variant === undefined ? { os, architecture } : { os, architecture, variant };
}

export function formatPlatform(p: Platform): string {
  return [p.os, p.architecture, p.variant].filter(Boolean).join('/');
}

/**
 * The canonical form used for comparison: GOARCH names, and the default variants made explicit the
 * way containerd does (arm64 means v8, arm means v7), so that `linux/arm64` equals `linux/arm64/v8`.
 */
export function normalizePlatform(p: Platform): Platform {
  const architecture = archAliases[p.architecture] ?? p.architecture;
  // Some tools write the variant as a bare number: `arm/7`.
  let variant = p.variant ? p.variant.replace(/^(\d+)$/, 'v$1') : undefined;
  if (architecture === 'arm64' && variant === undefined) variant = 'v8';
  if (architecture === 'arm' && variant === undefined) variant = 'v7';
  return variant === undefined ? { os: p.os, architecture } : { os: p.os, architecture, variant };
}

/** Whether an image for `candidate` satisfies a request for `wanted`; a variant is only compared when asked for. */
export function platformMatches(wanted: Platform, candidate: Platform): boolean {
  const w = normalizePlatform(wanted);
  const c = normalizePlatform(candidate);
  if (w.os !== c.os || w.architecture !== c.architecture) return false;
  return wanted.variant === undefined || w.variant === c.variant;
}

/** The platform of the machine bosun runs on, the default choice in a multi-platform index. */
export function hostPlatform(): Platform {
  const archByNode: Record<string, string> = { x64: 'amd64', ia32: '386', arm64: 'arm64', arm: 'arm' };
  return { os: 'linux', architecture: archByNode[process.arch] ?? process.arch };
}
