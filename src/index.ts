// The library's public API. Keep it small: entry points and the types they take and return.
export { BosunError, ExitCode } from './core/errors.js';
export type { ImageConfig, ImageSource, LayerRef, Platform } from './core/image.js';
export type { Location, OsInfo, Package } from './core/package.js';
export type * from './core/report.js';
export { VERSION } from './core/version.js';

/** Version comparison per OSV ecosystem: compareVersions('Debian:12', '1.0-1', '1.0-1+deb12u1') === -1. */
export { compareVersions, getComparator, InvalidVersionError } from './version/index.js';

/** Reading images: archives, OCI layouts, registries, the Docker daemon, root filesystems. */
export { openImageSource, openRootfsSource, type SourceOptions } from './source/index.js';

/** Cataloging and scanning: packages, then vulnerabilities from the OSV database. */
export { catalogTarget, catalogSource, type CatalogOptions, type TargetKind } from './scan/catalog.js';
export { addVulnerabilities } from './scan/vulnerabilities.js';
export { analyzers, analyzersFor, type Scanner } from './analyzer/registry.js';
export { openVulnDb, updateDb, importPath } from './vulndb/index.js';

/** Reports and gates. */
export { reportWriter, reportWriters } from './report/index.js';
export { applyFilters, type FilterOptions } from './gate/filter.js';
export { evaluateGate, readGateFile } from './gate/gate-file.js';
