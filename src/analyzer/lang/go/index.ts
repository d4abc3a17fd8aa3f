import { goBinaryAnalyzer } from './binary.js';
import { goModAnalyzer } from './go-mod.js';

export const goAnalyzers = [goBinaryAnalyzer, goModAnalyzer];
