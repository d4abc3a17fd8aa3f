import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import tar from 'tar-stream';
import { BosunError } from '../core/errors.js';
import { readAll } from './testing/assertions.js';
import { openImageSource, openRootfsSource } from './index.js';

let scratch: string;
let root: string;
before(() => {
  scratch = mkdtempSync(path.join(tmpdir(), 'bosun-rootfs-test-'));
  root = path.join(scratch, 'root');
  mkdirSync(path.join(root, 'etc/apk'), { recursive: true });
  mkdirSync(path.join(root, 'empty'));
  writeFileSync(path.join(root, 'etc/os-release'), 'ID=alpine\nVERSION_ID=3.19.1\n');
  writeFileSync(path.join(root, 'etc/apk/world'), '');
  writeFileSync(path.join(root, 'big.bin'), Buffer.alloc(300_000, 7));
  symlinkSync('../etc/os-release', path.join(root, 'etc/apk/link'));
});
after(() => rmSync(scratch, { recursive: true, force: true }));

/** Reads a tar with tar-stream (an independent parser): name → type, content and link target. */
async function readTar(tarBytes: Buffer) {
  const out = new Map<string, { type: string; content: Buffer; linkname?: string }>();
  const extract = tar.extract();
  extract.end(tarBytes);
  for await (const entry of extract) {
    const chunks: Buffer[] = [];
    for await (const c of entry) chunks.push(c as Buffer);
    out.set(entry.header.name, {
      type: entry.header.type,
      content: Buffer.concat(chunks),
      ...(entry.header.linkname ? { linkname: entry.header.linkname } : {}),
    });
  }
  return out;
}

describe('openRootfsSource', () => {
  it('is one pseudo-layer whose diffId is the sha256 of the absolute path', async () => {
    const source = await openRootfsSource(root);
    const layers = await source.layers();
    assert.equal(layers.length, 1);
    assert.equal(layers[0]!.directory, root);
    assert.equal(layers[0]!.diffId, `sha256:${createHash('sha256').update(root).digest('hex')}`);
    assert.deepEqual((await source.config()).rootfs?.diff_ids, [layers[0]!.diffId]);
    assert.equal(source.kind, 'rootfs');
  });

  it('open() streams the tree as a tar that GNU tar and tar-stream both read back', async () => {
    const source = await openRootfsSource(root);
    const [layer] = await source.layers();
    const tarBytes = await readAll(await layer!.open());
    const entries = await readTar(tarBytes);
    assert.deepEqual(
      [...entries.keys()],
      ['big.bin', 'empty', 'etc', 'etc/apk', 'etc/apk/link', 'etc/apk/world', 'etc/os-release'],
    );
    assert.equal(entries.get('etc/os-release')!.content.toString(), 'ID=alpine\nVERSION_ID=3.19.1\n');
    assert.equal(entries.get('big.bin')!.content.length, 300_000);
    assert.equal(entries.get('etc/apk/link')!.linkname, '../etc/os-release');
    assert.equal(entries.get('empty')!.type, 'directory');

    const tarFile = path.join(scratch, 'root.tar');
    writeFileSync(tarFile, await readAll(await layer!.open()));
    const listed = execFileSync('tar', ['-tvf', tarFile], { encoding: 'utf8' });
    assert.match(listed, /300000 .* big\.bin/);
    assert.match(listed, /etc\/apk\/link -> \.\.\/etc\/os-release/);
  });

  it('is what openImageSource gives for a directory that is not an image layout', async () => {
    const source = await openImageSource(root, { input: true });
    assert.equal(source.kind, 'rootfs');
    assert.equal((await source.layers())[0]!.directory, root);
  });

  it('a missing directory is notFound, a file is badInput', async () => {
    const missing = path.join(scratch, 'nope');
    await assert.rejects(
      openRootfsSource(missing),
      (e: unknown) => e instanceof BosunError && e.kind === 'notFound' && e.message.includes(missing),
    );
    const file = path.join(root, 'big.bin');
    await assert.rejects(
      openRootfsSource(file),
      (e: unknown) => e instanceof BosunError && e.kind === 'badInput',
    );
  });
});
