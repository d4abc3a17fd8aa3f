import type { Report, Result, VulnerabilityFinding } from '../core/report.js';

/** Each vulnerability finding with the result (target) it belongs to, in report order. */
export function vulnerabilityEntries(report: Report): { result: Result; vuln: VulnerabilityFinding }[] {
  return report.results.flatMap((result) => (result.vulnerabilities ?? []).map((vuln) => ({ result, vuln })));
}

/** Where a finding lives, for formats that want one path: the package's file, else the target. */
export function findingPath(result: Result, vuln: VulnerabilityFinding): string {
  return vuln.path ?? result.target;
}

/** The highest CVSS base score recorded for a finding, if any. */
export function maxCvssScore(vuln: VulnerabilityFinding): number | undefined {
  const scores = (vuln.cvss ?? []).map((c) => c.score);
  return scores.length ? Math.max(...scores) : undefined;
}
