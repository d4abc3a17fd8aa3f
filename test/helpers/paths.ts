import { fileURLToPath } from 'node:url';
import { homedir } from 'node:os';
import path from 'node:path';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Read-only test data shared by the team: real OSV records and small real image archives. */
export const sharedFixtures = path.resolve(repoRoot, '../shared/fixtures');
/** Images built by test/fixtures/build-images.sh, cached between runs by the script's hash. */
export const fixtureCache =
  process.env.BOSUN_FIXTURE_CACHE ?? path.join(homedir(), '.cache', 'bosun-fixtures');
