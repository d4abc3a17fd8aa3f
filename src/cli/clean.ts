import { rm } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { LayerCache } from '../cache/layer-cache.js';
import { BosunError } from '../core/errors.js';
import { dbDir, resolveCacheDir } from '../vulndb/index.js';

export function register(program: Command): void {
  program
    .command('clean')
    .description(
      'Remove cached data: layer analysis results (--cache), the vulnerability database (--db), or --all',
    )
    .option('--cache', 'per-layer analysis results')
    .option('--db', 'the vulnerability database')
    .option('--all', 'both')
    .addOption(new Option('--cache-dir <dir>', 'cache directory').env('BOSUN_CACHE_DIR'))
    .action(async (flags: { cache?: boolean; db?: boolean; all?: boolean; cacheDir?: string }) => {
      if (!flags.cache && !flags.db && !flags.all) {
        throw new BosunError('usage', 'say what to remove: --cache, --db or --all', { subject: 'clean' });
      }
      const cacheDir = resolveCacheDir(flags.cacheDir);
      if (flags.cache || flags.all) await new LayerCache(cacheDir).clear();
      if (flags.db || flags.all) await rm(dbDir(cacheDir), { recursive: true, force: true });
    });
}
