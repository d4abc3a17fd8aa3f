import { javaArchiveAnalyzer } from './archive.js';
import { gradleLockAnalyzer } from './gradle-lock.js';

export const javaAnalyzers = [javaArchiveAnalyzer, gradleLockAnalyzer];
