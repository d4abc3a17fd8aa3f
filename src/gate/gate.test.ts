import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BosunError } from '../core/errors.js';
import { REPORT_SCHEMA_VERSION, type Report, type VulnerabilityFinding } from '../core/report.js';
import { applyFilters } from './filter.js';
import { evaluateGate, readGateFile } from './gate-file.js';
import { readIgnoreFile } from './ignore-file.js';
import { readVexFile } from './vex.js';

const dir = mkdtempSync(path.join(tmpdir(), 'bosun-gate-test-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
}

function finding(
  id: string,
  severity: VulnerabilityFinding['severity'],
  over: Partial<VulnerabilityFinding> = {},
): VulnerabilityFinding {
  return {
    id,
    aliases: [],
    pkgId: `npm:${over.pkgName ?? 'lodash'}@4.17.20`,
    pkgName: 'lodash',
    pkgPurl: 'pkg:npm/lodash@4.17.20',
    installedVersion: '4.17.20',
    fixedVersion: '4.17.21',
    status: 'fixed',
    severity,
    ...over,
  };
}

function report(vulns: VulnerabilityFinding[]): Report {
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    createdAt: '2026-01-01T00:00:00Z',
    artifact: { name: 'app:1', type: 'container_image' },
    results: [{ target: 'package-lock.json', class: 'lang-pkgs', type: 'npm', vulnerabilities: vulns }],
    errors: [],
  };
}

const ids = (r: Report) => r.results.flatMap((x) => x.vulnerabilities ?? []).map((v) => v.id);

test('severity and unfixed filters drop findings', () => {
  const r = report([
    finding('GHSA-1', 'CRITICAL'),
    finding('GHSA-2', 'LOW'),
    finding('GHSA-3', 'HIGH', { status: 'affected', fixedVersion: undefined }),
  ]);
  assert.deepEqual(ids(applyFilters(r, { severities: ['CRITICAL', 'HIGH'] })), ['GHSA-1', 'GHSA-3']);
  assert.deepEqual(ids(applyFilters(r, { ignoreUnfixed: true })), ['GHSA-1', 'GHSA-2']);
});

test('ignore file: ids and aliases, package scope, and expiry that stops applying and says so', async () => {
  const rules = await readIgnoreFile(
    file(
      'ignore.yaml',
      `vulnerabilities:
  - id: CVE-2021-23337
    reason: only used at build time
  - id: GHSA-2
    packages: [not-lodash]
  - id: GHSA-3
    expires: 2025-12-31
    reason: waiting for upstream
  - id: GHSA-4
    packages: ["pkg:npm/lodash"]
    expires: 2026-01-01
`,
    ),
  );
  const r = report([
    finding('GHSA-1', 'HIGH', { aliases: ['CVE-2021-23337'] }),
    finding('GHSA-2', 'HIGH'),
    finding('GHSA-3', 'HIGH'),
    finding('GHSA-4', 'HIGH'),
  ]);
  const out = applyFilters(r, { ignoreRules: rules, now: new Date('2026-01-01T12:00:00Z') });
  assert.deepEqual(ids(out), ['GHSA-2', 'GHSA-3'], 'GHSA-2 is scoped to another package, GHSA-3 expired');
  const suppressed = out.results[0]!.suppressedVulnerabilities!;
  assert.deepEqual(
    suppressed.map((v) => [v.id, v.suppression?.kind, v.suppression?.justification]),
    [
      ['GHSA-1', 'ignore', 'only used at build time'],
      ['GHSA-4', 'ignore', undefined],
    ],
  );
  assert.deepEqual(out.notices, ['ignore entry for GHSA-3 expired on 2025-12-31 and no longer applies']);
});

test('a malformed ignore file names the file and the field', async () => {
  const bad = file('bad-ignore.yaml', 'vulnerabilities:\n  - reason: no id\n');
  await assert.rejects(
    readIgnoreFile(bad),
    (err: BosunError) =>
      err.kind === 'config' && err.message.includes(bad) && /vulnerabilities\.0\.id/.test(err.message),
  );
  await assert.rejects(
    readIgnoreFile(path.join(dir, 'missing.yaml')),
    (err: BosunError) => err.kind === 'notFound',
  );
});

test('OpenVEX not_affected and fixed suppress with their justification; affected does not', async () => {
  const vex = await readVexFile(
    file(
      'openvex.json',
      JSON.stringify({
        '@context': 'https://openvex.dev/ns/v0.2.0',
        '@id': 'https://example.test/vex/1',
        author: 'security@example.test',
        timestamp: '2026-01-01T00:00:00Z',
        version: 1,
        statements: [
          {
            vulnerability: { name: 'CVE-2021-23337' },
            products: [{ '@id': 'app:1', subcomponents: [{ '@id': 'pkg:npm/lodash@4.17.20' }] }],
            status: 'not_affected',
            justification: 'vulnerable_code_not_in_execute_path',
          },
          {
            vulnerability: { name: 'GHSA-2' },
            products: [{ '@id': 'pkg:npm/other@1.0.0' }],
            status: 'not_affected',
            justification: 'component_not_present',
          },
          { vulnerability: { name: 'GHSA-3' }, status: 'affected', action_statement: 'upgrade' },
          { vulnerability: 'GHSA-4', status: 'fixed' },
        ],
      }),
    ),
  );
  const out = applyFilters(
    report([
      finding('GHSA-1', 'HIGH', { aliases: ['CVE-2021-23337'] }),
      finding('GHSA-2', 'HIGH'),
      finding('GHSA-3', 'HIGH'),
      finding('GHSA-4', 'LOW'),
    ]),
    { vex },
  );
  assert.deepEqual(ids(out), ['GHSA-2', 'GHSA-3']);
  const suppressed = out.results[0]!.suppressedVulnerabilities!;
  assert.equal(suppressed[0]!.suppression?.justification, 'vulnerable_code_not_in_execute_path');
  assert.match(suppressed[1]!.suppression!.statement, /^fixed/);
});

test('CycloneDX VEX: not_affected and resolved suppress; exploitable does not', async () => {
  const vex = await readVexFile(
    file(
      'cdx-vex.json',
      JSON.stringify({
        bomFormat: 'CycloneDX',
        specVersion: '1.6',
        version: 1,
        vulnerabilities: [
          {
            id: 'GHSA-1',
            analysis: { state: 'not_affected', justification: 'code_not_reachable', detail: 'never called' },
            affects: [{ ref: 'pkg:npm/lodash@4.17.20' }],
          },
          { id: 'GHSA-2', analysis: { state: 'exploitable' }, affects: [{ ref: 'pkg:npm/lodash@4.17.20' }] },
          { id: 'GHSA-3', analysis: { state: 'resolved' }, affects: [{ ref: 'pkg:npm/lodash@4.17.20' }] },
        ],
      }),
    ),
  );
  const out = applyFilters(
    report([finding('GHSA-1', 'HIGH'), finding('GHSA-2', 'HIGH'), finding('GHSA-3', 'HIGH')]),
    { vex },
  );
  assert.deepEqual(ids(out), ['GHSA-2']);
  assert.equal(
    out.results[0]!.suppressedVulnerabilities![0]!.suppression?.justification,
    'code_not_reachable: never called',
  );
  await assert.rejects(readVexFile(file('not-vex.json', '{"hello": 1}')), /neither OpenVEX/);
});

test('the gate reports every threshold crossed', async () => {
  const thresholds = await readGateFile(
    file(
      'gate.yaml',
      'security_gates:\n  container_scan:\n    critical_vulnerabilities: 0\n    high_vulnerabilities: 1\n    medium_vulnerabilities: 10\n',
    ),
  );
  const r = report([
    finding('A', 'CRITICAL'),
    finding('B', 'HIGH'),
    finding('C', 'HIGH'),
    finding('D', 'MEDIUM'),
  ]);
  assert.deepEqual(evaluateGate(r, thresholds), {
    passed: false,
    violations: ['CRITICAL vulnerabilities: 1 > 0', 'HIGH vulnerabilities: 2 > 1'],
  });
  assert.deepEqual(evaluateGate(report([finding('D', 'MEDIUM')]), thresholds), {
    passed: true,
    violations: [],
  });
  await assert.rejects(
    readGateFile(file('bad-gate.yaml', 'security_gates:\n  container_scan:\n    high_vulnerabilities: -1\n')),
    (err: BosunError) => err.kind === 'config' && /high_vulnerabilities/.test(err.message),
  );
});
