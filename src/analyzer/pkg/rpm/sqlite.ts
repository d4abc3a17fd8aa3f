import Database from 'better-sqlite3';
import type { BlobScan } from './bdb.js';

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

export function isSqlite(buf: Buffer): boolean {
  return buf.length >= 100 && buf.subarray(0, 16).equals(SQLITE_MAGIC);
}

/**
 * rpmdb.sqlite (rpm >= 4.16): table Packages(hnum, blob). Opened from memory (better-sqlite3
 * deserializes a Buffer), so no temp file. rpm leaves the file in WAL mode, which an in-memory
 * database cannot open; bytes 18-19 (read/write format versions) are set back to the rollback
 * journal's 1 on a copy. What sits in a -wal file beside it is not read: rpm checkpoints on close.
 */
export function readSqliteBlobs(buf: Buffer): BlobScan {
  if (!isSqlite(buf)) throw new Error('not an SQLite database (bad magic)');
  const copy = Buffer.from(buf);
  copy[18] = 1;
  copy[19] = 1;
  const db = new Database(copy, { readonly: true });
  try {
    const rows = db.prepare('SELECT blob FROM Packages ORDER BY hnum').all() as { blob: unknown }[];
    const blobs: Buffer[] = [];
    const problems: string[] = [];
    for (const row of rows) {
      if (Buffer.isBuffer(row.blob)) blobs.push(row.blob);
      else problems.push('a Packages row holds no blob');
    }
    return { blobs, problems };
  } finally {
    db.close();
  }
}
