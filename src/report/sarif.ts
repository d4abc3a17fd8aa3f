import type { Report, Severity } from '../core/report.js';
import { VERSION } from '../core/version.js';
import {
  findingPath,
  maxCvssScore,
  misconfigurationEntries,
  secretEntries,
  vulnerabilityEntries,
} from './findings.js';

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

/**
 * Secret and misconfiguration rules get a prefix: their ids come from rule files users can write,
 * and a rule id must never collide with a vulnerability id (OSV ids never contain a slash).
 */
const SECRET_RULE_PREFIX = 'secret/';
const MISCONFIG_RULE_PREFIX = 'misconfig/';

/** What a rule says about its kind of finding; taken from the first finding of that rule. */
interface RuleInfo {
  /** The finding class, as Trivy names it (code scanning shows it next to the id). */
  name: string;
  title: string;
  description: string;
  help: string;
  helpUri?: string;
  tag: 'vulnerability' | 'secret' | 'misconfiguration';
  severity: Severity;
  securitySeverity?: string;
}

/** One finding of any class, as SARIF needs it. */
interface Finding {
  ruleId: string;
  rule: () => RuleInfo;
  severity: Severity;
  text: string;
  uri: string;
  /** The finding's line in its file; line 1 when it has none (a package, an image setting). */
  line?: number;
  where: string;
}

/**
 * SARIF 2.1.0, as GitHub code scanning accepts it: one rule per vulnerability id, secret rule and
 * misconfiguration check, one result per finding.
 */
export function writeSarif(report: Report): string {
  const findings: Finding[] = [
    ...vulnerabilityEntries(report).map(({ result, vuln }): Finding => {
      const score = maxCvssScore(vuln);
      return {
        ruleId: vuln.id,
        rule: () => ({
          name:
            result.class === 'lang-pkgs' ? 'LanguageSpecificPackageVulnerability' : 'OsPackageVulnerability',
          title: vuln.title ?? vuln.id,
          description: vuln.description ?? vuln.title ?? vuln.id,
          helpUri: vuln.references?.[0] ?? `https://osv.dev/vulnerability/${encodeURIComponent(vuln.id)}`,
          help: `${vuln.id} in ${vuln.pkgName} ${vuln.installedVersion}; fixed in ${vuln.fixedVersion ?? 'no release yet'}`,
          tag: 'vulnerability',
          severity: vuln.severity,
          securitySeverity: score?.toFixed(1),
        }),
        severity: vuln.severity,
        text:
          `Package: ${vuln.pkgName}\nInstalled version: ${vuln.installedVersion}\n` +
          `Vulnerability: ${vuln.id}${vuln.aliases.length ? ` (${vuln.aliases.join(', ')})` : ''}\n` +
          `Severity: ${vuln.severity}\nFixed version: ${vuln.fixedVersion ?? 'none yet'}`,
        uri: findingPath(result, vuln),
        where: `${report.artifact.name}: ${vuln.pkgName}@${vuln.installedVersion}`,
      };
    }),
    ...secretEntries(report).map(({ secret }): Finding => ({
      ruleId: SECRET_RULE_PREFIX + secret.ruleId,
      rule: () => ({
        name: 'Secret',
        title: secret.title,
        description: `${secret.title} (${secret.category})`,
        help: `A ${secret.title} is stored in the artifact: revoke it, then remove it from the artifact and its history.`,
        tag: 'secret',
        severity: secret.severity,
      }),
      severity: secret.severity,
      // `match` is masked by the scanner: the secret itself never reaches a report.
      text:
        `Secret: ${secret.title}\nRule: ${secret.ruleId}\nCategory: ${secret.category}\n` +
        `Severity: ${secret.severity}\nMatch: ${secret.match}` +
        (secret.removedInLayer ? '\nRemoved in a later layer, but still in the image' : ''),
      uri: secret.path,
      line: secret.line,
      where: `${report.artifact.name}: ${secret.path}`,
    })),
    ...misconfigurationEntries(report).map(({ result, misconfig }): Finding => ({
      ruleId: MISCONFIG_RULE_PREFIX + misconfig.id,
      rule: () => ({
        name: 'Misconfiguration',
        title: misconfig.title,
        description: misconfig.title,
        help: misconfig.remediation ?? misconfig.title,
        tag: 'misconfiguration',
        severity: misconfig.severity,
      }),
      severity: misconfig.severity,
      text:
        `Check: ${misconfig.id} (${misconfig.title})\n` +
        (misconfig.resource ? `Resource: ${misconfig.resource}\n` : '') +
        `Severity: ${misconfig.severity}\nMessage: ${misconfig.message}` +
        (misconfig.remediation ? `\nRemediation: ${misconfig.remediation}` : ''),
      uri: findingPath(result, misconfig),
      line: misconfig.line,
      where: `${report.artifact.name}: ${misconfig.resource ?? findingPath(result, misconfig)}`,
    })),
  ];

  const rules = new Map<string, { index: number; rule: object }>();
  const ruleIndex = (finding: Finding): number => {
    let entry = rules.get(finding.ruleId);
    if (!entry) {
      entry = { index: rules.size, rule: sarifRule(finding.ruleId, finding.rule()) };
      rules.set(finding.ruleId, entry);
    }
    return entry.index;
  };
  const results = findings.map((finding) => {
    const line = finding.line ?? 1;
    return {
      ruleId: finding.ruleId,
      ruleIndex: ruleIndex(finding),
      level: LEVEL[finding.severity],
      message: { text: finding.text },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: relativeUri(finding.uri), uriBaseId: 'ROOTPATH' },
            region: { startLine: line, startColumn: 1, endLine: line, endColumn: 1 },
          },
          message: { text: finding.where },
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
            rules: [...rules.values()].map((r) => r.rule),
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

function sarifRule(id: string, info: RuleInfo): object {
  return {
    id,
    name: info.name,
    shortDescription: { text: info.title },
    fullDescription: { text: info.description },
    ...(info.helpUri ? { helpUri: info.helpUri } : {}),
    help: { text: info.help },
    defaultConfiguration: { level: LEVEL[info.severity] },
    properties: {
      tags: [info.tag, 'security', info.severity],
      'security-severity': info.securitySeverity ?? SECURITY_SEVERITY[info.severity],
    },
  };
}

/**
 * A path as a relative URI reference: each segment percent-encoded, so that targets such as
 * `debian 12 (os)` or `image config: ENV` are valid (a space is not, and a colon in the first
 * segment would read as a scheme).
 */
function relativeUri(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}
