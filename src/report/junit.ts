import type {
  Misconfiguration,
  Report,
  Result,
  SecretFinding,
  VulnerabilityFinding,
} from '../core/report.js';
import { findingLocation } from './findings.js';

/**
 * JUnit XML: a test suite per target and finding class, a failing test case per finding, so CI
 * systems list them. A scanned target with no findings is an empty (passing) suite.
 */
export function writeJunit(report: Report): string {
  const suites = report.results.flatMap((result) => {
    const out: { name: string; cases: string[] }[] = [];
    // Package results always get a suite: "no vulnerabilities" is a pass worth showing.
    const vulns = result.vulnerabilities ?? (result.class.endsWith('-pkgs') ? [] : undefined);
    if (vulns) out.push({ name: result.target, cases: vulns.map(vulnerabilityCase) });
    if (result.secrets)
      out.push({
        name: `${result.target} (secrets)`,
        cases: result.secrets.map((s) => secretCase(result, s)),
      });
    if (result.misconfigurations)
      out.push({
        name: `${result.target} (misconfigurations)`,
        cases: result.misconfigurations.map((m) => misconfigurationCase(result, m)),
      });
    return out;
  });
  const total = suites.reduce((n, s) => n + s.cases.length, 0);
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<testsuites name="bosun" tests="${total}" failures="${total}">\n` +
    suites
      .map(
        ({ name, cases }) =>
          `  <testsuite name="${xml(name)}" tests="${cases.length}" failures="${cases.length}" errors="0" skipped="0">\n` +
          cases.map((c) => c + '\n').join('') +
          '  </testsuite>\n',
      )
      .join('') +
    '</testsuites>\n'
  );
}

function vulnerabilityCase(v: VulnerabilityFinding): string {
  return testcase(
    `${v.pkgName}-${v.installedVersion}`,
    `[${v.severity}] ${v.id}`,
    v.title ?? v.id,
    v.severity,
    `${v.id} in ${v.pkgName} ${v.installedVersion}; fixed version: ${v.fixedVersion ?? 'none'}`,
  );
}

function secretCase(result: Result, s: SecretFinding): string {
  return testcase(
    s.path,
    `[${s.severity}] ${s.ruleId}${s.line ? ` (line ${s.line})` : ''}`,
    s.title,
    s.severity,
    // `match` is masked by the scanner: the secret itself never reaches a report.
    `${s.title} at ${findingLocation(result, s)}: ${s.match}` +
      (s.removedInLayer ? '\nRemoved in a later layer, but still in the image' : ''),
  );
}

function misconfigurationCase(result: Result, m: Misconfiguration): string {
  return testcase(
    m.resource ?? m.path ?? result.target,
    `[${m.severity}] ${m.id}${m.line ? ` (line ${m.line})` : ''}`,
    m.title,
    m.severity,
    `${m.message}\nLocation: ${findingLocation(result, m)}` +
      (m.remediation ? `\nRemediation: ${m.remediation}` : ''),
  );
}

function testcase(classname: string, name: string, message: string, type: string, body: string): string {
  return (
    `    <testcase classname="${xml(classname)}" name="${xml(name)}">\n` +
    `      <failure message="${xml(message)}" type="${xml(type)}">${xml(body)}</failure>\n    </testcase>`
  );
}

function xml(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
    .replace(
      /[&<>"']/g,
      (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!,
    );
}
