import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { isBosunError } from '../../../core/errors.js';
import { runAnalyzer, TEST_LAYER } from '../test-input.js';
import { dpkgAnalyzer } from './index.js';

const analyze = async (path: string, text: string | Buffer) =>
  (await runAnalyzer(dpkgAnalyzer, path, text)) ?? {};

describe("dpkg: this machine's status file against dpkg-query", () => {
  it('finds every present package with the same version, source and arch', async () => {
    const format =
      '${Package}\t${Version}\t${source:Package}\t${source:Version}\t${Architecture}\t${db:Status-Abbrev}\n';
    const expected = execFileSync('dpkg-query', ['--admindir=/var/lib/dpkg', '-W', '-f', format], {
      encoding: 'utf8',
    })
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split('\t'))
      .filter((f) => 'iWt'.includes((f[5] ?? '  ')[1] as string))
      .map((f) => f.slice(0, 5).join('\t'))
      .sort();
    const out = await analyze('var/lib/dpkg/status', readFileSync('/var/lib/dpkg/status'));
    const got = (out.packages ?? [])
      .map((p) => [p.name, p.version, p.srcName, p.srcVersion, p.arch].join('\t'))
      .sort();
    assert.ok(expected.length > 100, `dpkg-query listed only ${expected.length} packages`);
    assert.deepEqual(got, expected);
    assert.equal(out.errors, undefined);
  });

  it('gives deb purls, Maintainer, and dependsOn ids that exist in the same file', async () => {
    const out = await analyze('var/lib/dpkg/status', readFileSync('/var/lib/dpkg/status'));
    const pkgs = out.packages ?? [];
    const ids = new Set(pkgs.map((p) => p.id));
    assert.equal(ids.size, pkgs.length, 'ids are unique');
    const dpkg = pkgs.find((p) => p.name === 'dpkg');
    assert.ok(dpkg);
    assert.equal(dpkg.purl, `pkg:deb/debian/dpkg@${dpkg.version}?arch=${dpkg.arch}`);
    assert.match(dpkg.properties?.maintainer ?? '', /dpkg/i);
    assert.deepEqual(dpkg.locations, [{ path: 'var/lib/dpkg/status', layerDiffId: TEST_LAYER.diffId }]);
    // dpkg Pre-Depends on libc6 (and tar), both installed here.
    assert.ok(
      dpkg.dependsOn?.some((id) => id.startsWith('dpkg:libc6@')),
      `dpkg.dependsOn = ${dpkg.dependsOn}`,
    );
    for (const p of pkgs)
      for (const d of p.dependsOn ?? []) assert.ok(ids.has(d), `${p.id} depends on unknown ${d}`);
  });

  it('reads an info/*.list file into owned files, like dpkg-query -L', async () => {
    const owned = (await analyze('var/lib/dpkg/info/dpkg.list', readFileSync('/var/lib/dpkg/info/dpkg.list')))
      .ownedFiles;
    const expected = execFileSync('dpkg-query', ['-L', 'dpkg'], { encoding: 'utf8' })
      .split('\n')
      .filter((l) => l && l !== '/.')
      .map((l) => l.slice(1));
    assert.deepEqual(owned, [{ ownerType: 'dpkg', ownerName: 'dpkg', files: expected }]);
    const multiArch = await analyze(
      'var/lib/dpkg/info/libc6:amd64.list',
      '/.\n/lib\n/lib/x86_64-linux-gnu/libc.so.6\n',
    );
    assert.deepEqual(multiArch.ownedFiles, [
      { ownerType: 'dpkg', ownerName: 'libc6', files: ['lib', 'lib/x86_64-linux-gnu/libc.so.6'] },
    ]);
  });
});

describe('dpkg: hand-made stanzas', () => {
  const status = [
    'Package: libfoo1',
    'Status: install ok installed',
    'Architecture: amd64',
    'Source: foo (1.2-3)',
    'Version: 1.2-3+b1',
    'Depends: libc6 (>= 2.34), awk | mawk, default-mta | mail-transport-agent, missing-pkg',
    'Description: a library',
    ' with a continuation line',
    ' .',
    ' and a paragraph',
    '',
    'Package: libc6',
    'Status: install ok installed',
    'Architecture: amd64',
    'Version: 2.36-9',
    '',
    'Package: libc6',
    'Status: install ok installed',
    'Architecture: i386',
    'Version: 2.36-9',
    '',
    'Package: mawk',
    'Status: install ok installed',
    'Architecture: amd64',
    'Source: mawk',
    'Version: 1.3.4-3',
    'Provides: awk',
    '',
    'Package: exim4-daemon-light',
    'Status: hold ok installed',
    'Architecture: amd64',
    'Version: 4.96-15',
    'Provides: mail-transport-agent',
    '',
    'Package: removed',
    'Status: deinstall ok config-files',
    'Version: 1.0',
    '',
    'Package: half',
    'Status: install reinstreq half-configured',
    'Version: 1.0',
    '',
    'Package: unpacked',
    'Status: install ok unpacked',
    'Version: 1.0',
    '',
    'Package: going',
    'Status: deinstall ok installed',
    'Version: 2.0',
    '',
    'Package: triggered',
    'Status: install ok triggers-pending',
    'Version: 3.0',
    '',
  ].join('\n');

  it('keeps installed packages only, with Source in both forms', async () => {
    const out = await analyze('var/lib/dpkg/status', status);
    const rows = (out.packages ?? []).map((p) => `${p.id} ${p.srcName} ${p.srcVersion}`);
    assert.deepEqual(rows, [
      'dpkg:libfoo1@1.2-3+b1 foo 1.2-3',
      'dpkg:libc6@2.36-9:amd64 libc6 2.36-9',
      'dpkg:libc6@2.36-9:i386 libc6 2.36-9',
      'dpkg:mawk@1.3.4-3 mawk 1.3.4-3',
      'dpkg:exim4-daemon-light@4.96-15 exim4-daemon-light 4.96-15',
      'dpkg:going@2.0 going 2.0',
      'dpkg:triggered@3.0 triggered 3.0',
    ]);
    assert.equal(out.errors, undefined);
  });

  it('resolves Depends by name, own arch first, then by Provides; skips what is missing', async () => {
    const libfoo = (await analyze('var/lib/dpkg/status', status)).packages?.[0];
    assert.deepEqual(libfoo?.dependsOn, [
      'dpkg:exim4-daemon-light@4.96-15',
      'dpkg:libc6@2.36-9:amd64',
      'dpkg:mawk@1.3.4-3',
    ]);
  });

  it('reports a stanza without Package or Version and goes on', async () => {
    const text =
      'Status: install ok installed\nVersion: 1\n\nPackage: nover\nStatus: install ok installed\n\nPackage: ok\nStatus: install ok installed\nVersion: 1\n';
    const out = await analyze('var/lib/dpkg/status', text);
    assert.deepEqual(
      out.packages?.map((p) => p.name),
      ['ok'],
    );
    assert.deepEqual(
      out.errors?.map((e) => e.message),
      ['stanza at line 1 has no Package field', 'package nover (line 4) has no Version field'],
    );
    assert.equal(out.errors?.[0]?.path, 'var/lib/dpkg/status');
  });

  it('refuses binary garbage with a badInput error naming the file', async () => {
    const garbage = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256));
    await assert.rejects(analyze('var/lib/dpkg/status', garbage), (err) => {
      assert.ok(isBosunError(err));
      assert.equal(err.kind, 'badInput');
      assert.match(err.message, /var\/lib\/dpkg\/status: not a dpkg control file/);
      return true;
    });
  });

  it('reports text that is not deb822 as malformed lines, with a bounded message', async () => {
    const out = await analyze(
      'var/lib/dpkg/status',
      Array.from({ length: 50 }, (_, i) => `line ${i} no colon`).join('\n'),
    );
    assert.deepEqual(out.packages, []);
    assert.equal(out.errors?.length, 1);
    assert.match(out.errors?.[0]?.message ?? '', /malformed lines .*lines 1, 2, .* and 40 more/);
  });

  it('an empty status file is an empty package list (a fresh dpkg database)', async () => {
    assert.deepEqual(await analyze('var/lib/dpkg/status', ''), { packages: [], errors: undefined });
  });

  it('distroless status.d: one stanza per file, no Status needed, md5sums not wanted', async () => {
    const out = await analyze(
      'var/lib/dpkg/status.d/tzdata',
      'Package: tzdata\nVersion: 2024a-0+deb12u1\nArchitecture: all\nMaintainer: GNU Libc Maintainers <debian-glibc@lists.debian.org>\n',
    );
    assert.deepEqual(
      out.packages?.map((p) => [p.id, p.purl, p.locations[0]?.path]),
      [
        [
          'dpkg:tzdata@2024a-0+deb12u1',
          'pkg:deb/debian/tzdata@2024a-0+deb12u1?arch=all',
          'var/lib/dpkg/status.d/tzdata',
        ],
      ],
    );
    const want = (p: string) => dpkgAnalyzer.required(p, { path: p, type: 'file', size: 10, mode: 0o644 });
    assert.equal(want('var/lib/dpkg/status.d/tzdata.md5sums'), false);
    assert.equal(want('var/lib/dpkg/status-old'), false);
    assert.equal(want('var/lib/dpkg/info/tzdata.md5sums'), false);
    assert.equal(want('var/lib/dpkg/info/tzdata.list'), true);
  });
});
