import {
  createReadStream,
  createWriteStream,
  existsSync,
  readdirSync,
  readFileSync,
  statSync,
} from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BosunError } from '../core/errors.js';
import { httpGet, type HttpOptions } from './http.js';

export const DEFAULT_REPOSITORY = 'https://osv-vulnerabilities.storage.googleapis.com';

/**
 * Ecosystems fetched from a URL repository that publishes no `ecosystems.txt` (OSV's bucket
 * does). A missing `<Eco>/all.zip` is skipped, so the list may be generous.
 */
export const DEFAULT_ECOSYSTEMS = [
  'AlmaLinux',
  'Alpine',
  'Bitnami',
  'Chainguard',
  'crates.io',
  'Debian',
  'GHC',
  'Go',
  'Hackage',
  'Hex',
  'Maven',
  'npm',
  'NuGet',
  'openSUSE',
  'Packagist',
  'Pub',
  'PyPI',
  'Red Hat',
  'Rocky Linux',
  'RubyGems',
  'SUSE',
  'SwiftURL',
  'Ubuntu',
  'Wolfi',
];

export interface ModifiedEntry {
  modified: string;
  id: string;
}

/**
 * OSV's bucket layout, over HTTP(S) or in a local directory:
 * `<Eco>/all.zip`, `<Eco>/modified_id.csv` (`<modified>,<id>`, newest first), `<Eco>/<id>.json`.
 */
export interface Repository {
  location: string;
  ecosystems(): Promise<string[]>;
  /** A local path to the ecosystem's all.zip, or undefined when the repository has none. */
  fetchZip(
    ecosystem: string,
    tempDir: string,
  ): Promise<{ file: string; label: string; dispose(): Promise<void> } | undefined>;
  /** The ecosystem's modified_id.csv, newest first; stop iterating to stop reading. */
  modifiedIds(ecosystem: string): AsyncGenerator<ModifiedEntry>;
  record(ecosystem: string, id: string): Promise<string>;
}

export function openRepository(location: string, http: HttpOptions = {}): Repository {
  if (/^https?:\/\//.test(location)) return new HttpRepository(location.replace(/\/+$/, ''), http);
  const dir = path.resolve(location);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new BosunError('usage', `--repository ${location}: not an http(s) URL or an existing directory`, {
      subject: location,
    });
  }
  return new DirectoryRepository(dir);
}

class HttpRepository implements Repository {
  constructor(
    readonly location: string,
    private readonly http: HttpOptions,
  ) {}

  private url(ecosystem: string, file: string): string {
    return `${this.location}/${encodeURIComponent(ecosystem)}/${encodeURIComponent(file)}`;
  }

  async ecosystems(): Promise<string[]> {
    const response = await httpGet(`${this.location}/ecosystems.txt`, this.http);
    if (!response) return DEFAULT_ECOSYSTEMS;
    return (await response.text())
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
  }

  async fetchZip(ecosystem: string, tempDir: string) {
    const url = this.url(ecosystem, 'all.zip');
    const response = await httpGet(url, this.http);
    if (!response?.body) return undefined;
    const file = path.join(
      tempDir,
      `download-${process.pid}-${ecosystem.replace(/[^A-Za-z0-9.-]/g, '_')}.zip`,
    );
    try {
      await pipeline(
        Readable.fromWeb(response.body as import('node:stream/web').ReadableStream),
        createWriteStream(file),
      );
    } catch (err) {
      await rm(file, { force: true });
      throw new BosunError('network', `download of ${url} failed: ${(err as Error).message}`, {
        subject: url,
        cause: err,
      });
    }
    return { file, label: url, dispose: () => rm(file, { force: true }) };
  }

  async *modifiedIds(ecosystem: string): AsyncGenerator<ModifiedEntry> {
    const url = this.url(ecosystem, 'modified_id.csv');
    const response = await httpGet(url, this.http);
    if (!response?.body) throw new BosunError('database', `${url} not found`, { subject: url });
    const stream = Readable.fromWeb(response.body as import('node:stream/web').ReadableStream);
    try {
      yield* parseCsv(stream, url);
    } finally {
      stream.destroy();
    }
  }

  async record(ecosystem: string, id: string): Promise<string> {
    const url = this.url(ecosystem, `${id}.json`);
    const response = await httpGet(url, this.http);
    if (!response)
      throw new BosunError('database', `${url} is listed in modified_id.csv but not found`, { subject: url });
    return response.text();
  }
}

class DirectoryRepository implements Repository {
  constructor(readonly location: string) {}

  async ecosystems(): Promise<string[]> {
    return readdirSync(this.location, { withFileTypes: true })
      .filter((d) => d.isDirectory() && existsSync(path.join(this.location, d.name, 'all.zip')))
      .map((d) => d.name)
      .sort();
  }

  async fetchZip(ecosystem: string) {
    const file = path.join(this.location, ecosystem, 'all.zip');
    return existsSync(file) ? { file, label: file, dispose: async () => {} } : undefined;
  }

  async *modifiedIds(ecosystem: string): AsyncGenerator<ModifiedEntry> {
    const file = path.join(this.location, ecosystem, 'modified_id.csv');
    if (!existsSync(file)) throw new BosunError('database', `${file} not found`, { subject: file });
    const stream = createReadStream(file);
    try {
      yield* parseCsv(stream, file);
    } finally {
      stream.destroy();
    }
  }

  async record(ecosystem: string, id: string): Promise<string> {
    const file = path.join(this.location, ecosystem, `${id}.json`);
    try {
      return readFileSync(file, 'utf8');
    } catch (err) {
      throw new BosunError('database', `${file} is listed in modified_id.csv but cannot be read`, {
        subject: file,
        cause: err,
      });
    }
  }
}

async function* parseCsv(stream: Readable, label: string): AsyncGenerator<ModifiedEntry> {
  for await (const line of createInterface({ input: stream, crlfDelay: Infinity })) {
    if (!line.trim()) continue;
    const comma = line.indexOf(',');
    const modified = line.slice(0, comma);
    const id = line.slice(comma + 1).trim();
    if (comma < 1 || !id || Number.isNaN(Date.parse(modified))) {
      throw new BosunError('database', `${label}: malformed line ${JSON.stringify(line.slice(0, 120))}`, {
        subject: label,
      });
    }
    yield { modified, id };
  }
}
