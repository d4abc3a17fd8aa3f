import { javaArchiveAnalyzer } from './archive.js';

export const javaAnalyzers = [javaArchiveAnalyzer];
