import {
  pipfileLockAnalyzer,
  poetryLockAnalyzer,
  requirementsAnalyzer,
  uvLockAnalyzer,
} from './lockfiles.js';
import { pythonMetadataAnalyzer } from './metadata.js';

export const pythonAnalyzers = [
  pythonMetadataAnalyzer,
  poetryLockAnalyzer,
  uvLockAnalyzer,
  pipfileLockAnalyzer,
  requirementsAnalyzer,
];
