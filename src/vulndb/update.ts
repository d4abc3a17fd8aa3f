import { BosunError } from '../core/errors.js';
import { withDatabaseCopy, type BuildOptions } from './build.js';
import { dbDir } from './paths.js';
import { checkRecord, type CheckedRecord } from './record.js';
import { DEFAULT_REPOSITORY, openRepository, type Repository } from './repository.js';
import type { HttpOptions } from './http.js';
import type { VulnDbWriter } from './store.js';
import { zipJsonEntries } from './zip.js';

export interface UpdateOptions extends BuildOptions {
  /** URL or directory in OSV's bucket layout; default $BOSUN_DB_REPOSITORY, else OSV's bucket. */
  repository?: string;
  /** Ecosystem directories to fetch; default: all the repository lists. */
  ecosystems?: string[];
  http?: HttpOptions;
  /** Called as records are imported (for a progress line). */
  progress?: (ecosystem: string, records: number) => void;
  now?: () => Date;
}

export interface EcosystemUpdate {
  ecosystem: string;
  /** full: all.zip imported; incremental: only changed records fetched; unchanged; absent: not published. */
  mode: 'full' | 'incremental' | 'unchanged' | 'absent';
  imported: number;
  skipped: Skipped[];
}

export interface Skipped {
  where: string;
  reason: string;
}

/**
 * An incremental update fetches one file per changed record; past this many (or past 20% of
 * the ecosystem, when more than MIN_FULL_FRACTION_COUNT changed) the whole all.zip is cheaper.
 */
export const MAX_INCREMENTAL = 5000;
const FULL_FRACTION = 0.2;
const MIN_FULL_FRACTION_COUNT = 50;
const FETCH_CONCURRENCY = 8;

export async function updateDb(options: UpdateOptions): Promise<EcosystemUpdate[]> {
  const location = options.repository ?? process.env.BOSUN_DB_REPOSITORY ?? DEFAULT_REPOSITORY;
  const repo = openRepository(location, options.http);
  const ecosystems = options.ecosystems?.length
    ? checkEcosystemNames(options.ecosystems)
    : await repo.ecosystems();
  const now = options.now ?? (() => new Date());
  return withDatabaseCopy(options, async (writer) => {
    const results: EcosystemUpdate[] = [];
    for (const ecosystem of ecosystems) {
      const known = writer.sourceInfo(ecosystem);
      // Another repository's modified_id.csv says nothing about what we hold: start over.
      const plan =
        known?.lastModified && known.url === repo.location
          ? await changedSince(repo, ecosystem, known.lastModified, known.records)
          : 'full';
      const result =
        plan === 'full'
          ? await importZip(writer, repo, ecosystem, options)
          : await importChanged(writer, repo, ecosystem, plan, options);
      if (result.mode !== 'absent')
        writer.setSource(ecosystem, repo.location, result.lastModified ?? known?.lastModified, now());
      results.push({ ecosystem, mode: result.mode, imported: result.imported, skipped: result.skipped });
    }
    return results;
  });
}

/**
 * The ids modified after `since`, newest first, read from modified_id.csv until the first
 * entry at or before `since` (the csv is sorted newest first), or 'full' when there are so
 * many that all.zip is cheaper. Entries with exactly `since` were in the previous import.
 */
async function changedSince(
  repo: Repository,
  ecosystem: string,
  since: string,
  records: number,
): Promise<ModifiedList | 'full'> {
  const sinceMs = Date.parse(since);
  const limit = Math.min(
    MAX_INCREMENTAL,
    Math.max(MIN_FULL_FRACTION_COUNT, Math.floor(records * FULL_FRACTION)),
  );
  const changed: ModifiedList = [];
  for await (const entry of repo.modifiedIds(ecosystem)) {
    if (Date.parse(entry.modified) <= sinceMs) break;
    changed.push(entry);
    if (changed.length > limit) return 'full';
  }
  return changed;
}

type ModifiedList = { modified: string; id: string }[];

interface Imported {
  mode: EcosystemUpdate['mode'];
  imported: number;
  skipped: Skipped[];
  lastModified?: string;
}

async function importZip(
  writer: VulnDbWriter,
  repo: Repository,
  ecosystem: string,
  options: UpdateOptions,
): Promise<Imported> {
  const zip = await repo.fetchZip(ecosystem, dbDir(options.cacheDir));
  if (!zip) return { mode: 'absent', imported: 0, skipped: [] };
  try {
    writer.begin();
    writer.deleteSource(ecosystem);
    const batch = new Batch(writer, ecosystem);
    for (const entry of zipJsonEntries(zip.file, zip.label)) {
      batch.add(entry.text, `${zip.label}:${entry.name}`, entry.deflated);
      if (batch.imported % 500 === 0) options.progress?.(ecosystem, batch.imported);
    }
    writer.commit();
    return { mode: 'full', ...batch.result() };
  } finally {
    await zip.dispose();
  }
}

async function importChanged(
  writer: VulnDbWriter,
  repo: Repository,
  ecosystem: string,
  changed: ModifiedList,
  options: UpdateOptions,
): Promise<Imported> {
  if (changed.length === 0) return { mode: 'unchanged', imported: 0, skipped: [] };
  const texts = await mapConcurrent(changed, FETCH_CONCURRENCY, (entry) => repo.record(ecosystem, entry.id));
  writer.begin();
  const batch = new Batch(writer, ecosystem);
  texts.forEach((text, i) => batch.add(text, `${repo.location}/${ecosystem}/${changed[i]!.id}.json`));
  writer.commit();
  options.progress?.(ecosystem, batch.imported);
  // The csv's newest timestamp, not the records': a record's own `modified` may lag the listing.
  return { mode: 'incremental', ...batch.result(), lastModified: changed[0]!.modified };
}

/** Checks and writes records, counting the ones that fail the checks instead of aborting. */
export class Batch {
  imported = 0;
  private readonly skipped: Skipped[] = [];
  private newest?: { ms: number; text: string };

  constructor(
    private readonly writer: VulnDbWriter,
    private readonly source: string | ((record: CheckedRecord) => string),
  ) {}

  /** `deflated`: the same text, raw-deflate compressed, when the caller has it already. */
  add(text: string, where: string, deflated?: Buffer): void {
    const record = checkRecord(text);
    if ('error' in record) {
      this.skipped.push({ where, reason: record.error });
      return;
    }
    this.writer.upsert(record, typeof this.source === 'string' ? this.source : this.source(record), deflated);
    this.imported++;
    const ms = Date.parse(record.modified);
    if (!this.newest || ms > this.newest.ms) this.newest = { ms, text: record.modified };
  }

  result(): { imported: number; skipped: Skipped[]; lastModified?: string } {
    return {
      imported: this.imported,
      skipped: this.skipped,
      ...(this.newest ? { lastModified: this.newest.text } : {}),
    };
  }
}

async function mapConcurrent<T, R>(
  items: T[],
  concurrency: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

/** Ecosystem names become path segments of the repository: no separators, no "..". */
function checkEcosystemNames(names: string[]): string[] {
  for (const name of names) {
    if (!name || name.includes('/') || name.includes('..'))
      throw new BosunError('usage', `--ecosystems: invalid ecosystem "${name}"`, { subject: name });
  }
  return names;
}
