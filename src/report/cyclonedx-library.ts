import { lazyRequire } from '../core/lazy.js';

/** The CycloneDX library, loaded when an SBOM format is written (it is slow to load). */
export const cyclonedxLibrary = lazyRequire<typeof import('@cyclonedx/cyclonedx-library')>(
  '@cyclonedx/cyclonedx-library',
);
