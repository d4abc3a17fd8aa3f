import type { z } from 'zod';
import { evaluateCompliance, SPECS } from '../compliance/index.js';
import type { Report, Severity } from '../core/report.js';
import { countBySeverity } from '../report/severity-order.js';
import { readConfigFile, type Zod } from './yaml-file.js';

/**
 * The gate file:
 *   security_gates:
 *     container_scan:
 *       critical_vulnerabilities: 0   # at most this many remain, else the gate fails
 *       high_vulnerabilities: 3
 *       medium_vulnerabilities: 10
 *       low_vulnerabilities: …, unknown_vulnerabilities: …
 *       secrets: 0
 *       compliance: [cis_docker, pci_dss]   # fail when a listed spec has failing controls
 */
const gateFileSchema = (z: Zod) => {
  const limit = z.number().int().min(0);
  return z.strictObject({
    security_gates: z.strictObject({
      container_scan: z
        .strictObject({
          critical_vulnerabilities: limit.optional(),
          high_vulnerabilities: limit.optional(),
          medium_vulnerabilities: limit.optional(),
          low_vulnerabilities: limit.optional(),
          unknown_vulnerabilities: limit.optional(),
          secrets: limit.optional(),
          compliance: z.array(z.enum(['cis_docker', 'pci_dss'])).optional(),
        })
        .default({}),
    }),
  });
};

export type GateThresholds = z.infer<ReturnType<typeof gateFileSchema>>['security_gates']['container_scan'];

export async function readGateFile(file: string): Promise<GateThresholds> {
  return (await readConfigFile(file, gateFileSchema, 'gate file')).security_gates.container_scan;
}

const SEVERITY_LIMITS: [Exclude<keyof GateThresholds, 'compliance'>, Severity][] = [
  ['critical_vulnerabilities', 'CRITICAL'],
  ['high_vulnerabilities', 'HIGH'],
  ['medium_vulnerabilities', 'MEDIUM'],
  ['low_vulnerabilities', 'LOW'],
  ['unknown_vulnerabilities', 'UNKNOWN'],
];

export interface GateVerdict {
  passed: boolean;
  /** One line per threshold crossed: "HIGH vulnerabilities: 5 > 3". */
  violations: string[];
}

/** Checks every threshold (not just the first crossed) so the summary says all that must change. */
export function evaluateGate(report: Report, thresholds: GateThresholds): GateVerdict {
  const counts = countBySeverity(report.results.flatMap((r) => r.vulnerabilities ?? []));
  const violations: string[] = [];
  for (const [key, severity] of SEVERITY_LIMITS) {
    const max = thresholds[key];
    if (max !== undefined && counts[severity] > max)
      violations.push(`${severity} vulnerabilities: ${counts[severity]} > ${max}`);
  }
  const secrets = report.results.reduce((n, r) => n + (r.secrets?.length ?? 0), 0);
  if (thresholds.secrets !== undefined && secrets > thresholds.secrets) {
    violations.push(`secrets: ${secrets} > ${thresholds.secrets}`);
  }
  // Judged on the report as scanned: give --scanners vuln,secret,misconfig for a complete verdict.
  for (const name of thresholds.compliance ?? []) {
    const { summary } = evaluateCompliance(report, SPECS[name.replace('_', '-')]!);
    if (summary.fail > 0) violations.push(`compliance ${name}: ${summary.fail} failing control(s)`);
  }
  return { passed: violations.length === 0, violations };
}
