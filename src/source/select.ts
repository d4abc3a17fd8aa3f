import { BosunError } from '../core/errors.js';
import type { Platform } from '../core/image.js';
import { formatPlatform, hostPlatform, platformMatches } from './platform.js';

/** What the user asked for inside an archive or layout that may hold several images. */
export interface ImageSelector {
  /** A tag or name (`latest`, `busybox:latest`), from the `PATH:TAG` syntax. */
  tag?: string;
  platform?: Platform;
}

/** One image an archive or index offers. */
export interface Candidate<T> {
  tags: string[];
  /** Undefined when neither the index nor the config says. */
  platform: Platform | undefined;
  value: T;
}

/** A tag selector matches a name exactly or as its last component(s): `latest`, `busybox:latest`. */
export function tagMatches(selector: string, name: string): boolean {
  return name === selector || name.endsWith(`:${selector}`) || name.endsWith(`/${selector}`);
}

/**
 * Picks one image: by tag, then by platform (default: the host's, when several platforms remain).
 * Errors list what is available so that the user can correct the selector.
 */
export function selectCandidate<T>(
  candidates: Candidate<T>[],
  selector: ImageSelector,
  label: string,
): Candidate<T> {
  const describe = (list: Candidate<T>[]) =>
    list
      .map(
        (c) =>
          `${c.tags.length ? c.tags.join(', ') : '(untagged)'} [${c.platform ? formatPlatform(c.platform) : 'unknown platform'}]`,
      )
      .join('; ');
  if (candidates.length === 0)
    throw new BosunError('badInput', `${label}: holds no image`, { subject: label });
  let remaining = candidates;
  if (selector.tag !== undefined) {
    const tag = selector.tag;
    remaining = remaining.filter((c) => c.tags.some((t) => tagMatches(tag, t)));
    if (remaining.length === 0) {
      throw new BosunError(
        'notFound',
        `${label}: no image tagged "${tag}"; available: ${describe(candidates)}`,
        {
          subject: label,
        },
      );
    }
  }
  if (selector.platform !== undefined) {
    const wanted = selector.platform;
    const matching = remaining.filter((c) => c.platform === undefined || platformMatches(wanted, c.platform));
    if (matching.length === 0) {
      throw new BosunError(
        'notFound',
        `${label}: no image for platform ${formatPlatform(wanted)}; available: ${describe(remaining)}`,
        { subject: label },
      );
    }
    remaining = matching;
  } else if (remaining.length > 1) {
    const host = hostPlatform();
    const onHost = remaining.filter((c) => c.platform !== undefined && platformMatches(host, c.platform));
    if (onHost.length > 0) remaining = onHost;
  }
  if (remaining.length > 1) {
    throw new BosunError(
      'usage',
      `${label} holds several images; choose one with ${label}:TAG or --platform; available: ${describe(remaining)}`,
      { subject: label },
    );
  }
  return remaining[0]!;
}

/** The platform an image config declares, if it declares one. */
export function configPlatform(config: {
  os?: string;
  architecture?: string;
  variant?: string;
}): Platform | undefined {
  if (!config.os || !config.architecture) return undefined;
  return config.variant
    ? { os: config.os, architecture: config.architecture, variant: config.variant }
    : { os: config.os, architecture: config.architecture };
}
