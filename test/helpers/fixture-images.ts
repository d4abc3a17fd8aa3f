// Real images built from Debian's packages by test/fixtures/build-images.sh, for end-to-end tests.
// The script caches its output by its own hash, so after the first build (minutes) a call costs a
// file check. Paths in the returned object are absolute.
import { spawn } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { fixtureCache, repoRoot } from './paths.js';

export const fixtureScript = path.join(repoRoot, 'test/fixtures/build-images.sh');
/** The first build debootstraps Debian and builds every image: give tests that wait on it this. */
export const fixtureBuildTimeoutMs = 30 * 60_000;
/** Tools the script needs, all from .ci/install's package list. */
export const fixtureTools = ['debootstrap', 'buildah', 'skopeo', 'umoci', 'jq', 'tar', 'openssl', 'npm'];

const debianSchema = z.object({
  name: z.string(),
  dockerArchive: z.string(),
  ociArchive: z.string(),
  ociLayout: z.string(),
  ociTag: z.string(),
  layerCount: z.number(),
  os: z.object({ id: z.string(), versionId: z.string(), codename: z.string() }),
  /** Every installed Debian package of layer 2 (before the purge), name → version. */
  packages: z.record(z.string(), z.string()),
  installed: z.array(z.object({ name: z.string(), version: z.string() })),
  purged: z.object({ layer: z.number(), name: z.string(), version: z.string() }),
  deletedPaths: z.array(z.string()),
  opaque: z.object({
    layer: z.number(),
    dir: z.string(),
    before: z.array(z.string()),
    after: z.array(z.string()),
  }),
  config: z.object({
    user: z.string(),
    env: z.record(z.string(), z.string()),
    exposedPorts: z.array(z.string()),
    labels: z.record(z.string(), z.string()),
    healthcheck: z.array(z.string()),
    cmd: z.array(z.string()),
  }),
});

const secretsSchema = z.object({
  name: z.string(),
  dockerArchive: z.string(),
  layerCount: z.number(),
  /** Each planted secret: where (path, 1-based line, 1-based layer) and its value (a PEM's first line). */
  planted: z.array(
    z.object({
      kind: z.enum(['aws-access-key-id', 'aws-secret-access-key', 'github-pat', 'private-key']),
      path: z.string(),
      line: z.number(),
      layer: z.number(),
      removedInLayer: z.number().optional(),
      value: z.string(),
      sha256: z.string().optional(),
    }),
  ),
  config: z.object({
    user: z.string(),
    env: z.record(z.string(), z.string()),
    exposedPorts: z.array(z.string()),
  }),
});

const multiSchema = z.object({
  name: z.string(),
  dockerArchive: z.string(),
  ociLayout: z.string(),
  ociTag: z.string(),
  layerCount: z.number(),
  /** The Debian packages added in layer 2, each with the files an ecosystem analyzer reads. */
  debs: z.array(z.object({ name: z.string(), version: z.string(), files: z.array(z.string()) })),
  goBinary: z.string(),
  rustBinary: z.string(),
  /** The npm project in layer 3: its direct dependencies and every lockfile entry (path → version). */
  npm: z.object({
    dir: z.string(),
    lockfile: z.string(),
    direct: z.record(z.string(), z.string()),
    packages: z.record(z.string(), z.string()),
  }),
});

const manifestSchema = z.object({
  hash: z.string(),
  images: z.object({ debian: debianSchema, secrets: secretsSchema, multi: multiSchema }),
  buildSeconds: z.record(z.string(), z.number()),
});

export type DebianFixture = z.infer<typeof debianSchema>;
export type SecretsFixture = z.infer<typeof secretsSchema>;
export type MultiFixture = z.infer<typeof multiSchema>;
export type FixtureImages = z.infer<typeof manifestSchema> & {
  /** The cache directory holding manifest.json and the exports. */
  dir: string;
};

/** Why the fixture images cannot be built here, or undefined when they can. */
export function fixtureSkipReason(): string | undefined {
  if (process.getuid?.() !== 0) return 'fixture images need root (debootstrap, buildah chroot isolation)';
  const dirs = (process.env.PATH ?? '').split(path.delimiter).concat('/usr/sbin', '/sbin');
  const missing = fixtureTools.filter((tool) => !dirs.some((dir) => isExecutable(path.join(dir, tool))));
  return missing.length ? `fixture images need ${missing.join(', ')} (installed by .ci/install)` : undefined;
}

/**
 * Options for node:test's describe/test: a long timeout, and a skip with the reason when the tools
 * are missing — except on CI, where .ci/install provides them and a skip would hide a broken install.
 */
export function fixtureTestOptions(): { timeout: number; skip: string | false } {
  const reason = process.env.CI ? undefined : fixtureSkipReason();
  return { timeout: fixtureBuildTimeoutMs, skip: reason ?? false };
}

let pending: Promise<FixtureImages> | undefined;

/** Builds the images once per process (the script itself caches across processes). */
export function fixtureImages(): Promise<FixtureImages> {
  pending ??= runScript().then(loadManifest);
  return pending;
}

/** Reads a cache directory's manifest.json, with every export path made absolute. */
export function loadManifest(dir: string): FixtureImages {
  const manifest = manifestSchema.parse(JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')));
  const images: Partial<Record<'dockerArchive' | 'ociArchive' | 'ociLayout', string>>[] = Object.values(
    manifest.images,
  );
  for (const image of images) {
    for (const key of ['dockerArchive', 'ociArchive', 'ociLayout'] as const) {
      const relative = image[key];
      if (relative !== undefined) image[key] = path.join(dir, relative);
    }
  }
  return { ...manifest, dir };
}

/** Runs the build script and resolves to the cache directory it prints last. */
export function runScript(): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [fixtureScript], {
      env: { ...process.env, BOSUN_FIXTURE_CACHE: fixtureCache },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    // Keep only the end of the build log: it is long, and the cause of a failure is at its end.
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-8000)));
    child.on('error', reject);
    child.on('close', (code) => {
      const dir = stdout.trim().split('\n').at(-1);
      if (code === 0 && dir) resolve(dir);
      else reject(new Error(`${fixtureScript} exited with ${code}:\n${stderr}`));
    });
  });
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
