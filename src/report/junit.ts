import type { Report } from '../core/report.js';

/** JUnit XML: a test suite per target, a failing test case per finding, so CI systems list them. */
export function writeJunit(report: Report): string {
  const suites = report.results.map((result) => {
    const vulns = result.vulnerabilities ?? [];
    const cases = vulns.map(
      (v) =>
        `    <testcase classname="${xml(`${v.pkgName}-${v.installedVersion}`)}" name="[${v.severity}] ${xml(v.id)}">\n` +
        `      <failure message="${xml(v.title ?? v.id)}" type="${v.severity}">${xml(
          `${v.id} in ${v.pkgName} ${v.installedVersion}; fixed version: ${v.fixedVersion ?? 'none'}`,
        )}</failure>\n    </testcase>`,
    );
    return (
      `  <testsuite name="${xml(result.target)}" tests="${vulns.length}" failures="${vulns.length}" errors="0" skipped="0">\n` +
      (cases.length ? cases.join('\n') + '\n' : '') +
      '  </testsuite>'
    );
  });
  const total = report.results.reduce((n, r) => n + (r.vulnerabilities?.length ?? 0), 0);
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<testsuites name="bosun" tests="${total}" failures="${total}">\n` +
    (suites.length ? suites.join('\n') + '\n' : '') +
    '</testsuites>\n'
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
