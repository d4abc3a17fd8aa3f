import type { Severity } from '../core/report.js';
import { scoreCvss } from './cvss.js';

export { scoreCvss, ratingOf, type CvssScore } from './cvss.js';

/** One severity statement found in a record, with where it came from. */
export interface SeverityScore {
  /** "cvss", "ghsa" (database_specific.severity), "debian" (urgency), "ubuntu" (priority). */
  source: 'cvss' | 'ghsa' | 'debian' | 'ubuntu';
  level: Severity;
  /** The text as written: a CVSS vector, "MODERATE", "low**", "medium". */
  raw: string;
  /** CVSS only. */
  version?: string;
  score?: number;
}

export interface NormalisedSeverity {
  level: Severity;
  /** The source the level was taken from; undefined when the record states none. */
  source?: SeverityScore['source'];
  scores: SeverityScore[];
}

const ORDER: Severity[] = ['UNKNOWN', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];

/** The higher of two levels (UNKNOWN lowest). */
export function maxSeverity(a: Severity, b: Severity): Severity {
  return ORDER.indexOf(a) >= ORDER.indexOf(b) ? a : b;
}

const GHSA: Record<string, Severity> = {
  LOW: 'LOW',
  MODERATE: 'MEDIUM',
  MEDIUM: 'MEDIUM',
  HIGH: 'HIGH',
  CRITICAL: 'CRITICAL',
};

/** Debian security-tracker urgency; "**"/"*" suffixes mark guesses and are ignored. */
const DEBIAN: Record<string, Severity> = { unimportant: 'LOW', low: 'LOW', medium: 'MEDIUM', high: 'HIGH' };

const UBUNTU: Record<string, Severity> = {
  negligible: 'LOW',
  low: 'LOW',
  medium: 'MEDIUM',
  high: 'HIGH',
  critical: 'CRITICAL',
};

export function ghsaLevel(text: string): Severity {
  return GHSA[text.trim().toUpperCase()] ?? 'UNKNOWN';
}

export function debianUrgencyLevel(text: string): Severity {
  return DEBIAN[text.trim().toLowerCase().replace(/\*+$/, '')] ?? 'UNKNOWN';
}

export function ubuntuPriorityLevel(text: string): Severity {
  return UBUNTU[text.trim().toLowerCase()] ?? 'UNKNOWN';
}

/** The parts of an OSV record that carry severity; everything optional and untrusted. */
export interface SeverityInput {
  severity?: unknown;
  database_specific?: unknown;
  affected?: unknown;
}

/**
 * Every severity statement in an OSV record, and one level chosen from them. Precedence: the
 * distro's own rating (Debian urgency, Ubuntu priority: they judge their builds), then the GHSA
 * rating, then the newest CVSS version present (v4, v3.x, v2). Several values of the same source
 * (one per affected package) are combined by taking the highest.
 */
export function normaliseSeverity(record: SeverityInput): NormalisedSeverity {
  const scores: SeverityScore[] = [];
  const cvssEntries = [...asArray(record.severity)];
  for (const affected of asArray(record.affected)) {
    const a = asObject(affected);
    cvssEntries.push(...asArray(a?.severity));
    const eco = asObject(a?.ecosystem_specific);
    const urgency = eco?.urgency;
    if (typeof urgency === 'string')
      scores.push({ source: 'debian', level: debianUrgencyLevel(urgency), raw: urgency });
    const priority = eco?.ubuntu_priority;
    if (typeof priority === 'string')
      scores.push({ source: 'ubuntu', level: ubuntuPriorityLevel(priority), raw: priority });
  }
  for (const entry of cvssEntries) {
    const e = asObject(entry);
    if (typeof e?.score !== 'string') continue;
    if (e.type === 'Ubuntu') {
      scores.push({ source: 'ubuntu', level: ubuntuPriorityLevel(e.score), raw: e.score });
      continue;
    }
    const cvss = scoreCvss(e.score);
    if (cvss)
      scores.push({
        source: 'cvss',
        level: cvss.rating,
        raw: cvss.vector,
        version: cvss.version,
        score: cvss.score,
      });
  }
  const ghsa = asObject(record.database_specific)?.severity;
  if (typeof ghsa === 'string') scores.push({ source: 'ghsa', level: ghsaLevel(ghsa), raw: ghsa });

  for (const source of ['debian', 'ubuntu', 'ghsa'] as const) {
    const level = highest(scores.filter((s) => s.source === source));
    if (level !== 'UNKNOWN') return { level, source, scores: dedupe(scores) };
  }
  for (const prefix of ['4', '3', '2']) {
    const level = highest(scores.filter((s) => s.source === 'cvss' && s.version?.startsWith(prefix)));
    if (level !== 'UNKNOWN') return { level, source: 'cvss', scores: dedupe(scores) };
  }
  return { level: 'UNKNOWN', scores: dedupe(scores) };
}

function highest(scores: SeverityScore[]): Severity {
  return scores.reduce<Severity>((acc, s) => maxSeverity(acc, s.level), 'UNKNOWN');
}

function dedupe(scores: SeverityScore[]): SeverityScore[] {
  const seen = new Set<string>();
  return scores.filter((s) => {
    const key = `${s.source}\0${s.raw}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
