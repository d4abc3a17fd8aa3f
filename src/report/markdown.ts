import type { Report } from '../core/report.js';
import { vulnerabilityEntries } from './findings.js';
import { SEVERITIES, countBySeverity, severityRank } from './severity-order.js';

/** A Markdown summary for pull-request comments: counts, then one table of findings, worst first. */
export function writeMarkdown(report: Report): string {
  const entries = vulnerabilityEntries(report).sort(
    (a, b) =>
      severityRank(a.vuln.severity) - severityRank(b.vuln.severity) ||
      a.vuln.pkgName.localeCompare(b.vuln.pkgName),
  );
  const counts = countBySeverity(entries.map((e) => e.vuln));
  const os = report.artifact.os ? ` (${report.artifact.os.family} ${report.artifact.os.version})` : '';
  const lines = [
    `### bosun: ${escape(report.artifact.name)}${os}`,
    '',
    `| ${SEVERITIES.join(' | ')} | Total |`,
    `|${' --- |'.repeat(SEVERITIES.length + 1)}`,
    `| ${SEVERITIES.map((s) => counts[s]).join(' | ')} | ${entries.length} |`,
  ];
  if (entries.length) {
    lines.push(
      '',
      '| Severity | Vulnerability | Package | Installed | Fixed | Target |',
      '| --- | --- | --- | --- | --- | --- |',
    );
    for (const { result, vuln } of entries) {
      lines.push(
        `| ${vuln.severity} | ${escape(vuln.id)} | ${escape(vuln.pkgName)} | ${escape(vuln.installedVersion)} | ${escape(vuln.fixedVersion ?? '—')} | ${escape(result.target)} |`,
      );
    }
  } else {
    lines.push('', 'No vulnerabilities found.');
  }
  return lines.join('\n') + '\n';
}

function escape(text: string): string {
  return text.replace(/[|\\`*_<>]/g, (c) => `\\${c}`);
}
