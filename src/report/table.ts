import type { Report, Result, Severity, VulnerabilityFinding } from '../core/report.js';
import { SEVERITIES, countBySeverity, severityRank } from './severity-order.js';
import { compareStrings } from '../core/order.js';

export interface TableOptions {
  /** ANSI colours for severities (on when stdout is a terminal). */
  color?: boolean;
  /** Columns available; the title column shrinks to fit. */
  width?: number;
}

const COLORS: Record<Severity, string> = {
  CRITICAL: '\x1b[1;31m',
  HIGH: '\x1b[31m',
  MEDIUM: '\x1b[33m',
  LOW: '\x1b[34m',
  UNKNOWN: '\x1b[37m',
};
const RESET = '\x1b[0m';

/** A human-readable report: one section per target, a summary line first. */
export function writeTable(report: Report, options: TableOptions = {}): string {
  const out: string[] = [];
  const vulns = report.results.flatMap((r) => r.vulnerabilities ?? []);
  const secrets = report.results.flatMap((r) => r.secrets ?? []);
  const misconfigs = report.results.flatMap((r) => r.misconfigurations ?? []);
  const os = report.artifact.os ? ` (${report.artifact.os.family} ${report.artifact.os.version})` : '';
  out.push(`${report.artifact.name}${os}`);
  const matched = report.results.some((r) => r.vulnerabilities !== undefined);
  const packageCount = report.results.reduce((n, r) => n + (r.packages?.length ?? 0), 0);
  out.push(
    (matched ? `Vulnerabilities: ${summary(vulns, options)}` : `Packages: ${packageCount}`) +
      (secrets.length ? `  Secrets: ${secrets.length}` : '') +
      (misconfigs.length ? `  Misconfigurations: ${misconfigs.length}` : ''),
  );
  const remediation = report.remediation;
  if (remediation && remediation.total > 0) {
    out.push(
      `Upgrading ${remediation.upgrades.length} package${remediation.upgrades.length === 1 ? '' : 's'} fixes ${remediation.fixable} of ${remediation.total} findings` +
        (remediation.fromBaseImage
          ? `; ${remediation.fromBaseImage} come from the base image (rebuild on a newer base)`
          : ''),
    );
  }
  for (const notice of report.notices ?? []) out.push(`Note: ${notice}`);
  for (const result of report.results) {
    const section = writeResult(result, options);
    if (section) out.push('', section);
  }
  if (report.errors.length) {
    out.push('', `Errors (${report.errors.length}): files that could not be read; the scan went on`);
    for (const e of report.errors)
      out.push(`  ${e.path ?? ''}${e.layer ? ` [${e.layer.diffId.slice(0, 19)}]` : ''}: ${e.message}`);
  }
  return out.join('\n') + '\n';
}

function summary(items: readonly { severity: Severity }[], options: TableOptions): string {
  const counts = countBySeverity(items);
  const parts = SEVERITIES.map((s) => `${paint(s, s, options)}: ${counts[s]}`);
  return `${items.length} (${parts.join(', ')})`;
}

function writeResult(result: Result, options: TableOptions): string | undefined {
  const lines: string[] = [];
  const vulns = [...(result.vulnerabilities ?? [])].sort(byPackageThenSeverity);
  if (vulns.length) {
    lines.push(`${result.target} (${result.type}) — ${summary(vulns, options)}`);
    const rows = vulns.map((v) => [
      v.pkgName,
      v.id,
      v.severity,
      v.status === 'will_not_fix' ? 'will not fix' : v.status,
      v.installedVersion,
      v.fixedVersion ?? '',
      v.title ?? '',
    ]);
    lines.push(
      ...grid(
        ['Package', 'Vulnerability', 'Severity', 'Status', 'Installed', 'Fixed', 'Title'],
        rows,
        options,
        2,
      ),
    );
  }
  if (result.vulnerabilities === undefined && result.packages?.length) {
    // A catalog with no matching done (bosun sbom): list the packages themselves.
    lines.push(`${result.target} (${result.type}) — ${result.packages.length} packages`);
    const rows = result.packages.map((p) => [
      p.name,
      p.version,
      p.srcName && p.srcName !== p.name ? p.srcName : '',
      p.locations[0]?.path ?? '',
    ]);
    lines.push(...grid(['Package', 'Version', 'Source', 'Path'], rows, options, -1));
  }
  const secrets = result.secrets ?? [];
  if (secrets.length) {
    lines.push(`${result.target} (secrets) — ${summary(secrets, options)}`);
    const rows = secrets.map((s) => [
      s.severity,
      s.ruleId,
      `${s.path}${s.line ? `:${s.line}` : ''}${s.removedInLayer ? ' (removed in a later layer, still in the image)' : ''}`,
      s.match,
    ]);
    lines.push(...grid(['Severity', 'Rule', 'Location', 'Match'], rows, options, 0));
  }
  const misconfigs = result.misconfigurations ?? [];
  if (misconfigs.length) {
    lines.push(`${result.target} (${result.type}) — ${summary(misconfigs, options)}`);
    const rows = misconfigs.map((m) => [m.severity, m.id, m.resource ?? m.path ?? '', m.message]);
    lines.push(...grid(['Severity', 'Check', 'Resource', 'Message'], rows, options, 0));
  }
  return lines.length ? lines.join('\n') : undefined;
}

function byPackageThenSeverity(a: VulnerabilityFinding, b: VulnerabilityFinding): number {
  return (
    compareStrings(a.pkgName, b.pkgName) ||
    severityRank(a.severity) - severityRank(b.severity) ||
    compareStrings(a.id, b.id)
  );
}

/**
 * Aligned columns. The last column takes what width is left and is cut with an ellipsis;
 * `severityColumn` names the column to colour.
 */
function grid(header: string[], rows: string[][], options: TableOptions, severityColumn: number): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const last = widths.length - 1;
  if (options.width) {
    const fixed = widths.slice(0, last).reduce((sum, w) => sum + w + 2, 2);
    widths[last] = Math.max(10, Math.min(widths[last]!, options.width - fixed));
  }
  const line = (cells: string[], colored: boolean) =>
    '  ' +
    cells
      .map((cell, i) => {
        const text = i === last ? truncate(cell, widths[i]!) : cell.padEnd(widths[i]!);
        return colored && i === severityColumn ? paint(cell as Severity, text, options) : text;
      })
      .join('  ')
      .trimEnd();
  return [
    line(header, false),
    '  ' + widths.map((w) => '─'.repeat(w)).join('  '),
    ...rows.map((r) => line(r, true)),
  ];
}

function truncate(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}

function paint(severity: Severity, text: string, options: TableOptions): string {
  return options.color && COLORS[severity] ? `${COLORS[severity]}${text}${RESET}` : text;
}
