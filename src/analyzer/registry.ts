import type { Analyzer } from './types.js';
import { langAnalyzers } from './lang/index.js';
import { osAnalyzer } from './os/index.js';
import { apkAnalyzer } from './pkg/apk/index.js';
import { dpkgAnalyzer } from './pkg/dpkg/index.js';
import { rpmAnalyzer } from './pkg/rpm/index.js';

/**
 * Every analyzer bosun runs, listed explicitly (no side-effect registration). A test checks that
 * every analyzer folder is listed here.
 */
export const analyzers: readonly Analyzer[] = [
  osAnalyzer,
  dpkgAnalyzer,
  apkAnalyzer,
  rpmAnalyzer,
  ...langAnalyzers,
];
