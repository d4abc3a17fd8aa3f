// The vulnerability database: OSV records in SQLite under the cache directory.
export { openVulnDb, VulnDb, type DbStatus, type SourceStatus } from './store.js';
export {
  updateDb,
  MAX_INCREMENTAL,
  type UpdateOptions,
  type EcosystemUpdate,
  type Skipped,
} from './update.js';
export { importPath } from './import.js';
export { resolveCacheDir, dbPath, dbDir } from './paths.js';
export { DEFAULT_REPOSITORY, DEFAULT_ECOSYSTEMS } from './repository.js';
export { packageKey, ecosystemBase } from './names.js';
export type { Advisory, AffectedPackage, AffectedRange, RangeEvent } from './types.js';
