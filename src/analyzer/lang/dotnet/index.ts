import { dotnetDepsAnalyzer } from './deps-json.js';
import { nugetLockAnalyzer } from './packages-lock.js';

export const dotnetAnalyzers = [dotnetDepsAnalyzer, nugetLockAnalyzer];
