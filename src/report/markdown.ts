import type { Report, Result, Severity } from '../core/report.js';
import { findingLocation, misconfigurationEntries, secretEntries, vulnerabilityEntries } from './findings.js';
import { SEVERITIES, countBySeverity, severityRank } from './severity-order.js';

/**
 * A Markdown summary for pull-request comments: vulnerability counts and a table of them, then
 * tables of secrets and misconfigurations when the scan found any; each table worst first.
 */
export function writeMarkdown(report: Report): string {
  const os = report.artifact.os ? ` (${report.artifact.os.family} ${report.artifact.os.version})` : '';
  const others = [...secretLines(report), ...misconfigurationLines(report)];
  // A scan that matched no packages (bosun config, --scanners secret) has no vulnerability
  // counts to show, unless there is nothing else to say.
  const matched = report.results.some((r) => r.vulnerabilities !== undefined);
  const lines = [
    `### bosun: ${escape(report.artifact.name)}${os}`,
    ...(matched || !others.length ? vulnerabilityLines(report) : []),
    ...others,
  ];
  return lines.join('\n') + '\n';
}

function vulnerabilityLines(report: Report): string[] {
  const entries = worstFirst(
    vulnerabilityEntries(report),
    (e) => e.vuln.severity,
    (e) => e.vuln.pkgName,
  );
  const counts = countBySeverity(entries.map((e) => e.vuln));
  const lines = [
    '',
    `| ${SEVERITIES.join(' | ')} | Total |`,
    `|${' --- |'.repeat(SEVERITIES.length + 1)}`,
    `| ${SEVERITIES.map((s) => counts[s]).join(' | ')} | ${entries.length} |`,
  ];
  if (!entries.length) return [...lines, '', 'No vulnerabilities found.'];
  return [
    ...lines,
    ...table(
      ['Severity', 'Vulnerability', 'Package', 'Installed', 'Fixed', 'Target'],
      entries.map(({ result, vuln }) => [
        vuln.severity,
        vuln.id,
        vuln.pkgName,
        vuln.installedVersion,
        vuln.fixedVersion ?? '—',
        result.target,
      ]),
    ),
  ];
}

function secretLines(report: Report): string[] {
  const entries = secretEntries(report).map(({ result, secret }) => ({ result, finding: secret }));
  return section('Secrets', entries, ['Severity', 'Rule', 'Location', 'Match'], (secret, location) => [
    secret.severity,
    secret.ruleId,
    location + (secret.removedInLayer ? ' (removed in a later layer, still in the image)' : ''),
    // `match` is masked by the scanner: the secret itself never reaches a report.
    secret.match,
  ]);
}

function misconfigurationLines(report: Report): string[] {
  const entries = misconfigurationEntries(report).map(({ result, misconfig }) => ({
    result,
    finding: misconfig,
  }));
  return section(
    'Misconfigurations',
    entries,
    ['Severity', 'Check', 'Title', 'Resource', 'Location', 'Message'],
    (misconfig, location) => [
      misconfig.severity,
      misconfig.id,
      misconfig.title,
      misconfig.resource ?? '—',
      location,
      misconfig.message,
    ],
  );
}

/** A titled table of findings that live in files, worst first, then by location; nothing when there are none. */
function section<F extends { severity: Severity; path?: string; line?: number }>(
  title: string,
  entries: { result: Result; finding: F }[],
  header: string[],
  row: (finding: F, location: string) => string[],
): string[] {
  if (!entries.length) return [];
  const located = entries.map(({ result, finding }) => ({
    finding,
    location: findingLocation(result, finding),
  }));
  const sorted = worstFirst(
    located,
    (e) => e.finding.severity,
    (e) => e.location,
  );
  return [
    '',
    `#### ${title} (${entries.length})`,
    ...table(
      header,
      sorted.map((e) => row(e.finding, e.location)),
    ),
  ];
}

/** A blank line, then a table of ROWS under HEADER, every cell escaped. */
function table(header: string[], rows: string[][]): string[] {
  return [
    '',
    `| ${header.join(' | ')} |`,
    `|${' --- |'.repeat(header.length)}`,
    ...rows.map((cells) => `| ${cells.map(escape).join(' | ')} |`),
  ];
}

/** Most severe first, then by KEY (numbers in it compared as numbers: line 5 before line 14); ties keep report order. */
function worstFirst<T>(items: T[], severity: (item: T) => Severity, key: (item: T) => string): T[] {
  return items.sort(
    (a, b) =>
      severityRank(severity(a)) - severityRank(severity(b)) ||
      key(a).localeCompare(key(b), undefined, { numeric: true }),
  );
}

/** Escapes Markdown in a table cell; a line break would end the row, so it becomes a space. */
function escape(text: string): string {
  return text.replace(/[|\\`*_<>]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}
