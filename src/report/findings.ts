import type {
  Misconfiguration,
  Report,
  Result,
  SecretFinding,
  VulnerabilityFinding,
} from '../core/report.js';

/** Each vulnerability finding with the result (target) it belongs to, in report order. */
export function vulnerabilityEntries(report: Report): { result: Result; vuln: VulnerabilityFinding }[] {
  return report.results.flatMap((result) => (result.vulnerabilities ?? []).map((vuln) => ({ result, vuln })));
}

/** Each secret finding with the result it belongs to, in report order. */
export function secretEntries(report: Report): { result: Result; secret: SecretFinding }[] {
  return report.results.flatMap((result) => (result.secrets ?? []).map((secret) => ({ result, secret })));
}

/** Each misconfiguration with the result it belongs to, in report order. */
export function misconfigurationEntries(report: Report): { result: Result; misconfig: Misconfiguration }[] {
  return report.results.flatMap((result) =>
    (result.misconfigurations ?? []).map((misconfig) => ({ result, misconfig })),
  );
}

/** Where a finding lives, for formats that want one path: the finding's file, else the target. */
export function findingPath(result: Result, finding: { path?: string }): string {
  return finding.path ?? result.target;
}

/** `path:line`, or the path alone when the finding has no line. */
export function findingLocation(result: Result, finding: { path?: string; line?: number }): string {
  const file = findingPath(result, finding);
  return finding.line ? `${file}:${finding.line}` : file;
}

/** The highest CVSS base score recorded for a finding, if any. */
export function maxCvssScore(vuln: VulnerabilityFinding): number | undefined {
  const scores = (vuln.cvss ?? []).map((c) => c.score);
  return scores.length ? Math.max(...scores) : undefined;
}
