import { BosunError } from '../../core/errors.js';
import type { Platform } from '../../core/image.js';

/** Media types of manifests bosun understands, in the order of preference sent in `Accept`. */
export const MediaType = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
} as const;

export const MANIFEST_ACCEPT = [
  MediaType.ociIndex,
  MediaType.dockerManifestList,
  MediaType.ociManifest,
  MediaType.dockerManifest,
].join(', ');

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: Platform;
}

export type Manifest =
  | { kind: 'index'; mediaType: string; manifests: Descriptor[] }
  | { kind: 'image'; mediaType: string; config: Descriptor; layers: Descriptor[] };

/**
 * Parses a manifest body. The media type comes from the body when it says one (OCI makes the
 * field optional) and from the response's Content-Type otherwise.
 */
export function parseManifest(body: Buffer, contentType: string | undefined, subject: string): Manifest {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw new BosunError('badInput', `the manifest of ${subject} is not valid JSON`, { subject, cause: err });
  }
  if (typeof json !== 'object' || json === null) {
    throw new BosunError('badInput', `the manifest of ${subject} is not a JSON object`, { subject });
  }
  const doc = json as Record<string, unknown>;
  const declared = typeof doc.mediaType === 'string' ? doc.mediaType : contentType?.split(';')[0]?.trim();
  switch (declared) {
    case MediaType.ociIndex:
    case MediaType.dockerManifestList:
      return {
        kind: 'index',
        mediaType: declared,
        manifests: descriptors(doc.manifests, 'manifests', subject),
      };
    case MediaType.ociManifest:
    case MediaType.dockerManifest: {
      const [config] = descriptors([doc.config], 'config', subject);
      if (config === undefined) throw malformed(subject, 'config');
      if (config.mediaType !== MediaType.ociConfig && config.mediaType !== MediaType.dockerConfig) {
        throw new BosunError(
          'badInput',
          `${subject} is not a container image: its config has media type ${config.mediaType}`,
          { subject },
        );
      }
      return {
        kind: 'image',
        mediaType: declared,
        config,
        layers: descriptors(doc.layers, 'layers', subject),
      };
    }
    default:
      throw new BosunError(
        'badInput',
        `${subject} has an unsupported manifest media type ${declared ?? '(none)'}; bosun reads ` +
          'OCI image manifests and indexes and Docker schema 2 manifests and manifest lists',
        { subject },
      );
  }
}

function malformed(subject: string, field: string): BosunError {
  return new BosunError('badInput', `the manifest of ${subject} has a malformed "${field}" field`, {
    subject,
  });
}

function descriptors(value: unknown, field: string, subject: string): Descriptor[] {
  if (!Array.isArray(value)) throw malformed(subject, field);
  return value.map((item: unknown) => {
    const d = item as Partial<Descriptor> | null;
    if (
      typeof d !== 'object' ||
      d === null ||
      typeof d.mediaType !== 'string' ||
      typeof d.digest !== 'string' ||
      typeof d.size !== 'number'
    ) {
      throw malformed(subject, field);
    }
    const p = d.platform;
    const platform =
      p && typeof p.os === 'string' && typeof p.architecture === 'string'
        ? { os: p.os, architecture: p.architecture, ...(p.variant ? { variant: p.variant } : {}) }
        : undefined;
    return { mediaType: d.mediaType, digest: d.digest, size: d.size, ...(platform ? { platform } : {}) };
  });
}
