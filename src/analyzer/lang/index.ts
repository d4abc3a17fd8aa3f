import type { Analyzer } from '../types.js';
import { goAnalyzers } from './go/index.js';
import { javaAnalyzers } from './java/index.js';
import { npmAnalyzers } from './npm/index.js';
import { pythonAnalyzers } from './python/index.js';

/** Every language package analyzer, one group per ecosystem folder. */
export const langAnalyzers: readonly Analyzer[] = [
  ...npmAnalyzers,
  ...pythonAnalyzers,
  ...goAnalyzers,
  ...javaAnalyzers,
];
