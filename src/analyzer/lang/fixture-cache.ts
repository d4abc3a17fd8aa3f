// Builds real ecosystem fixtures once with the real tools and caches them between test runs.
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fixtureCache } from '../../../test/helpers/paths.js';

/**
 * Returns `${fixtureCache}/<name>`, running `build(dir)` in a fresh temp dir first when it is not
 * cached yet. The rename makes a half-built fixture (a failed or interrupted run) invisible.
 */
export function cachedFixture(name: string, build: (dir: string) => void): string {
  const dir = path.join(fixtureCache, name);
  if (existsSync(path.join(dir, '.complete'))) return dir;
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  build(tmp);
  writeFileSync(path.join(tmp, '.complete'), '');
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  return dir;
}
