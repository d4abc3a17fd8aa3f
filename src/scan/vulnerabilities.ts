import type { Package } from '../core/package.js';
import type { Report } from '../core/report.js';
import { matchPackages, type AdvisorySource } from '../matcher/match-packages.js';

/**
 * Matches every package of a catalog report against the database and puts the findings in the
 * result that lists the package, in package order.
 */
export function addVulnerabilities(
  report: Report,
  db: AdvisorySource,
  baseLayers: ReadonlySet<string>,
): Report {
  const packages: Package[] = report.results.flatMap((r) => r.packages ?? []);
  const { findings, errors } = matchPackages(packages, db, {
    ...(report.artifact.os ? { os: report.artifact.os } : {}),
    ...(report.artifact.layers ? { layers: report.artifact.layers } : {}),
    baseLayers,
  });
  const results = report.results.map((result) =>
    result.packages
      ? { ...result, vulnerabilities: result.packages.flatMap((p) => findings.get(p.id) ?? []) }
      : result,
  );
  return { ...report, results, errors: [...report.errors, ...errors] };
}
