import type { Severity } from '../core/report.js';

/** Most severe first; the order of tables, summaries and gates. */
export const SEVERITIES: readonly Severity[] = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN'];

export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

export function countBySeverity(items: readonly { severity: Severity }[]): Record<Severity, number> {
  const counts = { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, UNKNOWN: 0 };
  for (const item of items) counts[item.severity]++;
  return counts;
}
