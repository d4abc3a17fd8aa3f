// Test fixtures for the rpm analyzer, built once into the fixture cache:
// - go-rpmdb/bdb/<name>/Packages: the real CentOS 5-8 Berkeley DB rpmdbs that Debian's
//   golang-github-knqyf263-go-rpmdb-dev package ships as test data (apt-get download);
// - go-rpmdb/sqlite/<name>/rpmdb.sqlite: some of them converted by Debian's rpm (rpmdb --rebuilddb);
// - go-rpmdb/built/var/lib/rpm/rpmdb.sqlite: a root with two tiny packages built by rpmbuild.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fixtureCache } from '../../../../test/helpers/paths.js';

const DEB = 'golang-github-knqyf263-go-rpmdb-dev';
const TESTDATA = 'usr/share/gocode/src/github.com/knqyf263/go-rpmdb/pkg/testdata';
/** Converted to SQLite: the oldest and the newest rpm, and the largest. */
export const SQLITE_CONVERTED = ['centos5-plain', 'centos7-many', 'centos8-modularitylabel'];

export const rpmFixtureDir = path.join(fixtureCache, 'go-rpmdb');

/** Runs a command; its output is only shown when it fails. */
function run(cmd: string, args: string[], cwd?: string): void {
  execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
}

export function rpmFixtures(): { bdbDir: string; sqliteDir: string; builtRoot: string } {
  const done = path.join(rpmFixtureDir, '.complete');
  const dirs = {
    bdbDir: path.join(rpmFixtureDir, 'bdb'),
    sqliteDir: path.join(rpmFixtureDir, 'sqlite'),
    builtRoot: path.join(rpmFixtureDir, 'built'),
  };
  if (existsSync(done)) return dirs;
  rmSync(rpmFixtureDir, { recursive: true, force: true });
  const work = mkdtempSync(path.join(tmpdir(), 'bosun-rpm-fixtures-'));
  try {
    try {
      run('apt-get', ['download', DEB], work);
    } catch {
      // A fresh machine may have no package lists yet.
      run('flock', ['/tmp/bosun-apt.lock', 'apt-get', 'update', '-qq']);
      run('apt-get', ['download', DEB], work);
    }
    const deb = readdirSync(work).find((f) => f.endsWith('.deb'));
    if (!deb) throw new Error(`apt-get download ${DEB} left no .deb`);
    run('dpkg-deb', ['-x', deb, 'out'], work);
    const testdata = path.join(work, 'out', TESTDATA);
    for (const name of readdirSync(testdata)) {
      if (!existsSync(path.join(testdata, name, 'Packages'))) continue;
      mkdirSync(path.join(dirs.bdbDir, name), { recursive: true });
      cpSync(path.join(testdata, name, 'Packages'), path.join(dirs.bdbDir, name, 'Packages'));
    }
    for (const name of SQLITE_CONVERTED) {
      const dir = path.join(dirs.sqliteDir, name);
      mkdirSync(dir, { recursive: true });
      cpSync(path.join(dirs.bdbDir, name, 'Packages'), path.join(dir, 'Packages'));
      run('rpmdb', ['--dbpath', dir, '--rebuilddb']);
    }
    buildTinyRoot(path.join(work, 'rpmbuild'), dirs.builtRoot);
    writeFileSync(done, new Date().toISOString());
    return dirs;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const SPECS: Record<string, string> = {
  'bosun-lib': `Name: bosun-lib
Version: 1.0
Release: 3
Summary: library half of the bosun test pair
License: MIT
Vendor: bosun tests
BuildArch: noarch
Provides: libbosun-test
%description
test
%install
mkdir -p %{buildroot}/usr/share/bosun-lib
echo lib > %{buildroot}/usr/share/bosun-lib/data.txt
%files
/usr/share/bosun-lib/data.txt
`,
  'bosun-hello': `Name: bosun-hello
Epoch: 2
Version: 0.9.1
Release: 7.test
Summary: program half of the bosun test pair
License: Apache-2.0 AND MIT
BuildArch: noarch
Requires: libbosun-test
%description
test
%install
mkdir -p %{buildroot}/usr/bin %{buildroot}/etc/bosun
echo 'echo hi' > %{buildroot}/usr/bin/bosun-hello
echo conf > %{buildroot}/etc/bosun/hello.conf
%files
/usr/bin/bosun-hello
/etc/bosun/hello.conf
`,
};

function buildTinyRoot(topdir: string, root: string): void {
  mkdirSync(topdir, { recursive: true });
  const rpms: string[] = [];
  for (const [name, spec] of Object.entries(SPECS)) {
    const specFile = path.join(topdir, `${name}.spec`);
    writeFileSync(specFile, spec);
    run('rpmbuild', ['-bb', '--define', `_topdir ${topdir}`, specFile]);
    rpms.push(
      path.join(
        topdir,
        'RPMS',
        'noarch',
        readdirSync(path.join(topdir, 'RPMS', 'noarch')).find((f) => f.startsWith(`${name}-`)) ?? '',
      ),
    );
  }
  mkdirSync(root, { recursive: true });
  // Debian's rpm keeps its own database under ~/.rpmdb; put this one where RHEL-like images do.
  const dbpath = ['--root', root, '--dbpath', '/var/lib/rpm'];
  run('rpm', [...dbpath, '--initdb']);
  run('rpm', [...dbpath, '-i', '--nodeps', '--noscripts', ...rpms]);
}
