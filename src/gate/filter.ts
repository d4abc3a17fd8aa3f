import type { Report, Severity, VulnerabilityFinding } from '../core/report.js';
import { ignoreRuleMatches, isExpired, type IgnoreRule } from './ignore-file.js';
import { suppresses, vexApplies, type VexStatement } from './vex.js';

export interface FilterOptions {
  /** Keep only these severities (`--severity`); all when absent. */
  severities?: readonly Severity[];
  /** Drop findings with no fixed version (`--ignore-unfixed`). */
  ignoreUnfixed?: boolean;
  ignoreRules?: readonly IgnoreRule[];
  vex?: readonly VexStatement[];
  now?: Date;
}

/**
 * Applies the user's filters to a report. Severity and unfixed filters drop findings; ignore rules
 * and VEX statements move them to `suppressedVulnerabilities` with the reason, for the record.
 * Expired ignore entries apply no more, and a notice says so.
 */
export function applyFilters(report: Report, options: FilterOptions): Report {
  const now = options.now ?? new Date();
  const live = (options.ignoreRules ?? []).filter((rule) => !isExpired(rule, now));
  const notices = [...(report.notices ?? [])];
  for (const rule of options.ignoreRules ?? []) {
    if (isExpired(rule, now)) {
      notices.push(
        `ignore entry for ${rule.id} expired on ${rule.expires!.toISOString().slice(0, 10)} and no longer applies`,
      );
    }
  }
  const vex = (options.vex ?? []).filter(suppresses);
  const results = report.results.map((result) => {
    if (!result.vulnerabilities) return result;
    const kept: VulnerabilityFinding[] = [];
    const suppressed: VulnerabilityFinding[] = [...(result.suppressedVulnerabilities ?? [])];
    for (const finding of result.vulnerabilities) {
      if (options.severities && !options.severities.includes(finding.severity)) continue;
      if (options.ignoreUnfixed && finding.status !== 'fixed') continue;
      const statement = vex.find((s) => vexApplies(s, finding, report.artifact.name));
      if (statement) {
        suppressed.push({
          ...finding,
          suppression: {
            kind: 'vex',
            statement: `${statement.status} (${statement.source})`,
            justification: statement.justification,
          },
        });
        continue;
      }
      const rule = live.find((r) => ignoreRuleMatches(r, finding));
      if (rule) {
        suppressed.push({
          ...finding,
          suppression: {
            kind: 'ignore',
            statement: rule.expires ? `ignored until ${rule.expires.toISOString().slice(0, 10)}` : 'ignored',
            justification: rule.reason,
          },
        });
        continue;
      }
      kept.push(finding);
    }
    return {
      ...result,
      vulnerabilities: kept,
      ...(suppressed.length ? { suppressedVulnerabilities: suppressed } : {}),
    };
  });
  return { ...report, results, ...(notices.length ? { notices } : {}) };
}
