import type { Analyzer } from '../types.js';
import { dotnetAnalyzers } from './dotnet/index.js';
import { goAnalyzers } from './go/index.js';
import { javaAnalyzers } from './java/index.js';
import { npmAnalyzers } from './npm/index.js';
import { phpAnalyzers } from './php/index.js';
import { pythonAnalyzers } from './python/index.js';
import { rubyAnalyzers } from './ruby/index.js';
import { rustAnalyzers } from './rust/index.js';

/** Every language package analyzer, one group per ecosystem folder. */
export const langAnalyzers: readonly Analyzer[] = [
  ...npmAnalyzers,
  ...pythonAnalyzers,
  ...goAnalyzers,
  ...javaAnalyzers,
  ...rubyAnalyzers,
  ...rustAnalyzers,
  ...phpAnalyzers,
  ...dotnetAnalyzers,
];
