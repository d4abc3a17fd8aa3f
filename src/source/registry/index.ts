import { BosunError } from '../../core/errors.js';
import type { ImageConfig, ImageSource, LayerRef, Platform } from '../../core/image.js';
import { RegistryClient } from './client.js';
import { resolveCredentials } from './credentials.js';
import { createDispatcher, DEFAULT_RETRY, type RetryPolicy } from './http.js';
import { parseManifest, type Descriptor, type Manifest } from './manifest.js';
import { DEFAULT_PLATFORM, selectPlatform } from './select-platform.js';
import { familiarName, manifestReference, parseReference } from './reference.js';
import { verifyBuffer, verifyStream } from '../digest.js';
import { formatPlatform, parsePlatform, platformMatches } from '../platform.js';
import { configPlatform } from '../select.js';

export { parseReference, type ImageReference } from './reference.js';
export type { RetryPolicy } from './http.js';

const CONFIG_LIMIT = 16 * 1024 * 1024;

/** The fields of SourceOptions (src/source/index.ts) a registry pull uses. */
export interface RegistryOptions {
  /** `os/arch[/variant]` to pick from a manifest list; linux/amd64 when absent. */
  platform?: string;
  /** Skip TLS verification, and use plain HTTP when the registry does not speak HTTPS. */
  insecure?: boolean;
  /** A PEM file of CA certificates to trust besides the system's. */
  caFile?: string;
  username?: string;
  password?: string;
  /** A Docker config file or its directory (default $DOCKER_CONFIG, then ~/.docker). */
  dockerConfig?: string;
  /** Retry tuning; tests shorten the delays. */
  retry?: Partial<RetryPolicy>;
  /** Where BOSUN_USERNAME/BOSUN_PASSWORD, DOCKER_CONFIG and HOME are read; process.env by default. */
  env?: NodeJS.ProcessEnv;
}

/**
 * Opens an image in a registry: resolves the reference to one platform's manifest, fetches and
 * verifies the config, and hands out layers that stream (and verify) their blobs on demand.
 */
export async function openRegistrySource(ref: string, opts: RegistryOptions = {}): Promise<ImageSource> {
  const reference = parseReference(ref);
  const wanted = parsePlatform(opts.platform ?? DEFAULT_PLATFORM);
  const credentials = await resolveCredentials(reference.registry, opts, opts.env);
  const client = new RegistryClient(reference, {
    dispatcher: await createDispatcher(opts),
    credentials,
    insecure: opts.insecure ?? false,
    retry: { ...DEFAULT_RETRY, ...opts.retry },
  });
  try {
    const subject = `${reference.registry}/${reference.repository}`;
    const top = await client.fetchManifest(manifestReference(reference));
    let manifestDigest = top.digest;
    let manifest = parseManifest(top.body, top.contentType, subject);
    let listed: Platform | undefined;
    if (manifest.kind === 'index') {
      const chosen = selectPlatform(manifest.manifests, wanted, ref);
      const child = await client.fetchManifest(chosen.digest);
      manifestDigest = child.digest;
      manifest = parseManifest(child.body, child.contentType, subject);
      listed = chosen.platform;
      if (manifest.kind === 'index') {
        throw new BosunError('badInput', `${ref}: the manifest for ${chosen.digest} is itself an index`, {
          subject: ref,
        });
      }
    }
    const config = await fetchConfig(client, manifest.config, subject);
    const layers = layerRefs(client, manifest, config, subject);
    const platform = configPlatform(config) ?? listed;
    // As docker does: an explicit --platform that a single-platform image does not match is an error.
    if (
      opts.platform !== undefined &&
      listed === undefined &&
      platform &&
      !platformMatches(wanted, platform)
    ) {
      throw new BosunError(
        'notFound',
        `${ref} is an image for ${formatPlatform(platform)}, not for the requested platform ${formatPlatform(wanted)}`,
        { subject: ref },
      );
    }
    return {
      name: ref,
      kind: 'registry',
      manifestDigest,
      repoDigests: [`${familiarName(reference)}@${top.digest}`],
      ...(platform ? { platform } : {}),
      config: () => Promise.resolve(config),
      layers: () => Promise.resolve(layers),
      close: () => client.close(),
    };
  } catch (err) {
    await client.close();
    throw err;
  }
}

async function fetchConfig(
  client: RegistryClient,
  descriptor: Descriptor,
  subject: string,
): Promise<ImageConfig> {
  const body = await client.readBlob(descriptor.digest, CONFIG_LIMIT);
  verifyBuffer(body, descriptor.digest, subject, `config ${descriptor.digest}`);
  try {
    return JSON.parse(body.toString('utf8')) as ImageConfig;
  } catch (err) {
    throw new BosunError('badInput', `the config ${descriptor.digest} of ${subject} is not valid JSON`, {
      subject,
      cause: err,
    });
  }
}

function layerRefs(
  client: RegistryClient,
  manifest: Extract<Manifest, { kind: 'image' }>,
  config: ImageConfig,
  subject: string,
): LayerRef[] {
  const diffIds = config.rootfs?.diff_ids ?? [];
  if (diffIds.length !== manifest.layers.length) {
    throw new BosunError(
      'badInput',
      `${subject}: the manifest lists ${manifest.layers.length} layers but the config has ${diffIds.length} diff_ids`,
      { subject },
    );
  }
  // History has an entry per Dockerfile step; only those without empty_layer made a layer.
  const steps = (config.history ?? []).filter((h) => !h.empty_layer);
  const createdBy = steps.length === diffIds.length ? steps.map((h) => h.created_by) : [];
  return manifest.layers.map((layer, i) => ({
    diffId: diffIds[i]!,
    digest: layer.digest,
    mediaType: layer.mediaType,
    size: layer.size,
    ...(createdBy[i] !== undefined ? { createdBy: createdBy[i] } : {}),
    async open() {
      const blob = await client.openBlob(layer.digest);
      return verifyStream(blob, layer.digest, subject, `layer ${layer.digest}`);
    },
  }));
}
