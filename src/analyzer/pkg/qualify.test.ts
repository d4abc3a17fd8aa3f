import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Package } from '../../core/package.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { osAnalyzer, pickOs } from '../os/index.js';
import { apkAnalyzer } from './apk/index.js';
import { dpkgAnalyzer } from './dpkg/index.js';
import { parseRpmDb } from './rpm/index.js';
import { rpmFixtures } from './rpm/test-fixtures.js';
import { qualifyOsPackages } from './qualify.js';
import { runAnalyzer } from './test-input.js';

const pkg = (type: string, name: string, version: string, arch: string): Package => ({
  id: `${type}:${name}@${version}`,
  name,
  version,
  type,
  ecosystem: '',
  purl: '',
  arch,
  locations: [],
});

describe('qualifyOsPackages', () => {
  it('gives dpkg packages of a Debian 12 image the release ecosystem and distro qualifier', async () => {
    // The whole path: os-release → OsInfo → pickOs, status → packages, then qualified.
    const os = pickOs([
      {
        path: 'etc/os-release',
        os: (
          await runAnalyzer(
            osAnalyzer,
            'etc/os-release',
            'ID=debian\nVERSION_ID="12"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n',
          )
        )?.os ?? { family: '', version: '' },
      },
    ]);
    const status =
      'Package: libc6\nStatus: install ok installed\nArchitecture: amd64\nVersion: 2.36-9+deb12u4\n';
    const packages = (await runAnalyzer(dpkgAnalyzer, 'var/lib/dpkg/status', status))?.packages ?? [];
    assert.equal(packages[0]?.ecosystem, 'Debian');
    const [libc] = qualifyOsPackages(packages, os);
    assert.equal(libc?.ecosystem, 'Debian:12');
    assert.equal(libc?.purl, 'pkg:deb/debian/libc6@2.36-9+deb12u4?arch=amd64&distro=debian-12');
    assert.equal(packages[0]?.ecosystem, 'Debian', 'the input is not changed');
  });

  it('uses the ubuntu namespace for Ubuntu, and alpine release for apk', async () => {
    const [curl] = qualifyOsPackages([pkg('dpkg', 'curl', '7.81.0-1ubuntu1.15', 'amd64')], {
      family: 'ubuntu',
      version: '22.04',
      ecosystem: 'Ubuntu:22.04:LTS',
    });
    assert.deepEqual(
      [curl?.ecosystem, curl?.purl],
      ['Ubuntu:22.04:LTS', 'pkg:deb/ubuntu/curl@7.81.0-1ubuntu1.15?arch=amd64&distro=ubuntu-22.04'],
    );
    const apk =
      (await runAnalyzer(apkAnalyzer, 'lib/apk/db/installed', 'P:musl\nV:1.2.4-r2\nA:x86_64\no:musl\n'))
        ?.packages ?? [];
    const [musl] = qualifyOsPackages(apk, { family: 'alpine', version: '3.19.1', ecosystem: 'Alpine:v3.19' });
    assert.deepEqual(
      [musl?.ecosystem, musl?.purl],
      ['Alpine:v3.19', 'pkg:apk/alpine/musl@1.2.4-r2?arch=x86_64&distro=alpine-3.19.1'],
    );
  });

  it('rpm: namespace from the OS, epoch as a qualifier (sorted, as purl canonical form wants); CentOS has no OSV ecosystem', () => {
    const rpms = [pkg('rpm', 'bind-libs', '32:9.16.23-14.el9', 'x86_64')];
    const [rocky] = qualifyOsPackages(rpms, { family: 'rocky', version: '9.3', ecosystem: 'Rocky Linux:9' });
    assert.deepEqual(
      [rocky?.ecosystem, rocky?.purl],
      ['Rocky Linux:9', 'pkg:rpm/rocky/bind-libs@9.16.23-14.el9?arch=x86_64&distro=rocky-9.3&epoch=32'],
    );
    const [rhel] = qualifyOsPackages(rpms, {
      family: 'rhel',
      version: '9.3',
      ecosystem: 'Red Hat:enterprise_linux:9',
    });
    assert.equal(rhel?.purl, 'pkg:rpm/redhat/bind-libs@9.16.23-14.el9?arch=x86_64&distro=rhel-9.3&epoch=32');
    const [centos] = qualifyOsPackages(rpms, { family: 'centos', version: '7.9.2009' });
    assert.equal(centos?.ecosystem, '');
  });

  it('leaves language packages, other formats than the OS, and unknown OS alone', () => {
    const npm = { ...pkg('npm', 'lodash', '4.17.21', ''), ecosystem: 'npm', purl: 'pkg:npm/lodash@4.17.21' };
    const rpm = pkg('rpm', 'x', '1-1', 'noarch');
    const debian = { family: 'debian', version: '12', ecosystem: 'Debian:12' };
    assert.deepEqual(qualifyOsPackages([npm, rpm], debian), [npm, rpm]);
    assert.deepEqual(qualifyOsPackages([rpm], undefined), [rpm]);
  });

  it('marks rpm packages from another vendor than the distro as third-party (EPEL on CentOS 7)', () => {
    const db = readFileSync(path.join(rpmFixtures().bdbDir, 'centos7-httpd24', 'Packages'));
    const packages = parseRpmDb(db, 'var/lib/rpm/Packages', 'l').packages ?? [];
    const centos = { family: 'centos', version: '7.9.2009' };
    const third = qualifyOsPackages(packages, centos).filter((p) => p.thirdParty);
    // rpm -qa --qf '%{VENDOR}' on this database: 220 CentOS, 2 Fedora Project (EPEL), gpg-pubkeys without.
    assert.equal(third.length, 2);
    assert.ok(third.every((p) => p.properties?.vendor === 'Fedora Project'));
    assert.equal(
      qualifyOsPackages(packages, { family: 'fedora', version: '39' }).filter((p) => p.thirdParty).length,
      220,
    );
  });
});
