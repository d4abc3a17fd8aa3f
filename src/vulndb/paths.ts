import { homedir } from 'node:os';
import path from 'node:path';

/**
 * bosun's cache directory: the --cache-dir flag, else $BOSUN_CACHE_DIR, else
 * $XDG_CACHE_HOME/bosun, else ~/.cache/bosun.
 */
export function resolveCacheDir(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (flag) return path.resolve(flag);
  if (env.BOSUN_CACHE_DIR) return path.resolve(env.BOSUN_CACHE_DIR);
  if (env.XDG_CACHE_HOME) return path.join(path.resolve(env.XDG_CACHE_HOME), 'bosun');
  return path.join(homedir(), '.cache', 'bosun');
}

export function dbDir(cacheDir: string): string {
  return path.join(cacheDir, 'db');
}

export function dbPath(cacheDir: string): string {
  return path.join(dbDir(cacheDir), 'bosun.db');
}
