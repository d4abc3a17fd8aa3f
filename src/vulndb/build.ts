import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { BosunError } from '../core/errors.js';
import { acquireUpdateLock } from './lock.js';
import { dbDir, dbPath } from './paths.js';
import { VulnDbWriter } from './store.js';

export interface BuildOptions {
  cacheDir: string;
  /** How long to wait for another update's lock (default: $BOSUN_DB_LOCK_TIMEOUT seconds, else 60 s). */
  lockTimeoutMs?: number;
  log?: (message: string) => void;
}

/**
 * Runs `apply` against a private copy of the database (`bosun.db.tmp-<pid>`), under the update
 * lock, and renames the copy over `bosun.db` only if it succeeds. A failure or a kill leaves the
 * previous file untouched; readers that have it open keep their inode across the rename.
 */
export async function withDatabaseCopy<T>(
  options: BuildOptions,
  apply: (writer: VulnDbWriter) => Promise<T>,
): Promise<T> {
  const dir = dbDir(options.cacheDir);
  const file = dbPath(options.cacheDir);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new BosunError('database', `cannot create ${dir}: ${(err as Error).message}`, {
      subject: dir,
      cause: err,
    });
  }
  const envTimeout = Number(process.env.BOSUN_DB_LOCK_TIMEOUT);
  const lock = await acquireUpdateLock(dir, {
    timeoutMs:
      options.lockTimeoutMs ?? (Number.isFinite(envTimeout) && envTimeout >= 0 ? envTimeout * 1000 : 60_000),
    onWait: (pid) => options.log?.(`waiting for the database update running as pid ${pid}`),
  });
  try {
    // Holding the lock, any leftover copy belongs to an update that died.
    for (const name of readdirSync(dir))
      if (name.startsWith('bosun.db.tmp-')) rmSync(path.join(dir, name), { force: true });
    const tmp = `${file}.tmp-${process.pid}`;
    const writer = openCopy(file, tmp, options.log);
    try {
      const result = await apply(writer);
      writer.finish();
      renameSync(tmp, file);
      return result;
    } catch (err) {
      writer.abandon();
      throw err;
    } finally {
      rmSync(tmp, { force: true });
    }
  } finally {
    lock.release();
  }
}

/** The copy to write into; an unreadable current database is rebuilt from nothing. */
function openCopy(file: string, tmp: string, log?: (message: string) => void): VulnDbWriter {
  if (existsSync(file)) {
    copyFileSync(file, tmp);
    try {
      return new VulnDbWriter(tmp);
    } catch (err) {
      if (err instanceof BosunError) throw err;
      log?.(`the existing database ${file} is unusable (${(err as Error).message}); building a new one`);
      rmSync(tmp, { force: true });
    }
  }
  return new VulnDbWriter(tmp);
}
