// Misconfiguration and compliance checks through the CLI: `bosun config` on a directory of
// Dockerfiles and manifests, and the image-config checks on the fixture images, where the
// "secrets" image has USER root and EXPOSE 22 planted (test/fixtures/build-images.sh).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ComplianceReport } from '../../src/compliance/index.js';
import type { Report } from '../../src/core/report.js';
import { runBosun } from '../helpers/cli.js';
import { fixtureImages, fixtureTestOptions } from '../helpers/fixture-images.js';
import { repoRoot, sharedFixtures } from '../helpers/paths.js';

const work = mkdtempSync(path.join(tmpdir(), 'bosun-e2e-config-'));
after(() => rmSync(work, { recursive: true, force: true }));

function ids(report: Report, target: string): string[] {
  return (report.results.find((r) => r.target === target)?.misconfigurations ?? []).map((m) => m.id).sort();
}

describe('bosun config', () => {
  const project = path.join(work, 'project');
  before(() => {
    mkdirSync(path.join(project, 'deploy'), { recursive: true });
    mkdirSync(path.join(project, 'node_modules/x'), { recursive: true });
    writeFileSync(path.join(project, 'Dockerfile'), 'FROM node\nEXPOSE 22\nRUN apt-get update\n');
    writeFileSync(path.join(project, 'api.Dockerfile'), 'FROM node:22\nHEALTHCHECK CMD true\nUSER node\n');
    writeFileSync(path.join(project, 'node_modules/x/Dockerfile'), 'FROM evil\n');
    writeFileSync(path.join(project, 'README.md'), '# not config\n');
    cpSync(path.join(repoRoot, 'src/misconfig/testdata/k8s'), path.join(project, 'deploy'), {
      recursive: true,
    });
  });

  it('finds Dockerfiles by name and YAML manifests, skipping node_modules; JSON with lines', async () => {
    const run = await runBosun(['config', project, '--format', 'json']);
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout) as Report;
    assert.deepEqual(
      report.results.map((r) => [r.target, r.type]),
      [
        ['Dockerfile', 'dockerfile'],
        ['api.Dockerfile', 'dockerfile'],
        ['deploy/insecure.yaml', 'kubernetes'],
        ['deploy/restricted.yaml', 'kubernetes'],
      ],
    );
    assert.deepEqual(ids(report, 'Dockerfile'), [
      'BOSUN-DF-001',
      'BOSUN-DF-002',
      'BOSUN-DF-003',
      'BOSUN-DF-005',
      'BOSUN-DF-006',
    ]);
    assert.deepEqual(ids(report, 'api.Dockerfile'), []);
    assert.deepEqual(ids(report, 'deploy/restricted.yaml'), []);
    const insecure = report.results.find((r) => r.target === 'deploy/insecure.yaml')!.misconfigurations!;
    assert.equal(insecure.length, 52);
    assert.ok(
      insecure.some(
        (m) => m.id === 'BOSUN-K8S-003' && m.line === 20 && m.resource === 'DaemonSet/monitoring/node-agent',
      ),
    );
  });

  it('--allowed-registries, --severity and --exit-code', async () => {
    const file = path.join(project, 'deploy/restricted.yaml');
    const run = await runBosun([
      'config',
      file,
      '--format',
      'json',
      '--allowed-registries',
      'quay.io/acme',
      '--severity',
      'HIGH',
      '--exit-code',
      '3',
    ]);
    assert.equal(run.code, 3, run.stderr);
    const found = (JSON.parse(run.stdout) as Report).results.flatMap((r) => r.misconfigurations ?? []);
    assert.deepEqual(
      found.map((m) => `${m.id} ${m.line}`),
      ['BOSUN-K8S-021 39', 'BOSUN-K8S-021 50'],
    );
  });

  it('--policy: findings from CEL policies; a broken policy stops with exit 7 naming it', async () => {
    const policies = path.join(repoRoot, 'src/misconfig/testdata/policies');
    const ok = await runBosun([
      'config',
      path.join(project, 'deploy'),
      '--format',
      'json',
      '--policy',
      path.join(policies, 'good'),
    ]);
    assert.equal(ok.code, 0, ok.stderr);
    const found = (JSON.parse(ok.stdout) as Report).results.flatMap((r) => r.misconfigurations ?? []);
    assert.deepEqual(
      found.filter((m) => m.id.startsWith('POLICY-')).map((m) => `${m.id} ${m.resource}`),
      ['POLICY-namespaces-labelled Namespace/shop'],
    );
    const bad = await runBosun(['config', project, '--policy', path.join(policies, 'broken')]);
    assert.equal(bad.code, 7);
    assert.match(
      bad.stderr,
      /policy .*broken\/bad\.yaml \(broken\), validations\[0\] "object\.spec\.replicas <= "/,
    );
  });

  it('a missing path is exit 3; the table names the findings', async () => {
    assert.equal((await runBosun(['config', path.join(work, 'nope')])).code, 3);
    const table = await runBosun(['config', path.join(project, 'Dockerfile')]);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /BOSUN-DF-002/);
  });
});

describe('image-config checks on the fixture images', fixtureTestOptions(), () => {
  async function scan(archive: string): Promise<Report> {
    const run = await runBosun([
      'image',
      '--input',
      archive,
      '--scanners',
      'misconfig',
      '--format',
      'json',
      '--cache-dir',
      path.join(work, 'cache'),
      '--offline',
    ]);
    assert.equal(run.code, 0, run.stderr);
    return JSON.parse(run.stdout) as Report;
  }

  it('the secrets image: exactly root user, port 22, no healthcheck and the ENV password', async () => {
    const { secrets } = (await fixtureImages()).images;
    assert.equal(secrets.config.user, 'root');
    assert.deepEqual(secrets.config.exposedPorts, ['22/tcp']);
    const report = await scan(secrets.dockerArchive);
    const config = report.results.find((r) => r.target === 'image config')!;
    assert.equal(config.type, 'image-config');
    assert.deepEqual(
      config.misconfigurations!.map((m) => `${m.id} ${m.message}`),
      [
        'BOSUN-IMG-001 USER is "root", the root user',
        'BOSUN-IMG-002 Port 22/tcp (SSH) is exposed',
        'BOSUN-IMG-003 The image has no HEALTHCHECK',
        `BOSUN-IMG-004 ENV ${Object.keys(secrets.config.env)[0]} holds a value that looks like a credential`,
      ],
    );
    // Debian's setuid/setgid binaries (su, passwd, mount, …) are file findings, one per file.
    const setuid = report.results.filter((r) => r.misconfigurations?.some((m) => m.id === 'BOSUN-IMG-008'));
    assert.ok(setuid.some((r) => r.target === 'usr/bin/su'));
  });

  it('the Debian image: user app, healthcheck, port 8080 — no image-config findings; its apt cache is found', async () => {
    const { debian } = (await fixtureImages()).images;
    const report = await scan(debian.dockerArchive);
    assert.equal(
      report.results.find((r) => r.target === 'image config'),
      undefined,
    );
    const caches = report.results.filter((r) => r.misconfigurations?.some((m) => m.id === 'BOSUN-IMG-009'));
    for (const { name } of debian.installed) {
      assert.ok(
        caches.some((r) => r.target.startsWith(`var/cache/apt/archives/${name}_`)),
        name,
      );
    }
  });

  it('compliance --spec cis-docker on the Debian and secrets images, with the OSV fixtures imported', async () => {
    const { debian, secrets } = (await fixtureImages()).images;
    const cacheDir = path.join(work, 'cache');
    const imported = await runBosun([
      'db',
      'import',
      path.join(sharedFixtures, 'osv'),
      '--cache-dir',
      cacheDir,
    ]);
    assert.equal(imported.code, 0, imported.stderr);
    const statuses = async (archive: string): Promise<Record<string, string>> => {
      const run = await runBosun([
        'compliance',
        '--input',
        archive,
        '--spec',
        'cis-docker',
        '--format',
        'json',
        '--cache-dir',
        cacheDir,
      ]);
      assert.equal(run.code, 0, run.stderr);
      const result = JSON.parse(run.stdout) as ComplianceReport;
      assert.equal(result.controls.length, 12);
      return Object.fromEntries(result.controls.map((c) => [c.id, c.status]));
    };
    const manual = { '4.2': 'manual', '4.3': 'manual', '4.5': 'manual', '4.11': 'manual', '4.12': 'manual' };
    // Debian: user app and a healthcheck; fixable CVEs from the OSV fixtures; su/passwd are setuid.
    assert.deepEqual(await statuses(debian.dockerArchive), {
      ...manual,
      '4.1': 'pass',
      '4.4': 'fail',
      '4.6': 'pass',
      '4.7': 'pass',
      '4.8': 'fail',
      '4.9': 'pass',
      '4.10': 'pass',
    });
    // secrets: USER root, no healthcheck, planted credentials.
    const s = await statuses(secrets.dockerArchive);
    assert.deepEqual([s['4.1'], s['4.6'], s['4.10']], ['fail', 'fail', 'fail']);
    // The table, and --exit-code when a control fails.
    const table = await runBosun([
      'compliance',
      '--input',
      debian.dockerArchive,
      '--spec',
      'pci-dss',
      '--exit-code',
      '4',
      '--cache-dir',
      cacheDir,
    ]);
    assert.equal(table.code, 4, table.stderr);
    assert.match(table.stdout, /^FAIL {3}2\.2\.6 {3}System security parameters/m);
  });

  it('a gate with compliance: [cis_docker] fails the image scan', async () => {
    const { secrets } = (await fixtureImages()).images;
    const gate = path.join(work, 'gate.yaml');
    writeFileSync(gate, 'security_gates:\n  container_scan:\n    compliance: [cis_docker]\n');
    const run = await runBosun([
      'image',
      '--input',
      secrets.dockerArchive,
      '--scanners',
      'misconfig',
      '--gate',
      gate,
      '--format',
      'json',
      '--cache-dir',
      path.join(work, 'cache'),
      '--offline',
    ]);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /compliance cis_docker: 4 failing control\(s\)/);
  });

  it('config --image with an ImageConfig policy: the vendor label the Debian image has and the secrets image lacks', async () => {
    const { debian, secrets } = (await fixtureImages()).images;
    const policies = path.join(repoRoot, 'src/misconfig/testdata/policies/good');
    const check = async (archive: string): Promise<string[]> => {
      const run = await runBosun(['config', '--image', archive, '--policy', policies, '--format', 'json']);
      assert.equal(run.code, 0, run.stderr);
      return (JSON.parse(run.stdout) as Report).results
        .flatMap((r) => r.misconfigurations ?? [])
        .map((m) => m.id);
    };
    assert.deepEqual(await check(debian.dockerArchive), []);
    assert.deepEqual(await check(secrets.dockerArchive), [
      'BOSUN-IMG-001',
      'BOSUN-IMG-002',
      'BOSUN-IMG-003',
      'BOSUN-IMG-004',
      'POLICY-image-has-maintainer-label',
    ]);
  });
});
