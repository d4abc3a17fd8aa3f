import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { isBosunError } from '../../../core/errors.js';
import type { Package } from '../../../core/package.js';
import { runAnalyzer } from '../test-input.js';
import { readBdbBlobs } from './bdb.js';
import { parseRpmDb, rpmAnalyzer } from './index.js';
import { rpmFixtures, SQLITE_CONVERTED } from './test-fixtures.js';

let fixtures: ReturnType<typeof rpmFixtures>;
before(() => {
  fixtures = rpmFixtures();
});

const QF = '%{NAME}\\t%{EPOCHNUM}:%{VERSION}-%{RELEASE}\\t%{ARCH}\\t%{SOURCERPM}\\t%{MODULARITYLABEL}\\n';

/** The oracle: Debian's rpm (sqlite and read-only bdb backends), gpg-pubkey keys left out. */
function rpmQa(dbDir: string): string[] {
  return execFileSync('rpm', ['--dbpath', dbDir, '-qa', '--qf', QF], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  })
    .split('\n')
    .filter((l) => l && !l.startsWith('gpg-pubkey\t'))
    .map((l) => l.replace(/\t\(none\)$/, '\t'))
    .sort();
}

/** bosun's packages in the oracle's format: epoch always shown, source rpm rebuilt from srcName/srcVersion. */
function asRpmQa(pkgs: readonly Package[]): string[] {
  return pkgs
    .map((p) => {
      const version = p.version.includes(':') ? p.version : `0:${p.version}`;
      const srcVersion = (p.srcVersion ?? '').replace(/^\d+:/, '');
      return [
        p.name,
        version,
        p.arch,
        `${p.srcName}-${srcVersion}.src.rpm`,
        p.properties?.modularityLabel ?? '',
      ].join('\t');
    })
    .sort();
}

const dbFile = (dir: string, file: string) => readFileSync(path.join(dir, file));

describe('rpm: the real CentOS 5-8 Berkeley DB databases against rpm -qa', () => {
  it('lists exactly what rpm lists, for every database', () => {
    const names = readdirSync(fixtures.bdbDir).sort();
    assert.equal(names.length, 10);
    for (const name of names) {
      const dir = path.join(fixtures.bdbDir, name);
      const out = parseRpmDb(dbFile(dir, 'Packages'), 'var/lib/rpm/Packages', 'sha256:l');
      const expected = rpmQa(dir);
      assert.ok(expected.length > 100, `${name}: rpm listed ${expected.length}`);
      assert.deepEqual(asRpmQa(out.packages ?? []), expected, name);
      assert.equal(out.errors, undefined, name);
      // multilib duplicates (glibc.i686 beside glibc.x86_64) get arch-suffixed ids
      const ids = out.packages?.map((p) => p.id) ?? [];
      assert.equal(new Set(ids).size, ids.length, name);
    }
  });

  it('parses the CentOS 8 database (518 records) in well under a second', () => {
    const buf = dbFile(path.join(fixtures.bdbDir, 'centos8-modularitylabel'), 'Packages');
    // Best of three, so that a busy shared machine does not decide the figure.
    let ms = Infinity;
    let out: ReturnType<typeof parseRpmDb> = {};
    for (let i = 0; i < 3; i++) {
      const start = performance.now();
      out = parseRpmDb(buf, 'var/lib/rpm/Packages', 'sha256:l');
      ms = Math.min(ms, performance.now() - start);
    }
    assert.equal(out.packages?.length, 517); // 518 records, one of them the gpg-pubkey
    console.log(
      `centos8 BDB rpmdb: ${out.packages?.length} packages, ${out.ownedFiles?.reduce((n, o) => n + o.files.length, 0)} files, parsed in ${ms.toFixed(0)} ms`,
    );
    assert.ok(ms < 1000, `took ${ms} ms`);
  });

  it('owned files match rpm -ql; modularity label, vendor, licence and deps come through', () => {
    const dir = path.join(fixtures.bdbDir, 'centos8-modularitylabel');
    const out = parseRpmDb(dbFile(dir, 'Packages'), 'var/lib/rpm/Packages', 'sha256:l');
    const bash = out.packages?.find((p) => p.name === 'bash');
    assert.ok(bash);
    // rpm's read-only bdb backend has no Name index to answer -ql: ask the SQLite copy.
    const ql = execFileSync(
      'rpm',
      ['--dbpath', path.join(fixtures.sqliteDir, 'centos8-modularitylabel'), '-ql', 'bash'],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    )
      .split('\n')
      .filter(Boolean)
      .map((f) => f.slice(1));
    assert.deepEqual(out.ownedFiles?.find((o) => o.ownerName === 'bash')?.files, ql);
    assert.equal(bash.properties?.vendor, 'CentOS');
    assert.deepEqual(bash.licenses, ['GPLv3+']);
    assert.match(bash.purl, /^pkg:rpm\/bash@4\.4\.19-[^?]+\?arch=x86_64$/);
    const ids = new Set(out.packages?.map((p) => p.id));
    // bash requires libtinfo.so.6()(64bit), which ncurses-libs provides.
    assert.ok(
      bash.dependsOn?.some((id) => id.startsWith('rpm:ncurses-libs@')),
      String(bash.dependsOn),
    );
    for (const p of out.packages ?? [])
      for (const d of p.dependsOn ?? []) assert.ok(ids.has(d), `${p.id} → ${d}`);
    const epoch = out.packages?.find((p) => p.version.includes(':'));
    assert.ok(epoch, 'some package has an epoch');
    assert.match(epoch.purl, /[?&]epoch=\d+/);
  });
});

describe('rpm: SQLite databases', () => {
  it('reads the databases Debian rpm converted to SQLite, as rpm does', () => {
    for (const name of SQLITE_CONVERTED) {
      const dir = path.join(fixtures.sqliteDir, name);
      const out = parseRpmDb(dbFile(dir, 'rpmdb.sqlite'), 'var/lib/rpm/rpmdb.sqlite', 'l');
      assert.deepEqual(asRpmQa(out.packages ?? []), rpmQa(dir), name);
    }
  });

  it('reads a database rpm made by installing two rpmbuild packages, through the analyzer', async () => {
    const dir = path.join(fixtures.builtRoot, 'var/lib/rpm');
    const out =
      (await runAnalyzer(rpmAnalyzer, 'usr/lib/sysimage/rpm/rpmdb.sqlite', dbFile(dir, 'rpmdb.sqlite'))) ??
      {};
    assert.deepEqual(asRpmQa(out.packages ?? []), rpmQa(dir));
    const hello = out.packages?.find((p) => p.name === 'bosun-hello');
    assert.deepEqual(
      [hello?.id, hello?.purl, hello?.srcName, hello?.srcVersion, hello?.licenses, hello?.dependsOn],
      [
        'rpm:bosun-hello@2:0.9.1-7.test',
        'pkg:rpm/bosun-hello@0.9.1-7.test?arch=noarch&epoch=2',
        'bosun-hello',
        '2:0.9.1-7.test',
        ['Apache-2.0 AND MIT'],
        ['rpm:bosun-lib@1.0-3'],
      ],
    );
    assert.equal(out.packages?.find((p) => p.name === 'bosun-lib')?.properties?.vendor, 'bosun tests');
    assert.deepEqual(
      out.ownedFiles?.find((o) => o.ownerName === 'bosun-hello'),
      {
        ownerType: 'rpm',
        ownerName: 'bosun-hello',
        files: ['etc/bosun/hello.conf', 'usr/bin/bosun-hello'],
      },
    );
  });
});

/** Writes an ndb Packages.db around header blobs, the layout rpm's ndb backend writes. */
function buildNdb(blobs: Buffer[], { freeSlots = 0 } = {}): Buffer {
  const slotPages = 1;
  const parts: Buffer[] = [];
  const head = Buffer.alloc(slotPages * 4096);
  head.write('RpmP', 0, 'latin1');
  head.writeUInt32LE(0, 4);
  head.writeUInt32LE(1, 8);
  head.writeUInt32LE(slotPages, 12);
  let block = head.length / 16;
  let slot = 2;
  const slotAt = (s: number) => s * 16;
  for (let f = 0; f < freeSlots; f++, slot++) head.write('Slot', slotAt(slot), 'latin1');
  blobs.forEach((blob, i) => {
    const blocks = Math.ceil((16 + blob.length + 16) / 16);
    const b = Buffer.alloc(blocks * 16);
    b.write('BlbS', 0, 'latin1');
    b.writeUInt32LE(i + 1, 4);
    b.writeUInt32LE(blob.length, 12);
    blob.copy(b, 16);
    head.write('Slot', slotAt(slot), 'latin1');
    head.writeUInt32LE(i + 1, slotAt(slot) + 4);
    head.writeUInt32LE(block, slotAt(slot) + 8);
    head.writeUInt32LE(blocks, slotAt(slot) + 12);
    slot++;
    block += blocks;
    parts.push(b);
  });
  for (; slot < (slotPages * 4096) / 16; slot++) head.write('Slot', slotAt(slot), 'latin1');
  return Buffer.concat([head, ...parts]);
}

describe('rpm: ndb (Packages.db)', () => {
  // Debian's rpm has no ndb backend, so the file is written here around the real CentOS 7 header
  // blobs; what comes out must equal what rpm lists for the original database.
  it('reads every header blob of an ndb file', () => {
    const dir = path.join(fixtures.bdbDir, 'centos7-plain');
    const { blobs } = readBdbBlobs(dbFile(dir, 'Packages'));
    const out = parseRpmDb(buildNdb(blobs, { freeSlots: 3 }), 'usr/lib/sysimage/rpm/Packages.db', 'l');
    assert.deepEqual(asRpmQa(out.packages ?? []), rpmQa(dir));
    assert.equal(out.errors, undefined);
  });

  it('a corrupt header blob is reported, the others still read', () => {
    const { blobs } = readBdbBlobs(dbFile(path.join(fixtures.bdbDir, 'centos7-plain'), 'Packages'));
    const bad = Buffer.from([0, 0, 0xff, 0xff, 0, 0, 0, 1, 1, 2, 3]);
    const out = parseRpmDb(buildNdb([bad, ...blobs.slice(0, 5)]), 'var/lib/rpm/Packages.db', 'l');
    assert.equal(out.packages?.length, 5);
    assert.match(out.errors?.[0]?.message ?? '', /^corrupt package header: header blob claims 65535 tags/);
  });
});

describe('rpm: bad input', () => {
  const expectBadInput = (fn: () => unknown, pattern: RegExp) =>
    assert.throws(fn, (err) => {
      assert.ok(isBosunError(err), String(err));
      assert.equal(err.kind, 'badInput');
      assert.match(err.message, pattern);
      return true;
    });

  it('an empty file, garbage, and a half SQLite file are badInput errors naming the file', () => {
    expectBadInput(
      () => parseRpmDb(Buffer.alloc(0), 'var/lib/rpm/Packages', 'l'),
      /^var\/lib\/rpm\/Packages: empty rpm database$/,
    );
    expectBadInput(
      () => parseRpmDb(Buffer.alloc(8192, 0x41), 'var/lib/rpm/Packages', 'l'),
      /Packages: not an rpm database/,
    );
    const sqlite = dbFile(path.join(fixtures.sqliteDir, 'centos7-many'), 'rpmdb.sqlite');
    expectBadInput(
      () => parseRpmDb(sqlite.subarray(0, sqlite.length / 2), 'var/lib/rpm/rpmdb.sqlite', 'l'),
      /rpmdb\.sqlite: /,
    );
  });

  it('a Berkeley DB cut in half ends quickly with what it could read and a truncation error', () => {
    for (const name of ['centos5-plain', 'centos8-modularitylabel']) {
      const full = dbFile(path.join(fixtures.bdbDir, name), 'Packages');
      const start = performance.now();
      const out = parseRpmDb(full.subarray(0, Math.floor(full.length / 2)), 'var/lib/rpm/Packages', 'l');
      assert.ok(performance.now() - start < 2000);
      assert.match(
        out.errors?.[0]?.message ?? '',
        /^truncated: the database has \d+ pages, the file holds \d+$/,
      );
      assert.ok((out.packages?.length ?? 0) < rpmQa(path.join(fixtures.bdbDir, name)).length, name);
    }
  });

  it('a cut ndb file is a badInput error or reports the lost blobs', () => {
    const { blobs } = readBdbBlobs(dbFile(path.join(fixtures.bdbDir, 'centos7-plain'), 'Packages'));
    const ndb = buildNdb(blobs);
    const out = parseRpmDb(ndb.subarray(0, ndb.length / 2), 'var/lib/rpm/Packages.db', 'l');
    assert.ok((out.packages?.length ?? 0) < blobs.length);
    assert.match(out.errors?.[0]?.message ?? '', /blob at byte \d+ lies past the end of the file/);
    expectBadInput(
      () => parseRpmDb(ndb.subarray(0, 100), 'var/lib/rpm/Packages.db', 'l'),
      /truncated: 1 slot pages do not fit in 100 bytes/,
    );
  });

  it('wants the database files in the known places only', () => {
    const want = (p: string) => rpmAnalyzer.required(p, { path: p, type: 'file', size: 1, mode: 0o644 });
    assert.deepEqual(
      [
        'var/lib/rpm/Packages',
        'var/lib/rpm/Packages.db',
        'usr/lib/sysimage/rpm/rpmdb.sqlite',
        'var/lib/rpm/Name',
        'opt/var/lib/rpm/Packages',
        'var/lib/rpm/rpmdb.sqlite-wal',
      ].map(want),
      [true, true, true, false, false, false],
    );
  });
});
