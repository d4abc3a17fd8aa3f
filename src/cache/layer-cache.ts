import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Analyzer } from '../analyzer/types.js';
import type { LayerAnalysis } from '../layer/types.js';

/** Bump when the shape of a cached LayerAnalysis changes. */
const CACHE_FORMAT = 1;

/**
 * Analysis results per layer, on disk under `<cacheDir>/layers/`. Entries are written to a
 * unique temp file and renamed into place, so any number of bosun processes can read and write
 * the cache at once with no lock: a reader sees a whole entry or none, and two writers of the same
 * key write the same content.
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

  async get(key: string): Promise<LayerAnalysis | undefined> {
    try {
      return JSON.parse(gunzipSync(await readFile(this.file(key))).toString('utf8')) as LayerAnalysis;
    } catch {
      // Missing, or unreadable (a disk error, a format from another version): analyse again.
      return undefined;
    }
  }

  async put(key: string, analysis: LayerAnalysis): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const tmp = path.join(this.dir, `.${key}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    try {
      await writeFile(tmp, gzipSync(JSON.stringify(analysis), { level: 1 }));
      await rename(tmp, this.file(key));
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }

  async clear(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }

  private file(key: string): string {
    return path.join(this.dir, `${key}.json.gz`);
  }
}
