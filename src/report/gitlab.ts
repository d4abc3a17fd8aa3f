import type { Report, Severity } from '../core/report.js';
import { VERSION } from '../core/version.js';
import { vulnerabilityEntries } from './findings.js';
import { stableHash, uuidFromHash } from './ids.js';

const SEVERITY: Record<Severity, string> = {
  CRITICAL: 'Critical',
  HIGH: 'High',
  MEDIUM: 'Medium',
  LOW: 'Low',
  UNKNOWN: 'Unknown',
};

/** The security report schema version the output is validated against (test/fixtures/schemas). */
const SCHEMA_VERSION = '15.2.4';
/** The schema's limits on a finding's name and description, in code points. */
const MAX_NAME = 255;
const MAX_DESCRIPTION = 1_048_576;
/** The schema's pattern for link URLs; records carry a few malformed ones (`ttps://…`). */
const LINK_URL = /^(https?|ftp):\/\/.+/;

/** GitLab's container-scanning report (security report schema 15.2.4, `container_scanning` type). */
export function writeGitlab(report: Report): string {
  const time = gitlabTime(new Date(report.createdAt));
  const os = report.artifact.os ? `${report.artifact.os.family} ${report.artifact.os.version}` : 'unknown';
  const tool = { id: 'bosun', name: 'bosun', version: VERSION, vendor: { name: 'bosun' } };
  const vulnerabilities = vulnerabilityEntries(report).map(({ vuln }) => ({
    id: uuidFromHash(stableHash(report.artifact.name, vuln.pkgName, vuln.installedVersion, vuln.id)),
    name: truncate(vuln.title ?? `${vuln.id} in ${vuln.pkgName}`, MAX_NAME),
    description: truncate(vuln.description ?? vuln.title ?? vuln.id, MAX_DESCRIPTION),
    severity: SEVERITY[vuln.severity],
    solution: vuln.fixedVersion
      ? `Upgrade ${vuln.pkgName} to ${vuln.fixedVersion}`
      : 'No fix is available yet.',
    identifiers: [vuln.id, ...vuln.aliases].map((id) => ({
      type: id.startsWith('CVE-') ? 'cve' : id.split('-')[0]!.toLowerCase(),
      name: id,
      value: id,
      url: `https://osv.dev/vulnerability/${encodeURIComponent(id)}`,
    })),
    links: (vuln.references ?? []).filter((url) => LINK_URL.test(url)).map((url) => ({ url })),
    location: {
      dependency: { package: { name: vuln.pkgName }, version: vuln.installedVersion },
      operating_system: os,
      image: report.artifact.name,
    },
  }));
  const doc = {
    version: SCHEMA_VERSION,
    scan: {
      analyzer: tool,
      scanner: tool,
      type: 'container_scanning',
      start_time: time,
      end_time: time,
      status: 'success',
    },
    vulnerabilities,
    remediations: [],
  };
  return JSON.stringify(doc, null, 2) + '\n';
}

/** GitLab wants `YYYY-MM-DDTHH:MM:SS`, no fraction and no zone. */
function gitlabTime(date: Date): string {
  return date.toISOString().slice(0, 19);
}

/** TEXT cut to MAX code points, ending in an ellipsis when cut. */
function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : chars.slice(0, max - 1).join('') + '…';
}
