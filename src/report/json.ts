import type { Report } from '../core/report.js';

/** The JSON report: the Report value itself, documented in docs/json-report.md. */
export function writeJson(report: Report): string {
  return JSON.stringify(report, null, 2) + '\n';
}
