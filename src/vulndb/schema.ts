import type Database from 'better-sqlite3';

/**
 * Schema migrations, applied in order; `PRAGMA user_version` holds how many have run. Append,
 * never edit a published one. An update copies the current DB and migrates the copy.
 */
const MIGRATIONS: string[] = [
  `CREATE TABLE advisories (
     id TEXT PRIMARY KEY,
     source TEXT NOT NULL,            -- repository ecosystem directory it came from
     modified TEXT NOT NULL,
     published TEXT,
     withdrawn TEXT,
     severity TEXT NOT NULL,          -- CRITICAL|HIGH|MEDIUM|LOW|UNKNOWN
     severity_json TEXT NOT NULL,     -- NormalisedSeverity: level, source, every score
     aliases_json TEXT NOT NULL,      -- {"aliases": [...], "upstream": [...], "related": [...]}
     summary TEXT,
     details TEXT                     -- last: long, and read after the short columns
   );
   -- The full records apart, so that look-ups never page through them.
   CREATE TABLE records (
     id TEXT PRIMARY KEY,
     raw BLOB NOT NULL                -- the record, raw-deflate-compressed JSON
   );
   CREATE INDEX advisories_source ON advisories (source);
   CREATE TABLE aliases (
     alias TEXT NOT NULL,
     advisory_id TEXT NOT NULL,
     kind TEXT NOT NULL,              -- alias | upstream | related
     PRIMARY KEY (alias, advisory_id, kind)
   ) WITHOUT ROWID;
   CREATE INDEX aliases_advisory ON aliases (advisory_id);
   CREATE TABLE affected (
     advisory_id TEXT NOT NULL,
     ecosystem TEXT NOT NULL,         -- as in the record, release included: Debian:12
     name TEXT NOT NULL,
     name_key TEXT NOT NULL,          -- packageKey(ecosystem, name)
     ranges TEXT NOT NULL,            -- AffectedRange[] JSON
     versions TEXT NOT NULL,          -- string[] JSON
     urgency TEXT,                    -- Debian ecosystem_specific.urgency
     ubuntu_priority TEXT
   );
   CREATE INDEX affected_package ON affected (ecosystem, name_key);
   CREATE INDEX affected_advisory ON affected (advisory_id);
   CREATE TABLE sources (
     ecosystem TEXT PRIMARY KEY,      -- repository directory: Debian, PyPI, …
     url TEXT NOT NULL,               -- repository it was last fetched from
     last_update TEXT NOT NULL,       -- when it was last brought up to date (ISO 8601)
     last_modified TEXT               -- newest record "modified" seen: where the next incremental update starts
   ) WITHOUT ROWID;`,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Brings a writable database to SCHEMA_VERSION. */
export function migrate(db: Database.Database): void {
  for (let v = schemaVersion(db); v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
