import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sharedFixtures } from '../../../test/helpers/paths.js';
import { readFromDockerArchive, runAnalyzer } from '../pkg/test-input.js';
import { osAnalyzer, pickOs } from './index.js';

const osOf = async (p: string, text: string | Buffer) => (await runAnalyzer(osAnalyzer, p, text))?.os;

describe('os analyzer: real files', () => {
  it("reads this machine's os-release and agrees with its fields", async () => {
    const text = readFileSync('/etc/os-release', 'utf8');
    const fields = Object.fromEntries(
      text
        .split('\n')
        .filter((l) => l.includes('='))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1).replace(/^"|"$/g, '')]),
    );
    const os = await osOf('etc/os-release', text);
    assert.equal(os?.family, fields.ID);
    assert.equal(os?.version, fields.VERSION_ID);
    assert.equal(os?.name, fields.PRETTY_NAME);
    if (fields.ID === 'debian') assert.equal(os?.ecosystem, `Debian:${fields.VERSION_ID}`);
  });

  it('reads the os-release and alpine-release of the real Alpine 3.10 image', async () => {
    const files = await readFromDockerArchive(path.join(sharedFixtures, 'images/alpine-3.10.docker.tar.gz'), [
      'etc/os-release',
      'etc/alpine-release',
    ]);
    const fromOsRelease = await osOf('etc/os-release', files.get('etc/os-release') ?? '');
    assert.deepEqual(fromOsRelease, {
      family: 'alpine',
      version: '3.10.4',
      name: 'Alpine Linux v3.10',
      ecosystem: 'Alpine:v3.10',
    });
    const fromAlpine = await osOf('etc/alpine-release', files.get('etc/alpine-release') ?? '');
    assert.deepEqual(fromAlpine, { family: 'alpine', version: '3.10.4', ecosystem: 'Alpine:v3.10' });
  });
});

describe('os analyzer: OSV ecosystems per distro', () => {
  const osRelease = (fields: Record<string, string>) =>
    Object.entries(fields)
      .map(([k, v]) => `${k}="${v}"`)
      .join('\n');
  const cases: [string, Record<string, string>, string | undefined][] = [
    [
      'Ubuntu LTS',
      { ID: 'ubuntu', VERSION_ID: '22.04', VERSION: '22.04.3 LTS (Jammy Jellyfish)' },
      'Ubuntu:22.04:LTS',
    ],
    [
      'Ubuntu interim',
      { ID: 'ubuntu', VERSION_ID: '23.10', VERSION: '23.10 (Mantic Minotaur)' },
      'Ubuntu:23.10',
    ],
    ['Ubuntu 24.04', { ID: 'ubuntu', VERSION_ID: '24.04' }, 'Ubuntu:24.04:LTS'],
    ['Debian 12', { ID: 'debian', VERSION_ID: '12', VERSION_CODENAME: 'bookworm' }, 'Debian:12'],
    [
      'Debian testing',
      { ID: 'debian', VERSION_CODENAME: 'trixie', PRETTY_NAME: 'Debian GNU/Linux trixie/sid' },
      'Debian:13',
    ],
    ['Debian sid', { ID: 'debian', PRETTY_NAME: 'Debian GNU/Linux trixie/sid' }, undefined],
    ['Alpine', { ID: 'alpine', VERSION_ID: '3.19.1' }, 'Alpine:v3.19'],
    ['Rocky', { ID: 'rocky', VERSION_ID: '9.3', ID_LIKE: 'rhel centos fedora' }, 'Rocky Linux:9'],
    ['Alma', { ID: 'almalinux', VERSION_ID: '8.9' }, 'AlmaLinux:8'],
    ['RHEL', { ID: 'rhel', VERSION_ID: '9.3' }, 'Red Hat:enterprise_linux:9'],
    ['CentOS (no OSV data)', { ID: 'centos', VERSION_ID: '7' }, undefined],
    [
      'openSUSE Leap',
      { ID: 'opensuse-leap', VERSION_ID: '15.5', PRETTY_NAME: 'openSUSE Leap 15.5' },
      'openSUSE:Leap 15.5',
    ],
    [
      'openSUSE Leap Micro',
      { ID: 'opensuse-leap-micro', VERSION_ID: '5.5', PRETTY_NAME: 'openSUSE Leap Micro 5.5' },
      'openSUSE:Leap Micro 5.5',
    ],
    ['openSUSE Tumbleweed', { ID: 'opensuse-tumbleweed', VERSION_ID: '20240101' }, 'openSUSE:Tumbleweed'],
    [
      'SLES',
      { ID: 'sles', VERSION_ID: '15.5', PRETTY_NAME: 'SUSE Linux Enterprise Server 15 SP5' },
      'SUSE:Linux Enterprise Server 15 SP5',
    ],
    ['Wolfi', { ID: 'wolfi', VERSION_ID: '20230201', PRETTY_NAME: 'Wolfi' }, 'Wolfi'],
    ['Chainguard', { ID: 'chainguard', VERSION_ID: '20230214' }, 'Chainguard'],
    ['Mageia', { ID: 'mageia', VERSION_ID: '9' }, 'Mageia:9'],
    ['Photon', { ID: 'photon', VERSION_ID: '5.0' }, 'Photon OS:5.0'],
    ['Azure Linux', { ID: 'azurelinux', VERSION_ID: '3.0' }, 'Azure Linux:3'],
    ['CBL-Mariner', { ID: 'mariner', VERSION_ID: '2.0' }, 'Azure Linux:2'],
    [
      'openEuler LTS',
      { ID: 'openEuler', VERSION_ID: '24.03', VERSION: '24.03 (LTS-SP1)' },
      'openEuler:24.03-LTS-SP1',
    ],
  ];
  for (const [name, fields, ecosystem] of cases) {
    it(name, async () => {
      const os = await osOf('etc/os-release', osRelease(fields));
      assert.equal(os?.family, (fields.ID as string).toLowerCase());
      assert.equal(os?.ecosystem, ecosystem);
    });
  }
});

describe('os analyzer: release files other than os-release', () => {
  it('debian_version: number, testing codename, sid', async () => {
    assert.deepEqual(await osOf('etc/debian_version', '12.4\n'), {
      family: 'debian',
      version: '12.4',
      ecosystem: 'Debian:12',
    });
    assert.deepEqual(await osOf('etc/debian_version', 'trixie/sid\n'), {
      family: 'debian',
      version: '13',
      ecosystem: 'Debian:13',
    });
    assert.deepEqual(await osOf('etc/debian_version', 'sid\n'), { family: 'debian', version: '' });
  });
  it('redhat-style release files name the distro by their text', async () => {
    assert.deepEqual(await osOf('etc/redhat-release', 'Red Hat Enterprise Linux release 9.3 (Plow)\n'), {
      family: 'rhel',
      version: '9.3',
      name: 'Red Hat Enterprise Linux release 9.3 (Plow)',
      ecosystem: 'Red Hat:enterprise_linux:9',
    });
    assert.equal(
      (await osOf('etc/rocky-release', 'Rocky Linux release 9.3 (Blue Onyx)'))?.ecosystem,
      'Rocky Linux:9',
    );
    assert.equal(
      (await osOf('etc/almalinux-release', 'AlmaLinux release 8.9 (Midnight Oncilla)'))?.ecosystem,
      'AlmaLinux:8',
    );
    const centos = await osOf('etc/centos-release', 'CentOS Linux release 7.9.2009 (Core)');
    assert.deepEqual([centos?.family, centos?.version, centos?.ecosystem], ['centos', '7.9.2009', undefined]);
  });
  it('SuSE-release: SLES with a patch level, openSUSE Leap 42', async () => {
    const sles = await osOf(
      'etc/SuSE-release',
      'SUSE Linux Enterprise Server 12 (x86_64)\nVERSION = 12\nPATCHLEVEL = 3\n',
    );
    assert.deepEqual(sles, {
      family: 'sles',
      version: '12.3',
      name: 'SUSE Linux Enterprise Server 12 SP3',
      ecosystem: 'SUSE:Linux Enterprise Server 12 SP3',
    });
    const leap = await osOf(
      'etc/SuSE-release',
      'openSUSE 42.3 (x86_64)\nVERSION = 42.3\nCODENAME = Malachite\n',
    );
    assert.equal(leap?.ecosystem, 'openSUSE:Leap 42.3');
  });
  it('lsb-release', async () => {
    const os = await osOf(
      'etc/lsb-release',
      'DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=20.04\nDISTRIB_CODENAME=focal\nDISTRIB_DESCRIPTION="Ubuntu 20.04.6 LTS"\n',
    );
    assert.deepEqual(os, {
      family: 'ubuntu',
      version: '20.04',
      name: 'Ubuntu 20.04.6 LTS',
      ecosystem: 'Ubuntu:20.04:LTS',
    });
  });
  it('distroless: the base-files stanza in status.d, md5sums ignored', async () => {
    const stanza = 'Package: base-files\nVersion: 12.4+deb12u5\nArchitecture: amd64\nMaintainer: x\n';
    assert.deepEqual(await osOf('var/lib/dpkg/status.d/base-files', stanza), {
      family: 'debian',
      version: '12.4',
      ecosystem: 'Debian:12',
    });
    assert.equal(await osOf('var/lib/dpkg/status.d/libc6', 'Package: libc6\nVersion: 2.36-9\n'), undefined);
    const info = {
      path: 'var/lib/dpkg/status.d/base-files.md5sums',
      type: 'file' as const,
      size: 10,
      mode: 0o644,
    };
    assert.equal(osAnalyzer.required(info.path, info), false);
  });
  it('wants only regular release files of a sane size', () => {
    const file = (p: string, size = 100) =>
      osAnalyzer.required(p, { path: p, type: 'file', size, mode: 0o644 });
    assert.equal(file('etc/os-release'), true);
    assert.equal(file('usr/lib/os-release'), true);
    assert.equal(file('etc/os-release', 10 * 1024 * 1024), false);
    assert.equal(file('home/etc/os-release'), false);
    assert.equal(
      osAnalyzer.required('etc/os-release', {
        path: 'etc/os-release',
        type: 'symlink',
        size: 0,
        mode: 0o777,
      }),
      false,
    );
  });
  it('garbage and empty files give no OS, without throwing', async () => {
    assert.equal(await osOf('etc/os-release', ''), undefined);
    assert.equal(await osOf('etc/os-release', '\u0000\u0001\u00ff binary'), undefined);
    assert.equal(await osOf('etc/redhat-release', 'nonsense'), undefined);
    assert.equal(await osOf('etc/alpine-release', ''), undefined);
  });
});

describe('pickOs', () => {
  const deb = { family: 'debian', version: '12', ecosystem: 'Debian:12' };
  const ubuntu = { family: 'ubuntu', version: '22.04', ecosystem: 'Ubuntu:22.04:LTS' };
  it('os-release beats other release files, whatever the input order', () => {
    const files = [
      { path: 'etc/debian_version', os: { family: 'debian', version: '12', ecosystem: 'Debian:12' } },
      { path: 'etc/os-release', os: ubuntu },
    ];
    assert.equal(pickOs(files), ubuntu);
    assert.equal(pickOs([...files].reverse()), ubuntu);
  });
  it('etc/os-release beats usr/lib/os-release; lsb-release beats debian_version', () => {
    assert.equal(
      pickOs([
        { path: 'usr/lib/os-release', os: deb },
        { path: 'etc/os-release', os: ubuntu },
      ]),
      ubuntu,
    );
    assert.equal(
      pickOs([
        { path: 'etc/debian_version', os: deb },
        { path: 'etc/lsb-release', os: ubuntu },
      ]),
      ubuntu,
    );
  });
  it('distroless status.d comes last; nothing gives undefined', () => {
    assert.equal(
      pickOs([
        { path: 'var/lib/dpkg/status.d/base-files', os: deb },
        { path: 'etc/lsb-release', os: ubuntu },
      ]),
      ubuntu,
    );
    assert.equal(pickOs([{ path: 'var/lib/dpkg/status.d/base-files', os: deb }]), deb);
    assert.equal(pickOs([]), undefined);
  });
});
