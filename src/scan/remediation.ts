import type { Remediation, Report, VulnerabilityFinding } from '../core/report.js';
import { getComparator } from '../version/index.js';
import { compareStrings } from '../core/order.js';

/**
 * For each package with fixable findings, the lowest version that fixes all of them: the highest
 * of their fixed versions, compared with the package's own ecosystem.
 */
export function remediationOf(
  report: Report,
  ecosystemOf: (pkgId: string) => string | undefined,
): Remediation {
  const byPackage = new Map<string, VulnerabilityFinding[]>();
  let total = 0;
  let fromBaseImage = 0;
  for (const result of report.results) {
    for (const finding of result.vulnerabilities ?? []) {
      total++;
      if (finding.fromBaseImage) fromBaseImage++;
      byPackage.set(finding.pkgId, [...(byPackage.get(finding.pkgId) ?? []), finding]);
    }
  }
  const upgrades: Remediation['upgrades'] = [];
  let fixable = 0;
  for (const [pkgId, findings] of byPackage) {
    const fixes = findings.flatMap((f) => (f.fixedVersion ? [f.fixedVersion] : []));
    if (fixes.length === 0) continue;
    const ecosystem = ecosystemOf(pkgId);
    const comparator = ecosystem ? getComparator(ecosystem) : undefined;
    const highest = fixes.reduce((a, b) => {
      try {
        return comparator && comparator.compare(a, b) < 0 ? b : a;
      } catch {
        return a;
      }
    });
    fixable += fixes.length;
    const first = findings[0]!;
    upgrades.push({
      pkgId,
      pkgName: first.pkgName,
      installedVersion: first.installedVersion,
      fixedVersion: highest,
      fixes: fixes.length,
    });
  }
  upgrades.sort((a, b) => b.fixes - a.fixes || compareStrings(a.pkgName, b.pkgName));
  return { upgrades, fixable, total, fromBaseImage };
}
