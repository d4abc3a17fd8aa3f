import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Package } from '../core/package.js';
import { importPath, openVulnDb, type VulnDb } from '../vulndb/index.js';
import { matchPackages } from './match-packages.js';

const dir = mkdtempSync(path.join(tmpdir(), 'bosun-match-test-'));
let db: VulnDb;

function record(id: string, affected: object[], extra: object = {}): object {
  return { schema_version: '1.6.0', id, modified: '2026-01-01T00:00:00Z', affected, ...extra };
}
function range(ecosystem: string, name: string, fixed?: string, introduced = '0'): object {
  return {
    package: { ecosystem, name },
    ranges: [{ type: 'ECOSYSTEM', events: [{ introduced }, ...(fixed ? [{ fixed }] : [])] }],
  };
}

test.before(async () => {
  const records: Record<string, object[]> = {
    Debian: [
      record('DEBIAN-CVE-2024-1000', [range('Debian:12', 'openssl', '3.0.11-1~deb12u2')], {
        upstream: ['CVE-2024-1000'],
        summary: 'openssl bug',
        severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }],
      }),
      record('DSA-5555-1', [range('Debian:12', 'openssl', '3.0.13-1~deb12u1')], {
        aliases: ['CVE-2024-1000'],
        references: [{ type: 'ADVISORY', url: 'https://security-tracker.debian.org/tracker/DSA-5555-1' }],
      }),
      record('DEBIAN-CVE-2024-2000', [range('Debian:11', 'openssl', '9.9')], { upstream: ['CVE-2024-2000'] }),
      record('DEBIAN-CVE-2024-4001', [range('Debian:12', 'curl', '7.88.1-10+deb12u5')], {
        upstream: ['CVE-2024-4001'],
      }),
      record('DEBIAN-CVE-2024-4002', [range('Debian:12', 'curl', '7.88.1-10+deb12u6')], {
        upstream: ['CVE-2024-4002'],
      }),
      record('DSA-6000-1', [range('Debian:12', 'curl', '7.88.1-10+deb12u7')], {
        aliases: ['CVE-2024-4001', 'CVE-2024-4002'],
      }),
      record('DSA-6001-1', [range('Debian:12', 'git', '1:2.39.5-0+deb12u1')], {
        aliases: ['CVE-2024-5001', 'CVE-2024-5002'],
      }),
      record('DEBIAN-CVE-2024-3000', [range('Debian:12', 'python-requests')], {
        upstream: ['CVE-2024-3000'],
      }),
    ],
    Ubuntu: [
      record('UBUNTU-CVE-2023-45853', [range('Ubuntu:22.04:LTS', 'zlib', '1:1.2.11.dfsg-2ubuntu9.3')], {
        related: ['CVE-2023-45853', 'USN-7107-1'],
      }),
      record('USN-7107-1', [range('Ubuntu:22.04:LTS', 'zlib', '1:1.2.11.dfsg-2ubuntu9.2')], {
        related: ['CVE-2023-45853'],
      }),
    ],
    PyPI: [
      record('GHSA-aaaa-bbbb-cccc', [range('PyPI', 'requests', '2.32.0')], { aliases: ['CVE-2024-3000'] }),
    ],
    'Red Hat': [
      record('RHSA-2024:0001', [
        range('Red Hat:enterprise_linux:9::appstream', 'curl', '0:7.76.1-29.el9'),
        range('Red Hat:enterprise_linux:8::appstream', 'curl', '0:7.61.1-40.el8'),
      ]),
    ],
  };
  for (const [eco, list] of Object.entries(records)) {
    mkdirSync(path.join(dir, 'osv', eco), { recursive: true });
    for (const r of list)
      writeFileSync(
        path.join(dir, 'osv', eco, `${(r as { id: string }).id.replace(':', '_')}.json`),
        JSON.stringify(r),
      );
  }
  await importPath(path.join(dir, 'osv'), { cacheDir: path.join(dir, 'cache') });
  db = openVulnDb({ cacheDir: path.join(dir, 'cache') });
});
test.after(() => {
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

function pkg(over: Partial<Package> & Pick<Package, 'name' | 'version' | 'type'>): Package {
  return {
    id: `${over.type}:${over.name}@${over.version}`,
    ecosystem: 'Debian:12',
    purl: '',
    locations: [{ path: 'var/lib/dpkg/status', layerDiffId: 'sha256:base' }],
    ...over,
  };
}

const debianOs = { family: 'debian', version: '12', ecosystem: 'Debian:12' };

test('OS packages match by source package and release; aliases merge into one CVE finding with the fix for all', () => {
  const libssl = pkg({
    name: 'libssl3',
    version: '3.0.11-1~deb12u1',
    type: 'dpkg',
    srcName: 'openssl',
    srcVersion: '3.0.11-1~deb12u1',
  });
  const { findings, errors } = matchPackages([libssl], db, {
    os: debianOs,
    baseLayers: new Set(['sha256:base']),
  });
  assert.deepEqual(errors, []);
  const list = findings.get(libssl.id)!;
  assert.equal(
    list.length,
    1,
    'DEBIAN-CVE and DSA naming the same CVE are one finding; Debian:11 records do not apply',
  );
  const [f] = list;
  assert.equal(f!.id, 'CVE-2024-1000');
  assert.deepEqual(f!.aliases, ['DEBIAN-CVE-2024-1000', 'DSA-5555-1']);
  assert.equal(f!.fixedVersion, '3.0.13-1~deb12u1', 'the highest fix of the merged records fixes them all');
  assert.equal(f!.status, 'fixed');
  assert.equal(f!.severity, 'CRITICAL');
  assert.equal(f!.pkgName, 'libssl3');
  assert.deepEqual(f!.references, ['https://security-tracker.debian.org/tracker/DSA-5555-1']);
  assert.equal(f!.fromBaseImage, true);
  const fixedPkg = pkg({
    name: 'libssl3',
    version: '3.0.13-1~deb12u1',
    type: 'dpkg',
    srcName: 'openssl',
    srcVersion: '3.0.13-1~deb12u1',
  });
  assert.equal(matchPackages([fixedPkg], db, { os: debianOs }).findings.size, 0);
});

test('a language package an OS package installed is matched through its owner only', () => {
  const owner = pkg({
    name: 'python3-requests',
    version: '2.28.1+dfsg-1',
    type: 'dpkg',
    srcName: 'python-requests',
  });
  const owned = pkg({
    name: 'requests',
    version: '2.28.1',
    type: 'python',
    ecosystem: 'PyPI',
    ownerId: owner.id,
    locations: [{ path: 'usr/lib/python3/dist-packages/requests-2.28.1.dist-info/METADATA' }],
  });
  const pipInstalled = pkg({
    name: 'requests',
    version: '2.28.1',
    type: 'python',
    ecosystem: 'PyPI',
    id: 'python:requests@2.28.1:venv',
    locations: [{ path: 'venv/requests-2.28.1.dist-info/METADATA' }],
  });
  const { findings } = matchPackages([owner, owned, pipInstalled], db, { os: debianOs });
  assert.deepEqual(
    findings.get(owner.id)?.map((f) => [f.id, f.status]),
    [['CVE-2024-3000', 'affected']],
  );
  assert.equal(findings.get(owned.id), undefined, 'no GHSA finding for the distro-owned copy');
  assert.deepEqual(
    findings.get(pipInstalled.id)?.map((f) => [f.id, f.fixedVersion]),
    [['CVE-2024-3000', '2.32.0']],
  );
});

test('third-party OS packages and unparseable versions are not matched; the latter are reported', () => {
  const third = pkg({ name: 'openssl', version: '1.0', type: 'dpkg', thirdParty: true });
  const bad = pkg({ name: 'openssl', version: 'not a version!', type: 'dpkg' });
  const { findings, errors } = matchPackages([third, bad], db, { os: debianOs });
  assert.equal(findings.size, 0);
  assert.equal(errors.length, 1);
  assert.match(errors[0]!.message, /not a version!: not a valid Debian:12 version/);
});

test('Red Hat ecosystems match every repository of the release', () => {
  const curl = pkg({
    name: 'curl',
    version: '7.76.1-26.el9',
    type: 'rpm',
    ecosystem: 'Red Hat:enterprise_linux:9',
    locations: [{ path: 'var/lib/rpm/rpmdb.sqlite' }],
  });
  const { findings } = matchPackages([curl], db, {});
  assert.deepEqual(
    findings.get(curl.id)?.map((f) => [f.id, f.fixedVersion]),
    [['RHSA-2024:0001', '0:7.76.1-29.el9']],
  );
});

test('an Ubuntu CVE record is merged with its CVE, a USN that only relates to it is not', () => {
  const zlib = pkg({
    name: 'zlib1g',
    version: '1:1.2.11.dfsg-2ubuntu9',
    type: 'dpkg',
    srcName: 'zlib',
    ecosystem: 'Ubuntu:22.04:LTS',
  });
  const { findings } = matchPackages([zlib], db, {});
  assert.deepEqual(
    findings.get(zlib.id)?.map((f) => [f.id, f.aliases]),
    [
      ['CVE-2023-45853', ['UBUNTU-CVE-2023-45853']],
      ['USN-7107-1', []],
    ],
  );
});

test('a DSA that bundles several CVEs joins each CVE finding instead of merging them', () => {
  const curl = pkg({ name: 'curl', version: '7.88.1-10+deb12u4', type: 'dpkg', srcName: 'curl' });
  const git = pkg({ name: 'git', version: '1:2.39.2-1.1', type: 'dpkg', srcName: 'git' });
  const { findings } = matchPackages([curl, git], db, { os: debianOs });
  assert.deepEqual(
    findings.get(curl.id)?.map((f) => [f.id, f.aliases, f.fixedVersion]),
    [
      ['CVE-2024-4001', ['DEBIAN-CVE-2024-4001', 'DSA-6000-1'], '7.88.1-10+deb12u7'],
      ['CVE-2024-4002', ['DEBIAN-CVE-2024-4002', 'DSA-6000-1'], '7.88.1-10+deb12u7'],
    ],
  );
  assert.deepEqual(
    findings.get(git.id)?.map((f) => [f.id, f.aliases]),
    [['DSA-6001-1', ['CVE-2024-5001', 'CVE-2024-5002']]],
  );
});
