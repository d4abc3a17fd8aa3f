import type { Report, Severity } from '../core/report.js';
import type { Evidence } from './types.js';

/** Misconfigurations whose `controls` name the given control (e.g. CIS-DI-4.1), or whose id is listed. */
export function misconfigurations(report: Report, match: { control?: string; ids?: string[] }): Evidence[] {
  return report.results.flatMap((r) =>
    (r.misconfigurations ?? [])
      .filter((m) => (match.control && m.controls?.includes(match.control)) || match.ids?.includes(m.id))
      .map((m) => ({
        source: 'misconfiguration' as const,
        id: m.id,
        target: m.path ?? r.target,
        message: m.message,
      })),
  );
}

/** Vulnerabilities that a fix exists for, at the given severities. */
export function fixableVulnerabilities(report: Report, severities: readonly Severity[]): Evidence[] {
  return report.results.flatMap((r) =>
    (r.vulnerabilities ?? [])
      .filter((v) => v.status === 'fixed' && severities.includes(v.severity))
      .map((v) => ({
        source: 'vulnerability' as const,
        id: v.id,
        target: r.target,
        message: `${v.pkgName} ${v.installedVersion} (${v.severity}): fixed in ${v.fixedVersion ?? '?'}`,
      })),
  );
}

export function secrets(report: Report): Evidence[] {
  return report.results.flatMap((r) =>
    (r.secrets ?? []).map((s) => ({
      source: 'secret' as const,
      id: s.ruleId,
      target: s.path,
      message: `${s.title}${s.line ? ` at line ${s.line}` : ''}${s.removedInLayer ? ' (deleted in a later layer, still in the image)' : ''}`,
    })),
  );
}
