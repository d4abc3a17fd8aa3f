import { cargoAuditableAnalyzer } from './auditable.js';
import { cargoLockAnalyzer } from './cargo-lock.js';

export const rustAnalyzers = [cargoLockAnalyzer, cargoAuditableAnalyzer];
