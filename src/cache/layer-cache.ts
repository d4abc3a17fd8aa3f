import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Analyzer } from '../analyzer/types.js';
import type { Artifact } from '../applier/index.js';
import type { LayerInfo } from '../core/report.js';
import { VERSION } from '../core/version.js';
import type { LayerAnalysis } from '../layer/types.js';

/** Bump when the shape of a cached LayerAnalysis changes. */
const CACHE_FORMAT = 1;

/**
 * Analysis results per layer, on disk under `<cacheDir>/layers/`, and per image the artifact its
 * layers merge into: a second scan of an image reads that one entry, while an image that shares
 * only some layers reads their entries and walks the rest. Entries are written to a unique temp
 * file and renamed into place, so any number of bosun processes can read and write the cache at
 * once with no lock: a reader sees a whole entry or none, and two writers of the same key write
 * the same content.
 */
export class LayerCache {
  readonly dir: string;

  constructor(cacheDir: string) {
    this.dir = path.join(cacheDir, 'layers');
  }

  /** The key: the layer's content (diffID) and everything that shapes what analyzers find in it. */
  static key(diffId: string, analyzers: readonly Analyzer[], options: Record<string, unknown> = {}): string {
    const hash = createHash('sha256');
    hash.update(JSON.stringify({ format: CACHE_FORMAT, diffId, options }));
    for (const a of [...analyzers].sort((x, y) => (x.name < y.name ? -1 : 1)))
      hash.update(`\0${a.name}@${a.version}`);
    return hash.digest('hex');
  }

  /**
   * The key of an image's merged artifact: its layers' keys, in order, and the layers as the
   * report shows them (a package names the history line of the layer that added it). Merging has
   * no analyzer version of its own, so bosun's version is part of the key: a new release merges
   * again, from the layer entries.
   */
  static artifactKey(layerKeys: readonly string[], layers: readonly LayerInfo[]): string {
    return createHash('sha256')
      .update(JSON.stringify({ format: CACHE_FORMAT, bosun: VERSION, layerKeys, layers }))
      .digest('hex');
  }

  get(key: string): Promise<LayerAnalysis | undefined> {
    return this.read(`${key}.json.gz`);
  }

  put(key: string, analysis: LayerAnalysis): Promise<void> {
    return this.write(`${key}.json.gz`, analysis);
  }

  getArtifact(key: string): Promise<Artifact | undefined> {
    return this.read(`artifact-${key}.json.gz`);
  }

  putArtifact(key: string, artifact: Artifact): Promise<void> {
    return this.write(`artifact-${key}.json.gz`, artifact);
  }

  async clear(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }

  private async read<T>(name: string): Promise<T | undefined> {
    try {
      return JSON.parse(gunzipSync(await readFile(path.join(this.dir, name))).toString('utf8')) as T;
    } catch {
      // Missing, or unreadable (a disk error, a format from another version): analyse again.
      return undefined;
    }
  }

  private async write(name: string, value: unknown): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const tmp = path.join(this.dir, `.${name}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    try {
      await writeFile(tmp, gzipSync(JSON.stringify(value), { level: 1 }));
      await rename(tmp, path.join(this.dir, name));
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }
}
