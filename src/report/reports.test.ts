import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import AjvDraft04 from 'ajv-draft-04';
import {
  REPORT_SCHEMA_VERSION,
  type Misconfiguration,
  type Report,
  type VulnerabilityFinding,
} from '../core/report.js';
import { createSecretScanner } from '../analyzer/secret/index.js';
import { rand } from '../analyzer/secret/testing.js';
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

test('every format with room for secrets and misconfigurations carries each of them', () => {
  // GitLab's container-scanning schema and the SBOMs hold vulnerabilities and packages only.
  for (const format of ['table', 'json', 'sarif', 'junit', 'markdown']) {
    const out = reportWriter(format)(fullReport, {});
    for (const id of ['github-pat', 'BOSUN-K8S-002', 'GHSA-aaaa-bbbb-cccc', 'BOSUN-IMG-001']) {
      assert.ok(out.includes(id), `${format} lists ${id}`);
    }
    // Markdown escapes the mask's asterisks (its own test checks the cell).
    if (format !== 'markdown') assert.ok(out.includes(secret!.match), `${format} shows the masked match`);
    assert.ok(!out.includes(token), `${format} never shows the raw secret`);
  }
});

/** The official SARIF 2.1.0 schema, as @microsoft/jest-sarif ships it. */
const validateSarif = new AjvDraft04.default({
  allErrors: true,
  strict: false,
  validateFormats: false,
  unicodeRegExp: false,
}).compile<unknown>(require('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'));

test('SARIF is valid against the official SARIF 2.1.0 schema and carries GitHub severity scores', () => {
  const sarif: any = JSON.parse(reportWriter('sarif')(report, {})); // eslint-disable-line @typescript-eslint/no-explicit-any
  assert.equal(validateSarif(sarif), true, JSON.stringify(validateSarif.errors?.slice(0, 3)));
  const rules = sarif.runs[0].tool.driver.rules;
  assert.equal(rules.length, 3);
  assert.equal(
    rules.find((r: { id: string }) => r.id === 'DEBIAN-CVE-2024-0001').properties['security-severity'],
    '9.8',
  );
  const levels = sarif.runs[0].results.map((r: { level: string }) => r.level);
  assert.deepEqual(levels, ['error', 'note', 'error']);
  assert.ok(
    !validateSarif({ version: '2.1.0', runs: [{ tool: {} }] }),
    'the schema does reject a broken document',
  );
});

function hasXmllint(): boolean {
  try {
    execFileSync('xmllint', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

test('JUnit output is well-formed XML (xmllint) with one failure per finding', (t) => {
  if (!hasXmllint()) return t.skip('xmllint (libxml2-utils) is not installed');
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

// The same report with the other finding classes a scan produces. The secret comes from the real
// scanner so that its masking is the one the JSON report carries; a user's check reuses a
// vulnerability id to show that rule ids cannot collide.
const token = `ghp_${rand('alnum', 36)}`;
const [secret] = createSecretScanner().scanText(`# deploy\nGITHUB_TOKEN=${token}\n`, 'app/.env');
function misconfig(
  over: Partial<Misconfiguration> & Pick<Misconfiguration, 'id' | 'severity'>,
): Misconfiguration {
  return { title: `${over.id} title`, message: `${over.id} message`, ...over };
}
const fullReport: Report = {
  ...report,
  results: [
    ...report.results,
    { target: 'app/.env', class: 'secret', type: 'secret', secrets: [secret!] },
    {
      target: 'deploy/app.yaml',
      class: 'config',
      type: 'kubernetes',
      misconfigurations: [
        misconfig({
          id: 'BOSUN-K8S-002',
          severity: 'HIGH',
          title: 'Host namespaces shared',
          message: 'hostNetwork is true | pipe <b>',
          remediation: 'Remove hostNetwork',
          path: 'deploy/app.yaml',
          resource: 'Deployment/default/web',
          line: 14,
        }),
        misconfig({
          id: 'BOSUN-K8S-002',
          severity: 'HIGH',
          title: 'Host namespaces shared',
          message: 'hostPID is true',
          path: 'deploy/app.yaml',
          resource: 'Deployment/default/web',
          line: 9,
        }),
        misconfig({ id: 'GHSA-aaaa-bbbb-cccc', severity: 'LOW', path: 'deploy/app.yaml', line: 30 }),
      ],
    },
    {
      target: 'image config',
      class: 'config',
      type: 'image-config',
      misconfigurations: [misconfig({ id: 'BOSUN-IMG-001', severity: 'MEDIUM' })],
    },
    { target: 'deploy/clean.yaml', class: 'config', type: 'kubernetes', misconfigurations: [] },
  ],
};

test('the sample secret is a masked github-pat on line 2', () => {
  assert.equal(secret?.ruleId, 'github-pat');
  assert.equal(secret.line, 2);
  assert.ok(!secret.match.includes(token) && secret.match.includes('*'), secret.match);
});

test('SARIF carries secrets and misconfigurations with their own rules, lines and masked matches', () => {
  const out = reportWriter('sarif')(fullReport, {});
  assert.ok(!out.includes(token), 'the raw secret never appears');
  const sarif: any = JSON.parse(out); // eslint-disable-line @typescript-eslint/no-explicit-any
  assert.equal(validateSarif(sarif), true, JSON.stringify(validateSarif.errors?.slice(0, 3)));
  const run = sarif.runs[0];
  const ruleIds = run.tool.driver.rules.map((r: { id: string }) => r.id);
  assert.deepEqual(ruleIds, [
    'DEBIAN-CVE-2024-0001',
    'DEBIAN-CVE-2024-0002',
    'GHSA-aaaa-bbbb-cccc',
    'secret/github-pat',
    'misconfig/BOSUN-K8S-002',
    'misconfig/GHSA-aaaa-bbbb-cccc',
    'misconfig/BOSUN-IMG-001',
  ]);
  const rule = (id: string) => run.tool.driver.rules[ruleIds.indexOf(id)];
  assert.equal(rule('GHSA-aaaa-bbbb-cccc').name, 'LanguageSpecificPackageVulnerability');
  assert.deepEqual(rule('secret/github-pat').properties, {
    tags: ['secret', 'security', 'CRITICAL'],
    'security-severity': '9.5',
  });
  assert.deepEqual(rule('misconfig/BOSUN-K8S-002').properties.tags, ['misconfiguration', 'security', 'HIGH']);
  assert.equal(rule('misconfig/BOSUN-K8S-002').help.text, 'Remove hostNetwork');
  assert.equal(rule('misconfig/GHSA-aaaa-bbbb-cccc').properties['security-severity'], '2.0');

  const where = run.results.map(
    (r: {
      ruleId: string;
      ruleIndex: number;
      level: string;
      locations: {
        physicalLocation: {
          artifactLocation: { uri: string };
          region: { startLine: number; endLine: number };
        };
      }[];
    }) => {
      assert.equal(ruleIds[r.ruleIndex], r.ruleId);
      const { artifactLocation, region } = r.locations[0]!.physicalLocation;
      return `${r.level} ${r.ruleId} ${artifactLocation.uri}:${region.startLine}-${region.endLine}`;
    },
  );
  for (const uri of run.results.map(
    (r: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) =>
      r.locations[0]!.physicalLocation.artifactLocation.uri,
  ))
    assert.ok(
      URL.canParse(uri, 'file:///') && !/[\s]/.test(uri) && !/^[^/]*:/.test(uri),
      `a relative URI: ${uri}`,
    );
  assert.deepEqual(where.slice(3), [
    'error secret/github-pat app/.env:2-2',
    'error misconfig/BOSUN-K8S-002 deploy/app.yaml:14-14',
    'error misconfig/BOSUN-K8S-002 deploy/app.yaml:9-9',
    'note misconfig/GHSA-aaaa-bbbb-cccc deploy/app.yaml:30-30',
    'warning misconfig/BOSUN-IMG-001 image%20config:1-1',
  ]);
  const secretText = run.results[3].message.text;
  assert.ok(secretText.includes(`Match: ${secret!.match}`), secretText);
  assert.match(
    run.results[4].message.text,
    /Resource: Deployment\/default\/web\n.*\nMessage: hostNetwork is true/,
  );
});

test('JUnit has a suite per target and finding class, a failure per finding, and passes xmllint', (t) => {
  if (!hasXmllint()) return t.skip('xmllint (libxml2-utils) is not installed');
  const xml = reportWriter('junit')(fullReport, {});
  execFileSync('xmllint', ['--noout', '-'], { input: xml });
  assert.ok(!xml.includes(token), 'the raw secret never appears');
  const suites = [...xml.matchAll(/<testsuite name="([^"]*)" tests="(\d+)" failures="(\d+)"/g)].map(
    (m) => `${m[1]} ${m[2]}/${m[3]}`,
  );
  assert.deepEqual(suites, [
    'debian 12 (os) 2/2',
    'app/package-lock.json 1/1',
    'app/.env (secrets) 1/1',
    'deploy/app.yaml (misconfigurations) 3/3',
    'image config (misconfigurations) 1/1',
    'deploy/clean.yaml (misconfigurations) 0/0',
  ]);
  assert.match(xml, /<testsuites name="bosun" tests="8" failures="8">/);
  assert.match(xml, /<testcase classname="app\/.env" name="\[CRITICAL\] github-pat \(line 2\)">/);
  assert.ok(xml.includes(`app/.env:2: ${secret!.match}</failure>`));
  assert.match(
    xml,
    /<testcase classname="Deployment\/default\/web" name="\[HIGH\] BOSUN-K8S-002 \(line 14\)">\n\s+<failure message="Host namespaces shared" type="HIGH">hostNetwork is true \| pipe &lt;b&gt;\nLocation: deploy\/app.yaml:14\nRemediation: Remove hostNetwork<\/failure>/,
  );
  assert.match(xml, /<testcase classname="image config" name="\[MEDIUM\] BOSUN-IMG-001">/);
});

test('Markdown lists secrets and misconfigurations after the vulnerabilities, worst first and escaped', () => {
  const md = reportWriter('markdown')(fullReport, {});
  assert.ok(!md.includes(token), 'the raw secret never appears');
  const tail = md.slice(md.indexOf('#### Secrets'));
  assert.ok(md.indexOf('| DEBIAN-CVE-2024-0001 |') < md.indexOf('#### Secrets'));
  const masked = secret!.match.replace(/[|\\`*_<>]/g, (c) => `\\${c}`);
  assert.equal(
    tail,
    [
      '#### Secrets (1)',
      '',
      '| Severity | Rule | Location | Match |',
      '| --- | --- | --- | --- |',
      `| CRITICAL | github-pat | app/.env:2 | ${masked} |`,
      '',
      '#### Misconfigurations (4)',
      '',
      '| Severity | Check | Title | Resource | Location | Message |',
      '| --- | --- | --- | --- | --- | --- |',
      '| HIGH | BOSUN-K8S-002 | Host namespaces shared | Deployment/default/web | deploy/app.yaml:9 | hostPID is true |',
      '| HIGH | BOSUN-K8S-002 | Host namespaces shared | Deployment/default/web | deploy/app.yaml:14 | hostNetwork is true \\| pipe \\<b\\> |',
      '| MEDIUM | BOSUN-IMG-001 | BOSUN-IMG-001 title | — | image config | BOSUN-IMG-001 message |',
      '| LOW | GHSA-aaaa-bbbb-cccc | GHSA-aaaa-bbbb-cccc title | — | deploy/app.yaml:30 | GHSA-aaaa-bbbb-cccc message |',
      '',
    ].join('\n'),
  );
  assert.doesNotMatch(reportWriter('markdown')(report, {}), /#### /, 'nothing extra without them');
  const configOnly = reportWriter('markdown')(
    {
      ...report,
      results: fullReport.results.filter((r) => r.class === 'config'),
    },
    {},
  );
  assert.match(
    configOnly,
    /^### bosun: registry\.test\/app:1 \(debian 12\)\n\n#### Misconfigurations \(4\)\n/,
  );
  assert.doesNotMatch(configOnly, /vulnerabilities|Total/, 'no vulnerability counts where none were matched');
  assert.match(reportWriter('markdown')({ ...report, results: [] }, {}), /No vulnerabilities found\./);
});
