import { lazyRequire } from '../core/lazy.js';
import type { Severity } from '../core/report.js';

// Only imports score vectors (the store keeps the result): scans need not load the calculator.
const calculator = lazyRequire<typeof import('ae-cvss-calculator')>('ae-cvss-calculator');

export interface CvssScore {
  /** "2.0", "3.0", "3.1" or "4.0". */
  version: string;
  vector: string;
  score: number;
  rating: Severity;
}

/**
 * Base score and qualitative rating of a CVSS vector, or undefined when the vector is not a
 * complete base vector of a known version (the calculator silently scores partial vectors 0).
 */
export function scoreCvss(vector: string): CvssScore | undefined {
  const text = vector.trim();
  // Imports score thousands of records and the same vectors recur; the calculator is not cheap.
  if (memo.has(text)) return memo.get(text);
  const result = computeScore(text);
  if (memo.size > 10_000) memo.clear();
  memo.set(text, result);
  return result;
}

const memo = new Map<string, CvssScore | undefined>();

function computeScore(text: string): CvssScore | undefined {
  try {
    const calc = calculatorFor(text);
    if (!calc || !calc.vector.isBaseFullyDefined()) return undefined;
    const base = calc.vector.calculateScores().base;
    if (base === undefined || Number.isNaN(base)) return undefined;
    return { version: calc.version, vector: text, score: base, rating: ratingOf(calc.version, base) };
  } catch {
    // The calculator throws on unknown metric names or values.
    return undefined;
  }
}

function calculatorFor(vector: string) {
  const { Cvss2, Cvss3P0, Cvss3P1, Cvss4P0 } = calculator();
  if (vector.startsWith('CVSS:4.0/')) return { version: '4.0', vector: new Cvss4P0(vector) };
  if (vector.startsWith('CVSS:3.1/')) return { version: '3.1', vector: new Cvss3P1(vector) };
  if (vector.startsWith('CVSS:3.0/')) return { version: '3.0', vector: new Cvss3P0(vector) };
  // CVSS v2 vectors carry no prefix (NVD writes them bare; some sources add "(...)" or "CVSS:2.0/").
  const bare = vector.replace(/^\(|\)$/g, '').replace(/^CVSS:2\.0\//, '');
  if (/^AV:[LAN]\/AC:[HML]\/Au:[MSN]\//.test(bare)) return { version: '2.0', vector: new Cvss2(bare) };
  return undefined;
}

/**
 * Qualitative rating: CVSS v2 has three bands (NVD: LOW < 4, MEDIUM < 7, HIGH); v3 and v4 add
 * CRITICAL at 9.0. A 0.0 score ("None") maps to LOW, the lowest level we report.
 */
export function ratingOf(version: string, score: number): Severity {
  if (version === '2.0') return score >= 7 ? 'HIGH' : score >= 4 ? 'MEDIUM' : 'LOW';
  if (score >= 9) return 'CRITICAL';
  if (score >= 7) return 'HIGH';
  if (score >= 4) return 'MEDIUM';
  return 'LOW';
}
