/** bosun's own version, reported by --version and written into reports and SBOMs. */
export const VERSION = '0.1.0';
