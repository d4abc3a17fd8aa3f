import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import AjvDraft04 from 'ajv-draft-04';
import { REPORT_SCHEMA_VERSION, type Report, type VulnerabilityFinding } from '../core/report.js';
import { assertValid, gitlabSchema } from '../../test/helpers/schemas.js';
import { reportWriter, reportWriters } from './index.js';

const require = createRequire(import.meta.url);

function vuln(
  over: Partial<VulnerabilityFinding> & Pick<VulnerabilityFinding, 'id' | 'pkgName' | 'severity'>,
): VulnerabilityFinding {
  return {
    aliases: [],
    pkgId: `dpkg:${over.pkgName}@1.0`,
    installedVersion: '1.0',
    status: 'fixed',
    fixedVersion: '1.1',
    ...over,
  };
}

const report: Report = {
  schemaVersion: REPORT_SCHEMA_VERSION,
  createdAt: '2026-03-04T05:06:07.890Z',
  artifact: { name: 'registry.test/app:1', type: 'container_image', os: { family: 'debian', version: '12' } },
  results: [
    {
      target: 'debian 12 (os)',
      class: 'os-pkgs',
      type: 'dpkg',
      vulnerabilities: [
        vuln({
          id: 'DEBIAN-CVE-2024-0001',
          aliases: ['CVE-2024-0001', 'DSA-1-1'],
          pkgName: 'openssl',
          severity: 'CRITICAL',
          title: 'a <bad> & "quoted" title with | pipes',
          cvss: [
            {
              source: 'nvd',
              version: '3.1',
              vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
              score: 9.8,
            },
          ],
        }),
        vuln({
          id: 'DEBIAN-CVE-2024-0002',
          pkgName: 'zlib1g',
          severity: 'LOW',
          status: 'affected',
          fixedVersion: undefined,
        }),
      ],
    },
    {
      target: 'app/package-lock.json',
      class: 'lang-pkgs',
      type: 'npm',
      vulnerabilities: [
        vuln({
          id: 'GHSA-aaaa-bbbb-cccc',
          pkgName: 'lodash',
          severity: 'HIGH',
          path: 'app/package-lock.json',
        }),
      ],
    },
  ],
  errors: [{ path: 'var/lib/rpm/Packages', message: 'truncated database' }],
};

test('every format renders the same report without losing a finding', () => {
  for (const [format, write] of Object.entries(reportWriters)) {
    const out = write(report, {});
    if (format === 'cyclonedx' || format === 'spdx-json') continue; // SBOMs of packages: sbom.test.ts
    for (const id of ['DEBIAN-CVE-2024-0001', 'DEBIAN-CVE-2024-0002', 'GHSA-aaaa-bbbb-cccc']) {
      assert.ok(out.includes(id), `${format} lists ${id}`);
    }
  }
  assert.throws(() => reportWriter('yaml'), /unknown --format "yaml"/);
});

test('SARIF is valid against the official SARIF 2.1.0 schema and carries GitHub severity scores', () => {
  const schema = require('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
  const ajv = new AjvDraft04.default({
    allErrors: true,
    strict: false,
    validateFormats: false,
    unicodeRegExp: false,
  });
  const validate = ajv.compile<unknown>(schema);
  const sarif: any = JSON.parse(reportWriter('sarif')(report, {})); // eslint-disable-line @typescript-eslint/no-explicit-any
  assert.equal(validate(sarif), true, JSON.stringify(validate.errors?.slice(0, 3)));
  const rules = sarif.runs[0].tool.driver.rules;
  assert.equal(rules.length, 3);
  assert.equal(
    rules.find((r: { id: string }) => r.id === 'DEBIAN-CVE-2024-0001').properties['security-severity'],
    '9.8',
  );
  const levels = sarif.runs[0].results.map((r: { level: string }) => r.level);
  assert.deepEqual(levels, ['error', 'note', 'error']);
  assert.ok(
    !validate({ version: '2.1.0', runs: [{ tool: {} }] }),
    'the schema does reject a broken document',
  );
});

test('JUnit output is well-formed XML (xmllint) with one failure per finding', (t) => {
  let xmllint = true;
  try {
    execFileSync('xmllint', ['--version'], { stdio: 'ignore' });
  } catch {
    xmllint = false;
  }
  if (!xmllint) return t.skip('xmllint (libxml2-utils) is not installed');
  const xml = reportWriter('junit')(report, {});
  execFileSync('xmllint', ['--noout', '-'], { input: xml });
  assert.equal(xml.match(/<failure /g)?.length, 3);
  assert.match(xml, /a &lt;bad&gt; &amp; &quot;quoted&quot;/);
});

test('the table fits the width, colours only when asked, and summarises by severity', () => {
  const plain = reportWriter('table')(report, { width: 100 });
  for (const line of plain.split('\n')) assert.ok(line.length <= 100, `too wide: ${line}`);
  assert.doesNotMatch(plain, /\x1b\[/);
  assert.match(plain, /Vulnerabilities: 3 \(CRITICAL: 1, HIGH: 1, MEDIUM: 0, LOW: 1, UNKNOWN: 0\)/);
  assert.match(plain, /truncated database/);
  assert.match(reportWriter('table')(report, { color: true }), /\x1b\[1;31mCRITICAL/);
});

test('GitLab and Markdown outputs keep severities and escape table cells', () => {
  const gitlab = JSON.parse(reportWriter('gitlab')(report, {}));
  assertValid(gitlabSchema, gitlab); // more cases in gitlab-schema.test.ts
  assert.equal(gitlab.scan.type, 'container_scanning');
  assert.match(gitlab.scan.start_time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
  assert.deepEqual(
    gitlab.vulnerabilities.map((v: { severity: string }) => v.severity),
    ['Critical', 'Low', 'High'],
  );
  assert.equal(new Set(gitlab.vulnerabilities.map((v: { id: string }) => v.id)).size, 3);
  const md = reportWriter('markdown')(report, {});
  assert.match(md, /\| 1 \| 1 \| 0 \| 1 \| 0 \| 3 \|/);
  assert.match(md, /\| DEBIAN-CVE-2024-0001 \| openssl \|/);
  const rows = md.split('\n').filter((l) => /^\| (CRITICAL|HIGH|LOW) \| [A-Z]+-/.test(l));
  assert.deepEqual(
    rows.map((r) => r.split(' | ')[0]),
    ['| CRITICAL', '| HIGH', '| LOW'],
    'worst first',
  );
});
