import { npmPackageJsonAnalyzer } from './package-json.js';
import { npmPackageLockAnalyzer } from './package-lock.js';
import { pnpmLockAnalyzer } from './pnpm-lock.js';
import { yarnLockAnalyzer } from './yarn-lock.js';

export const npmAnalyzers = [
  npmPackageJsonAnalyzer,
  npmPackageLockAnalyzer,
  yarnLockAnalyzer,
  pnpmLockAnalyzer,
];
