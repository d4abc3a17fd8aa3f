import type { Analyzer } from './types.js';
import { langAnalyzers } from './lang/index.js';

/**
 * Every analyzer bosun runs, listed explicitly (no side-effect registration). A test checks that
 * every analyzer folder is listed here.
 */
export const analyzers: readonly Analyzer[] = [...langAnalyzers];
