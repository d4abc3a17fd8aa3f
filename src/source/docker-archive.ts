import { BosunError } from '../core/errors.js';
import type { ImageConfig, ImageSource } from '../core/image.js';
import { digestOfArchiveName, verifyBuffer } from './digest.js';
import { parseJson, readJson, type ImageFiles } from './image-files.js';
import { buildLayerRefs, parseConfig } from './layers.js';
import { configPlatform, selectCandidate, type ImageSelector } from './select.js';

/** One entry of a docker-archive's manifest.json. */
interface DockerManifestEntry {
  Config: string;
  RepoTags?: string[] | null;
  Layers: string[];
  LayerSources?: Record<string, { mediaType?: string }>;
}

function parseManifest(value: unknown, label: string): DockerManifestEntry[] {
  const valid =
    Array.isArray(value) &&
    value.length > 0 &&
    value.every(
      (e) =>
        typeof e === 'object' &&
        e !== null &&
        typeof e.Config === 'string' &&
        Array.isArray(e.Layers) &&
        e.Layers.every((l: unknown) => typeof l === 'string'),
    );
  if (!valid) {
    throw new BosunError(
      'badInput',
      `${label}: manifest.json does not list any image (expected [{Config, Layers}])`,
      {
        subject: label,
      },
    );
  }
  return value as DockerManifestEntry[];
}

/**
 * Reads a docker-archive: `docker save` (legacy `<id>/layer.tar` and Docker >= 25's OCI blobs with
 * manifest.json), skopeo, kaniko and podman. Members named by their digest are verified.
 */
export async function openDockerArchive(
  files: ImageFiles,
  selector: ImageSelector,
  kind = 'docker-archive',
): Promise<ImageSource> {
  const label = files.label;
  const entries = parseManifest(await readJson(files, 'manifest.json'), label);
  const withConfigs = await Promise.all(
    entries.map(async (entry) => ({ entry, config: await readConfig(files, entry.Config) })),
  );
  const { entry, config } = selectCandidate(
    withConfigs.map((c) => ({ tags: c.entry.RepoTags ?? [], platform: configPlatform(c.config), value: c })),
    selector,
    label,
  ).value;
  const layers = await buildLayerRefs(
    files,
    config,
    entry.Layers.map((file) => {
      const digest = digestOfArchiveName(file);
      const mediaType = digest ? entry.LayerSources?.[digest]?.mediaType : undefined;
      return { file, ...(digest ? { digest } : {}), ...(mediaType ? { mediaType } : {}) };
    }),
    label,
  );
  const platform = configPlatform(config);
  return {
    name: label,
    kind,
    ...(entry.RepoTags?.length ? { repoTags: entry.RepoTags } : {}),
    ...(platform ? { platform } : {}),
    config: async () => config,
    layers: async () => layers,
    close: () => files.close(),
  };
}

async function readConfig(files: ImageFiles, name: string): Promise<ImageConfig> {
  const buf = await files.read(name);
  const digest = digestOfArchiveName(name);
  if (digest) verifyBuffer(buf, digest, files.label, `config ${name}`);
  return parseConfig(parseJson(buf, files.label, name), files.label, name);
}
