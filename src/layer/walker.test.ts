import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Analyzer } from '../analyzer/types.js';
import { BosunError } from '../core/errors.js';
import type { ImageSource, LayerRef } from '../core/image.js';
import { sharedFixtures } from '../../test/helpers/paths.js';
import { walkImage, walkLayer } from './index.js';
import { bufferLayer, echoAnalyzer, fileLayer, makeTar } from './testing.js';

const images = path.join(sharedFixtures, 'images');

function zstd(data: Buffer): Buffer {
  return execFileSync('zstd', ['-q', '-c'], { input: data });
}

function freshTmp(): string {
  return mkdtempSync(path.join(tmpdir(), 'walker-test-'));
}

const handMade = () =>
  makeTar([
    { name: './', type: 'directory' },
    { name: './etc/', type: 'directory' },
    { name: './etc/os-release', content: 'ID=debian\n' },
    { name: './etc/a.wh.b', content: 'not a whiteout' },
    { name: './x.wh.y/', type: 'directory' },
    { name: './x.wh.y/file', content: 'inside x.wh.y' },
    { name: './etc/.wh.passwd' },
    { name: './var/cache/.wh..wh..opq' },
    { name: '../escape', content: 'hostile' },
    { name: './bin/sh', type: 'symlink', linkname: '/bin/busybox' },
    { name: './bin/ash', type: 'link', linkname: './bin/../bin/busybox' },
    { name: './big', content: 'B'.repeat(5000) },
  ]);

test('a hand-made layer: whiteouts by basename only, escapes refused, links recorded', async () => {
  const etc = echoAnalyzer(/^(etc|x\.wh\.y)\//);
  const result = await walkLayer(bufferLayer(await handMade(), 'sha256:l0', 'sha256:blob'), 0, [etc]);
  assert.deepEqual(result.whiteouts, ['etc/passwd']);
  assert.deepEqual(result.opaqueDirs, ['var/cache']);
  assert.equal(result.stats.whiteoutCount, 2);
  // etc/, etc/os-release, etc/a.wh.b, x.wh.y/, x.wh.y/file, bin/sh, bin/ash, big
  assert.equal(result.stats.fileCount, 8);
  assert.deepEqual(
    result.files.map((f) => [f.path, f.output.misconfigurations?.[0]?.title]),
    [
      ['etc/os-release', 'ID=debian\n'],
      ['etc/a.wh.b', 'not a whiteout'],
      ['x.wh.y/file', 'inside x.wh.y'],
    ],
  );
  assert.equal(result.errors.length, 1);
  assert.equal(result.errors[0]!.path, '../escape');
  assert.match(result.errors[0]!.message, /escapes/);
  assert.equal(result.errors[0]!.layer?.digest, 'sha256:blob');
});

test('links: symlink target kept as written, hard link target normalised', async () => {
  const all: Analyzer & { infos: [string, string | undefined][] } = {
    name: 'all',
    version: 1,
    infos: [],
    required(p, info) {
      this.infos.push([p, info.linkTarget]);
      return false;
    },
    analyze: async () => undefined,
  };
  // required() is only asked about regular files, so look at links through a throwing check.
  const tar = await makeTar([
    { name: 'bin/sh', type: 'symlink', linkname: '/bin/busybox' },
    { name: 'bin/ash', type: 'link', linkname: './bin/../bin/busybox' },
    { name: 'evil', type: 'link', linkname: '../../etc/shadow' },
    { name: 'f', content: 'x' },
  ]);
  const result = await walkLayer(bufferLayer(tar), 0, [all]);
  assert.deepEqual(all.infos, [['f', undefined]]);
  assert.equal(result.stats.fileCount, 3);
  assert.deepEqual(
    result.errors.map((e) => [e.path, e.message]),
    [['evil', 'hard link target escapes the image root']],
  );
});

test('the same layer gzip-, zstd- (program and fzstd) and un-compressed gives the same result', async () => {
  const tar = await handMade();
  const plain = await walkLayer(bufferLayer(tar), 0, [echoAnalyzer(/./)]);
  const gz = await walkLayer(bufferLayer(gzipSync(tar)), 0, [echoAnalyzer(/./)]);
  const zst = await walkLayer(bufferLayer(zstd(tar)), 0, [echoAnalyzer(/./)]);
  assert.equal(plain.stats.compressedSize, tar.length);
  assert.equal(gz.stats.compressedSize, gzipSync(tar).length);
  for (const other of [gz, zst]) {
    assert.deepEqual(other.files, plain.files);
    assert.deepEqual({ ...other.stats, compressedSize: 0 }, { ...plain.stats, compressedSize: 0 });
    assert.equal(other.stats.uncompressedSize, tar.length);
  }
});

test('fzstd decodes the same as the zstd program, and reports truncation', async () => {
  const { decompress } = await import('./decompress.js');
  const tar = await handMade();
  const { Readable } = await import('node:stream');
  const read = async (data: Buffer, decoder: 'cli' | 'fzstd') => {
    const { chunks, compression } = await decompress(Readable.from([data]), () => {}, decoder);
    assert.equal(compression, 'zstd');
    const parts: Buffer[] = [];
    for await (const c of chunks) parts.push(c);
    return Buffer.concat(parts);
  };
  const compressed = zstd(tar);
  assert.deepEqual(await read(compressed, 'fzstd'), tar);
  assert.deepEqual(await read(compressed, 'cli'), tar);
  const cut = compressed.subarray(0, compressed.length - 20);
  await assert.rejects(read(cut, 'fzstd'), /zstd/);
  await assert.rejects(read(cut, 'cli'), /zstd/);
});

test('large wanted files spill to a temp file that is removed afterwards', async () => {
  const tmp = freshTmp();
  try {
    const big = echoAnalyzer(/^big$/);
    const result = await walkLayer(bufferLayer(await handMade()), 0, [big], {
      memoryLimit: 100,
      tmpDir: tmp,
    });
    assert.equal(result.files[0]!.output.misconfigurations?.[0]?.title, 'B'.repeat(5000));
    assert.deepEqual(readdirSync(tmp), []);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('an analyzer that throws is a FileError; the walk goes on', async () => {
  const failing: Analyzer = {
    name: 'failing',
    version: 1,
    required: (p) => p.startsWith('etc/'),
    analyze: async ({ info }) => {
      throw new Error(`cannot parse ${info.path}`);
    },
  };
  const result = await walkLayer(bufferLayer(await handMade()), 0, [failing, echoAnalyzer(/^big$/)]);
  assert.deepEqual(
    result.errors.filter((e) => e.analyzer === 'failing').map((e) => e.message),
    ['cannot parse etc/os-release', 'cannot parse etc/a.wh.b'],
  );
  assert.equal(result.files.find((f) => f.analyzer === 'echo')?.path, 'big');
});

for (const [label, encode] of [
  ['gzip', gzipSync],
  ['zstd', zstd],
  ['plain tar', (b: Buffer) => b],
] as const) {
  test(`a truncated ${label} layer is badInput naming the layer, with no temp files left`, async () => {
    const tmp = freshTmp();
    try {
      const whole = encode(await handMade());
      const layer = bufferLayer(
        whole.subarray(0, Math.floor(whole.length * 0.6)),
        'sha256:diff',
        'sha256:cut',
      );
      await assert.rejects(
        walkLayer(layer, 0, [echoAnalyzer(/./)], { memoryLimit: 10, tmpDir: tmp }),
        (err: unknown) =>
          err instanceof BosunError && err.kind === 'badInput' && /sha256:cut/.test(err.message),
      );
      assert.deepEqual(readdirSync(tmp), []);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
}

test('bytes that are not a tar are badInput', async () => {
  await assert.rejects(
    walkLayer(bufferLayer(Buffer.alloc(2048, 'x')), 0, []),
    (err: unknown) => err instanceof BosunError && err.kind === 'badInput' && /checksum/.test(err.message),
  );
});

/** The members of a docker-archive that are layers, read by the real tar program. */
function archiveLayers(archive: string): LayerRef[] {
  const members = execFileSync('tar', ['-tf', archive], { encoding: 'utf8' })
    .split('\n')
    .filter((m) => m.endsWith('/layer.tar'));
  return members.map((member) => ({
    diffId: member,
    open: async () => spawn('tar', ['-xOf', archive, member]).stdout,
  }));
}

/** GNU tar's view of a layer: entries other than the root, and those whose basename is `.wh.*`. */
function gnuTarCounts(archive: string, member: string): { fileCount: number; whiteoutCount: number } {
  const layer = execFileSync('tar', ['-xOf', archive, member], { maxBuffer: 1 << 28 });
  const names = execFileSync('tar', ['-t'], { input: layer, encoding: 'utf8', maxBuffer: 1 << 28 })
    .split('\n')
    .map((n) => n.replace(/^\.?\/+/, '').replace(/\/$/, ''))
    .filter((n) => n !== '' && n !== '.');
  const whiteouts = names.filter((n) => path.posix.basename(n).startsWith('.wh.')).length;
  return { fileCount: names.length - whiteouts, whiteoutCount: whiteouts };
}

test('file and whiteout counts match GNU tar on every layer of a 14-layer image', async () => {
  const archive = path.join(images, 'dive-test-docker-image.tar');
  const layers = archiveLayers(archive);
  assert.equal(layers.length, 14);
  let whiteouts = 0;
  for (const [i, layer] of layers.entries()) {
    const result = await walkLayer(layer, i, []);
    const expected = gnuTarCounts(archive, layer.diffId);
    assert.deepEqual(
      { fileCount: result.stats.fileCount, whiteoutCount: result.stats.whiteoutCount },
      expected,
      layer.diffId,
    );
    whiteouts += result.stats.whiteoutCount;
  }
  assert.ok(whiteouts > 0, 'the image has whiteouts');
});

test('claircore whiteout layers: plain, advanced and opaque', async () => {
  const opaque = await walkLayer(fileLayer(path.join(images, 'claircore-whiteout_opaque.layer')), 0, []);
  assert.deepEqual(opaque.opaqueDirs, ['a']);
  const advanced = await walkLayer(fileLayer(path.join(images, 'claircore-whiteout_advanced.layer')), 0, []);
  assert.deepEqual(advanced.whiteouts, ['a/a_file.txt', 'a_root_file.txt', 'b']);
});

test('GNU tar long names and pax headers come through whole', async () => {
  const tmp = freshTmp();
  try {
    const long = `${'d'.repeat(120)}/${'f'.repeat(150)}.txt`;
    mkdirSync(path.join(tmp, 'root', 'd'.repeat(120)), { recursive: true });
    writeFileSync(path.join(tmp, 'root', long), 'long');
    writeFileSync(path.join(tmp, 'root', 'ünïcødé.txt'), 'pax');
    symlinkSync(long, path.join(tmp, 'root', 'l'.repeat(110)));
    for (const format of ['gnu', 'pax']) {
      const tar = execFileSync('tar', [`--format=${format}`, '-cf', '-', '-C', path.join(tmp, 'root'), '.']);
      const echo = echoAnalyzer(/\.txt$/);
      const result = await walkLayer(bufferLayer(tar), 0, [echo]);
      assert.deepEqual(result.files.map((f) => [f.path, f.output.misconfigurations?.[0]?.title]).sort(), [
        [long, 'long'],
        ['ünïcødé.txt', 'pax'],
      ]);
      assert.equal(result.stats.fileCount, 4, format);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

function fakeSource(layers: LayerRef[]): ImageSource {
  return {
    name: 'fake',
    kind: 'test',
    config: async () => ({}),
    layers: async () => layers,
    close: async () => {},
  };
}

test('walkImage keeps layer order and stops on the first broken layer', async () => {
  const tars = await Promise.all(
    [0, 1, 2, 3].map((i) => makeTar([{ name: `layer${i}`, content: String(i).repeat(i * 3000 + 1) }])),
  );
  const results = await walkImage(
    fakeSource(tars.map((t, i) => bufferLayer(gzipSync(t), `sha256:${i}`))),
    [echoAnalyzer(/layer/)],
    { concurrency: 3 },
  );
  assert.deepEqual(
    results.map((r) => [r.index, r.diffId, r.files[0]?.path]),
    tars.map((_, i) => [i, `sha256:${i}`, `layer${i}`]),
  );
  const broken = tars.map((t, i) =>
    bufferLayer(i === 2 ? gzipSync(t).subarray(0, 30) : gzipSync(t), `sha256:${i}`),
  );
  await assert.rejects(walkImage(fakeSource(broken), []), /sha256:2/);
});

test('a directory layer is walked in place, symlinks recorded and never followed', async () => {
  const tmp = freshTmp();
  try {
    mkdirSync(path.join(tmp, 'etc'));
    writeFileSync(path.join(tmp, 'etc', 'os-release'), 'ID=alpine\n');
    symlinkSync('..', path.join(tmp, 'etc', 'loop'));
    symlinkSync('os-release', path.join(tmp, 'etc', 'link'));
    const echo = echoAnalyzer(/^etc\//);
    const result = await walkLayer(
      { diffId: 'dir', directory: tmp, open: () => Promise.reject(new Error('not a tar')) },
      0,
      [echo],
    );
    assert.deepEqual(
      result.files.map((f) => [f.path, f.output.misconfigurations?.[0]?.title]),
      [['etc/os-release', 'ID=alpine\n']],
    );
    assert.equal(result.stats.fileCount, 4);
    assert.equal(result.stats.uncompressedSize, 10);
    await assert.rejects(
      walkLayer(
        { diffId: 'x', directory: path.join(tmp, 'missing'), open: async () => process.stdin },
        0,
        [],
      ),
      (err: unknown) => err instanceof BosunError && err.kind === 'notFound',
    );
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
