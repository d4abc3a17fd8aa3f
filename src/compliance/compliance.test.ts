import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Misconfiguration, Report, Result, VulnerabilityFinding } from '../core/report.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { evaluateGate, readGateFile } from '../gate/gate-file.js';
import { checkImageConfig } from '../misconfig/image-config.js';
import { cisDocker, complianceTable, evaluateCompliance, pciDss } from './index.js';

function report(results: Result[]): Report {
  return {
    schemaVersion: 1,
    createdAt: '2026-01-01T00:00:00Z',
    artifact: { name: 'app:1', type: 'container_image' },
    results,
    errors: [],
  };
}

function vuln(
  id: string,
  severity: VulnerabilityFinding['severity'],
  status: VulnerabilityFinding['status'],
): VulnerabilityFinding {
  return {
    id,
    aliases: [],
    pkgId: 'p',
    pkgName: 'openssl',
    installedVersion: '1',
    fixedVersion: '2',
    status,
    severity,
  };
}

const configResult = (misconfigurations: Misconfiguration[]): Result => ({
  target: 'image config',
  class: 'config',
  type: 'image-config',
  misconfigurations,
});

function statuses(r: Report, spec = cisDocker): Record<string, string> {
  return Object.fromEntries(evaluateCompliance(r, spec).controls.map((c) => [c.id, c.status]));
}

describe('CIS Docker Benchmark section 4', () => {
  it('a clean report passes every automated control: 7 pass, 5 manual, score 100', () => {
    const result = evaluateCompliance(report([]), cisDocker);
    assert.deepEqual(
      result.controls.map((c) => c.id),
      ['4.1', '4.2', '4.3', '4.4', '4.5', '4.6', '4.7', '4.8', '4.9', '4.10', '4.11', '4.12'],
    );
    assert.deepEqual(result.summary, { pass: 7, fail: 0, manual: 5, score: 100 });
    for (const c of result.controls.filter((x) => x.status === 'manual')) assert.ok(c.reason, c.id);
  });

  it('the image-config checks fail the controls they name', () => {
    const found = checkImageConfig({
      config: { User: 'root', Env: ['API_TOKEN=abc'] },
      history: [
        { created_by: '/bin/sh -c apt-get update' },
        { created_by: 'ADD https://x.example/a /a # buildkit' },
      ],
    });
    const s = statuses(report([configResult(found)]));
    assert.deepEqual(
      Object.entries(s)
        .filter(([, v]) => v === 'fail')
        .map(([k]) => k),
      ['4.1', '4.6', '4.7', '4.9', '4.10'],
    );
  });

  it('4.4 fails on any fixable vulnerability; unfixed ones do not count', () => {
    const os: Result = {
      target: 'app (debian 12)',
      class: 'os-pkgs',
      type: 'dpkg',
      vulnerabilities: [vuln('CVE-1', 'LOW', 'affected')],
    };
    assert.equal(statuses(report([os]))['4.4'], 'pass');
    os.vulnerabilities!.push(vuln('CVE-2', 'LOW', 'fixed'));
    const result = evaluateCompliance(report([os]), cisDocker);
    const c44 = result.controls.find((c) => c.id === '4.4')!;
    assert.equal(c44.status, 'fail');
    assert.deepEqual(
      c44.findings.map((f) => f.id),
      ['CVE-2'],
    );
    assert.equal(result.summary.score, 85.7);
  });

  it('4.10 fails on secrets in files; manual 4.3 lists package caches without failing', () => {
    const secret: Result = {
      target: 'app/.env',
      class: 'secret',
      type: 'secret',
      secrets: [
        {
          ruleId: 'github-pat',
          category: 'GitHub',
          title: 'GitHub PAT',
          severity: 'CRITICAL',
          path: 'app/.env',
          line: 2,
          match: 'ghp_****',
        },
      ],
    };
    const cache: Result = {
      target: 'var/cache/apt/archives/x.deb',
      class: 'config',
      type: 'file',
      misconfigurations: [
        {
          id: 'BOSUN-IMG-009',
          title: 't',
          severity: 'LOW',
          message: 'm',
          controls: ['CIS-DI-4.3'],
          path: 'var/cache/apt/archives/x.deb',
        },
      ],
    };
    const result = evaluateCompliance(report([secret, cache]), cisDocker);
    const by = Object.fromEntries(result.controls.map((c) => [c.id, c]));
    assert.equal(by['4.10']!.status, 'fail');
    assert.equal(by['4.10']!.findings[0]!.message, 'GitHub PAT at line 2');
    assert.equal(by['4.3']!.status, 'manual');
    assert.equal(by['4.3']!.findings.length, 1);
    assert.match(
      complianceTable(result),
      /^FAIL {3}4\.10 {4}Ensure secrets are not stored in Dockerfiles\n {15}- github-pat app\/\.env: GitHub PAT at line 2$/m,
    );
  });
});

describe('PCI DSS 4.0', () => {
  it('6.3.3 fails only on fixable CRITICAL/HIGH; 8.6.2 on hard-coded credentials; 2.2.4 on SSH', () => {
    const os: Result = {
      target: 'os',
      class: 'os-pkgs',
      type: 'dpkg',
      vulnerabilities: [vuln('CVE-M', 'MEDIUM', 'fixed'), vuln('CVE-H', 'HIGH', 'affected')],
    };
    assert.equal(statuses(report([os]), pciDss)['6.3.3'], 'pass');
    os.vulnerabilities!.push(vuln('CVE-C', 'CRITICAL', 'fixed'));
    const config = configResult(
      checkImageConfig({
        config: {
          User: 'app',
          ExposedPorts: { '22/tcp': {} },
          Env: ['DB_PASSWORD=x'],
          Healthcheck: { Test: ['CMD', 'true'] },
        },
      }),
    );
    assert.deepEqual(statuses(report([os, config]), pciDss), {
      '2.2.1': 'manual',
      '2.2.4': 'fail',
      '2.2.6': 'pass',
      '6.3.1': 'manual',
      '6.3.3': 'fail',
      '7.2.2': 'pass',
      '8.6.2': 'fail',
      '11.3.1': 'manual',
    });
  });
});

describe('gate file compliance', () => {
  it('fails when a listed spec has failing controls, naming the spec and count', () => {
    const r = report([configResult(checkImageConfig({ config: { User: 'root' } }))]);
    assert.deepEqual(evaluateGate(r, { compliance: ['cis_docker'] }), {
      passed: false,
      violations: ['compliance cis_docker: 2 failing control(s)'],
    });
    assert.deepEqual(evaluateGate(report([]), { compliance: ['cis_docker', 'pci_dss'] }), {
      passed: true,
      violations: [],
    });
  });

  it('the gate file accepts compliance: [cis_docker, pci_dss] and rejects unknown specs', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bosun-gate-'));
    const good = path.join(dir, 'gate.yaml');
    writeFileSync(good, 'security_gates:\n  container_scan:\n    compliance: [cis_docker, pci_dss]\n');
    assert.deepEqual((await readGateFile(good)).compliance, ['cis_docker', 'pci_dss']);
    const bad = path.join(dir, 'bad.yaml');
    writeFileSync(bad, 'security_gates:\n  container_scan:\n    compliance: [hipaa]\n');
    await assert.rejects(readGateFile(bad), { kind: 'config' });
  });
});
