import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from './lib.js';

/** An image as an OCI layout: bosun reads the layout, the floor reads the blobs directly. */
export interface BenchImage {
  label: string;
  /** `DIR:TAG`, for `--input`. */
  target: string;
  layers: { file: string; mediaType: string; size: number }[];
}

const sharedImages = path.resolve(repoRoot, '../shared/fixtures/images');

/**
 * The Debian fixture image (built and cached by test/fixtures/build-images.sh) when it is built,
 * else the largest shared fixture archive, copied into an OCI layout with skopeo.
 */
export function benchImage(log: (message: string) => void): BenchImage {
  const debian = fixtureLayout('debian', log);
  if (debian) return debian;
  const largest = readdirSync(sharedImages)
    .filter((f) => f.endsWith('.tar'))
    .map((f) => path.join(sharedImages, f))
    .sort((a, b) => statSync(b).size - statSync(a).size)[0]!;
  log(`Debian fixture unavailable; using ${path.basename(largest)}`);
  const dir = mkdtempSync(path.join(tmpdir(), 'bosun-bench-'));
  const transport = readFileSync(largest).includes('oci-layout') ? 'oci-archive' : 'docker-archive';
  execFileSync('skopeo', ['copy', '-q', `${transport}:${largest}`, `oci:${dir}:bench`]);
  return layoutImage(path.basename(largest), dir, 'bench');
}

/** A fixture image already built (newest first); the bench never builds one (that takes minutes). */
export function fixtureLayout(
  kind: 'debian' | 'multi',
  log: (message: string) => void,
): (BenchImage & { dockerArchive: string }) | undefined {
  const cacheRoot = process.env.BOSUN_FIXTURE_CACHE ?? path.join(homedir(), '.cache', 'bosun-fixtures');
  if (!existsSync(cacheRoot)) return undefined;
  const built = readdirSync(cacheRoot)
    .map((name) => path.join(cacheRoot, name, 'manifest.json'))
    .filter((file) => existsSync(file))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  for (const file of built) {
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as {
      images?: Record<string, { ociLayout: string; ociTag: string; name: string; dockerArchive: string }>;
    };
    const image = manifest.images?.[kind];
    if (!image) continue;
    log(`${kind} fixture from ${path.dirname(file)}`);
    const dir = path.dirname(file);
    return {
      ...layoutImage(image.name, path.join(dir, image.ociLayout), image.ociTag),
      dockerArchive: path.join(dir, image.dockerArchive),
    };
  }
  return undefined;
}

function layoutImage(label: string, dir: string, tag: string): BenchImage {
  const blob = (digest: string) => path.join(dir, 'blobs', ...digest.split(':'));
  const index = JSON.parse(readFileSync(path.join(dir, 'index.json'), 'utf8')) as {
    manifests: { digest: string; annotations?: Record<string, string> }[];
  };
  const entry =
    index.manifests.find((m) => m.annotations?.['org.opencontainers.image.ref.name'] === tag) ??
    index.manifests[0]!;
  const manifest = JSON.parse(readFileSync(blob(entry.digest), 'utf8')) as {
    layers: { digest: string; mediaType: string; size: number }[];
  };
  return {
    label,
    target: `${dir}:${tag}`,
    layers: manifest.layers.map((l) => ({ file: blob(l.digest), mediaType: l.mediaType, size: l.size })),
  };
}
