import { BosunError } from '../core/errors.js';
import type { ImageConfig, ImageSource, Platform } from '../core/image.js';
import { blobPath, verifyBuffer } from './digest.js';
import { parseJson, readJson, type ImageFiles } from './image-files.js';
import { buildLayerRefs, parseConfig } from './layers.js';
import { configPlatform, selectCandidate, type Candidate, type ImageSelector } from './select.js';

interface Descriptor {
  mediaType?: string;
  digest: string;
  size?: number;
  platform?: Platform;
  annotations?: Record<string, string>;
}

interface ImageManifest {
  mediaType?: string;
  config: Descriptor;
  layers: Descriptor[];
}

const indexTypes = new Set([
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
]);
const manifestTypes = new Set([
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
]);
/** Annotations that name an image in a layout: OCI's tag, and containerd's full reference. */
const nameAnnotations = ['org.opencontainers.image.ref.name', 'io.containerd.image.name'];
const MAX_INDEX_DEPTH = 8;

interface Leaf {
  descriptor: Descriptor;
  manifest: ImageManifest;
}

/**
 * Reads an OCI image layout (a directory or a tar of one): follows index.json through nested
 * indexes to the image manifests, selects one by tag and platform, and verifies every blob it reads.
 */
export async function openOciLayout(
  files: ImageFiles,
  selector: ImageSelector,
  kind: string,
): Promise<ImageSource> {
  const label = files.label;
  const index = (await readJson(files, 'index.json')) as { manifests?: unknown } | null;
  if (!Array.isArray(index?.manifests) || index.manifests.length === 0) {
    throw new BosunError('badInput', `${label}: index.json lists no manifests`, { subject: label });
  }
  const found = { candidates: [] as Candidate<Leaf>[], absent: 0 };
  await collect(files, index.manifests, [], 0, found);
  if (found.candidates.length === 0) {
    throw new BosunError(
      'badInput',
      found.absent > 0
        ? `${label}: index.json lists ${found.absent} manifest(s) but none of their blobs is in the layout`
        : `${label}: index.json lists no container image`,
      { subject: label },
    );
  }
  const { value: leaf, tags } = selectCandidate(found.candidates, selector, label);
  const config = await readConfig(files, leaf.manifest.config);
  const layers = await buildLayerRefs(
    files,
    config,
    leaf.manifest.layers.map((l) => ({
      file: blobPath(l.digest, label),
      digest: l.digest,
      ...(l.mediaType ? { mediaType: l.mediaType } : {}),
      ...(typeof l.size === 'number' ? { size: l.size } : {}),
    })),
    label,
  );
  const platform = configPlatform(config) ?? leaf.descriptor.platform;
  return {
    name: label,
    kind,
    manifestDigest: leaf.descriptor.digest,
    ...(tags.length ? { repoTags: tags } : {}),
    ...(platform ? { platform } : {}),
    config: async () => config,
    layers: async () => layers,
    close: () => files.close(),
  };
}

/** Walks descriptors down to image manifests; blobs a partial export left out (other platforms) are counted, not fatal. */
async function collect(
  files: ImageFiles,
  descriptors: unknown[],
  inheritedTags: string[],
  depth: number,
  found: { candidates: Candidate<Leaf>[]; absent: number },
): Promise<void> {
  const label = files.label;
  if (depth > MAX_INDEX_DEPTH) throw new BosunError('badInput', `${label}: image indexes nested too deeply`);
  for (const raw of descriptors) {
    const descriptor = parseDescriptor(raw, label);
    if (descriptor.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest') continue;
    if (!(await files.has(blobPath(descriptor.digest, label)))) {
      found.absent++;
      continue;
    }
    const tags = inheritedTags.length ? inheritedTags : namesOf(descriptor);
    const body = (await readBlob(files, descriptor, 'manifest')) as {
      mediaType?: string;
      manifests?: unknown;
      config?: Descriptor;
      layers?: unknown;
    };
    const mediaType = descriptor.mediaType ?? body?.mediaType;
    if (indexTypes.has(mediaType ?? '') || (!mediaType && Array.isArray(body?.manifests))) {
      if (!Array.isArray(body.manifests)) {
        throw new BosunError('badInput', `${label}: index ${descriptor.digest} has no manifests`, {
          subject: label,
        });
      }
      await collect(files, body.manifests, tags, depth + 1, found);
    } else if (
      manifestTypes.has(mediaType ?? '') ||
      (!mediaType && body?.config && Array.isArray(body.layers))
    ) {
      const manifest = parseManifest(body, descriptor.digest, label);
      // The same manifest may be reachable twice (tagged itself and inside a tagged index): one image.
      const same = found.candidates.find((c) => c.value.descriptor.digest === descriptor.digest);
      if (same) {
        same.tags = [...new Set([...same.tags, ...tags])];
        continue;
      }
      // An unreadable config only disqualifies this image when it is the one selected (read again then).
      const platform =
        descriptor.platform ?? configPlatform(await readConfig(files, manifest.config).catch(() => ({})));
      found.candidates.push({ tags, platform, value: { descriptor, manifest } });
    }
    // Anything else (an artifact, a signature) is not a container image: not a candidate.
  }
}

function parseDescriptor(raw: unknown, label: string): Descriptor {
  const d = raw as Descriptor | null;
  if (typeof d !== 'object' || d === null || typeof d.digest !== 'string') {
    throw new BosunError('badInput', `${label}: a manifest descriptor has no digest`, { subject: label });
  }
  return d;
}

function parseManifest(body: unknown, digest: string, label: string): ImageManifest {
  const m = body as ImageManifest;
  if (!m?.config || !Array.isArray(m.layers)) {
    throw new BosunError('badInput', `${label}: manifest ${digest} has no config or layers`, {
      subject: label,
    });
  }
  parseDescriptor(m.config, label);
  m.layers.forEach((l) => parseDescriptor(l, label));
  return m;
}

function namesOf(d: Descriptor): string[] {
  return nameAnnotations.map((key) => d.annotations?.[key]).filter((n): n is string => Boolean(n));
}

async function readBlob(files: ImageFiles, d: Descriptor, what: string): Promise<unknown> {
  const name = blobPath(d.digest, files.label);
  const buf = verifyBuffer(await files.read(name), d.digest, files.label, `${what} ${name}`);
  return parseJson(buf, files.label, name);
}

async function readConfig(files: ImageFiles, d: Descriptor): Promise<ImageConfig> {
  return parseConfig(await readBlob(files, d, 'config'), files.label, blobPath(d.digest, files.label));
}
