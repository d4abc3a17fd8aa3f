// End-to-end scans through the CLI, against a database imported from the shared OSV fixture
// mirror. Every expected finding below is derived by hand from the records named beside it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runBosun } from '../helpers/cli.js';
import { fixtureImages, fixtureTestOptions } from '../helpers/fixture-images.js';
import { repoRoot, sharedFixtures } from '../helpers/paths.js';
import type { Report } from '../../src/core/report.js';

const work = mkdtempSync(path.join(tmpdir(), 'bosun-e2e-scan-'));
const cacheDir = path.join(work, 'cache');
const projects = path.join(repoRoot, 'test/e2e/projects');
const alpine = path.join(sharedFixtures, 'images/alpine-3.10.docker.tar.gz');

before(async () => {
  const run = await runBosun(['db', 'import', path.join(sharedFixtures, 'osv'), '--cache-dir', cacheDir]);
  assert.equal(run.code, 0, run.stderr);
});
after(() => rmSync(work, { recursive: true, force: true }));

async function scanJson(args: string[]): Promise<{ report: Report; code: number | null; stderr: string }> {
  const run = await runBosun([...args, '--cache-dir', cacheDir, '--offline', '--format', 'json']);
  assert.ok(run.stdout.startsWith('{'), `no JSON report: ${run.stderr}`);
  return { report: JSON.parse(run.stdout) as Report, code: run.code, stderr: run.stderr };
}

/** `pkg@version id` for every finding, sorted: the shape the expectations below are written in. */
function findings(report: Report): string[] {
  return report.results
    .flatMap((r) => (r.vulnerabilities ?? []).map((v) => `${v.pkgName}@${v.installedVersion} ${v.id}`))
    .sort();
}

test('Alpine 3.10 image: 14 packages, and no Alpine:v3.10 record affects them', async () => {
  // The image has openssl 1.1.1d-r2, musl 1.1.22-r3 and busybox 1.30.1-r3. The newest v3.10 fixes
  // in the records are openssl 1.1.1d-r0, musl 1.1.22-r3 and busybox 1.30.1-r2: all at or below
  // what is installed, and no other installed source package has a v3.10 record.
  const { report, code } = await scanJson(['image', '--input', alpine]);
  assert.equal(code, 0);
  assert.deepEqual(report.artifact.os, {
    family: 'alpine',
    version: '3.10.4',
    name: 'Alpine Linux v3.10',
    ecosystem: 'Alpine:v3.10',
  });
  assert.equal(report.results[0]?.packages?.length, 14);
  assert.deepEqual(findings(report), []);
});

test('npm lockfile: lodash 4.17.20 and minimist 1.2.5 are affected, ms is not', async () => {
  // GHSA-35jh-r3h4-6jhm (CVE-2021-23337): lodash < 4.17.21. The other lodash records
  // (GHSA-p6mc-m468-83gw < 4.17.19, GHSA-jf85-cpcp-j695 < 4.17.12) are fixed below 4.17.20.
  // GHSA-xvch-5gv4-984h (CVE-2021-44906): minimist < 1.2.6. No record names ms.
  const { report } = await scanJson(['fs', path.join(projects, 'npm')]);
  assert.deepEqual(findings(report), ['lodash@4.17.20 CVE-2021-23337', 'minimist@1.2.5 CVE-2021-44906']);
  const lodash = report.results.flatMap((r) => r.vulnerabilities ?? []).find((v) => v.pkgName === 'lodash')!;
  assert.equal(lodash.fixedVersion, '4.17.21');
  assert.ok(lodash.aliases.includes('GHSA-35jh-r3h4-6jhm'));
  assert.equal(lodash.severity, 'HIGH', 'GHSA database_specific.severity');
  assert.deepEqual(
    [report.remediation?.upgrades.length, report.remediation?.fixable, report.remediation?.total],
    [2, 2, 2],
  );
});

test('pinned requirements: requests 2.19.0 and jinja2 2.10 findings, merged with their aliases', async () => {
  // requests: PYSEC-2018-28 (CVE-2018-18074, fixed 2.20.0) and PYSEC-2023-74 (CVE-2023-32681,
  // fixed 2.31.0); PYSEC-2014-13/-14 and PYSEC-2015-17 are fixed before 2.19.0.
  // jinja2: PYSEC-2019-217 (CVE-2019-10906, fixed 2.10.1) and PYSEC-2021-66 (CVE-2020-28493, 2.11.3).
  // six 1.16.0 has no record.
  const { report } = await scanJson(['fs', path.join(projects, 'python')]);
  assert.deepEqual(findings(report), [
    'jinja2@2.10 CVE-2019-10906',
    'jinja2@2.10 CVE-2020-28493',
    'requests@2.19.0 CVE-2018-18074',
    'requests@2.19.0 CVE-2023-32681',
  ]);
  const cve = report.results.flatMap((r) => r.vulnerabilities ?? []).find((v) => v.id === 'CVE-2018-18074')!;
  assert.deepEqual(cve.aliases, ['GHSA-x84v-xcm2-53pg', 'PYSEC-2018-28']);
});

test('go.mod: golang.org/x/text v0.3.5', async () => {
  // GO-2021-0113 (< 0.3.7), GO-2022-1059 (< 0.3.8), GO-2026-5970 (< 0.39.0); GO-2020-0015 (< 0.3.3) does not apply.
  const { report } = await scanJson(['fs', path.join(projects, 'go')]);
  assert.deepEqual(findings(report), [
    'golang.org/x/text@v0.3.5 CVE-2021-38561',
    'golang.org/x/text@v0.3.5 CVE-2022-32149',
    'golang.org/x/text@v0.3.5 CVE-2026-56852',
  ]);
  assert.equal(report.remediation?.upgrades[0]?.fixedVersion, '0.39.0', 'one upgrade fixes all three');
});

test('Cargo.lock: smallvec 0.6.9 and time 0.1.43', async () => {
  // smallvec: RUSTSEC-2018-0018 (< 0.6.13), RUSTSEC-2019-0009 (0.6.5 to 0.6.10), RUSTSEC-2019-0012
  // (0.6.3 to 0.6.10), RUSTSEC-2021-0003 (0.6.3 to 0.6.14); RUSTSEC-2018-0003 fixed the 0.6 series
  // at 0.6.3. time: RUSTSEC-2020-0071 (< 0.2.0); RUSTSEC-2026-0009 starts at 0.3.6. The
  // workspace crate itself (no source) is not a dependency.
  const { report } = await scanJson(['fs', path.join(projects, 'cargo')]);
  assert.deepEqual(findings(report), [
    'smallvec@0.6.9 CVE-2018-25023',
    'smallvec@0.6.9 CVE-2019-15551',
    'smallvec@0.6.9 CVE-2019-15554',
    'smallvec@0.6.9 CVE-2021-25900',
    'time@0.1.43 CVE-2020-26235',
  ]);
});

test('gradle.lockfile (Maven): commons-compress 1.20', async () => {
  // Of the ten commons-compress records: GHSA-4g9r-vxhx-9pgx (1.3 to 1.26.0) and the four fixed
  // in 1.21 (GHSA-7hfm-57qf-j43q, GHSA-crv7-7245-f45f, GHSA-mc84-pj99-q6hh, GHSA-xqfj-vm6h-2x34)
  // include 1.20; the others start after it or were fixed before it. slf4j-api has no record.
  const { report } = await scanJson(['fs', path.join(projects, 'gradle')]);
  assert.deepEqual(findings(report), [
    'org.apache.commons:commons-compress@1.20 CVE-2021-35515',
    'org.apache.commons:commons-compress@1.20 CVE-2021-35516',
    'org.apache.commons:commons-compress@1.20 CVE-2021-35517',
    'org.apache.commons:commons-compress@1.20 CVE-2021-36090',
    'org.apache.commons:commons-compress@1.20 CVE-2024-25710',
  ]);
});

test('exit codes: --exit-code with findings, 0 without, the gate, usage and database errors', async () => {
  const npm = path.join(projects, 'npm');
  const withFindings = await runBosun([
    'fs',
    npm,
    '--cache-dir',
    cacheDir,
    '--offline',
    '--exit-code',
    '13',
    '-q',
  ]);
  assert.equal(withFindings.code, 13);
  const clean = await runBosun([
    'image',
    '--input',
    alpine,
    '--cache-dir',
    cacheDir,
    '--offline',
    '--exit-code',
    '13',
  ]);
  assert.equal(clean.code, 0);
  const gateFile = path.join(work, 'gate.yaml');
  writeFileSync(
    gateFile,
    'security_gates:\n  container_scan:\n    critical_vulnerabilities: 0\n    high_vulnerabilities: 5\n',
  );
  const gate = await runBosun(['fs', npm, '--cache-dir', cacheDir, '--offline', '--gate', gateFile]);
  assert.equal(gate.code, 1);
  assert.match(gate.stderr, /gate failed:\n {2}CRITICAL vulnerabilities: 1 > 0\n/);
  const badFlag = await runBosun(['fs', npm, '--cache-dir', cacheDir, '--severity', 'SEVERE']);
  assert.equal(badFlag.code, 2);
  assert.match(badFlag.stderr, /--severity: unknown severity "SEVERE"/);
  const noDb = await runBosun(['fs', npm, '--cache-dir', path.join(work, 'empty-cache'), '--offline']);
  assert.equal(noDb.code, 6);
  assert.match(noDb.stderr, /no vulnerability database/);
});

test('ignore file expiry and VEX suppression, kept on record in the JSON report', async () => {
  const npm = path.join(projects, 'npm');
  const ignore = path.join(work, 'ignore.yaml');
  writeFileSync(
    ignore,
    'vulnerabilities:\n  - id: CVE-2021-23337\n    reason: build-time only\n  - id: GHSA-xvch-5gv4-984h\n    expires: 2020-01-01\n',
  );
  const ignored = await scanJson(['fs', npm, '--ignorefile', ignore]);
  assert.deepEqual(
    findings(ignored.report),
    ['minimist@1.2.5 CVE-2021-44906'],
    'expired entry no longer applies',
  );
  assert.match(ignored.stderr, /GHSA-xvch-5gv4-984h expired on 2020-01-01/);
  const vex = path.join(work, 'vex.json');
  writeFileSync(
    vex,
    JSON.stringify({
      '@context': 'https://openvex.dev/ns/v0.2.0',
      statements: [
        {
          vulnerability: { name: 'CVE-2021-44906' },
          products: [{ '@id': 'pkg:npm/minimist@1.2.5' }],
          status: 'not_affected',
          justification: 'vulnerable_code_not_in_execute_path',
        },
      ],
    }),
  );
  const vexed = await scanJson(['fs', npm, '--vex', vex]);
  assert.deepEqual(findings(vexed.report), ['lodash@4.17.20 CVE-2021-23337']);
  const suppressed = vexed.report.results.flatMap((r) => r.suppressedVulnerabilities ?? []);
  assert.deepEqual(
    suppressed.map((v) => [v.id, v.suppression?.justification]),
    [['CVE-2021-44906', 'vulnerable_code_not_in_execute_path']],
  );
});

test("several outputs in one run, and scan-sbom of bosun's own CycloneDX finds the same", async () => {
  const npm = path.join(projects, 'npm');
  const sarif = path.join(work, 'out.sarif');
  const cdx = path.join(work, 'out.cdx.json');
  const run = await runBosun([
    'fs',
    npm,
    '--cache-dir',
    cacheDir,
    '--offline',
    '--format',
    'table',
    '--format',
    `sarif=${sarif}`,
    '--format',
    `cyclonedx=${cdx}`,
  ]);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /Vulnerabilities: 2 \(CRITICAL: 1, HIGH: 1/);
  assert.equal(JSON.parse(readFileSync(sarif, 'utf8')).runs[0].results.length, 2);
  const bom = JSON.parse(readFileSync(cdx, 'utf8')) as {
    components: { 'bom-ref': string; name: string }[];
    vulnerabilities: { id: string; affects: { ref: string }[] }[];
  };
  const nameOf = new Map(bom.components.map((c) => [c['bom-ref'], c.name]));
  assert.deepEqual(
    bom.vulnerabilities.map((v) => `${v.affects.map((a) => nameOf.get(a.ref)).join()} ${v.id}`).sort(),
    ['lodash CVE-2021-23337', 'minimist CVE-2021-44906'],
  );
  const again = await scanJson(['scan-sbom', cdx]);
  assert.deepEqual(findings(again.report), [
    'lodash@4.17.20 CVE-2021-23337',
    'minimist@1.2.5 CVE-2021-44906',
  ]);
});

test(
  'Debian fixture image: every finding, and only those, that dpkg itself says the Debian:12 records imply',
  fixtureTestOptions(),
  async () => {
    // The oracle: unpack the image with umoci, list installed packages with dpkg-query, and decide
    // each Debian:12 record with `dpkg --compare-versions` on the source version. The fixture image
    // is built from bookworm without bookworm-security, so records converted from security updates
    // do apply to it; the two open records (zlib, glibc) apply whatever the versions.
    const images = await fixtureImages();
    const debian = images.images.debian;
    const root = path.join(work, 'debian-rootfs');
    execFileSync(
      'umoci',
      ['raw', 'unpack', '--rootless', '--image', `${debian.ociLayout}:${debian.ociTag}`, root],
      { stdio: 'ignore' },
    );
    const installed = execFileSync(
      'dpkg-query',
      [
        `--admindir=${root}/var/lib/dpkg`,
        '-W',
        '-f=${Package}\t${source:Package}\t${source:Version}\t${db:Status-Abbrev}\n',
      ],
      { encoding: 'utf8' },
    )
      .trim()
      .split('\n')
      .map((line) => line.split('\t'))
      .filter((f) => f[3]!.startsWith('ii'))
      .map(([name, src, srcVersion]) => ({ name: name!, src: src!, srcVersion: srcVersion! }));
    const recordsDir = path.join(sharedFixtures, 'osv/Debian');
    const checks: { binary: string; id: string; cves: string[]; fixed?: string; version: string }[] = [];
    for (const file of readdirSync(recordsDir).filter((f) => f.endsWith('.json'))) {
      const record = JSON.parse(readFileSync(path.join(recordsDir, file), 'utf8'));
      const cves = [...(record.upstream ?? []), ...(record.aliases ?? [])].filter((x: string) =>
        /^CVE-/.test(x),
      );
      for (const affected of record.affected ?? []) {
        if (affected.package.ecosystem !== 'Debian:12') continue;
        for (const pkg of installed.filter((p) => p.src === affected.package.name)) {
          for (const r of affected.ranges ?? []) {
            const fixed = r.events.find((e: { fixed?: string }) => e.fixed)?.fixed;
            checks.push({ binary: pkg.name, id: record.id, cves, fixed, version: pkg.srcVersion });
          }
        }
      }
    }
    // One bash process runs every comparison: "1" when the installed version is below the fix.
    const script = checks
      .map((c) =>
        c.fixed ? `dpkg --compare-versions '${c.version}' lt '${c.fixed}' && echo 1 || echo 0` : 'echo 1',
      )
      .join('\n');
    const verdicts = execFileSync('bash', ['-c', script], { encoding: 'utf8', maxBuffer: 1 << 24 })
      .trim()
      .split('\n');
    const affected = checks.filter((_, i) => verdicts[i] === '1');
    // One finding per package and CVE; a record bundling several CVEs only adds an alias to them.
    const expected = new Set<string>();
    for (const c of affected) if (c.cves.length <= 1) expected.add(`${c.binary} ${c.cves[0] ?? c.id}`);
    for (const c of affected) {
      if (c.cves.length > 1 && !c.cves.some((cve) => expected.has(`${c.binary} ${cve}`)))
        expected.add(`${c.binary} ${c.id}`);
    }

    const { report } = await scanJson(['image', '--input', debian.dockerArchive]);
    assert.equal(report.artifact.os?.ecosystem, 'Debian:12');
    const found = report.results.flatMap((r) => r.vulnerabilities ?? []);
    assert.deepEqual(found.map((v) => `${v.pkgName} ${v.id}`).sort(), [...expected].sort());
    assert.ok(
      expected.has('zlib1g CVE-2023-45853') && expected.has('libc6 CVE-2019-1010022'),
      'the open records are among them',
    );
    assert.equal(found.find((v) => v.pkgName === 'zlib1g')?.status, 'affected', 'no fix exists');
    const layerIds = new Set(report.artifact.layers?.map((l) => l.diffId));
    assert.ok(
      found.every((v) => v.layer && layerIds.has(v.layer.diffId)),
      'each finding names the layer that brought its package',
    );
  },
);
