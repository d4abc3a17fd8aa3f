import { existsSync, statSync } from 'node:fs';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { BosunError } from '../core/errors.js';
import { packageKey } from './names.js';
import { dbPath } from './paths.js';
import type { CheckedRecord } from './record.js';
import { migrate, SCHEMA_VERSION, schemaVersion } from './schema.js';
import { StoredAdvisory } from './stored-advisory.js';
import type { Advisory, AffectedPackage } from './types.js';

export interface SourceStatus {
  ecosystem: string;
  /** Repository URL or path it was last updated from; absent for records imported as loose files. */
  url?: string;
  lastUpdate?: string;
  lastModified?: string;
  records: number;
}

export interface DbStatus {
  path: string;
  schemaVersion: number;
  sizeBytes: number;
  records: number;
  sources: SourceStatus[];
}

// Look-ups read rows as arrays (raw mode): better-sqlite3 builds a keyed object per row
// otherwise, which cost more than the query itself. The converters below read by position.
const ADVISORY_COLUMNS =
  'a.id, a.source, a.modified, a.published, a.withdrawn, a.severity_json, a.aliases_json, a.summary, a.details';
const ADVISORY_WIDTH = 9;
const AFFECTED_COLUMNS = 'f.ecosystem, f.name, f.ranges, f.versions, f.urgency, f.ubuntu_priority';

type Row = (string | null)[];

/** How much of the file is mapped (lazily: only pages read are touched); any rest is read as usual. */
const MMAP_BYTES = 1 << 30;

/**
 * Opens the vulnerability database read-only (the default) for queries. Readers keep the file
 * they opened: an update renames a new file over it, which leaves their inode intact.
 */
export function openVulnDb(options: string | { cacheDir: string; readonly?: boolean }): VulnDb {
  const cacheDir = typeof options === 'string' ? options : options.cacheDir;
  const file = dbPath(cacheDir);
  if (!existsSync(file)) {
    throw new BosunError(
      'database',
      `no vulnerability database at ${file}; run \`bosun db update\` or \`bosun db import\``,
      { subject: file },
    );
  }
  let db: Database.Database;
  try {
    db = new Database(file, {
      readonly: typeof options === 'string' ? true : options.readonly !== false,
      fileMustExist: true,
    });
    const version = schemaVersion(db);
    if (version !== SCHEMA_VERSION) {
      db.close();
      const hint =
        version > SCHEMA_VERSION ? 'written by a newer bosun' : 'from an older bosun; run `bosun db update`';
      throw new BosunError(
        'database',
        `vulnerability database ${file} has schema ${version}, expected ${SCHEMA_VERSION} (${hint})`,
        { subject: file },
      );
    }
  } catch (err) {
    if (err instanceof BosunError) throw err;
    throw new BosunError(
      'database',
      `cannot open vulnerability database ${file}: ${(err as Error).message}`,
      { subject: file, cause: err },
    );
  }
  // Pages are read straight from the mapped file, not copied through read() into SQLite's page
  // cache (look-ups ~5% faster). Safe here: an update never writes this file in place, it
  // renames a new one over it, so the mapping cannot shrink under a reader.
  db.pragma(`mmap_size = ${MMAP_BYTES}`);
  return new VulnDb(db, file);
}

export class VulnDb {
  private readonly exact: Database.Statement;
  private readonly prefixed: Database.Statement;
  private readonly affectedOf: Database.Statement;
  private readonly advisoryById: Database.Statement;
  private readonly idsByAlias: Database.Statement;
  private readonly rawById: Database.Statement;

  constructor(
    private readonly db: Database.Database,
    readonly path: string,
  ) {
    const join = `SELECT ${ADVISORY_COLUMNS}, ${AFFECTED_COLUMNS}
                  FROM affected f JOIN advisories a ON a.id = f.advisory_id`;
    this.exact = db.prepare(`${join} WHERE f.ecosystem = ? AND f.name_key = ? AND a.withdrawn IS NULL`).raw();
    // A range scan on the (ecosystem, name_key) index: "Debian" and every "Debian:<release>".
    this.prefixed = db
      .prepare(
        `${join} WHERE (f.ecosystem = ? OR (f.ecosystem >= ? AND f.ecosystem < ?)) AND f.name_key = ? AND a.withdrawn IS NULL`,
      )
      .raw();
    this.affectedOf = db
      .prepare(`SELECT ${AFFECTED_COLUMNS} FROM affected f WHERE f.advisory_id = ? ORDER BY f.rowid`)
      .raw();
    this.advisoryById = db.prepare(`SELECT ${ADVISORY_COLUMNS} FROM advisories a WHERE a.id = ?`).raw();
    this.idsByAlias = db.prepare(
      'SELECT DISTINCT advisory_id FROM aliases WHERE alias = ? ORDER BY advisory_id',
    );
    this.rawById = db.prepare('SELECT raw FROM records WHERE id = ?');
  }

  /**
   * Advisories (not withdrawn) naming the package, with `affected` narrowed to its entries.
   * `ecosystem` is matched exactly, release included ("Debian:12"); with `{ anyRelease: true }`
   * it is a base name ("Debian") and matches it and every "Debian:<release>" — the fallback for
   * a release OSV does not (yet) publish. Names match by `packageKey` (PEP 503 for PyPI).
   */
  advisoriesFor(ecosystem: string, name: string, options?: { anyRelease?: boolean }): Advisory[] {
    const key = packageKey(ecosystem, name);
    const rows = (
      options?.anyRelease
        ? this.prefixed.all(ecosystem, `${ecosystem}:`, `${ecosystem};`, key)
        : this.exact.all(ecosystem, key)
    ) as Row[];
    const byId = new Map<string, Advisory>();
    for (const row of rows) {
      const id = row[0] as string;
      let advisory = byId.get(id);
      if (!advisory) byId.set(id, (advisory = toAdvisory(row, [])));
      advisory.affected.push(toAffected(row, ADVISORY_WIDTH));
    }
    return [...byId.values()];
  }

  /**
   * The advisory with this id, then every advisory listing it in `aliases`, `upstream` or
   * `related` (so a CVE finds its DSA, DEBIAN-CVE, GHSA, ALPINE-CVE, UBUNTU-CVE records).
   * Withdrawn ones included, marked.
   */
  byId(idOrAlias: string): Advisory[] {
    const ids = [
      idOrAlias,
      ...(this.idsByAlias.all(idOrAlias) as { advisory_id: string }[]).map((r) => r.advisory_id),
    ];
    const result: Advisory[] = [];
    for (const id of new Set(ids)) {
      const row = this.advisoryById.get(id) as Row | undefined;
      if (!row) continue;
      const affected = (this.affectedOf.all(id) as Row[]).map((r) => toAffected(r, 0));
      result.push(toAdvisory(row, affected));
    }
    return result;
  }

  /** The full OSV record as imported. */
  raw(id: string): Record<string, unknown> | undefined {
    const row = this.rawById.get(id) as { raw: Buffer } | undefined;
    return row
      ? (JSON.parse(inflateRawSync(row.raw).toString('utf8')) as Record<string, unknown>)
      : undefined;
  }

  status(): DbStatus {
    const counts = new Map(
      (
        this.db.prepare('SELECT source, COUNT(*) AS n FROM advisories GROUP BY source').all() as {
          source: string;
          n: number;
        }[]
      ).map((r) => [r.source, r.n]),
    );
    const rows = this.db.prepare('SELECT * FROM sources ORDER BY ecosystem').all() as {
      ecosystem: string;
      url: string;
      last_update: string;
      last_modified: string | null;
    }[];
    const known = new Map(rows.map((r) => [r.ecosystem, r]));
    const names = [...new Set([...known.keys(), ...counts.keys()])].sort();
    return {
      path: this.path,
      schemaVersion: schemaVersion(this.db),
      sizeBytes: statSync(this.path).size,
      records: [...counts.values()].reduce((a, b) => a + b, 0),
      // Records imported from loose files have no sources row: listed with their counts only.
      sources: names.map((ecosystem) => {
        const r = known.get(ecosystem);
        return {
          ecosystem,
          ...(r ? { url: r.url, lastUpdate: r.last_update } : {}),
          ...(r?.last_modified ? { lastModified: r.last_modified } : {}),
          records: counts.get(ecosystem) ?? 0,
        };
      }),
    };
  }

  close(): void {
    this.db.close();
  }
}

// Plain assignments, not conditional spreads: this runs for every row of every look-up.
/** An advisory from the ADVISORY_COLUMNS at the start of a row. */
function toAdvisory(row: Row, affected: AffectedPackage[]): Advisory {
  const advisory = new StoredAdvisory(
    row[0] as string,
    row[2] as string,
    row[1] as string,
    row[6] as string,
    row[5] as string,
    affected,
  );
  if (row[3]) advisory.published = row[3];
  if (row[4]) advisory.withdrawn = row[4];
  if (row[7]) advisory.summary = row[7];
  if (row[8]) advisory.details = row[8];
  return advisory;
}

/** An affected entry from the AFFECTED_COLUMNS at `at` in a row. */
function toAffected(row: Row, at: number): AffectedPackage {
  const versions = row[at + 3] as string;
  const affected: AffectedPackage = {
    ecosystem: row[at] as string,
    name: row[at + 1] as string,
    ranges: JSON.parse(row[at + 2] as string) as AffectedPackage['ranges'],
    versions: versions === '[]' ? [] : (JSON.parse(versions) as string[]),
  };
  const urgency = row[at + 4];
  const ubuntuPriority = row[at + 5];
  if (urgency) affected.urgency = urgency;
  if (ubuntuPriority) affected.ubuntuPriority = ubuntuPriority;
  return affected;
}

/**
 * Writes into a database file that no reader uses (the update's private copy): journaling and
 * fsync are off because a failed build is discarded, never repaired.
 */
export class VulnDbWriter {
  private readonly db: Database.Database;
  private readonly statements: Record<
    | 'deleteAliases'
    | 'deleteAffected'
    | 'upsertAdvisory'
    | 'upsertRecord'
    | 'insertAlias'
    | 'insertAffected'
    | 'upsertSource',
    Database.Statement
  >;

  constructor(readonly path: string) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = OFF');
    this.db.pragma('synchronous = OFF');
    this.db.pragma('cache_size = -65536');
    const version = schemaVersion(this.db);
    if (version > SCHEMA_VERSION) {
      this.db.close();
      throw new BosunError(
        'database',
        `${path} has schema ${version}, written by a newer bosun (this one knows ${SCHEMA_VERSION})`,
        { subject: path },
      );
    }
    migrate(this.db);
    this.statements = {
      deleteAliases: this.db.prepare('DELETE FROM aliases WHERE advisory_id = ?'),
      deleteAffected: this.db.prepare('DELETE FROM affected WHERE advisory_id = ?'),
      upsertAdvisory: this.db.prepare(
        `INSERT OR REPLACE INTO advisories (id, source, modified, published, withdrawn, severity, severity_json, aliases_json, summary, details)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      upsertRecord: this.db.prepare('INSERT OR REPLACE INTO records (id, raw) VALUES (?, ?)'),
      insertAlias: this.db.prepare(
        'INSERT OR IGNORE INTO aliases (alias, advisory_id, kind) VALUES (?, ?, ?)',
      ),
      insertAffected: this.db.prepare(
        'INSERT INTO affected (advisory_id, ecosystem, name, name_key, ranges, versions, urgency, ubuntu_priority) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      upsertSource: this.db.prepare(
        'INSERT OR REPLACE INTO sources (ecosystem, url, last_update, last_modified) VALUES (?, ?, ?, ?)',
      ),
    };
  }

  begin(): void {
    this.db.exec('BEGIN');
  }

  commit(): void {
    this.db.exec('COMMIT');
  }

  /** Replaces the advisory (same id) with this record. */
  upsert(record: CheckedRecord, source: string, deflated?: Buffer): void {
    const s = this.statements;
    s.deleteAliases.run(record.id);
    s.deleteAffected.run(record.id);
    s.upsertAdvisory.run(
      record.id,
      source,
      record.modified,
      record.published ?? null,
      record.withdrawn ?? null,
      record.severity.level,
      JSON.stringify(record.severity),
      JSON.stringify({ aliases: record.aliases, upstream: record.upstream, related: record.related }),
      record.summary ?? null,
      record.details ?? null,
    );
    s.upsertRecord.run(record.id, deflated ?? deflateRawSync(record.json));
    for (const alias of record.aliases) s.insertAlias.run(alias, record.id, 'alias');
    for (const id of record.upstream) s.insertAlias.run(id, record.id, 'upstream');
    for (const id of record.related) s.insertAlias.run(id, record.id, 'related');
    for (const a of record.affected) {
      s.insertAffected.run(
        record.id,
        a.ecosystem,
        a.name,
        a.nameKey,
        JSON.stringify(a.ranges),
        JSON.stringify(a.versions),
        a.urgency ?? null,
        a.ubuntuPriority ?? null,
      );
    }
  }

  /** Forgets every advisory imported from this repository directory (before re-importing it whole). */
  deleteSource(source: string): void {
    const ids = `SELECT id FROM advisories WHERE source = ?`;
    this.db.prepare(`DELETE FROM aliases WHERE advisory_id IN (${ids})`).run(source);
    this.db.prepare(`DELETE FROM affected WHERE advisory_id IN (${ids})`).run(source);
    this.db.prepare(`DELETE FROM records WHERE id IN (${ids})`).run(source);
    this.db.prepare('DELETE FROM advisories WHERE source = ?').run(source);
  }

  /** The newest `modified` among this source's records. */
  newestModified(source: string): string | undefined {
    const row = this.db.prepare('SELECT MAX(modified) AS m FROM advisories WHERE source = ?').get(source) as {
      m: string | null;
    };
    return row.m ?? undefined;
  }

  sourceInfo(source: string): { url: string; lastModified?: string; records: number } | undefined {
    const row = this.db.prepare('SELECT url, last_modified FROM sources WHERE ecosystem = ?').get(source) as
      { url: string; last_modified: string | null } | undefined;
    if (!row) return undefined;
    const n = (
      this.db.prepare('SELECT COUNT(*) AS n FROM advisories WHERE source = ?').get(source) as { n: number }
    ).n;
    return { url: row.url, ...(row.last_modified ? { lastModified: row.last_modified } : {}), records: n };
  }

  setSource(source: string, url: string, lastModified: string | undefined, now: Date): void {
    this.statements.upsertSource.run(source, url, now.toISOString(), lastModified ?? null);
  }

  /** Compacts and closes; the file is then ready to be renamed into place. */
  finish(): void {
    this.db.pragma('optimize');
    this.db.close();
  }

  /** Closes without caring about the content (the file is about to be deleted). */
  abandon(): void {
    if (this.db.open) this.db.close();
  }
}
