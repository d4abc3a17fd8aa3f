import type { Report, Severity } from '../core/report.js';
import { VERSION } from '../core/version.js';
import { findingPath, maxCvssScore, vulnerabilityEntries } from './findings.js';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  CRITICAL: 'error',
  HIGH: 'error',
  MEDIUM: 'warning',
  LOW: 'note',
  UNKNOWN: 'note',
};

/** GitHub code scanning ranks by `security-severity`, a CVSS-like number; these stand in when no CVSS score is known. */
const SECURITY_SEVERITY: Record<Severity, string> = {
  CRITICAL: '9.5',
  HIGH: '8.0',
  MEDIUM: '5.5',
  LOW: '2.0',
  UNKNOWN: '0.0',
};

/** SARIF 2.1.0, as GitHub code scanning accepts it: one rule per vulnerability id, one result per finding. */
export function writeSarif(report: Report): string {
  const entries = vulnerabilityEntries(report);
  const rules = new Map<string, object>();
  const results = entries.map(({ result, vuln }) => {
    const score = maxCvssScore(vuln);
    if (!rules.has(vuln.id)) {
      rules.set(vuln.id, {
        id: vuln.id,
        name: 'OsPackageVulnerability',
        shortDescription: { text: vuln.title ?? vuln.id },
        fullDescription: { text: vuln.description ?? vuln.title ?? vuln.id },
        helpUri: vuln.references?.[0] ?? `https://osv.dev/vulnerability/${encodeURIComponent(vuln.id)}`,
        help: {
          text: `${vuln.id} in ${vuln.pkgName} ${vuln.installedVersion}; fixed in ${vuln.fixedVersion ?? 'no release yet'}`,
        },
        defaultConfiguration: { level: LEVEL[vuln.severity] },
        properties: {
          tags: ['vulnerability', 'security', vuln.severity],
          'security-severity': score !== undefined ? score.toFixed(1) : SECURITY_SEVERITY[vuln.severity],
        },
      });
    }
    return {
      ruleId: vuln.id,
      ruleIndex: [...rules.keys()].indexOf(vuln.id),
      level: LEVEL[vuln.severity],
      message: {
        text:
          `Package: ${vuln.pkgName}\nInstalled version: ${vuln.installedVersion}\n` +
          `Vulnerability: ${vuln.id}${vuln.aliases.length ? ` (${vuln.aliases.join(', ')})` : ''}\n` +
          `Severity: ${vuln.severity}\nFixed version: ${vuln.fixedVersion ?? 'none yet'}`,
      },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: findingPath(result, vuln), uriBaseId: 'ROOTPATH' },
            region: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 },
          },
          message: { text: `${report.artifact.name}: ${vuln.pkgName}@${vuln.installedVersion}` },
        },
      ],
    };
  });
  const sarif = {
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [
      {
        tool: {
          driver: {
            name: 'bosun',
            fullName: 'bosun container inspection',
            informationUri: 'https://github.com/bosun-dev/bosun',
            version: VERSION,
            rules: [...rules.values()],
          },
        },
        results,
        originalUriBaseIds: { ROOTPATH: { uri: 'file:///' } },
        properties: {
          imageName: report.artifact.name,
          ...(report.artifact.digest ? { imageDigest: report.artifact.digest } : {}),
        },
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}
