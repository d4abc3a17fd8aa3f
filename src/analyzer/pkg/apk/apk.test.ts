import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { isBosunError } from '../../../core/errors.js';
import { sharedFixtures } from '../../../../test/helpers/paths.js';
import { readFromDockerArchive, runAnalyzer } from '../test-input.js';
import { apkAnalyzer } from './index.js';

const INSTALLED = 'lib/apk/db/installed';
const analyze = async (text: string | Buffer) => (await runAnalyzer(apkAnalyzer, INSTALLED, text)) ?? {};

describe('apk: the real Alpine 3.10 image', async () => {
  const files = await readFromDockerArchive(path.join(sharedFixtures, 'images/alpine-3.10.docker.tar.gz'), [
    INSTALLED,
  ]);
  const db = files.get(INSTALLED);

  it('lists the 14 installed packages with versions and origins', async () => {
    assert.ok(db, 'the image has lib/apk/db/installed');
    const out = await analyze(db);
    // name version origin, as the file records them (P:, V:, o:).
    assert.deepEqual(
      out.packages?.map((p) => `${p.name} ${p.version} ${p.srcName} ${p.srcVersion}`),
      [
        'musl 1.1.22-r3 musl 1.1.22-r3',
        'busybox 1.30.1-r3 busybox 1.30.1-r3',
        'alpine-baselayout 3.1.2-r0 alpine-baselayout 3.1.2-r0',
        'alpine-keys 2.1-r2 alpine-keys 2.1-r2',
        'libcrypto1.1 1.1.1d-r2 openssl 1.1.1d-r2',
        'libssl1.1 1.1.1d-r2 openssl 1.1.1d-r2',
        'ca-certificates-cacert 20190108-r0 ca-certificates 20190108-r0',
        'libtls-standalone 2.9.1-r0 libtls-standalone 2.9.1-r0',
        'ssl_client 1.30.1-r3 busybox 1.30.1-r3',
        'zlib 1.2.11-r1 zlib 1.2.11-r1',
        'apk-tools 2.10.4-r2 apk-tools 2.10.4-r2',
        'scanelf 1.2.3-r0 pax-utils 1.2.3-r0',
        'musl-utils 1.1.22-r3 musl 1.1.22-r3',
        'libc-utils 0.7.1-r0 libc-dev 0.7.1-r0',
      ],
    );
    assert.equal(out.errors, undefined);
  });

  it('gives purls, licences, dependencies through so: provides, and owned files', async () => {
    const out = await analyze(db ?? '');
    const byName = new Map(out.packages?.map((p) => [p.name, p]));
    const busybox = byName.get('busybox');
    assert.equal(busybox?.purl, 'pkg:apk/alpine/busybox@1.30.1-r3?arch=x86_64');
    assert.deepEqual(busybox?.licenses, ['GPL-2.0']);
    assert.deepEqual(busybox?.dependsOn, ['apk:musl@1.1.22-r3']); // D:so:libc.musl-x86_64.so.1
    const apkTools = byName.get('apk-tools'); // D:so:libc.musl… so:libcrypto.so.1.1 so:libssl.so.1.1 so:libz.so.1
    assert.deepEqual(apkTools?.dependsOn, [
      'apk:libcrypto1.1@1.1.1d-r2',
      'apk:libssl1.1@1.1.1d-r2',
      'apk:musl@1.1.22-r3',
      'apk:zlib@1.2.11-r1',
    ]);
    const owned = new Map(out.ownedFiles?.map((o) => [o.ownerName, o.files]));
    assert.deepEqual(owned.get('musl'), ['lib/libc.musl-x86_64.so.1', 'lib/ld-musl-x86_64.so.1']);
    assert.ok(owned.get('busybox')?.includes('bin/sh'));
    assert.ok(out.ownedFiles?.every((o) => o.ownerType === 'apk'));
  });
});

describe('apk: bad and edge input', () => {
  it('an empty database has no packages', async () => {
    assert.deepEqual((await analyze('')).packages, []);
  });
  it('a block without P or V is reported and skipped', async () => {
    const out = await analyze('V:1.0-r0\nA:x86_64\n\nP:ok\nV:2.0-r0\n\nP:nover\n');
    assert.deepEqual(
      out.packages?.map((p) => p.id),
      ['apk:ok@2.0-r0'],
    );
    assert.deepEqual(
      out.errors?.map((e) => e.message),
      ['package block at line 1 has no P (name) field', 'package block at line 7 has no V (version) field'],
    );
  });
  it('lines that are not X:value are reported, bounded', async () => {
    const out = await analyze(`P:a\nV:1\n${'garbage line\n'.repeat(100)}`);
    assert.deepEqual(
      out.packages?.map((p) => p.id),
      ['apk:a@1'],
    );
    assert.equal(out.errors?.length, 21);
    assert.match(out.errors?.at(-1)?.message ?? '', /80 more problems/);
  });
  it('binary content is refused with a badInput error', async () => {
    await assert.rejects(
      analyze(Buffer.from([0x50, 0x3a, 0, 1, 2, 3])),
      (err) => isBosunError(err) && err.kind === 'badInput' && /lib\/apk\/db\/installed/.test(err.message),
    );
  });
});
