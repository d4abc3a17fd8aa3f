// The library's public API. Keep it small: entry points and the types they take and return.
export { BosunError, ExitCode } from './core/errors.js';
export type { ImageConfig, ImageSource, LayerRef, Platform } from './core/image.js';
export type { Location, OsInfo, Package } from './core/package.js';
export type * from './core/report.js';
export { VERSION } from './core/version.js';
