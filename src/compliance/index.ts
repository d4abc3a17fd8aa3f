import type { Report } from '../core/report.js';
import type { ComplianceReport, ComplianceSpec, ControlResult } from './types.js';

export { SPECS, cisDocker, pciDss } from './specs.js';
export type { ComplianceReport, ComplianceSpec, ControlResult, Evidence } from './types.js';

/**
 * Judges a scan report against a spec: an automated control passes when no finding evidences a
 * failure; a manual control is reported with its reason (and any findings that bear on it).
 * The report should come from a scan with the vuln, secret and misconfig scanners.
 */
export function evaluateCompliance(report: Report, spec: ComplianceSpec): ComplianceReport {
  const controls: ControlResult[] = spec.controls.map((c) => {
    const findings = c.evidence?.(report) ?? [];
    if (c.manualReason !== undefined)
      return { id: c.id, title: c.title, status: 'manual', reason: c.manualReason, findings };
    return { id: c.id, title: c.title, status: findings.length ? 'fail' : 'pass', findings };
  });
  const count = (s: ControlResult['status']): number => controls.filter((c) => c.status === s).length;
  const pass = count('pass');
  const fail = count('fail');
  return {
    spec: spec.id,
    title: spec.title,
    target: report.artifact.name,
    createdAt: report.createdAt,
    controls,
    summary: {
      pass,
      fail,
      manual: count('manual'),
      score: pass + fail === 0 ? 100 : Math.round((1000 * pass) / (pass + fail)) / 10,
    },
  };
}

/** A plain-text table: one line per control, its status and the findings behind a failure. */
export function complianceTable(result: ComplianceReport): string {
  const lines = [
    `${result.title}`,
    `Target: ${result.target}`,
    `Score: ${result.summary.score}% (${result.summary.pass} pass, ${result.summary.fail} fail, ${result.summary.manual} manual)`,
    '',
  ];
  for (const c of result.controls) {
    lines.push(`${c.status.toUpperCase().padEnd(6)} ${c.id.padEnd(7)} ${c.title}`);
    if (c.reason) lines.push(`               ${c.reason}`);
    const shown = c.findings.slice(0, 10);
    for (const f of shown) lines.push(`               - ${f.id} ${f.target}: ${f.message}`);
    if (c.findings.length > shown.length)
      lines.push(`               … and ${c.findings.length - shown.length} more`);
  }
  return `${lines.join('\n')}\n`;
}
