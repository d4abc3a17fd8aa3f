import type { Analyzer } from './types.js';

/**
 * Every analyzer bosun runs, listed explicitly (no side-effect registration). A test checks that
 * every analyzer folder is listed here.
 */
export const analyzers: readonly Analyzer[] = [];
